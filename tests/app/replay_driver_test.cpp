#include "app/replay_driver.h"

#include <gtest/gtest.h>

#include <vector>

#include "support/alert_store_on_disk.h"
#include "support/bar_series.h"
#include "support/intervals.h"
#include "support/scratch_dir.h"

namespace scanner::app {
namespace {

using support::I;
using support::ScratchDir;
using support::SeriesMaker;

constexpr core::Millis kDriverStart = 1'700'000'000'000 - 1'700'000'000'000 % core::kHour;

struct ReplayRun {
  std::vector<core::Candidate> alerts;
  std::vector<BarResult> results;
  ReplayCounters counters;
  signals::SignalCounters signal_counters;
};

ReplayRun Replay(const std::vector<core::Bar>& bars, alerts::AlertStore* store = nullptr,
                 core::FakeClock* clock = nullptr, signals::SignalSettings settings = {},
                 std::vector<std::string> destinations = {}) {
  ReplayRun run;
  core::FakeClock own_clock;
  ReplayDriver::Dependencies dependencies;
  dependencies.clock = clock ? clock : &own_clock;
  dependencies.alert_store = store;
  dependencies.destinations = std::move(destinations);
  dependencies.on_alert = [&run](const core::Candidate& c, const ClosedBarPipeline::KeptAlert&) {
    run.alerts.push_back(c);
  };
  const std::vector<core::Interval> intervals = {I("1m")};
  auto driver = ReplayDriver::Create(settings, intervals, std::move(dependencies));
  EXPECT_TRUE(driver) << driver.error().message;
  if (!driver) return run;
  for (const core::Bar& bar : bars) {
    auto result = (*driver)->OnClosedBar("BTCUSDT", I("1m"), bar);
    EXPECT_TRUE(result) << result.error().message;
    if (result) run.results.push_back(*result);
  }
  run.counters = (*driver)->counters();
  run.signal_counters = (*driver)->engine().Counters();
  return run;
}

// 60 calm bars around 100, then (after `hole` missing bars) a jump to 110 on ten times the
// volume, 60 calm bars around 110 and a real spike of +5.
std::vector<core::Bar> SeriesWithJump(int hole) {
  SeriesMaker maker(kDriverStart, I("1m"));
  std::vector<core::Bar> bars;
  for (int i = 0; i < 60; ++i) bars.push_back(maker.Calm());
  maker.Skip(hole);
  maker.SetLevel(110);
  bars.push_back(maker.Spike(10));
  for (int i = 0; i < 60; ++i) bars.push_back(maker.Calm());
  bars.push_back(maker.Spike(5));
  return bars;
}

// A kline that is no bar is refused and counted by defect, as live: the bars around it still
// replay, and its absurd high never reaches the ATR (the series warms up after the hole, then
// alerts the real spike at the end).
TEST(ReplayDriver, AnAbsurdBarIsRefusedAndTheRestReplays) {
  std::vector<core::Bar> bars = SeriesWithJump(0);
  bars[30].high = 1e300;
  bars[31].close_time += 1000;  // not the close of a 1m bar
  const ReplayRun run = Replay(bars);
  EXPECT_EQ(run.results[30].fate, BarFate::kRefused);
  EXPECT_EQ(run.results[31].fate, BarFate::kRefused);
  EXPECT_EQ(run.counters.refused[static_cast<std::size_t>(market::BarDefect::kAbsurdRange)], 1u);
  EXPECT_EQ(run.counters.refused[static_cast<std::size_t>(market::BarDefect::kOffInterval)], 1u);
  EXPECT_EQ(run.counters.evaluated, bars.size() - 2);
  ASSERT_FALSE(run.alerts.empty());
  EXPECT_EQ(run.alerts.back().bar_open_time, bars.back().open_time);
  for (const core::Candidate& alert : run.alerts) EXPECT_LT(alert.atr, 100.0);
}

TEST(ReplayDriver, AlertsOnARealMoveOfContiguousBars) {
  const std::vector<core::Bar> bars = SeriesWithJump(0);
  const ReplayRun run = Replay(bars);
  ASSERT_EQ(run.alerts.size(), 2u);
  EXPECT_EQ(run.alerts[0].bar_open_time, bars[60].open_time);
  EXPECT_EQ(run.alerts[0].direction, core::Direction::kUp);
  EXPECT_GE(run.alerts[0].atr_move, 2.5);
  EXPECT_GE(run.alerts[0].volume_z, 3);
  EXPECT_EQ(run.alerts[1].bar_open_time, bars.back().open_time);
  EXPECT_EQ(run.results[60].fate, BarFate::kAlerted);
  EXPECT_EQ(run.results[59].fate, BarFate::kEvaluated);
  EXPECT_EQ(run.counters.bars, bars.size());
  EXPECT_EQ(run.counters.evaluated, bars.size());
  EXPECT_EQ(run.counters.gaps, 0u);
  EXPECT_EQ(run.counters.alerts, 2u);
}

TEST(ReplayDriver, AGapRestartsWarmUpSoTheJumpAcrossItDoesNotAlert) {
  const std::vector<core::Bar> bars = SeriesWithJump(10);
  const ReplayRun run = Replay(bars);
  // Only the real spike at the end; the jump across the hole is not a move.
  ASSERT_EQ(run.alerts.size(), 1u);
  EXPECT_EQ(run.alerts[0].bar_open_time, bars.back().open_time);
  ASSERT_TRUE(run.results[60].gap);
  EXPECT_EQ(run.results[60].gap->from, bars[59].close_time + 1);
  EXPECT_EQ(run.results[60].gap->to, bars[60].open_time);
  EXPECT_EQ(run.results[60].fate, BarFate::kEvaluated);
  EXPECT_EQ(run.counters.gaps, 1u);
  // The signal engine saw the hole itself and warmed the series up again.
  EXPECT_EQ(run.signal_counters.gaps, 1u);
  EXPECT_GT(run.signal_counters.not_warm, 60u);
  for (std::size_t i = 0; i < run.results.size(); ++i) {
    if (i != 60) {
      EXPECT_FALSE(run.results[i].gap) << i;
    }
  }
}

TEST(ReplayDriver, IgnoresABarTheWindowAlreadyHolds) {
  SeriesMaker maker(kDriverStart, I("1m"));
  const core::Bar a = maker.Calm();
  const core::Bar b = maker.Calm();
  const ReplayRun run = Replay({a, b, b, a});
  ASSERT_EQ(run.results.size(), 4u);
  EXPECT_EQ(run.results[2].fate, BarFate::kDuplicate);
  EXPECT_EQ(run.results[3].fate, BarFate::kDuplicate);
  EXPECT_EQ(run.counters.duplicates, 2u);
  EXPECT_EQ(run.counters.evaluated, 2u);
  EXPECT_EQ(run.signal_counters.closed_bars_evaluated, 2u);
}

TEST(ReplayDriver, GivesEachSeriesOneIdAndFeedsBarsByIt) {
  core::FakeClock clock;
  ReplayDriver::Dependencies dependencies;
  dependencies.clock = &clock;
  const std::vector<core::Interval> intervals = {I("1m"), I("5m")};
  auto driver = ReplayDriver::Create({}, intervals, std::move(dependencies));
  ASSERT_TRUE(driver);
  const auto btc_1m = (*driver)->AddSeries("BTCUSDT", I("1m"));
  const auto btc_5m = (*driver)->AddSeries("BTCUSDT", I("5m"));
  const auto eth_1m = (*driver)->AddSeries("ETHUSDT", I("1m"));
  ASSERT_TRUE(btc_1m && btc_5m && eth_1m);
  EXPECT_NE(*btc_1m, *btc_5m);
  EXPECT_NE(*btc_1m, *eth_1m);
  const auto btc_1m_again = (*driver)->AddSeries("BTCUSDT", I("1m"));
  ASSERT_TRUE(btc_1m_again);
  EXPECT_EQ(*btc_1m_again, *btc_1m);
  SeriesMaker maker(kDriverStart, I("1m"));
  const core::Bar bar = maker.Calm();
  EXPECT_EQ((*driver)->OnClosedBar(*btc_1m, bar).fate, BarFate::kEvaluated);
  // The same bar by name lands in the same window: a duplicate.
  auto again = (*driver)->OnClosedBar("BTCUSDT", I("1m"), bar);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->fate, BarFate::kDuplicate);
  EXPECT_EQ(clock.NowMs(), bar.close_time);
  EXPECT_NE((*driver)->engine().Indicators("BTCUSDT", I("1m")), nullptr);
  EXPECT_EQ((*driver)->engine().Indicators("ETHUSDT", I("1m")), nullptr);
}

TEST(ReplayDriver, FailsOnAnIntervalItWasNotGiven) {
  core::FakeClock clock;
  ReplayDriver::Dependencies dependencies;
  dependencies.clock = &clock;
  const std::vector<core::Interval> intervals = {I("1m")};
  auto driver = ReplayDriver::Create({}, intervals, std::move(dependencies));
  ASSERT_TRUE(driver);
  SeriesMaker maker(kDriverStart, I("5m"));
  EXPECT_FALSE((*driver)->OnClosedBar("BTCUSDT", I("5m"), maker.Calm()));
  EXPECT_FALSE(ReplayDriver::Create({}, intervals, ReplayDriver::Dependencies{}));
}

class ReplayDriverStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_.Open(); }

  ScratchDir dir_;
  core::FakeClock clock_;
  support::AlertStoreOnDisk store_{dir_.Path("scanner.db"), clock_};
};

