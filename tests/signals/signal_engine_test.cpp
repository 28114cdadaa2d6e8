#include "signals/signal_engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace scanner::signals {
namespace {

constexpr core::Millis kStart = 1'700'000'100'000;  // a 5m boundary
const core::Interval k5m = *core::Interval::Parse("5m");
const core::Interval k1h = *core::Interval::Parse("1h");
const core::Interval k15m = *core::Interval::Parse("15m");
const core::Symbol kSymbol = "BTCUSDT";

// Builds a contiguous 5m series: calm bars alternate the close between `level` and `level` + 1
// with quote volumes alternating 1000 / 2000 (so TR = 2, ATR = 2, z_v's stdev = 500); Spike
// moves the close by `delta` with the given volume and makes the new close the level.
class SeriesBuilder {
 public:
  explicit SeriesBuilder(double level = 100) : level_(level), close_(level) {}

  core::Bar Calm() {
    const double close = close_ == level_ ? level_ + 1 : level_;
    calm_volume_ = calm_volume_ == 1000 ? 2000 : 1000;
    return Next(close, calm_volume_);
  }

  core::Bar Spike(double delta, double quote_volume = 10'000) {
    level_ = close_ + delta;
    return Next(level_, quote_volume);
  }

  // Skips `bars` bars: the next bar leaves a hole.
  void Skip(int bars) { index_ += bars; }

  int Index() const { return index_; }

 private:
  core::Bar Next(double close, double quote_volume) {
    core::Bar bar;
    bar.open_time = kStart + index_ * k5m.DurationMs();
    bar.close_time = bar.open_time + k5m.DurationMs() - 1;
    bar.open = close_;
    bar.close = close;
    bar.high = std::max(bar.open, close) + 0.5;
    bar.low = std::min(bar.open, close) - 0.5;
    bar.quote_volume = quote_volume;
    bar.volume = quote_volume / close;
    bar.closed = true;
    close_ = close;
    ++index_;
    return bar;
  }

  double level_;
  double close_;
  double calm_volume_ = 2000;
  int index_ = 0;
};

// N = 3, W = 4, k = 1: warm from bar W + 2 = 6.
SignalSettings TestSettings() {
  SignalSettings settings;
  settings.market = core::Market::kUsdm;
  settings.windows = {.atr_period = 3, .zscore_window = 4, .momentum_lookback = 1};
  settings.min_atr_move = 2.5;
  settings.min_volume_z = 3.0;
  settings.min_return_z = 0.0;
  settings.cooldown = 30 * core::kMinute;
  settings.strong_multiplier = 2.0;
  return settings;
}

class FakeQuoteVolumes final : public QuoteVolumeSource {
 public:
  std::optional<double> QuoteVolume24h(const core::Symbol& symbol) const override {
    auto it = volumes.find(symbol);
    if (it == volumes.end()) return std::nullopt;
    return it->second;
  }
  std::map<core::Symbol, double> volumes;
};

class FixedConfirmations final : public ConfirmationSource {
 public:
  std::optional<core::Direction> LatestMove(const core::Symbol&, core::Interval interval,
                                            core::Millis) const override {
    asked.push_back(interval);
    return move;
  }
  std::optional<core::Direction> move;
  mutable std::vector<core::Interval> asked;
};

class SignalEngineTest : public ::testing::Test {
 protected:
  // Each engine keeps a cooldown store of its own unless the test hands one in.
  std::unique_ptr<SignalEngine> MakeEngine(const SignalSettings& settings,
                                           SignalEngine::Dependencies dependencies = {}) {
    if (!dependencies.quote_volumes) dependencies.quote_volumes = &volumes_;
    auto engine = SignalEngine::Create(settings, dependencies);
    if (!engine) {
      ADD_FAILURE() << engine.error().message;
      return nullptr;
    }
    return std::move(*engine);
  }

  // Feeds `calm` calm bars (no candidate may come of them) and returns what the spike raises,
  // kept as the pipeline keeps it: recorded in the engine's cooldown store.
  std::optional<core::Candidate> WarmThenSpike(SignalEngine& engine, SeriesBuilder& series,
                                               double delta, int calm = 10,
                                               double spike_volume = 10'000) {
    for (int i = 0; i < calm; ++i) {
      EXPECT_FALSE(engine.OnClosedBar(kSymbol, k5m, series.Calm())) << "calm bar " << i;
    }
    spike_ = series.Spike(delta, spike_volume);
    std::optional<core::Candidate> candidate = engine.OnClosedBar(kSymbol, k5m, spike_);
    if (candidate) engine.cooldown_store().Record(*candidate);
    return candidate;
  }

  std::optional<core::Candidate> RunSpike(const SignalSettings& settings, double delta = 10,
                                          SignalEngine::Dependencies dependencies = {}) {
    engine_ = MakeEngine(settings, dependencies);
    SeriesBuilder series;
    return WarmThenSpike(*engine_, series, delta);
  }

