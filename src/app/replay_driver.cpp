#include "app/replay_driver.h"

#include <algorithm>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace scanner::app {

core::Result<std::unique_ptr<ReplayDriver>> ReplayDriver::Create(
    signals::SignalSettings settings, std::span<const core::Interval> intervals,
    Dependencies dependencies) {
  if (dependencies.clock == nullptr) return core::Fail("replay driver: no clock");
  std::size_t capacity = signals::WindowCapacityFor(settings);
  if (dependencies.charts) capacity = std::max(capacity, dependencies.charts->bars);
  std::unique_ptr<ReplayDriver> driver(
      new ReplayDriver(intervals, capacity, std::move(dependencies)));
  signals::SignalEngine::Dependencies engine_dependencies;
  if (driver->dependencies_.alert_store != nullptr) {
    driver->cooldown_ =
        std::make_unique<alerts::AlertStoreCooldown>(*driver->dependencies_.alert_store);
    engine_dependencies.cooldown_store = driver->cooldown_.get();
  }
  auto engine = signals::SignalEngine::Create(std::move(settings), engine_dependencies);
  if (!engine) return std::unexpected(engine.error());
  driver->engine_ = std::move(*engine);
  if (!driver->dependencies_.outcome_horizons.empty()) {
    driver->outcomes_ =
        std::make_unique<signals::OutcomeTracker>(driver->dependencies_.outcome_horizons);
  }
  driver->pipeline_ = std::make_unique<ClosedBarPipeline>(
      ClosedBarPipeline::Dependencies{.engine = driver->engine_.get(),
                                      .store = driver->dependencies_.alert_store,
                                      .cooldown = driver->cooldown_.get(),
                                      .clock = driver->dependencies_.clock,
                                      .logger = nullptr,
                                      .outcomes = driver->outcomes_.get(),
                                      .outcome_store = driver->dependencies_.outcome_store});
  if (driver->dependencies_.on_outcome) {
    driver->pipeline_->SetOnOutcome(driver->dependencies_.on_outcome);
  }
  if (!driver->dependencies_.destinations.empty()) {
    driver->pipeline_->SetDestinations([destinations = driver->dependencies_.destinations](
                                           const core::Candidate&) { return destinations; });
  }
  ReplayDriver* self = driver.get();
  if (self->dependencies_.charts) {
    self->pipeline_->SetChartFor([self](const core::Candidate& alert) {
      const market::BarWindow* window = self->windows_.Find(alert.symbol, alert.interval);
      return window == nullptr
                 ? std::nullopt
                 : ChartSpecFromWindow(*window, alert, *self->dependencies_.charts);
    });
  }
  driver->pipeline_->SetOnAlert(
      [self](const core::Candidate& candidate, const ClosedBarPipeline::KeptAlert& kept) {
        ++self->counters_.alerts;
        if (kept.posts_message) ++self->counters_.messages;
        if (self->dependencies_.on_alert) self->dependencies_.on_alert(candidate, kept);
      });
  return driver;
}

ReplayDriver::ReplayDriver(std::span<const core::Interval> intervals, std::size_t capacity,
                           Dependencies dependencies)
    : dependencies_(std::move(dependencies)), windows_(intervals, capacity) {}

ReplayDriver::~ReplayDriver() = default;

core::Result<ReplayDriver::SeriesId> ReplayDriver::AddSeries(const core::Symbol& symbol,
                                                             core::Interval interval) {
  market::BarWindow* window = windows_.Find(symbol, interval);
  if (window == nullptr) {
    windows_.AddSymbol(symbol);
    window = windows_.Find(symbol, interval);
    if (window == nullptr) {
      return core::Fail(
          fmt::format("replay driver: interval {} was not configured", interval.Name()));
    }
  }
  const auto [found, added] =
      series_ids_.try_emplace(window, static_cast<SeriesId>(series_.size()));
  if (added) series_.push_back(Series{symbol, interval, window, {}});
  return found->second;
}

core::Result<BarResult> ReplayDriver::OnClosedBar(const core::Symbol& symbol,
                                                  core::Interval interval, const core::Bar& bar) {
  auto series = AddSeries(symbol, interval);
  if (!series) return std::unexpected(series.error());
  return OnClosedBar(*series, bar);
}

BarResult ReplayDriver::OnClosedBar(SeriesId id, const core::Bar& bar) {
  Series& series = series_[id];
  market::BarWindow* window = series.window;
  ++counters_.bars;

  BarResult result;
  if (const std::optional<market::BarDefect> defect = market::CheckBar(bar, series.interval)) {
    ++counters_.refused[static_cast<std::size_t>(*defect)];
    result.fate = BarFate::kRefused;
    return result;
  }
  dependencies_.clock->Set(bar.close_time);

  core::Bar closed = bar;
  closed.closed = true;
  switch (window->Apply(closed, closed.close_time)) {
    case market::ApplyOutcome::kAppended:
      break;
    case market::ApplyOutcome::kGapDetected:
      result.gap = window->PendingGap();
      ++counters_.gaps;
      // Nothing fills a hole in a replay: the window starts again from this bar.
      window->Clear();
      window->Apply(closed, closed.close_time);
      break;
    case market::ApplyOutcome::kInvalid:
      ++counters_.invalid;
      result.fate = BarFate::kInvalid;
      return result;
    default:
      // Duplicate or stale; with bars in order per series nothing else can happen.
      ++counters_.duplicates;
      result.fate = BarFate::kDuplicate;
      return result;
  }

  ++counters_.evaluated;
  if (!series.signals) series.signals = engine_->Resolve(series.symbol, series.interval);
  result.fate = pipeline_->OnClosedBar(series.signals, series.symbol, series.interval, closed,
                                       market::BarOrigin::kStream);
  if (result.fate == BarFate::kAlreadyStored) ++counters_.already_stored;
  return result;
}

core::Status ReplayDriver::Finish() {
  pipeline_->RetryUnstored(/*now=*/true);
  pipeline_->ExpireOutcomes(std::numeric_limits<core::Millis>::max());
  if (pipeline_->unstored() > 0) {
    return core::Fail(
        fmt::format("alert store: {} alert(s) could not be stored", pipeline_->unstored()));
  }
  if (cooldown_ && cooldown_->error()) {
    return core::Fail(
        fmt::format("alert store: cooldown lookup failed: {}", cooldown_->error()->message));
  }
  return {};
}

}  // namespace scanner::app
