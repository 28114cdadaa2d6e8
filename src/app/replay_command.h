#pragma once
// `momentum-scanner replay`: runs the signals over kline files (Binance public data, .zip or
// .csv, or a simple OHLCV CSV) and prints the alerts they would have raised.
//
//   momentum-scanner replay [--symbol SYM] [--interval INT] [--format table|jsonl]
//                           [--database FILE] [--send] FILE...
//   momentum-scanner replay --stream [--format ...] [--database FILE] [--send] RECORDING...
//
// Files are merged in time order (BarMerger) and fed through ReplayDriver with the config's
// signal settings and market. Alerts are stored in a temporary database, deleted at the end,
// unless --database names one (then a second run over the same data adds no alert: the store's
// dedup and the cooldown see the first run's alerts).
//
// Output: `out` gets one line per new alert and nothing else (AlertWriter: a table, or JSON
// lines with --format jsonl, so `out` can be piped to jq); `err` gets usage errors and the
// summary (ReplaySummary: bars read per file, filter counts, alerts by symbol/interval/
// direction, every bad row and gap with file:line). Bad input never stops the replay.
//
// Sending: nothing is ever sent by this module. With `send` set, each new alert is handed to
// hooks.on_alert (the app wires its sinks there) and stored with hooks.destinations as pending
// deliveries; `send` without an on_alert hook is a usage error. Without `send` the hooks are
// not used, so a replay never leaves deliveries pending in a database.
//
// Exit codes: kExitOk; kExitUsage (no files, unknown --format or --interval, a file whose name
// does not give its symbol and interval and no --symbol/--interval, invalid signal settings,
// --send without a hook); kExitFailure (no file could be read, or no bar at all; a database
// error, which stops the replay).

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/cli.h"
#include "config/config.h"
#include "core/candidate.h"
#include "core/chart_spec.h"

namespace scanner::app {

// Exit codes: kExitOk, and cli.h's kExitFailure and kExitUsage.
inline constexpr int kExitOk = 0;

struct ReplayOptions {
  std::vector<std::string> files;
  std::optional<std::string> symbol;    // overrides the file names' symbol, for every file
  std::optional<std::string> interval;  // likewise; "1m" ... "1M", or "1mo"
  std::string format;                   // "table" (also empty) or "jsonl"
  std::optional<std::string> database;  // a scanner database file; default a temporary one
  bool send = false;
  // The files are stream recordings (`run --record`), played through the stream parser
  // (stream_replay.h); --symbol and --interval do not apply.
  bool stream = false;
  // Each alert's chart (PNG) is written to this folder (replay_charts.h); the output shows
  // its path.
  std::optional<std::string> charts_dir;
};

// What the app adds for --send (see above).
struct ReplayHooks {
  // `chart`: what its chart is drawn from (with alerts.discord.chart.enabled), else null; valid
  // during the call.
  std::function<void(const core::Candidate&, const core::ChartSpec* chart)> on_alert;
  std::vector<std::string> destinations;  // non-secret sink ids, as AlertStore::Insert takes
};

int RunReplay(const ReplayOptions& options, const config::Config& config, std::ostream& out,
              std::ostream& err, const ReplayHooks& hooks = {});

}  // namespace scanner::app
