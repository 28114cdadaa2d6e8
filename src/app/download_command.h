#pragma once
// `momentum-scanner download`: fetches Binance's public kline files (data.binance.vision,
// exchange.vision_url) for symbols, intervals and a date range into
// <dir>/SYMBOL/INTERVAL/<Binance's file name>, verified against their .CHECKSUM, so that
// `replay <dir>/BTCUSDT/1m/*.zip` reads them as they are. Files already there and verified are
// not fetched again; an interrupted run resumes. Progress on `err` (a bar on a terminal), the
// summary on `out`.
//
// Bodies are held in memory while they arrive (the HTTP client has no streaming body): the
// limit is max_file_bytes, far above a monthly 1m file (a few MB) and a busy pair's monthly 1s
// file (about 100 MB).

#include <spdlog/logger.h>

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/backoff.h"
#include "core/clock.h"

namespace scanner::app {

struct DownloadCommandOptions {
  std::vector<std::string> symbols;  // --symbols BTCUSDT,ETHUSDT
  bool universe = false;             // --universe: the symbols the scanner would watch now
  std::vector<std::string> intervals;
  std::string from;  // YYYY-MM-DD
  std::string to;    // YYYY-MM-DD; empty: yesterday (UTC)
  std::string dir = "data/klines";
  std::string market;     // spot | usdm; empty: exchange.market
  bool terminal = false;  // progress as a bar redrawn in place

  // Retries (tests shorten them): transient failures per request, then checksum mismatches.
  int max_attempts = 4;
  core::BackoffPolicy retry{
      .initial = 1 * core::kSecond, .max = 30 * core::kSecond, .multiplier = 2.0, .jitter = 0.5};
  int checksum_attempts = 3;
  // One file's whole transfer; a slow link needs minutes for a large monthly file.
  core::Millis request_timeout = 10 * core::kMinute;
  std::size_t max_file_bytes = 1024ULL * 1024 * 1024;
};

// 0: every file asked for is there, verified. 1: something is missing (the summary says what
// and why), or the universe could not be fetched. 2: invalid options (each named).
int RunDownloadCommand(const config::Config& config, const DownloadCommandOptions& options,
                       const core::Clock& clock, std::ostream& out, std::ostream& err,
                       std::shared_ptr<spdlog::logger> logger);

}  // namespace scanner::app