TEST_F(ReplayDriverStoreTest, StoresAlertsAtTheBarsCloseTimeWithoutDeliveries) {
  const std::vector<core::Bar> bars = SeriesWithJump(0);
  const ReplayRun run = Replay(bars, store_.get(), &clock_);
  ASSERT_EQ(run.alerts.size(), 2u);
  EXPECT_EQ(clock_.NowMs(), bars.back().close_time);
  EXPECT_EQ(store_->counters().inserted, 2u);
  auto stored = store_->FindAlert(1);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->created_at, bars[60].close_time);  // the simulated clock, not the wall
  EXPECT_EQ((*stored)->candidate, run.alerts[0]);
  auto deliveries = store_->Deliveries(1);
  ASSERT_TRUE(deliveries);
  EXPECT_TRUE(deliveries->empty());
}

TEST_F(ReplayDriverStoreTest, RecordsTheDestinationsItIsGiven) {
  const ReplayRun run = Replay(SeriesWithJump(0), store_.get(), &clock_, {}, {"console"});
  ASSERT_EQ(run.alerts.size(), 2u);
  auto pending = store_->PendingCounts();
  ASSERT_TRUE(pending);
  EXPECT_EQ(*pending, (std::vector<alerts::PendingCount>{{"console", 2}}));
}

TEST_F(ReplayDriverStoreTest, ASecondRunOverTheSameStoreRaisesNoNewAlert) {
  const std::vector<core::Bar> bars = SeriesWithJump(0);
  ASSERT_EQ(Replay(bars, store_.get(), &clock_).alerts.size(), 2u);
  const ReplayRun again = Replay(bars, store_.get(), &clock_);
  EXPECT_TRUE(again.alerts.empty());
  EXPECT_EQ(again.counters.alerts, 0u);
  // The cooldown, read from the store, holds the candidates back.
  EXPECT_EQ(again.signal_counters.suppressed_cooldown, 2u);

  // With the cooldown filter off the engine raises them again and the store's dedup stops them.
  signals::SignalSettings no_cooldown;
  no_cooldown.filters.cooldown = false;
  const ReplayRun third = Replay(bars, store_.get(), &clock_, no_cooldown);
  EXPECT_TRUE(third.alerts.empty());
  EXPECT_EQ(third.counters.already_stored, 2u);
  EXPECT_EQ(third.results[60].fate, BarFate::kAlreadyStored);
  EXPECT_EQ(store_->counters().inserted, 2u);
}

}  // namespace
}  // namespace scanner::app
