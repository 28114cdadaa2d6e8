#include "replay/replay_driver.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace scanner::replay {

core::Result<std::unique_ptr<ReplayDriver>> ReplayDriver::Create(
    signals::SignalSettings settings, std::span<const core::Interval> intervals,
    Dependencies dependencies) {
  if (dependencies.clock == nullptr) return core::Fail("replay driver: no clock");
  const std::size_t capacity = signals::WindowCapacityFor(settings);
  std::unique_ptr<ReplayDriver> driver(
      new ReplayDriver(intervals, capacity, std::move(dependencies)));
  signals::SignalEngine::Dependencies engine_dependencies;
  if (driver->dependencies_.alert_store != nullptr) {
    driver->cooldown_ = std::make_unique<alerts::AlertStoreCooldown>(*driver->dependencies_.alert_store);
    engine_dependencies.cooldown_store = driver->cooldown_.get();
  }
  auto engine = signals::SignalEngine::Create(std::move(settings), engine_dependencies);
  if (!engine) return std::unexpected(engine.error());
  driver->engine_ = std::move(*engine);
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

core::Result<BarResult> ReplayDriver::OnClosedBar(SeriesId id, const core::Bar& bar) {
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
  const std::optional<core::Candidate> candidate =
      engine_->OnClosedBar(series.signals, closed);
  if (cooldown_ && cooldown_->error()) {
    return core::Fail(
        fmt::format("alert store: cooldown lookup failed: {}", cooldown_->error()->message));
  }
  if (candidate) {
    auto fate = Emit(*candidate);
    if (!fate) return std::unexpected(fate.error());
    result.fate = *fate;
  }
  return result;
}

core::Result<BarFate> ReplayDriver::Emit(const core::Candidate& candidate) {
  if (dependencies_.alert_store != nullptr) {
    auto inserted = dependencies_.alert_store->Insert(candidate, dependencies_.destinations);
    if (!inserted) {
      return core::Fail(fmt::format("alert store: cannot store the alert for {} {} at {}: {}",
                                    candidate.symbol, candidate.interval.Name(),
                                    candidate.bar_close_time, inserted.error().message));
    }
    if (inserted->outcome == alerts::InsertOutcome::kDuplicate) {
      ++counters_.already_stored;
      return BarFate::kAlreadyStored;
    }
  }
  // Kept (stored, or new in a store-less replay): only now does it start the cooldown.
  engine_->cooldown_store().Record(candidate);
  ++counters_.alerts;
  if (dependencies_.on_alert) dependencies_.on_alert(candidate);
  return BarFate::kAlerted;
}

}  // namespace scanner::replay
