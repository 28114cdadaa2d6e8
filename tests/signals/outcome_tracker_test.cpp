#include "signals/outcome_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/interval.h"
#include "support/fixture_files.h"
#include "support/intervals.h"

namespace scanner::signals {
namespace {

using support::I;

// Two real stretches of BTCUSDT 1m candles (../shared/data/ohlcv, 2018-06-18): the bar of a
// down alert and its 21 successors, then the bar of an up alert and its 21 successors.
std::vector<core::Bar> RealBars() {
  std::istringstream in(support::ReadFixture("outcomes", "BTCUSDT-1m-2018-06-18-slices.csv"));
  std::vector<core::Bar> bars;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    core::Bar bar;
    char comma = 0;
    std::istringstream row(line);
    row >> bar.open_time >> comma >> bar.open >> comma >> bar.high >> comma >> bar.low >> comma >>
        bar.close >> comma >> bar.volume;
    bar.close_time = bar.open_time + core::kMinute - 1;
    bar.closed = true;
    bars.push_back(bar);
  }
  return bars;
}

core::Candidate AlertOn(const core::Bar& bar, core::Direction direction) {
  core::Candidate alert;
  alert.symbol = "BTCUSDT";
  alert.interval = I("1m");
  alert.bar_open_time = bar.open_time;
  alert.bar_close_time = bar.close_time;
  alert.close = bar.close;
  alert.direction = direction;
  return alert;
}

// Feeds `bars` and returns the last update of alert 1 (none: an empty progress).
OutcomeProgress Feed(OutcomeTracker& tracker, const std::vector<core::Bar>& bars) {
  OutcomeProgress last;
  for (const core::Bar& bar : bars) {
    for (const OutcomeUpdate& update : tracker.OnClosedBar("BTCUSDT", I("1m"), bar)) {
      if (update.alert_id == 1) last = update.progress;
    }
  }
  return last;
}

std::vector<core::Bar> Slice(const std::vector<core::Bar>& bars, std::size_t from, std::size_t to) {
  return {bars.begin() + static_cast<std::ptrdiff_t>(from),
          bars.begin() + static_cast<std::ptrdiff_t>(to)};
}

// Hand computation (close at t+h over C, extremes over t+1..t+20), for the down alert at
// 2018-06-18 14:38 UTC, C = 6416.19, d = -1:
//   t+1 close 6419.42 -> -(6419.42/6416.19 - 1) * 100 = -0.05034
//   t+5 close 6461.98 -> -0.71366;  t+20 close 6453.89 -> -0.58758
//   lowest low over t+1..t+20 6413.72 -> MFE +0.03850; highest high 6480.83 -> MAE -1.00745
constexpr double kTolerance = 1e-4;

TEST(OutcomeTracker, ADownAlertOnRealCandlesMatchesTheHandComputation) {
  const std::vector<core::Bar> bars = RealBars();
  ASSERT_EQ(bars.size(), 44u);
  OutcomeTracker tracker({20, 1, 5});
  tracker.Track(1, AlertOn(bars[0], core::Direction::kDown));
  const OutcomeProgress progress = Feed(tracker, Slice(bars, 0, 22));
  const core::Outcome& outcome = progress.outcome;
  ASSERT_TRUE(outcome.complete);
  EXPECT_EQ(outcome.horizons, (std::vector<int>{1, 5, 20}));
  ASSERT_TRUE(outcome.ReturnAt(1) && outcome.ReturnAt(5) && outcome.ReturnAt(20));
  EXPECT_NEAR(*outcome.ReturnAt(1), -0.0503414, kTolerance);
  EXPECT_NEAR(*outcome.ReturnAt(5), -0.7136634, kTolerance);
  EXPECT_NEAR(*outcome.ReturnAt(20), -0.5875761, kTolerance);
  ASSERT_TRUE(outcome.mfe_percent && outcome.mae_percent);
  EXPECT_NEAR(*outcome.mfe_percent, 0.0384964, kTolerance);
  EXPECT_NEAR(*outcome.mae_percent, -1.0074515, kTolerance);
  EXPECT_EQ(tracker.open_alerts(), 0u);
}

// The up alert at 16:26 UTC, C = 6509.40: t+1 6583.50 (+1.13835), t+5 6648.14 (+2.13138),
// t+20 6661.37 (+2.33462); highest high 6687.87 (+2.74173), lowest low 6500.00 (-0.14441).
TEST(OutcomeTracker, AnUpAlertOnRealCandlesMatchesTheHandComputation) {
  const std::vector<core::Bar> bars = RealBars();
  OutcomeTracker tracker({1, 5, 20});
  tracker.Track(1, AlertOn(bars[22], core::Direction::kUp));
  const core::Outcome outcome = Feed(tracker, Slice(bars, 22, 44)).outcome;
  ASSERT_TRUE(outcome.complete);
  EXPECT_NEAR(*outcome.ReturnAt(1), 1.1383538, kTolerance);
  EXPECT_NEAR(*outcome.ReturnAt(5), 2.1313792, kTolerance);
  EXPECT_NEAR(*outcome.ReturnAt(20), 2.3346238, kTolerance);
  EXPECT_NEAR(*outcome.mfe_percent, 2.7417273, kTolerance);
  EXPECT_NEAR(*outcome.mae_percent, -0.1444066, kTolerance);
}

TEST(OutcomeTracker, TheEndOfTheDataLeavesLaterHorizonsOpenThenExpiryMakesThemNull) {
  const std::vector<core::Bar> bars = RealBars();
  OutcomeTracker tracker({1, 5, 20});
  tracker.Track(1, AlertOn(bars[0], core::Direction::kDown));
  // Bars t+1 .. t+7 only.
  const OutcomeProgress progress = Feed(tracker, Slice(bars, 0, 8));
  EXPECT_FALSE(progress.outcome.complete);
  EXPECT_EQ(progress.last_bar, 7);
  EXPECT_TRUE(progress.outcome.ReturnAt(5).has_value());
  EXPECT_FALSE(progress.outcome.ReturnAt(20).has_value());
  EXPECT_EQ(tracker.open_alerts(), 1u);

  // Bar t+20 closes at t_open + 21 min - 1; the grace is an hour.
  const core::Millis last_close = bars[0].open_time + 21 * core::kMinute - 1;
  EXPECT_TRUE(tracker.Expire(last_close + core::kHour - 1).empty());
  const std::vector<OutcomeUpdate> expired = tracker.Expire(last_close + core::kHour);
  ASSERT_EQ(expired.size(), 1u);
  const core::Outcome& outcome = expired[0].progress.outcome;
  EXPECT_TRUE(outcome.complete);
  EXPECT_NEAR(*outcome.ReturnAt(5), -0.7136634, kTolerance);
  EXPECT_FALSE(outcome.ReturnAt(20).has_value());
  EXPECT_FALSE(outcome.mfe_percent.has_value());
  EXPECT_FALSE(outcome.mae_percent.has_value());
  EXPECT_EQ(tracker.open_alerts(), 0u);
}

TEST(OutcomeTracker, AHoleNullsItsHorizonAndTheExcursionsButNotTheOtherHorizons) {
  std::vector<core::Bar> bars = Slice(RealBars(), 0, 22);
  bars.erase(bars.begin() + 5);  // bar t+5 never came
  OutcomeTracker tracker({1, 5, 20});
  tracker.Track(1, AlertOn(bars[0], core::Direction::kDown));
  const core::Outcome outcome = Feed(tracker, bars).outcome;
  ASSERT_TRUE(outcome.complete);
  EXPECT_NEAR(*outcome.ReturnAt(1), -0.0503414, kTolerance);
  EXPECT_FALSE(outcome.ReturnAt(5).has_value());
  EXPECT_NEAR(*outcome.ReturnAt(20), -0.5875761, kTolerance);
  EXPECT_FALSE(outcome.mfe_percent.has_value());
  EXPECT_FALSE(outcome.mae_percent.has_value());
}

TEST(OutcomeTracker, ABarPastTheLastHorizonCompletesWhatIsLeftAsMissing) {
  const std::vector<core::Bar> all = RealBars();
  std::vector<core::Bar> bars = Slice(all, 0, 19);  // t .. t+18
  core::Bar late = all[21];                         // t+21: t+19 and t+20 never came
  bars.push_back(late);
  OutcomeTracker tracker({1, 5, 20});
  tracker.Track(1, AlertOn(bars[0], core::Direction::kDown));
  const core::Outcome outcome = Feed(tracker, bars).outcome;
  ASSERT_TRUE(outcome.complete);
  EXPECT_TRUE(outcome.ReturnAt(5).has_value());
  EXPECT_FALSE(outcome.ReturnAt(20).has_value());
  EXPECT_FALSE(outcome.mfe_percent.has_value());
}

// A restart in the middle of the horizon: the stored progress is resumed and the warm-up
// history, which repeats bars already counted, changes nothing twice.
TEST(OutcomeTracker, AResumedAlertCountsNoBarTwiceAndEndsAsIfNeverStopped) {
  const std::vector<core::Bar> bars = Slice(RealBars(), 0, 22);
  const core::Candidate alert = AlertOn(bars[0], core::Direction::kDown);
  OutcomeTracker before({1, 5, 20});
  before.Track(1, alert);
  const OutcomeProgress stored = Feed(before, Slice(bars, 0, 10));  // up to t+9
  ASSERT_EQ(stored.last_bar, 9);

  OutcomeTracker after({1, 5, 20});
  EXPECT_FALSE(after.Resume(1, alert, stored, bars[10].close_time + 1));
  // The history after the restart starts before the alert and overlaps what was seen.
  const core::Outcome resumed = Feed(after, bars).outcome;

  OutcomeTracker straight({1, 5, 20});
  straight.Track(1, alert);
  EXPECT_EQ(resumed, Feed(straight, bars).outcome);
  ASSERT_TRUE(resumed.complete);
  // The hand computation above, through the restart.
  EXPECT_NEAR(*resumed.ReturnAt(5), -0.7136634, kTolerance);
  EXPECT_NEAR(*resumed.ReturnAt(20), -0.5875761, kTolerance);
  EXPECT_NEAR(*resumed.mfe_percent, 0.0384964, kTolerance);
  EXPECT_NEAR(*resumed.mae_percent, -1.0074515, kTolerance);
}

// A restart long after the horizon: the warm-up history still brings the bars, so the alert
// waits an ExpiryGrace from the restart before it is given up.
TEST(OutcomeTracker, AResumedAlertDoesNotExpireBeforeItsHistoryCameBack) {
  const std::vector<core::Bar> bars = Slice(RealBars(), 0, 22);
  const core::Candidate alert = AlertOn(bars[0], core::Direction::kDown);
  OutcomeTracker tracker({1, 5, 20});
  const core::Millis restart = bars[0].open_time + 5 * core::kHour;
  EXPECT_FALSE(tracker.Resume(1, alert, {}, restart));
  EXPECT_TRUE(tracker.Expire(restart).empty());
  const core::Outcome outcome = Feed(tracker, bars).outcome;  // the warm-up history
  ASSERT_TRUE(outcome.complete);
  EXPECT_NEAR(*outcome.mfe_percent, 0.0384964, kTolerance);
}

// The horizons were shortened across a restart: what was measured is already final.
TEST(OutcomeTracker, ResumingPastTheLastHorizonCompletesAtOnce) {
  const std::vector<core::Bar> bars = Slice(RealBars(), 0, 22);
  const core::Candidate alert = AlertOn(bars[0], core::Direction::kDown);
  OutcomeTracker before({1, 5, 20});
  before.Track(1, alert);
  const OutcomeProgress stored = Feed(before, Slice(bars, 0, 10));  // up to t+9
  OutcomeTracker shorter({1, 5});
  const std::optional<OutcomeUpdate> done =
      shorter.Resume(1, alert, stored, bars[10].close_time + 1);
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->progress.outcome.complete);
  EXPECT_NEAR(*done->progress.outcome.ReturnAt(5), -0.7136634, kTolerance);
  EXPECT_EQ(shorter.open_alerts(), 0u);
}

