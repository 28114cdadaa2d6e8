#include "app/replay_command.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "alerts/alert_store.h"
#include "alerts/outcome_store.h"
#include "app/outcome_horizons_from_config.h"
#include "app/outcome_report.h"
#include "app/replay_alert_writer.h"
#include "app/replay_charts.h"
#include "app/replay_driver.h"
#include "app/replay_summary.h"
#include "app/signal_settings_from_config.h"
#include "app/stream_replay.h"
#include "core/clock.h"
#include "core/temporary_directory.h"
#include "replay/bar_merger.h"
#include "replay/issue_log.h"
#include "replay/kline_file_name.h"
#include "storage/database.h"
#include "storage/schema.h"

namespace scanner::app {
namespace {

// The inputs with their series, or a usage error naming the first file that has none.
core::Result<std::vector<replay::ReplayInput>> ResolveInputs(const ReplayOptions& options) {
  std::optional<core::Interval> interval;
  if (options.interval) {
    interval = replay::ParseReplayInterval(*options.interval);
    if (!interval) {
      return core::Fail(fmt::format(
          "unknown interval \"{}\" (one of 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M)",
          *options.interval));
    }
  }
  if (options.symbol && options.symbol->empty()) return core::Fail("--symbol is empty");
  std::vector<replay::ReplayInput> inputs;
  for (const std::string& file : options.files) {
    const std::optional<replay::KlineFileName> name = replay::ParseKlineFileName(file);
    if ((!options.symbol || !interval) && !name) {
      return core::Fail(
          fmt::format("{}: the file name does not say the symbol and interval "
                      "(SYMBOL-INTERVAL-YYYY-MM[-DD].csv or .zip); give --symbol and --interval",
                      file));
    }
    inputs.push_back(replay::ReplayInput{file, options.symbol ? *options.symbol : name->symbol,
                                         interval ? *interval : name->interval});
  }
  return inputs;
}

std::string GapDetail(const replay::SeriesKey& series, const market::GapRange& gap) {
  std::string missing;
  if (series.interval != core::Interval::All().back()) {
    missing = fmt::format(" ({} bars missing)", (gap.to - gap.from) / series.interval.DurationMs());
  }
  return fmt::format("no {} {} bars from {} to {}{}; the series warms up again from here",
                     series.symbol, series.interval.Name(), core::FormatIsoUtc(gap.from),
                     core::FormatIsoUtc(gap.to), missing);
}

// The outcome report of the alerts written, over the symbol-days the files hold: each input's
// bars times its interval's length.
void WriteReplayReport(std::ostream& err, const AlertWriter& writer,
                       const std::vector<int>& horizons, const replay::BarMerger& merger) {
  SymbolDays symbol_days;
  for (std::size_t i = 0; i < merger.inputs().size(); ++i) {
    const core::Interval interval = merger.inputs()[i].interval;
    symbol_days[interval] += static_cast<double>(merger.input_status()[i].bars) *
                             static_cast<double>(interval.DurationMs()) /
                             static_cast<double>(core::kDay);
  }
  std::vector<ReportRow> rows;
  rows.reserve(writer.rows().size());
  for (const AlertWriter::Row& row : writer.rows()) {
    rows.push_back(ReportRow{row.candidate, row.outcome, row.posts_message});
  }
  err << "outcomes:\n";
  WriteReportTable(err, BuildOutcomeReport(rows, horizons, symbol_days));
}

}  // namespace

int RunReplay(const ReplayOptions& options, const config::Config& config, std::ostream& out,
              std::ostream& err, const ReplayHooks& hooks) {
  const auto usage = [&err](std::string_view message) {
    err << "replay: " << message << '\n';
    return kExitUsage;
  };
  if (options.files.empty()) return usage("no input files (give one or more kline files)");
  const std::optional<OutputFormat> format = ParseOutputFormat(options.format);
  if (!format) {
    return usage(fmt::format("unknown --format \"{}\" (table or jsonl)", options.format));
  }
  if (options.send && !hooks.on_alert) {
    return usage("--send: no alert sinks were wired into this replay");
  }
  core::Result<std::vector<replay::ReplayInput>> inputs = std::vector<replay::ReplayInput>{};
  std::vector<core::Interval> intervals;
  if (options.stream) {
    if (options.symbol || options.interval) {
      return usage("--symbol and --interval do not apply to --stream (frames name their stream)");
    }
    const auto all = core::Interval::All();
    intervals.assign(all.begin(), all.end());
  } else {
    inputs = ResolveInputs(options);
    if (!inputs) return usage(inputs.error().message);
    for (const replay::ReplayInput& input : *inputs) {
      if (std::find(intervals.begin(), intervals.end(), input.interval) == intervals.end()) {
        intervals.push_back(input.interval);
      }
    }
  }

  // Declared before the database and the store, so it is removed after they are closed.
  std::unique_ptr<core::TemporaryDirectory> temporary;
  std::string database_path;
  std::string database_label;
  if (options.database) {
    database_path = *options.database;
    database_label = database_path;
  } else {
    auto created = core::TemporaryDirectory::Create();
    if (!created) {
      err << "replay: " << created.error().message << '\n';
      return kExitFailure;
    }
    temporary = std::move(*created);
    database_path = temporary->path() + "/replay.db";
    database_label = "temporary, deleted at exit";
  }
  auto database = storage::Database::Open(database_path, storage::ScannerMigrations());
  if (!database) {
    err << fmt::format("replay: database {}: {}\n", database_path, database.error().message);
    return kExitFailure;
  }
  core::FakeClock clock;
  auto store = alerts::AlertStore::Open(**database, clock, config.exchange.market);
  if (!store) {
    err << fmt::format("replay: alert store in {}: {}\n", database_path, store.error().message);
    return kExitFailure;
  }

  auto outcome_store = alerts::OutcomeStore::Open(**database, clock);
  if (!outcome_store) {
    err << fmt::format("replay: outcome store in {}: {}\n", database_path,
                       outcome_store.error().message);
    return kExitFailure;
  }

  std::unique_ptr<ReplayCharts> charts;
  if (options.charts_dir) {
    auto opened = ReplayCharts::Open(*options.charts_dir, err);
    if (!opened) return usage(opened.error().message);
    charts = std::move(*opened);
  }

  const std::vector<int> horizons = OutcomeHorizonsFromConfig(config);
  AlertWriter writer(*format, out, horizons, charts != nullptr);
  ReplaySummary summary;
  ReplayDriver::Dependencies dependencies;
  dependencies.clock = &clock;
  dependencies.alert_store = store->get();
  if (options.send) dependencies.destinations = hooks.destinations;
  dependencies.on_alert = [&](const core::Candidate& candidate,
                              const ClosedBarPipeline::KeptAlert& kept) {
    std::string chart_path;
    if (charts && kept.chart) chart_path = charts->Write(candidate, *kept.chart);
    writer.Add(candidate, kept.posts_message, std::move(chart_path));
    summary.CountAlert(candidate);
    if (options.send) hooks.on_alert(candidate, kept.chart);
  };
  // Charts for the files, and for the Discord alerts of --send as `run` would draw them.
  if (charts || (options.send && config.alerts.discord.chart.enabled)) {
    dependencies.charts = ChartShape{
        .bars = static_cast<std::size_t>(config.alerts.discord.chart.bars),
        .band_atrs = config.signals.min_atr_move};
  }
  dependencies.outcome_horizons = horizons;
  dependencies.outcome_store = outcome_store->get();
  dependencies.on_outcome = [&](alerts::AlertId, const core::Candidate& alert,
                                const core::Outcome& outcome) {
    writer.SetOutcome(alert, outcome);
  };
  auto driver =
      ReplayDriver::Create(app::SignalSettingsFromConfig(config.signals, config.exchange.market),
                           intervals, std::move(dependencies));
  if (!driver) return usage(fmt::format("signal settings: {}", driver.error().message));

  if (options.stream) {
    const int code = PlayStreamRecordings(options.files, **driver, summary, err);
    const core::Status finished = (*driver)->Finish();
    writer.WriteAll();
    out.flush();
    if (charts) charts->WriteSummary(err);
    if (code == kExitOk && !finished) {
      err << "replay: " << finished.error().message << '\n';
      return kExitFailure;
    }
    return code;
  }

  replay::IssueLog issues;
  replay::BarMerger merger(std::move(*inputs), issues);
  std::vector<ReplayDriver::SeriesId> series_ids;  // by merger series index
  for (const replay::SeriesKey& series : merger.series()) {
    auto id = (*driver)->AddSeries(series.symbol, series.interval);
    if (!id) {
      err << "replay: " << id.error().message << '\n';
      return kExitFailure;
    }
    series_ids.push_back(*id);
  }
  replay::MergedBar bar;
  while (merger.Next(bar)) {
    const replay::SeriesKey& series = merger.series()[bar.series];
    const BarResult result = (*driver)->OnClosedBar(series_ids[bar.series], bar.bar);
    if (result.gap) {
      issues.Add(replay::ReadIssue{merger.inputs()[bar.input].path, bar.line,
                                   replay::IssueKind::kGap, GapDetail(series, *result.gap)});
    }
  }
  const core::Status finished = (*driver)->Finish();
  writer.WriteAll();
  out.flush();
  summary.Write(err, merger, **driver, issues, database_label);
  if (charts) charts->WriteSummary(err);
  WriteReplayReport(err, writer, horizons, merger);

  const auto& status = merger.input_status();
  if (std::none_of(status.begin(), status.end(),
                   [](const replay::InputStatus& s) { return s.opened; })) {
    err << "replay: no input file could be read\n";
    return kExitFailure;
  }
  if ((*driver)->counters().bars == 0) {
    err << "replay: no bar could be read from the input files\n";
    return kExitFailure;
  }
  if (!finished) {
    err << "replay: " << finished.error().message << '\n';
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace scanner::app
