// The pipeline's outcome measurement, live: progress saved with every bar, a restart in the
// middle of the horizon resumed from the database, warm-up history counted once.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

#include "alerts/alert_store.h"
#include "alerts/alert_store_cooldown.h"
#include "alerts/outcome_store.h"
#include "app/closed_bar_pipeline.h"
#include "signals/outcome_tracker.h"
#include "signals/signal_engine.h"
#include "support/alert_store_on_disk.h"
#include "support/bar_series.h"
#include "support/null_logger.h"
#include "support/scratch_dir.h"

namespace scanner::app {
namespace {

using support::ScratchDir;
using support::SeriesMaker;

constexpr core::Millis kOutcomeStart = 1'700'000'000'000 - 1'700'000'000'000 % core::kHour;
const core::Interval kMinuteBars = *core::Interval::Parse("1m");
constexpr int kSpikeIndex = 60;

// 60 calm bars, a spike that alerts on the default settings (bar t = 60), then 30 bars that
// wander on: t+1 .. t+30.
std::vector<core::Bar> SpikeAndAfter() {
  SeriesMaker maker(kOutcomeStart, kMinuteBars);
  std::vector<core::Bar> bars;
  for (int i = 0; i < kSpikeIndex; ++i) bars.push_back(maker.Calm());
  bars.push_back(maker.Spike(5));
  maker.SetLevel(104);
  for (int i = 0; i < 30; ++i) bars.push_back(maker.Calm());
  return bars;
}

// One scanner process: its database, signal engine, outcome tracker and pipeline.
class MeasuringScanner {
 public:
  MeasuringScanner(const std::string& database, core::FakeClock& clock)
      : store_(database, clock), tracker_({1, 5, 20}) {
    store_.Open();
    outcome_store_ = std::move(*alerts::OutcomeStore::Open(store_.db(), clock));
    cooldown_ = std::make_unique<alerts::AlertStoreCooldown>(*store_);
    engine_ = std::move(*signals::SignalEngine::Create({}, {.cooldown_store = cooldown_.get()}));
    pipeline_ = std::make_unique<ClosedBarPipeline>(
        ClosedBarPipeline::Dependencies{.engine = engine_.get(),
                                        .store = store_.get(),
                                        .cooldown = cooldown_.get(),
                                        .clock = &clock,
                                        .logger = support::NullLogger(),
                                        .outcomes = &tracker_,
                                        .outcome_store = outcome_store_.get()});
    pipeline_->SetCatchUp(10 * core::kMinute);
    pipeline_->SetOnOutcome(
        [this](alerts::AlertId id, const core::Candidate& alert, const core::Outcome& outcome) {
          completed_.push_back({id, alert, outcome});
        });
    EXPECT_TRUE(pipeline_->ResumeOutcomes());
  }

  void Feed(const std::vector<core::Bar>& bars, std::size_t from, std::size_t to,
            market::BarOrigin origin) {
    for (std::size_t i = from; i < to; ++i) {
      pipeline_->OnClosedBar("BTCUSDT", kMinuteBars, bars[i], origin);
    }
  }

  ClosedBarPipeline& pipeline() { return *pipeline_; }
  alerts::OutcomeStore& outcomes() { return *outcome_store_; }
  const std::vector<alerts::AlertWithOutcome>& completed() const { return completed_; }

 private:
  support::AlertStoreOnDisk store_;
  std::unique_ptr<alerts::OutcomeStore> outcome_store_;
  signals::OutcomeTracker tracker_;
  std::unique_ptr<alerts::AlertStoreCooldown> cooldown_;
  std::unique_ptr<signals::SignalEngine> engine_;
  std::unique_ptr<ClosedBarPipeline> pipeline_;
  std::vector<alerts::AlertWithOutcome> completed_;
};

TEST(ClosedBarPipelineOutcomes, AnAlertsOutcomeIsSavedBarByBarAndReportedOnceComplete) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = SpikeAndAfter();
  core::FakeClock clock(bars.back().close_time + 1);
  MeasuringScanner scanner(dir.Path("scanner.db"), clock);
  scanner.Feed(bars, 0, kSpikeIndex + 6, market::BarOrigin::kStream);  // through t+5
  ASSERT_EQ(scanner.pipeline().counters().alerts_inserted, 1u);
  auto stored = scanner.outcomes().Find(1);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->last_bar, 5);
  EXPECT_FALSE((*stored)->outcome.complete);
  // d = +1, C = the spike's close: the return after 5 bars is the close 5 bars later over C.
  const double c = bars[kSpikeIndex].close;
  ASSERT_TRUE((*stored)->outcome.ReturnAt(5));
  EXPECT_DOUBLE_EQ(*(*stored)->outcome.ReturnAt(5), (bars[kSpikeIndex + 5].close / c - 1) * 100);
  EXPECT_TRUE(scanner.completed().empty());