TEST(OutcomeTracker, OtherSeriesAndEarlierBarsChangeNothing) {
  const std::vector<core::Bar> bars = RealBars();
  OutcomeTracker tracker({1});
  tracker.Track(1, AlertOn(bars[1], core::Direction::kUp));
  EXPECT_TRUE(tracker.OnClosedBar("BTCUSDT", I("1m"), bars[0]).empty());
  EXPECT_TRUE(tracker.OnClosedBar("ETHUSDT", I("1m"), bars[2]).empty());
  EXPECT_TRUE(tracker.OnClosedBar("BTCUSDT", I("5m"), bars[2]).empty());
  const std::vector<OutcomeUpdate> updates = tracker.OnClosedBar("BTCUSDT", I("1m"), bars[2]);
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_TRUE(updates[0].progress.outcome.complete);
}

TEST(OutcomeTracker, MonthlyBarsFollowTheCalendar) {
  // Bar t opens 2024-01-01; t+1 opens 2024-02-01 (31 days later), t+2 2024-03-01 (29 days).
  const core::Interval month = I("1M");
  core::Candidate alert;
  alert.symbol = "BTCUSDT";
  alert.interval = month;
  alert.bar_open_time = 1704067200000;
  alert.close = 100;
  alert.direction = core::Direction::kUp;
  OutcomeTracker tracker({2});
  tracker.Track(1, alert);
  core::Bar feb{.open_time = 1706745600000, .high = 110, .low = 95, .close = 105, .closed = true};
  core::Bar mar{.open_time = 1709251200000, .high = 120, .low = 100, .close = 118, .closed = true};
  EXPECT_FALSE(tracker.OnClosedBar("BTCUSDT", month, feb).at(0).progress.outcome.complete);
  const core::Outcome outcome = tracker.OnClosedBar("BTCUSDT", month, mar).at(0).progress.outcome;
  ASSERT_TRUE(outcome.complete);
  EXPECT_NEAR(*outcome.ReturnAt(2), 18.0, 1e-9);
  EXPECT_NEAR(*outcome.mfe_percent, 20.0, 1e-9);
  EXPECT_NEAR(*outcome.mae_percent, -5.0, 1e-9);
}

TEST(OutcomeTracker, HorizonsAreSortedDeduplicatedAndPositive) {
  EXPECT_EQ(OutcomeTracker({20, 0, 5, 5, -1, 1}).horizons(), (std::vector<int>{1, 5, 20}));
}

}  // namespace
}  // namespace scanner::signals
