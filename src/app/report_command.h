#pragma once
// `momentum-scanner report [--since 7d|all] [--database FILE] [--format table|jsonl]`: what
// followed the alerts in the scanner's database (or a replay's, with --database), per interval,
// direction and severity (app/outcome_report.h): counts, alerts and messages per symbol-day,
// median returns at each horizon, median MFE and MAE, and the share positive at the middle
// horizon.
//
// The rates' denominator (symbol-days) is estimated from the database, which does not record
// how long a scanner watched which symbols:
//   symbols  the universe the live scanner last selected (its cached snapshot), else, for a
//            replay's database, the symbols that alerted;
//   days     from the later of (now - since) and the first alert's bar, to now for a live
//            database, to the last alert's bar for a replay's;
// the same for every interval of `streams.intervals`. The header line states both. A replay's
// own end-of-run table counts the bars it read instead and is exact.
//
// Exit codes: kExitOk; kExitUsage (bad --since or --format); kExitFailure (no database at the
// path, or it cannot be read).

#include <optional>
#include <ostream>
#include <string>

#include "config/config.h"
#include "core/clock.h"

namespace scanner::app {

struct ReportOptions {
  std::string since = "7d";             // a duration, or "all"
  std::optional<std::string> database;  // default: alerts.database
  std::string format = "table";
};

int RunReport(const ReportOptions& options, const config::Config& config, const core::Clock& clock,
              std::ostream& out, std::ostream& err);

}  // namespace scanner::app