  scanner.Feed(bars, kSpikeIndex + 6, bars.size(), market::BarOrigin::kStream);
  ASSERT_EQ(scanner.completed().size(), 1u);
  EXPECT_EQ(scanner.completed()[0].alert_id, 1);
  ASSERT_TRUE(scanner.completed()[0].outcome);
  const core::Outcome& outcome = *scanner.completed()[0].outcome;
  EXPECT_TRUE(outcome.complete);
  EXPECT_DOUBLE_EQ(*outcome.ReturnAt(20), (bars[kSpikeIndex + 20].close / c - 1) * 100);
  EXPECT_EQ(scanner.pipeline().counters().outcomes_completed, 1u);
  EXPECT_EQ(scanner.pipeline().open_outcomes(), 0u);
  stored = scanner.outcomes().Find(1);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->outcome, outcome);
}

// Killed after bar t+8; the restart's warm-up history (the last 50 bars, which repeat t-41 ..
// t+8 and bring t+9 .. t+12 that closed while it was down) then the stream: the outcome is the
// one an uninterrupted scanner measures.
TEST(ClosedBarPipelineOutcomes, ARestartInTheMiddleOfTheHorizonEndsWithTheSameOutcome) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = SpikeAndAfter();
  core::FakeClock clock(bars[kSpikeIndex + 8].close_time + 1);
  {
    MeasuringScanner before(dir.Path("scanner.db"), clock);
    before.Feed(bars, 0, kSpikeIndex + 9, market::BarOrigin::kStream);
    ASSERT_TRUE(before.completed().empty());
  }
  clock.Set(bars[kSpikeIndex + 12].close_time + 1);
  MeasuringScanner after(dir.Path("scanner.db"), clock);
  EXPECT_EQ(after.pipeline().open_outcomes(), 1u);
  after.Feed(bars, kSpikeIndex + 13 - 50, kSpikeIndex + 13, market::BarOrigin::kWarmUp);
  after.Feed(bars, kSpikeIndex + 13, bars.size(), market::BarOrigin::kStream);
  EXPECT_EQ(after.pipeline().counters().alerts_inserted, 0u);
  ASSERT_EQ(after.completed().size(), 1u);

  ScratchDir other;
  core::FakeClock straight_clock(bars.back().close_time + 1);
  MeasuringScanner straight(other.Path("scanner.db"), straight_clock);
  straight.Feed(bars, 0, bars.size(), market::BarOrigin::kStream);
  ASSERT_EQ(straight.completed().size(), 1u);
  EXPECT_EQ(*after.completed()[0].outcome, *straight.completed()[0].outcome);
  EXPECT_TRUE(after.completed()[0].outcome->mfe_percent.has_value());
}

// Down for longer than the history reaches: the bars of the gap are missing, so the horizons
// in it and the excursions are null, and later horizons are still measured.
TEST(ClosedBarPipelineOutcomes, BarsARestartNeverSawLeaveTheirHorizonsNull) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = SpikeAndAfter();
  core::FakeClock clock(bars[kSpikeIndex + 2].close_time + 1);
  {
    MeasuringScanner before(dir.Path("scanner.db"), clock);
    before.Feed(bars, 0, kSpikeIndex + 3, market::BarOrigin::kStream);  // through t+2
  }
  clock.Set(bars.back().close_time + 1);
  MeasuringScanner after(dir.Path("scanner.db"), clock);
  after.Feed(bars, kSpikeIndex + 10, bars.size(), market::BarOrigin::kWarmUp);  // t+10 on
  ASSERT_EQ(after.completed().size(), 1u);
  const core::Outcome& outcome = *after.completed()[0].outcome;
  EXPECT_TRUE(outcome.ReturnAt(1).has_value());
  EXPECT_FALSE(outcome.ReturnAt(5).has_value());
  EXPECT_TRUE(outcome.ReturnAt(20).has_value());
  EXPECT_FALSE(outcome.mfe_percent.has_value());
  EXPECT_FALSE(outcome.mae_percent.has_value());
}

TEST(ClosedBarPipelineOutcomes, ASeriesThatStopsIsCompletedByExpiry) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = SpikeAndAfter();
  core::FakeClock clock(bars[kSpikeIndex + 3].close_time + 1);
  MeasuringScanner scanner(dir.Path("scanner.db"), clock);
  scanner.Feed(bars, 0, kSpikeIndex + 4, market::BarOrigin::kStream);
  scanner.pipeline().ExpireOutcomes(bars[kSpikeIndex + 20].close_time + core::kHour - 1);
  EXPECT_TRUE(scanner.completed().empty());
  scanner.pipeline().ExpireOutcomes(bars[kSpikeIndex + 20].close_time + core::kHour);
  ASSERT_EQ(scanner.completed().size(), 1u);
  EXPECT_TRUE(scanner.completed()[0].outcome->ReturnAt(1).has_value());
  EXPECT_FALSE(scanner.completed()[0].outcome->ReturnAt(5).has_value());
}

}  // namespace
}  // namespace scanner::app
