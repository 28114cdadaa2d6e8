#include "app/report_command.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "alerts/alert_store.h"
#include "alerts/outcome_store.h"
#include "app/outcome_horizons_from_config.h"
#include "app/outcome_report.h"
#include "app/replay_alert_writer.h"
#include "app/replay_command.h"
#include "core/time.h"
#include "storage/database.h"
#include "storage/schema.h"

namespace scanner::app {
namespace {

// Symbols in the live scanner's last universe snapshot of `market` (0: none, a replay's file).
core::Result<std::int64_t> UniverseSize(storage::Database& db, core::Market market) {
  auto query = db.Prepare("SELECT COUNT(*) FROM universe_symbol WHERE market = ?1");
  if (!query) return std::unexpected(query.error());
  query->Bind(1, core::MarketName(market));
  auto row = query->Step();
  if (!row) return std::unexpected(row.error());
  return *row ? query->ColumnInt(0) : 0;
}

}  // namespace

int RunReport(const ReportOptions& options, const config::Config& config, const core::Clock& clock,
              std::ostream& out, std::ostream& err) {
  const std::optional<OutputFormat> format = ParseOutputFormat(options.format);
  if (!format) {
    err << fmt::format("report: unknown --format \"{}\" (table or jsonl)\n", options.format);
    return kExitUsage;
  }
  const core::Millis now = clock.NowMs();
  core::Millis since = std::numeric_limits<core::Millis>::min();
  if (options.since != "all") {
    const std::optional<core::Millis> window = core::ParseDuration(options.since);
    if (!window || *window <= 0) {
      err << fmt::format("report: --since \"{}\" is not a duration (7d, 12h, 90m) or \"all\"\n",
                         options.since);
      return kExitUsage;
    }
    since = now - *window;
  }

  const std::string path = options.database.value_or(config.alerts.database);
  std::error_code exists_error;
  if (!std::filesystem::exists(path, exists_error)) {
    err << fmt::format("report: no database at {}\n", path);
    return kExitFailure;
  }
  auto database = storage::Database::Open(path, storage::ScannerMigrations());
  if (!database) {
    err << fmt::format("report: database {}: {}\n", path, database.error().message);
    return kExitFailure;
  }
  const core::Market market = config.exchange.market;
  auto alerts = alerts::AlertStore::Open(**database, clock, market);
  auto outcomes = alerts::OutcomeStore::Open(**database, clock);
  if (!alerts || !outcomes) {
    err << fmt::format("report: database {}: {}\n", path,
                       (!alerts ? alerts.error() : outcomes.error()).message);
    return kExitFailure;
  }
  auto stored = (*outcomes)->AlertsSince(market, since, **alerts);
  auto universe = UniverseSize(**database, market);
  if (!stored || !universe) {
    err << fmt::format("report: database {}: {}\n", path,
                       (!stored ? stored.error() : universe.error()).message);
    return kExitFailure;
  }

  std::vector<ReportRow> rows;
  std::set<core::Symbol> symbols;
  core::Millis first = std::numeric_limits<core::Millis>::max();
  core::Millis last = std::numeric_limits<core::Millis>::min();
  for (alerts::AlertWithOutcome& entry : *stored) {
    first = std::min(first, entry.candidate.bar_close_time);
    last = std::max(last, entry.candidate.bar_close_time);
    symbols.insert(entry.candidate.symbol);
    rows.push_back(
        ReportRow{std::move(entry.candidate), std::move(entry.outcome), entry.posts_message});
  }
  const bool live = *universe > 0;
  const double symbol_count = live ? static_cast<double>(*universe) : symbols.size();
  const core::Millis from = std::max(since, first);
  const core::Millis to = live ? now : last;
  const double days =
      rows.empty() ? 0 : std::max<double>(to - from, 0) / static_cast<double>(core::kDay);
  const double exposure = symbol_count * days;
  SymbolDays symbol_days;
  for (core::Interval interval : config.streams.intervals) symbol_days[interval] = exposure;
  for (const ReportRow& row : rows) symbol_days[row.candidate.interval] = exposure;

  const std::vector<int> horizons = OutcomeHorizonsFromConfig(config);
  const OutcomeReport report = BuildOutcomeReport(rows, horizons, symbol_days);
  if (*format == OutputFormat::kJsonl) {
    WriteReportJsonl(out, report);
  } else {
    out << fmt::format(
        "{} alert(s) in {} ({} market){}; rates per symbol-day over {:.0f} {} x "
        "{:.2f} day(s)\n",
        rows.size(), path, core::MarketName(market),
        options.since == "all" ? "" : fmt::format(", bars closed in the last {}", options.since),
        symbol_count, live ? "symbol(s) watched" : "symbol(s) that alerted", days);
    WriteReportTable(out, report);
  }
  out.flush();
  return kExitOk;
}

}  // namespace scanner::app
