#pragma once
// `replay --stream`: plays stream recordings (stream_recording.h, written by `run --record`)
// back through the live scanner's own frame parser (binance::StreamParser) into a ReplayDriver.
//
// Only final kline frames ("x": true) become bars, exactly as live; tickers, open-bar updates and
// control replies are parsed (so malformed ones are counted like live) but feed nothing. Files
// are played in the order given, frames in file order. Duplicate and out-of-order bars (a
// reconnect overlap) are ignored by the windows; a gap (bars the recording never saw, e.g. while
// the scanner was down) restarts that series' warm-up, as in a file replay.
//
// Writes its summary (frames, parse errors by kind, bars, duplicates, gaps, damaged lines with
// file:line, alerts) to `err`. Returns kExitOk, or kExitFailure when no recording could
// be read, none held a closed bar, or the alert store failed.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "app/replay_driver.h"
#include "app/replay_summary.h"

namespace scanner::app {

int PlayStreamRecordings(const std::vector<std::string>& files, ReplayDriver& driver,
                         const ReplaySummary& summary, std::ostream& err);

}  // namespace scanner::app