  InMemoryCooldownStore store_;
  FakeQuoteVolumes volumes_;
  std::unique_ptr<SignalEngine> engine_;
  core::Bar spike_;
};

TEST_F(SignalEngineTest, SpikeRaisesACandidateWithEveryField) {
  volumes_.volumes[kSymbol] = 7e6;
  auto candidate = RunSpike(TestSettings(), 10, {.cooldown_store = &store_});
  ASSERT_TRUE(candidate);
  // Calm closes alternate 101/100 and bar 10 (the last calm one) closes at 100; the spike
  // closes at 110: m = 10 / ATR 2 = 5, z_v = (10000 - 1500) / 500 = 17.
  EXPECT_EQ(candidate->market, core::Market::kUsdm);
  EXPECT_EQ(candidate->symbol, kSymbol);
  EXPECT_EQ(candidate->interval, k5m);
  EXPECT_EQ(candidate->bar_open_time, spike_.open_time);
  EXPECT_EQ(candidate->bar_close_time, spike_.close_time);
  EXPECT_EQ(candidate->direction, core::Direction::kUp);
  EXPECT_EQ(candidate->severity, core::Severity::kStrong);  // 5 >= 2 * 2.5
  EXPECT_DOUBLE_EQ(candidate->close, 110);
  EXPECT_NEAR(candidate->change_percent, 10, 1e-12);
  EXPECT_DOUBLE_EQ(candidate->atr_move, 5);
  EXPECT_NEAR(candidate->volume_z, 17, 1e-12);
  // The four returns before the spike alternate +ln(1.01), -ln(1.01).
  const double up = std::log(101.0 / 100.0);
  const double down = std::log(100.0 / 101.0);
  const double mean = (up + down + up + down) / 4;
  const double stdev = std::sqrt(((up - mean) * (up - mean) + (down - mean) * (down - mean)) / 2);
  EXPECT_NEAR(candidate->return_z, (std::log(110.0 / 100.0) - mean) / stdev, 1e-9);
  EXPECT_DOUBLE_EQ(candidate->quote_volume, 10'000);
  EXPECT_DOUBLE_EQ(candidate->quote_volume_24h, 7e6);
  EXPECT_DOUBLE_EQ(candidate->atr, 2);
  EXPECT_DOUBLE_EQ(candidate->atr_percent, 2.0 / 110.0 * 100);
  EXPECT_TRUE(candidate->confirmations.empty());

  const SignalCounters& counters = engine_->Counters();
  EXPECT_EQ(counters.candidates, 1u);
  EXPECT_EQ(counters.closed_bars_evaluated, 11u);
  EXPECT_EQ(counters.not_warm, 5u);  // bars 1..5; bar 6 = W + 2 is the first warm one
  EXPECT_EQ(counters.suppressed_atr_move, 5u);
  EXPECT_EQ(store_.LastAlertCloseTime(kSymbol, k5m, core::Direction::kUp), spike_.close_time);
}

// Only a kept alert starts a cooldown: the engine leaves recording to whoever keeps it, so a
// candidate dropped later (a warm-up move older than catch_up) silences nothing.
TEST_F(SignalEngineTest, TheEngineDoesNotRecordItsOwnCandidates) {
  SignalSettings settings = TestSettings();
  settings.cooldown = 2 * core::kHour;
  engine_ = MakeEngine(settings, {.cooldown_store = &store_});
  SeriesBuilder series;
  for (int i = 0; i < 10; ++i) ASSERT_FALSE(engine_->OnClosedBar(kSymbol, k5m, series.Calm()));
  auto dropped = engine_->OnClosedBar(kSymbol, k5m, series.Spike(10, 10'000));
  ASSERT_TRUE(dropped);
  EXPECT_EQ(store_.LastAlertCloseTime(kSymbol, k5m, core::Direction::kUp), std::nullopt);
  // The next spike, 55 minutes later, is not held back by the dropped one.
  for (int i = 0; i < 10; ++i) ASSERT_FALSE(engine_->OnClosedBar(kSymbol, k5m, series.Calm()));
  EXPECT_TRUE(engine_->OnClosedBar(kSymbol, k5m, series.Spike(10, 10'000)));
  EXPECT_EQ(engine_->Counters().suppressed_cooldown, 0u);
}

// With a lookback of several bars the move and the bar's own return can disagree: a crash bar
// that leaves the close above where it was three bars ago is an "up" move. The return z-score
// filter must then hold it back, whatever the size of the (negative) z-score.
TEST_F(SignalEngineTest, TheReturnZScoreMustAgreeWithTheDirection) {
  SignalSettings settings = TestSettings();
  settings.windows.momentum_lookback = 3;
  settings.min_atr_move = 1.0;
  settings.min_return_z = 1.0;
  engine_ = MakeEngine(settings);
  SeriesBuilder series;
  for (int i = 0; i < 10; ++i) ASSERT_FALSE(engine_->OnClosedBar(kSymbol, k5m, series.Calm()));
  ASSERT_FALSE(engine_->OnClosedBar(kSymbol, k5m, series.Spike(3, 1500)));
  ASSERT_FALSE(engine_->OnClosedBar(kSymbol, k5m, series.Spike(3, 1500)));
  const core::Bar crash = series.Spike(-2, 20'000);
  ASSERT_LT(crash.close, crash.open);
  EXPECT_FALSE(engine_->OnClosedBar(kSymbol, k5m, crash));
  EXPECT_EQ(engine_->Counters().suppressed_return_z, 1u);
  const SeriesIndicators* indicators = engine_->Indicators(kSymbol, k5m);
  ASSERT_TRUE(indicators && indicators->Latest().momentum && indicators->Latest().return_z);
  EXPECT_GT(*indicators->Latest().momentum, 1.0);   // up over three bars...
  EXPECT_LT(*indicators->Latest().return_z, -1.0);  // ...on a bar that fell hard

  // The mirror image: a rebound bar inside a three-bar fall is no "down" alert either.
  SeriesBuilder falling;
  engine_ = MakeEngine(settings);
  for (int i = 0; i < 10; ++i) ASSERT_FALSE(engine_->OnClosedBar(kSymbol, k5m, falling.Calm()));
  ASSERT_FALSE(engine_->OnClosedBar(kSymbol, k5m, falling.Spike(-3, 1500)));
  ASSERT_FALSE(engine_->OnClosedBar(kSymbol, k5m, falling.Spike(-3, 1500)));
  EXPECT_FALSE(engine_->OnClosedBar(kSymbol, k5m, falling.Spike(2, 20'000)));
  EXPECT_EQ(engine_->Counters().suppressed_return_z, 1u);

  // A move whose bar agrees still alerts.
  SeriesBuilder agreeing;
  engine_ = MakeEngine(settings);
  auto candidate = WarmThenSpike(*engine_, agreeing, 10);
  ASSERT_TRUE(candidate);
  EXPECT_EQ(candidate->direction, core::Direction::kUp);
  EXPECT_GT(candidate->return_z, 1.0);
}

// One finite but absurd high must not reach the ATR: a series would be muted for days while
// Wilder's average forgets it. The bar counts as unusable (the series warms up again) and the
// next real move alerts with sane numbers.
TEST_F(SignalEngineTest, AnAbsurdBarNeverReachesTheIndicators) {
  engine_ = MakeEngine(TestSettings());
  SeriesBuilder series;
  for (int i = 0; i < 10; ++i) ASSERT_FALSE(engine_->OnClosedBar(kSymbol, k5m, series.Calm()));
  core::Bar absurd = series.Calm();
  absurd.high = 1e300;
  EXPECT_FALSE(engine_->OnClosedBar(kSymbol, k5m, absurd));
  EXPECT_EQ(engine_->Counters().unusable_bars, 1u);
  auto candidate = WarmThenSpike(*engine_, series, 10);
  ASSERT_TRUE(candidate);
  EXPECT_LT(candidate->atr, 10.0);
  EXPECT_GT(candidate->atr_move, 2.5);
}

// Numbers no real market produces (a quote volume of 1e300 against calm ones) never become an
// alert: they would reach the database and Discord as nonsense.
TEST_F(SignalEngineTest, AbsurdScoresRaiseNoCandidate) {
  engine_ = MakeEngine(TestSettings());
  SeriesBuilder series;
  EXPECT_FALSE(WarmThenSpike(*engine_, series, 10, 10, 1e300));
  EXPECT_EQ(engine_->Counters().suppressed_absurd, 1u);
  EXPECT_EQ(engine_->Counters().candidates, 0u);
}

TEST_F(SignalEngineTest, SeverityIsNormalBelowTheStrongMultiple) {
  auto candidate = RunSpike(TestSettings(), 8);  // m = 4 < 5
  ASSERT_TRUE(candidate);
  EXPECT_EQ(candidate->severity, core::Severity::kNormal);
}

TEST_F(SignalEngineTest, DownSpikeIsADownCandidate) {
  auto candidate = RunSpike(TestSettings(), -10);
  ASSERT_TRUE(candidate);
  EXPECT_EQ(candidate->direction, core::Direction::kDown);
  EXPECT_DOUBLE_EQ(candidate->atr_move, -5);
  EXPECT_LT(candidate->return_z, 0);
}

TEST_F(SignalEngineTest, WarmFilterHoldsBackTheFirstBars) {
  SignalSettings settings = TestSettings();
  engine_ = MakeEngine(settings);
  SeriesBuilder series;
  // Bar 5 (before W + 2 = 6): m and z_v are defined, z_r is not.
  auto early = WarmThenSpike(*engine_, series, 10, 4);
  EXPECT_FALSE(early);
  EXPECT_EQ(engine_->Counters().not_warm, 5u);
  const IndicatorValues& values = engine_->Indicators(kSymbol, k5m)->Latest();
  EXPECT_TRUE(values.momentum);
  EXPECT_TRUE(values.volume_z);
  EXPECT_FALSE(values.return_z);

  // Off: z_r is only needed by the (enabled) return filter, so switch that off as well.
  settings.filters.warm = false;
  settings.filters.return_z = false;
  engine_ = MakeEngine(settings);
  SeriesBuilder again;
  auto candidate = WarmThenSpike(*engine_, again, 10, 4);
  ASSERT_TRUE(candidate);
  EXPECT_EQ(candidate->return_z, 0);  // undefined, reported as 0
}

TEST_F(SignalEngineTest, WarmOffStillNeedsTheIndicatorsOfEnabledFilters) {
  SignalSettings settings = TestSettings();
  settings.filters.warm = false;  // the return filter stays on and needs z_r
  engine_ = MakeEngine(settings);
  SeriesBuilder series;
  EXPECT_FALSE(WarmThenSpike(*engine_, series, 10, 4));
  EXPECT_EQ(engine_->Counters().not_warm, 5u);
}

TEST_F(SignalEngineTest, AtrMoveFilterOnAndOff) {
  SignalSettings settings = TestSettings();
  settings.min_atr_move = 6;  // m = 5
  EXPECT_FALSE(RunSpike(settings));
  EXPECT_EQ(engine_->Counters().suppressed_atr_move, 6u);  // 5 calm warm bars + the spike
  settings.filters.atr_move = false;
  auto candidate = RunSpike(settings);
  ASSERT_TRUE(candidate);
  EXPECT_DOUBLE_EQ(candidate->atr_move, 5);
}

// The materiality floor: the spike (m = 5, a 10 % move on a 5m bar) alerts at or above the
// floor of its interval and not below it.
TEST_F(SignalEngineTest, AMoveBelowTheFloorOfItsIntervalRaisesNoCandidate) {
  SignalSettings settings = TestSettings();
  settings.SetMinChangePercent(k5m, 0);
  auto unfloored = RunSpike(settings);
  ASSERT_TRUE(unfloored);
  const double change = unfloored->change_percent;
  ASSERT_NEAR(change, 10, 1e-9);

  settings.SetMinChangePercent(k5m, std::nextafter(change, 100.0));  // just above the move
  EXPECT_FALSE(RunSpike(settings));
  EXPECT_EQ(engine_->Counters().suppressed_min_change, 1u);
  // It comes after atr_move, which still counts the calm bars as before.
  EXPECT_EQ(engine_->Counters().suppressed_atr_move, 5u);
  EXPECT_EQ(engine_->Counters().candidates, 0u);
  EXPECT_FALSE(RunSpike(settings, -10));  // |change| counts: -10 % is below it too
  EXPECT_EQ(engine_->Counters().suppressed_min_change, 1u);

  settings.SetMinChangePercent(k5m, change);  // exactly at the floor
  auto at_floor = RunSpike(settings);
  ASSERT_TRUE(at_floor);
  EXPECT_EQ(at_floor->change_percent, change);
  EXPECT_EQ(engine_->Counters().suppressed_min_change, 0u);

  // Another interval's floor does not apply to 5m bars.
  settings.SetMinChangePercent(k5m, 1.0);
  settings.SetMinChangePercent(k1h, 50);
  EXPECT_TRUE(RunSpike(settings));
  EXPECT_TRUE(RunSpike(settings, -10));

  settings.SetMinChangePercent(k5m, 50);
  settings.filters.min_change = false;  // the switch, as every filter has
  EXPECT_TRUE(RunSpike(settings));
}

// A quiet, high-priced series: the same 5-ATR spike is a 0.1 % move. The default 5m floor
// (1.7 %) stops it; a floor of 0 lets it alert as before the floor existed.
TEST_F(SignalEngineTest, TheDefaultFloorStopsAQuietMoveAndZeroTurnsItOff) {
  SignalSettings settings = TestSettings();
  ASSERT_EQ(settings.MinChangePercent(k5m), DefaultMinChangePercent(k5m));
  engine_ = MakeEngine(settings);
  SeriesBuilder quiet(10'000);
  EXPECT_FALSE(WarmThenSpike(*engine_, quiet, 10));
  EXPECT_EQ(engine_->Counters().suppressed_min_change, 1u);
  const IndicatorValues& values = engine_->Indicators(kSymbol, k5m)->Latest();
  ASSERT_TRUE(values.momentum && values.change_percent);
  EXPECT_DOUBLE_EQ(*values.momentum, 5);  // every other filter would pass it
  EXPECT_NEAR(*values.change_percent, 0.1, 1e-9);

  settings.SetMinChangePercent(k5m, 0);
  engine_ = MakeEngine(settings);
  SeriesBuilder again(10'000);
  auto candidate = WarmThenSpike(*engine_, again, 10);
  ASSERT_TRUE(candidate);
  EXPECT_EQ(engine_->Counters().suppressed_min_change, 0u);
  EXPECT_NEAR(candidate->change_percent, 0.1, 1e-9);
}

// A reloaded floor applies from the next bar, without resetting the series.
TEST_F(SignalEngineTest, AReloadedFloorAppliesToTheNextBar) {
  SignalSettings settings = TestSettings();
  engine_ = MakeEngine(settings);
  SeriesBuilder quiet(10'000);
  EXPECT_FALSE(WarmThenSpike(*engine_, quiet, 10));
  EXPECT_EQ(engine_->Counters().suppressed_min_change, 1u);
  settings.SetMinChangePercent(k5m, 0.05);
  ASSERT_TRUE(engine_->UpdateSettings(settings));
  // The cooldown is 30 minutes: 10 calm bars (50 minutes) later the next spike is free.
  EXPECT_TRUE(WarmThenSpike(*engine_, quiet, 10));
  EXPECT_EQ(engine_->Counters().suppressed_min_change, 1u);
}

TEST_F(SignalEngineTest, DirectionFilter) {
  SignalSettings settings = TestSettings();
  settings.direction = DirectionFilter::kDown;
  EXPECT_FALSE(RunSpike(settings, 10));
  EXPECT_EQ(engine_->Counters().suppressed_direction, 1u);
  EXPECT_TRUE(RunSpike(settings, -10));
  settings.direction = DirectionFilter::kUp;
  EXPECT_TRUE(RunSpike(settings, 10));
  EXPECT_FALSE(RunSpike(settings, -10));
  settings.direction = DirectionFilter::kBoth;
  EXPECT_TRUE(RunSpike(settings, 10));
  EXPECT_TRUE(RunSpike(settings, -10));
}

TEST_F(SignalEngineTest, VolumeFilterOnAndOff) {
  SignalSettings settings = TestSettings();
  settings.min_volume_z = 17.5;  // z_v = 17
  EXPECT_FALSE(RunSpike(settings));
  EXPECT_EQ(engine_->Counters().suppressed_volume_z, 1u);
  settings.min_volume_z = 16.5;
  EXPECT_TRUE(RunSpike(settings));
  settings.min_volume_z = 17.5;
  settings.filters.volume_z = false;
  EXPECT_TRUE(RunSpike(settings));
}

TEST_F(SignalEngineTest, ReturnFilterOnAndOff) {
  SignalSettings settings = TestSettings();
  settings.min_return_z = 0;  // passes everything
  auto candidate = RunSpike(settings);
  ASSERT_TRUE(candidate);
  const double z = candidate->return_z;
  settings.min_return_z = z + 0.1;
  EXPECT_FALSE(RunSpike(settings));
  EXPECT_EQ(engine_->Counters().suppressed_return_z, 1u);
  settings.min_return_z = z - 0.1;
  EXPECT_TRUE(RunSpike(settings));
  settings.min_return_z = z + 0.1;
  settings.filters.return_z = false;
  EXPECT_TRUE(RunSpike(settings));
  // |z_r| is compared, so a down move passes the same threshold.
  settings.filters.return_z = true;
  settings.min_return_z = 5;
  EXPECT_TRUE(RunSpike(settings, -10));
}

TEST_F(SignalEngineTest, QuoteVolume24hFilterOnAndOff) {
  SignalSettings settings = TestSettings();
  // Unknown volume with no minimum passes.
  EXPECT_TRUE(RunSpike(settings));

  auto with_minimum = [&](const SignalSettings& s) {
    engine_ = MakeEngine(s);
    engine_->SetMinQuoteVolume24h(5e6);
    SeriesBuilder series;
    return WarmThenSpike(*engine_, series, 10);
  };
  // Unknown volume with a minimum is held back: no alert on a guess.
  EXPECT_FALSE(with_minimum(settings));
  EXPECT_EQ(engine_->Counters().suppressed_quote_volume_24h, 1u);
  volumes_.volumes[kSymbol] = 4e6;
  EXPECT_FALSE(with_minimum(settings));
  volumes_.volumes[kSymbol] = 5e6;
  auto candidate = with_minimum(settings);
  ASSERT_TRUE(candidate);
  EXPECT_DOUBLE_EQ(candidate->quote_volume_24h, 5e6);
  EXPECT_DOUBLE_EQ(engine_->MinQuoteVolume24h(), 5e6);
  volumes_.volumes[kSymbol] = 4e6;
  settings.filters.quote_volume_24h = false;
  candidate = with_minimum(settings);
  ASSERT_TRUE(candidate);
  EXPECT_DOUBLE_EQ(candidate->quote_volume_24h, 4e6);
}

core::Bar HourBar(core::Millis open_time, double open, double close) {
  core::Bar bar;
  bar.open_time = open_time;
  bar.close_time = open_time + k1h.DurationMs() - 1;
  bar.open = open;
  bar.close = close;
  bar.high = std::max(open, close);
  bar.low = std::min(open, close);
  bar.quote_volume = 1;
  return bar;
}

TEST_F(SignalEngineTest, ConfirmationsFromTheEnginesOwnBars) {
  SignalSettings settings = TestSettings();
  settings.confirm_intervals = {k1h};
  // The spike is bar 10 of the series: it closes at kStart + 55 min - 1 ms.
  const core::Millis hour_open = k1h.BarOpenFor(kStart + 10 * k5m.DurationMs());
  auto run = [&](auto feed_hour) {
    engine_ = MakeEngine(settings);
    feed_hour(*engine_);
    SeriesBuilder series;
    return WarmThenSpike(*engine_, series, 10);
  };

  // Nothing known about 1h: not confirmed.
  EXPECT_FALSE(run([](SignalEngine&) {}));
  EXPECT_EQ(engine_->Counters().suppressed_confirmations, 1u);
  // The current 1h open bar moves up: confirmed and listed.
  auto candidate =
      run([&](SignalEngine& e) { e.OnOpenBar(kSymbol, k1h, HourBar(hour_open, 100, 104)); });
  ASSERT_TRUE(candidate);
  EXPECT_EQ(candidate->confirmations, std::vector<core::Interval>{k1h});
  // It moves down: not confirmed.
  EXPECT_FALSE(
      run([&](SignalEngine& e) { e.OnOpenBar(kSymbol, k1h, HourBar(hour_open, 104, 100)); }));
  // A later update of the same open bar replaces the earlier one.
  EXPECT_TRUE(run([&](SignalEngine& e) {
    e.OnOpenBar(kSymbol, k1h, HourBar(hour_open, 104, 100));
    e.OnOpenBar(kSymbol, k1h, HourBar(hour_open, 100, 105));
  }));
  // No open bar, but the last closed 1h bar (closed just before) moved up: confirmed.
  EXPECT_TRUE(run([&](SignalEngine& e) {
    EXPECT_FALSE(e.OnClosedBar(kSymbol, k1h, HourBar(hour_open - k1h.DurationMs(), 100, 103)));
  }));
  // A closed 1h bar from two hours before is stale (its stream stalled): not confirmed.
  EXPECT_FALSE(run([&](SignalEngine& e) {
    EXPECT_FALSE(e.OnClosedBar(kSymbol, k1h, HourBar(hour_open - 2 * k1h.DurationMs(), 100, 103)));
  }));
  // A flat 1h bar confirms nothing.
  EXPECT_FALSE(
      run([&](SignalEngine& e) { e.OnOpenBar(kSymbol, k1h, HourBar(hour_open, 100, 100)); }));

  // Off: a down 1h bar does not hold the candidate back, and is not listed as agreeing.
  settings.filters.confirmations = false;
  candidate =
      run([&](SignalEngine& e) { e.OnOpenBar(kSymbol, k1h, HourBar(hour_open, 104, 100)); });
  ASSERT_TRUE(candidate);
  EXPECT_TRUE(candidate->confirmations.empty());
}

TEST_F(SignalEngineTest, ConfirmationsFromAnInjectedSource) {
  SignalSettings settings = TestSettings();
  settings.confirm_intervals = {k15m, k1h};
  FixedConfirmations source;
  source.move = core::Direction::kUp;
  auto candidate = RunSpike(settings, 10, {.confirmations = &source});
  ASSERT_TRUE(candidate);
  EXPECT_EQ(candidate->confirmations, (std::vector<core::Interval>{k15m, k1h}));
  EXPECT_EQ(source.asked, (std::vector<core::Interval>{k15m, k1h}));
  source.move = core::Direction::kDown;
  EXPECT_FALSE(RunSpike(settings, 10, {.confirmations = &source}));
}

// A 15m bar from its open and close, moving up or down.
core::Bar FifteenMinuteBar(core::Millis open_time, core::Direction move, bool closed) {
  core::Bar bar;
  bar.open_time = open_time;
  bar.close_time = open_time + k15m.DurationMs() - 1;
  bar.open = 100;
  bar.close = move == core::Direction::kUp ? 101 : 99;
  bar.high = 102;
  bar.low = 98;
  bar.quote_volume = 1000;
  bar.closed = closed;
  return bar;
}

// A 5m bar filled in late (after a reconnect) is confirmed by the 15m bar that had opened by
// its close, never by a 15m bar that opened after it: that would be the future.
TEST_F(SignalEngineTest, AConfirmingBarOpenedAtOrBeforeTheConfirmedBarsClose) {
  SignalSettings settings = TestSettings();
  settings.confirm_intervals = {k15m};
  for (core::Direction then : {core::Direction::kUp, core::Direction::kDown}) {
    const core::Direction later =
        then == core::Direction::kUp ? core::Direction::kDown : core::Direction::kUp;
    engine_ = MakeEngine(settings);
    SeriesBuilder five;
    for (int i = 0; i < 10; ++i) ASSERT_FALSE(engine_->OnClosedBar(kSymbol, k5m, five.Calm()));
    // The 5m spike opens at kStart + 50m; the 15m bar holding it opened at kStart + 45m. The
    // 15m series is already further: that bar closed, the next one is forming.
    const core::Millis holding = kStart + 45 * core::kMinute;
    engine_->OnClosedBar(kSymbol, k15m, FifteenMinuteBar(holding, then, true));
    engine_->OnOpenBar(kSymbol, k15m, FifteenMinuteBar(holding + k15m.DurationMs(), later, false));
    const core::Bar spike = five.Spike(10);
    ASSERT_EQ(spike.open_time, kStart + 50 * core::kMinute);
    EXPECT_EQ(engine_->LatestMove(kSymbol, k15m, spike.close_time), then);
    auto candidate = engine_->OnClosedBar(kSymbol, k5m, spike);
    EXPECT_EQ(candidate.has_value(), then == core::Direction::kUp) << core::DirectionName(then);
    // The forming bar still confirms bars that closed after it opened.
    EXPECT_EQ(engine_->LatestMove(kSymbol, k15m, holding + k15m.DurationMs()), later);
  }
}

// After a long hole is filled, bars well behind the confirming series still find the bar that
// held them, among the last few closed ones; nothing older than those is guessed.
TEST_F(SignalEngineTest, ConfirmationsLookBackThroughRecentClosedBars) {
  engine_ = MakeEngine(TestSettings());
  const core::Direction moves[] = {core::Direction::kUp, core::Direction::kDown,
                                   core::Direction::kDown, core::Direction::kUp};
  for (int i = 0; i < 4; ++i) {
    engine_->OnClosedBar(kSymbol, k15m,
                         FifteenMinuteBar(kStart + i * k15m.DurationMs(), moves[i], true));
  }
  for (int i = 0; i < 4; ++i) {
    const core::Millis inside = kStart + i * k15m.DurationMs() + 7 * core::kMinute;
    EXPECT_EQ(engine_->LatestMove(kSymbol, k15m, inside), moves[i]) << i;
  }
  EXPECT_EQ(engine_->LatestMove(kSymbol, k15m, kStart - 1), std::nullopt);  // before any bar
}

TEST_F(SignalEngineTest, OpenBarsAreNeverAlertedAndDoNotTouchIndicators) {
  engine_ = MakeEngine(TestSettings());
  SeriesBuilder series;
  for (int i = 0; i < 10; ++i) engine_->OnClosedBar(kSymbol, k5m, series.Calm());
  const IndicatorValues before = engine_->Indicators(kSymbol, k5m)->Latest();
  const std::size_t bars_before = engine_->Indicators(kSymbol, k5m)->BarsSeen();
  core::Bar open_spike = series.Spike(10);
  open_spike.closed = false;
  engine_->OnOpenBar(kSymbol, k5m, open_spike);
  EXPECT_EQ(engine_->Counters().candidates, 0u);
  EXPECT_EQ(engine_->Counters().open_bars, 1u);
  EXPECT_EQ(engine_->Indicators(kSymbol, k5m)->Latest(), before);
  EXPECT_EQ(engine_->Indicators(kSymbol, k5m)->BarsSeen(), bars_before);
  EXPECT_EQ(engine_->LatestMove(kSymbol, k5m, open_spike.open_time), core::Direction::kUp);
  // The same bar, closed, is evaluated (and alerts).
  open_spike.closed = true;
  EXPECT_TRUE(engine_->OnClosedBar(kSymbol, k5m, open_spike));
  // An open update of a bar that has closed is ignored.
  core::Bar late = open_spike;
  late.close = 90;
  engine_->OnOpenBar(kSymbol, k5m, late);
  EXPECT_EQ(engine_->Counters().open_bars, 1u);
  EXPECT_EQ(engine_->LatestMove(kSymbol, k5m, late.close_time), core::Direction::kUp);
}

TEST_F(SignalEngineTest, CooldownOnAndOff) {
  SignalSettings settings = TestSettings();
  settings.cooldown = 60 * core::kMinute;
  engine_ = MakeEngine(settings);
  SeriesBuilder series;
  ASSERT_TRUE(WarmThenSpike(*engine_, series, 10));
  // Ten calm bars later (the windows are calm again) the next up spike closes 55 minutes
  // after the first: inside the cooldown.
  EXPECT_FALSE(WarmThenSpike(*engine_, series, 10));
  EXPECT_EQ(engine_->Counters().suppressed_cooldown, 1u);
  // The opposite direction has its own cooldown.
  EXPECT_TRUE(WarmThenSpike(*engine_, series, -10));
  // Long after, up again.
  EXPECT_TRUE(WarmThenSpike(*engine_, series, 10, 20));

  // A bar closing exactly `cooldown` after the last alert's bar is outside it.
  settings.cooldown = 55 * core::kMinute;
  SeriesBuilder boundary;
  InMemoryCooldownStore boundary_store;
  engine_ = MakeEngine(settings, {.cooldown_store = &boundary_store});
  ASSERT_TRUE(WarmThenSpike(*engine_, boundary, 10));
  EXPECT_TRUE(WarmThenSpike(*engine_, boundary, 10));
  settings.cooldown = 55 * core::kMinute + 1;
  InMemoryCooldownStore inside_store;
  engine_ = MakeEngine(settings, {.cooldown_store = &inside_store});
  SeriesBuilder inside;
  ASSERT_TRUE(WarmThenSpike(*engine_, inside, 10));
  EXPECT_FALSE(WarmThenSpike(*engine_, inside, 10));

  // Off: both spikes alert (and are still recorded, for when it is switched on again).
  settings.cooldown = 60 * core::kMinute;
  settings.filters.cooldown = false;
  InMemoryCooldownStore off_store;
  engine_ = MakeEngine(settings, {.cooldown_store = &off_store});
  SeriesBuilder fresh;
  EXPECT_TRUE(WarmThenSpike(*engine_, fresh, 10));
  EXPECT_TRUE(WarmThenSpike(*engine_, fresh, 10));
  EXPECT_EQ(off_store.LastAlertCloseTime(kSymbol, k5m, core::Direction::kUp), spike_.close_time);
}

TEST_F(SignalEngineTest, CooldownSurvivesARestartOverTheSameStore) {
  SignalSettings settings = TestSettings();
  InMemoryCooldownStore durable;  // stands in for the alert database
  core::Bar first_spike;
  {
    auto engine = MakeEngine(settings, {.cooldown_store = &durable});
    SeriesBuilder series;
    ASSERT_TRUE(WarmThenSpike(*engine, series, 10));
    first_spike = spike_;
  }
  // A new process replays the same bars (warm-up from REST): the spike is not alerted again.
  {
    auto engine = MakeEngine(settings, {.cooldown_store = &durable});
    SeriesBuilder series;
    EXPECT_FALSE(WarmThenSpike(*engine, series, 10));
    EXPECT_EQ(spike_, first_spike);
    EXPECT_EQ(engine->Counters().suppressed_cooldown, 1u);
    // Within the cooldown, a new spike is still held back; after it, alerted.
    EXPECT_FALSE(WarmThenSpike(*engine, series, 10, 4));
    EXPECT_TRUE(WarmThenSpike(*engine, series, 10, 12));
  }
  // A new engine over a fresh store has no memory of it.
  {
    InMemoryCooldownStore empty;
    auto engine = MakeEngine(settings, {.cooldown_store = &empty});
    SeriesBuilder series;
    EXPECT_TRUE(WarmThenSpike(*engine, series, 10));
  }
}

TEST_F(SignalEngineTest, EngineKeepsItsOwnStoreWhenNoneIsGiven) {
  auto created = SignalEngine::Create(TestSettings(), {});
  ASSERT_TRUE(created);
  SeriesBuilder series;
  EXPECT_TRUE(WarmThenSpike(**created, series, 10));
  EXPECT_FALSE(WarmThenSpike(**created, series, 10, 4));  // 25 minutes later
  EXPECT_EQ((*created)->Counters().suppressed_cooldown, 1u);
}

TEST_F(SignalEngineTest, GapRestartsTheWarmUp) {
  engine_ = MakeEngine(TestSettings());
  SeriesBuilder series;
  for (int i = 0; i < 10; ++i) engine_->OnClosedBar(kSymbol, k5m, series.Calm());
  series.Skip(3);  // a hole of three bars, then a spike
  EXPECT_FALSE(engine_->OnClosedBar(kSymbol, k5m, series.Spike(10)));
  EXPECT_EQ(engine_->Counters().gaps, 1u);
  EXPECT_EQ(engine_->Indicators(kSymbol, k5m)->BarsSeen(), 1u);
  EXPECT_FALSE(engine_->Indicators(kSymbol, k5m)->Latest().true_range);
  // Warm again after W + 1 more bars, and a spike then alerts.
  EXPECT_TRUE(WarmThenSpike(*engine_, series, 10, 10));
  EXPECT_EQ(engine_->Counters().gaps, 1u);
}

TEST_F(SignalEngineTest, UnusableBarRestartsTheWarmUp) {
  engine_ = MakeEngine(TestSettings());
  SeriesBuilder series;
  for (int i = 0; i < 10; ++i) engine_->OnClosedBar(kSymbol, k5m, series.Calm());
  core::Bar bad = series.Calm();
  bad.close = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(engine_->OnClosedBar(kSymbol, k5m, bad));
  EXPECT_EQ(engine_->Counters().unusable_bars, 1u);
  EXPECT_EQ(engine_->Indicators(kSymbol, k5m)->BarsSeen(), 0u);
  EXPECT_FALSE(engine_->OnClosedBar(kSymbol, k5m, series.Spike(10)));
  EXPECT_EQ(engine_->Counters().gaps, 0u);  // contiguous after the bad bar
}

TEST_F(SignalEngineTest, ThresholdsReloadImmediately) {
  SignalSettings strict = TestSettings();
  strict.min_atr_move = 6;
  engine_ = MakeEngine(strict);
  SeriesBuilder series;
  for (int i = 0; i < 10; ++i) engine_->OnClosedBar(kSymbol, k5m, series.Calm());
  SignalSettings loose = strict;
  loose.min_atr_move = 2.5;
  ASSERT_TRUE(engine_->UpdateSettings(loose));
  EXPECT_EQ(engine_->Settings(), loose);
  EXPECT_EQ(engine_->Indicators(kSymbol, k5m)->BarsSeen(), 10u);  // same windows: kept
  EXPECT_TRUE(engine_->OnClosedBar(kSymbol, k5m, series.Spike(10)));
}

TEST_F(SignalEngineTest, WindowReloadRewarmsEverySeries) {
  engine_ = MakeEngine(TestSettings());
  SeriesBuilder series;
  for (int i = 0; i < 10; ++i) engine_->OnClosedBar(kSymbol, k5m, series.Calm());
  SignalSettings wider = TestSettings();
  wider.windows.zscore_window = 6;
  ASSERT_TRUE(engine_->UpdateSettings(wider));
  EXPECT_EQ(engine_->Indicators(kSymbol, k5m)->BarsSeen(), 0u);
  EXPECT_EQ(engine_->Indicators(kSymbol, k5m)->Windows().zscore_window, 6);
  EXPECT_FALSE(WarmThenSpike(*engine_, series, 10, 6));  // bar 7 < W + 2 = 8
  EXPECT_GT(engine_->Counters().not_warm, 0u);
  EXPECT_EQ(engine_->Counters().gaps, 0u);
  EXPECT_TRUE(WarmThenSpike(*engine_, series, 10, 12));
}

// New window sizes start every series afresh, history included: the caller feeds the history
// again (the service refetches it) and the series is warm at once, not after W + 2 live bars.
TEST_F(SignalEngineTest, ANewWindowSizeTakesTheSameHistoryAgain) {
  engine_ = MakeEngine(TestSettings());
  SeriesBuilder series;
  std::vector<core::Bar> history;
  for (int i = 0; i < 12; ++i) history.push_back(series.Calm());
  for (const core::Bar& bar : history) engine_->OnClosedBar(kSymbol, k5m, bar);
  SignalSettings wider = TestSettings();
  wider.windows.zscore_window = 6;
  ASSERT_TRUE(engine_->UpdateSettings(wider));
  EXPECT_EQ(engine_->Indicators(kSymbol, k5m)->BarsSeen(), 0u);
  for (const core::Bar& bar : history) engine_->OnClosedBar(kSymbol, k5m, bar);
  EXPECT_EQ(engine_->Counters().stale_bars, 0u);  // taken, not ignored as already seen
  EXPECT_EQ(engine_->Indicators(kSymbol, k5m)->BarsSeen(), history.size());
  EXPECT_TRUE(engine_->Indicators(kSymbol, k5m)->Latest().volume_z);
  EXPECT_TRUE(engine_->OnClosedBar(kSymbol, k5m, series.Spike(10)));
}

TEST_F(SignalEngineTest, InvalidReloadKeepsTheOldSettings) {
  engine_ = MakeEngine(TestSettings());
  SignalSettings bad = TestSettings();
  bad.windows.zscore_window = 1;
  auto status = engine_->UpdateSettings(bad);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("signals.zscore_window"), std::string::npos);
  EXPECT_EQ(engine_->Settings(), TestSettings());
  EXPECT_FALSE(SignalEngine::Create(bad, {}));
}

TEST_F(SignalEngineTest, SeriesAreKeyedBySymbolAndInterval) {
  engine_ = MakeEngine(TestSettings());
  SeriesBuilder a;
  SeriesBuilder b(50);
  for (int i = 0; i < 10; ++i) {
    engine_->OnClosedBar("AAAUSDT", k5m, a.Calm());
    engine_->OnClosedBar("BBBUSDT", k5m, b.Calm());
  }
  EXPECT_EQ(engine_->SeriesCount(), 2u);
  // The same bar times under another interval are another series, with its own warm-up.
  SeriesBuilder c;
  engine_->OnClosedBar("AAAUSDT", k15m, c.Calm());
  EXPECT_EQ(engine_->SeriesCount(), 3u);
  EXPECT_EQ(engine_->Indicators("AAAUSDT", k15m)->BarsSeen(), 1u);
  EXPECT_EQ(engine_->Indicators("AAAUSDT", k5m)->BarsSeen(), 10u);
  EXPECT_EQ(engine_->Indicators("CCCUSDT", k5m), nullptr);
  auto candidate = engine_->OnClosedBar("BBBUSDT", k5m, b.Spike(10));
  ASSERT_TRUE(candidate);
  EXPECT_EQ(candidate->symbol, "BBBUSDT");
}

TEST_F(SignalEngineTest, RemovedSymbolsLeaveNoSeriesAndStartAfreshWhenBack) {
  engine_ = MakeEngine(TestSettings());
  SeriesBuilder five;
  SeriesBuilder fifteen;
  SeriesBuilder other(50);
  for (int i = 0; i < 10; ++i) {
    engine_->OnClosedBar(kSymbol, k5m, five.Calm());
    engine_->OnClosedBar(kSymbol, k15m, fifteen.Calm());
    engine_->OnClosedBar("BBBUSDT", k5m, other.Calm());
  }
  ASSERT_EQ(engine_->SeriesCount(), 3u);
  EXPECT_EQ(engine_->RemoveSymbol(kSymbol), 2u);
  EXPECT_EQ(engine_->RemoveSymbol(kSymbol), 0u);
  EXPECT_EQ(engine_->RemoveSymbol("CCCUSDT"), 0u);
  EXPECT_EQ(engine_->SeriesCount(), 1u);
  EXPECT_EQ(engine_->Indicators(kSymbol, k5m), nullptr);
  EXPECT_EQ(engine_->Indicators(kSymbol, k15m), nullptr);
  EXPECT_EQ(engine_->Indicators("BBBUSDT", k5m)->BarsSeen(), 10u);
  // Back in the universe: a new series, which warms up again before it can alert.
  EXPECT_FALSE(engine_->OnClosedBar(kSymbol, k5m, five.Spike(10)));
  EXPECT_EQ(engine_->Indicators(kSymbol, k5m)->BarsSeen(), 1u);
  EXPECT_EQ(engine_->SeriesCount(), 2u);
  EXPECT_TRUE(WarmThenSpike(*engine_, five, 10));
}

// A random market with frequent spikes, replayed cleanly into one engine and with duplicates and
// older bars re-fed (changed or not) into another: every output must be identical.
TEST_F(SignalEngineTest, RefeedingEarlierBarsChangesNothing) {
  SignalSettings settings = TestSettings();
  settings.min_atr_move = 1.5;
  settings.min_volume_z = 1.0;
  settings.cooldown = 10 * core::kMinute;
  InMemoryCooldownStore clean_store;
  InMemoryCooldownStore noisy_store;
  auto clean = MakeEngine(settings, {.cooldown_store = &clean_store});
  auto noisy = MakeEngine(settings, {.cooldown_store = &noisy_store});

  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::vector<std::pair<core::Symbol, core::Interval>> keys = {
      {"AAAUSDT", k5m}, {"AAAUSDT", k15m}, {"BBBUSDT", k5m}};
  std::vector<std::vector<core::Bar>> history(keys.size());
  std::vector<double> closes(keys.size(), 100.0);
  std::size_t candidates = 0;
  for (int step = 0; step < 6000; ++step) {
    const std::size_t k = step % keys.size();
    const auto& [symbol, interval] = keys[k];
    core::Bar bar;
    bar.open_time = kStart + static_cast<core::Millis>(history[k].size()) * interval.DurationMs();
    bar.close_time = bar.open_time + interval.DurationMs() - 1;
    bar.open = closes[k];
    const double shock = unit(rng) < 0.03 ? (unit(rng) < 0.5 ? -8.0 : 8.0) : 0.0;
    bar.close = std::max(1.0, closes[k] + (unit(rng) - 0.5) * 2 + shock);
    bar.high = std::max(bar.open, bar.close) + unit(rng);
    bar.low = std::min(bar.open, bar.close) - unit(rng);
    bar.quote_volume = 1000 * (1 + unit(rng)) * (shock != 0 ? 8 : 1);
    bar.closed = true;
    closes[k] = bar.close;
    history[k].push_back(bar);

    const auto expected = clean->OnClosedBar(symbol, interval, bar);
    const auto actual = noisy->OnClosedBar(symbol, interval, bar);
    ASSERT_EQ(actual, expected) << "step " << step;
    if (expected) {
      ++candidates;
      clean_store.Record(*expected);
      noisy_store.Record(*actual);
    }
    // Re-feed: the same bar again, and a random earlier bar, as sent or altered.
    EXPECT_FALSE(noisy->OnClosedBar(symbol, interval, bar));
    const core::Bar& earlier = history[k][static_cast<std::size_t>(unit(rng) * history[k].size())];
    EXPECT_FALSE(noisy->OnClosedBar(symbol, interval, earlier));
    core::Bar altered = earlier;
    altered.close *= 1.5;
    altered.quote_volume *= 10;
    EXPECT_FALSE(noisy->OnClosedBar(symbol, interval, altered));
    ASSERT_EQ(noisy->Indicators(symbol, interval)->Latest(),
              clean->Indicators(symbol, interval)->Latest())
        << "step " << step;
  }
  EXPECT_GT(candidates, 20u);
  SignalCounters clean_counters = clean->Counters();
  SignalCounters noisy_counters = noisy->Counters();
  EXPECT_EQ(noisy_counters.stale_bars, 3u * 6000u);
  noisy_counters.stale_bars = 0;
  EXPECT_EQ(noisy_counters, clean_counters);
  // Every evaluated bar is accounted for exactly once.
  const SignalCounters& c = clean_counters;
  EXPECT_EQ(c.closed_bars_evaluated, c.candidates + c.not_warm + c.suppressed_absurd +
                                         c.suppressed_atr_move + c.suppressed_min_change +
                                         c.suppressed_direction + c.suppressed_volume_z +
                                         c.suppressed_return_z + c.suppressed_quote_volume_24h +
                                         c.suppressed_confirmations + c.suppressed_cooldown);
  EXPECT_GT(c.suppressed_cooldown, 0u);
  for (const auto& [symbol, interval] : keys) {
    for (core::Direction direction : {core::Direction::kUp, core::Direction::kDown}) {
      EXPECT_EQ(noisy_store.LastAlertCloseTime(symbol, interval, direction),
                clean_store.LastAlertCloseTime(symbol, interval, direction));
    }
  }
}

}  // namespace
}  // namespace scanner::signals
