#pragma once
// ReplayDriver: closed bars from files or recordings through the replay's windows and then the
// ClosedBarPipeline that `run` uses -- signals, cooldown and alert store -- on a simulated clock.
//
// Per bar (OnClosedBar):
//   0. A kline that is no bar (market::CheckBar: impossible or absurd prices, times off the
//      interval) is refused and counted by defect, as live; the series then has a hole there.
//   1. The clock is set to the bar's close time (alerts are stored "when" their bar closed).
//   2. The bar goes into its (symbol, interval) window. A bar the window already holds
//      (duplicate or stale) or refuses (overlapping bars) stops here and is counted.
//   3. A bar after a hole: the window reports the gap. Nothing can fill it in a replay, so the
//      window starts over from this bar, and SignalEngine, which sees the bar is not contiguous
//      with the series' last one, restarts that series' warm-up by itself: no move is measured
//      across the hole. The gap is returned so the caller can report it.
//   4. ClosedBarPipeline::OnClosedBar, as a stream bar. A new alert is stored with the
//      destinations (pending deliveries for a sender; none unless sending), counted and handed
//      to on_alert; one the store already held (the same data replayed on the same database) is
//      counted as already stored and goes nowhere.
// With an AlertStore the engine's cooldown is an AlertStoreCooldown over it; without one the
// engine keeps its cooldown in memory and every candidate is new (the pure pipeline, as
// bench_replay measures it).
//
// Database errors follow the pipeline's policy (closed_bar_pipeline.h): nothing stops the
// replay; Finish() then says whether every alert was stored and every cooldown read answered.
//
// Bars of one series must come in increasing open time (BarMerger guarantees it); series may
// interleave in any way. A series is named once (AddSeries) and fed by its id, which spares the
// window and signal-engine lookups per bar; OnClosedBar by symbol and interval does both.
//
// Not thread-safe. The clock and the AlertStore must outlive the driver.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "alerts/alert_store.h"
#include "alerts/alert_store_cooldown.h"
#include "app/chart_spec_from_window.h"
#include "app/closed_bar_pipeline.h"
#include "core/candidate.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/interval.h"
#include "core/types.h"
#include "market/bar_check.h"
#include "market/bar_window.h"
#include "market/window_set.h"
#include "signals/signal_engine.h"
#include "signals/signal_settings.h"

namespace scanner::app {

struct BarResult {
  BarFate fate = BarFate::kEvaluated;
  std::optional<market::GapRange> gap;  // the bars missing right before this one
};

struct ReplayCounters {
  std::uint64_t bars = 0;       // handed to OnClosedBar
  std::uint64_t evaluated = 0;  // went on to the signal engine
  std::uint64_t duplicates = 0;
  std::uint64_t invalid = 0;
  market::BarDefectCounts refused{};  // by defect
  std::uint64_t gaps = 0;
  std::uint64_t alerts = 0;    // new ones
  std::uint64_t messages = 0;  // of which posting a message of their own (not joining one)
  std::uint64_t already_stored = 0;
};

class ReplayDriver {
 public:
  struct Dependencies {
    core::FakeClock* clock = nullptr;           // required
    alerts::AlertStore* alert_store = nullptr;  // optional, see above
    // Recorded as pending deliveries with each stored alert; leave empty unless sending.
    std::vector<std::string> destinations;
    // Called with every new alert, in replay order; may be empty.
    ClosedBarPipeline::OnAlert on_alert;
    // The outcome of every new alert over these horizons (bars; empty: none measured), saved in
    // `outcome_store` when given (with alert_store) and handed to on_outcome once final -- at
    // the latest by Finish, which ends the data: what is still missing then stays null.
    std::vector<int> outcome_horizons;
    alerts::OutcomeStore* outcome_store = nullptr;
    ClosedBarPipeline::OnOutcome on_outcome;
    // With a shape, every new alert gets its chart's spec (stored with it, and shown to
    // on_alert as KeptAlert::chart); the windows keep at least shape.bars bars.
    std::optional<ChartShape> charts;
  };

  // `intervals`: every interval the bars may have. Fails on invalid settings or no clock.
  static core::Result<std::unique_ptr<ReplayDriver>> Create(
      signals::SignalSettings settings, std::span<const core::Interval> intervals,
      Dependencies dependencies);

  ReplayDriver(const ReplayDriver&) = delete;
  ReplayDriver& operator=(const ReplayDriver&) = delete;
  ~ReplayDriver();

  using SeriesId = std::uint32_t;

  // The id of the series (symbol, interval), the same for every call with that pair. Fails on
  // an interval not given to Create.
  core::Result<SeriesId> AddSeries(const core::Symbol& symbol, core::Interval interval);

  // Feeds one closed bar of a series from AddSeries (see above). Bad bars and database errors
  // are not failures (see Finish).
  BarResult OnClosedBar(SeriesId series, const core::Bar& bar);
  // AddSeries, then the above.
  core::Result<BarResult> OnClosedBar(const core::Symbol& symbol, core::Interval interval,
                                      const core::Bar& bar);

  // At the end: stores what waits for the database (one more try), then completes the open
  // outcomes (the data ends). Fails when an alert could not be stored or the database could
  // not be read (the replay cannot be trusted then).
  core::Status Finish();

  const ReplayCounters& counters() const { return counters_; }
  const signals::SignalEngine& engine() const { return *engine_; }
  const ClosedBarPipeline& pipeline() const { return *pipeline_; }

 private:
  ReplayDriver(std::span<const core::Interval> intervals, std::size_t capacity,
               Dependencies dependencies);

  struct Series {
    core::Symbol symbol;
    core::Interval interval;
    market::BarWindow* window;  // stable: symbols are never removed from windows_
    // The engine's series, resolved on the first bar that reaches it (an unfed series stays
    // unknown to the engine).
    signals::SignalEngine::SeriesHandle signals;
  };

  Dependencies dependencies_;
  market::WindowSet windows_;
  std::vector<Series> series_;                                         // by SeriesId
  std::unordered_map<const market::BarWindow*, SeriesId> series_ids_;  // one window per series
  std::unique_ptr<alerts::AlertStoreCooldown> cooldown_;
  std::unique_ptr<signals::SignalEngine> engine_;
  std::unique_ptr<signals::OutcomeTracker> outcomes_;
  std::unique_ptr<ClosedBarPipeline> pipeline_;
  ReplayCounters counters_;
};

}  // namespace scanner::app
