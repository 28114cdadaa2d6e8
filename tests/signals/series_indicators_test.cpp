#include "signals/series_indicators.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <limits>
#include <vector>

namespace scanner::signals {
namespace {

constexpr core::Millis kSeriesStart = 1'700'000'000'000;
constexpr core::Millis kFiveMinutes = 5 * core::kMinute;

// Bar `index` (from 0) of a 5m series; open is the previous close, as on a continuous market.
core::Bar MakeBar(int index, double open, double high, double low, double close,
                  double quote_volume = 1000) {
  core::Bar bar;
  bar.open_time = kSeriesStart + index * kFiveMinutes;
  bar.close_time = bar.open_time + kFiveMinutes - 1;
  bar.open = open;
  bar.high = high;
  bar.low = low;
  bar.close = close;
  bar.quote_volume = quote_volume;
  bar.closed = true;
  return bar;
}

struct Hlc {
  double high, low, close;
};

std::vector<IndicatorValues> Feed(SeriesIndicators& series, const std::vector<Hlc>& bars,
                                  const std::vector<double>& volumes = {}) {
  std::vector<IndicatorValues> out;
  double prev = bars.front().close;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double volume = volumes.empty() ? 1000.0 : volumes[i];
    // The open is the bar's first trade, inside its range; after a gap it is not the previous
    // close (which the true range still reaches back to).
    const double open = std::clamp(prev, bars[i].low, bars[i].high);
    out.push_back(series.Update(
        MakeBar(static_cast<int>(i), open, bars[i].high, bars[i].low, bars[i].close, volume)));
    prev = bars[i].close;
  }
  return out;
}

TEST(SeriesIndicators, TrueRangeAtrAndMomentumByHand) {
  SeriesIndicators series({.atr_period = 2, .zscore_window = 10, .momentum_lookback = 1});
  const auto v = Feed(
      series, {{10, 8, 9}, {11, 9, 10}, {12, 10, 11}, {15, 11, 14}, {20, 18, 19}, {13, 10, 12}});
  // Bar 1: no previous close, nothing but the close itself.
  EXPECT_FALSE(v[0].true_range);
  EXPECT_FALSE(v[0].log_return);
  EXPECT_FALSE(v[0].change_percent);
  // Bar 2: TR = 2; one TR is not yet an ATR of period 2.
  EXPECT_DOUBLE_EQ(*v[1].true_range, 2);
  EXPECT_FALSE(v[1].atr);
  EXPECT_FALSE(v[1].momentum);
  // Bar 3 = N + 1: the first ATR, mean(2, 2) = 2. Momentum needs ATR_{t-1}: still undefined.
  EXPECT_DOUBLE_EQ(*v[2].atr, 2);
  EXPECT_FALSE(v[2].atr_before);
  EXPECT_FALSE(v[2].momentum);
  // Bar 4: TR = 4, m = (14 - 11) / ATR_3 = 1.5, ATR = (2 * 1 + 4) / 2 = 3.
  EXPECT_DOUBLE_EQ(*v[3].true_range, 4);
  EXPECT_DOUBLE_EQ(*v[3].atr_before, 2);
  EXPECT_DOUBLE_EQ(*v[3].momentum, 1.5);
  EXPECT_DOUBLE_EQ(*v[3].change_percent, (14.0 / 11.0 - 1) * 100);
  EXPECT_DOUBLE_EQ(*v[3].atr, 3);
  // Bar 5: gap up, TR = |20 - 14| = 6, m = (19 - 14) / 3, ATR = (3 + 6) / 2 = 4.5.
  EXPECT_DOUBLE_EQ(*v[4].true_range, 6);
  EXPECT_DOUBLE_EQ(*v[4].momentum, 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(*v[4].atr, 4.5);
  // Bar 6: gap down, TR = |10 - 19| = 9, m = (12 - 19) / 4.5, ATR = (4.5 + 9) / 2 = 6.75.
  EXPECT_DOUBLE_EQ(*v[5].true_range, 9);
  EXPECT_DOUBLE_EQ(*v[5].momentum, -7.0 / 4.5);
  EXPECT_DOUBLE_EQ(*v[5].atr, 6.75);
  EXPECT_EQ(series.BarsSeen(), 6u);
}

TEST(SeriesIndicators, MomentumLookbackReachesKBarsBack) {
  SeriesIndicators series({.atr_period = 1, .zscore_window = 10, .momentum_lookback = 3});
  const auto v = Feed(series, {{11, 9, 10}, {12, 10, 11}, {13, 11, 12}, {17, 15, 16}});
  // ATR (N = 1) exists from bar 2, but close_{t-3} only from bar 4.
  EXPECT_TRUE(v[2].atr_before);
  EXPECT_FALSE(v[2].momentum);
  EXPECT_FALSE(v[2].change_percent);
  // Bar 4: m = (16 - 10) / ATR_3 = 6 / TR_3 = 6 / 2.
  EXPECT_DOUBLE_EQ(*v[3].atr_before, 2);
  EXPECT_DOUBLE_EQ(*v[3].momentum, 3);
  EXPECT_DOUBLE_EQ(*v[3].change_percent, 60);
  EXPECT_DOUBLE_EQ(*v[3].true_range, 5);
}

TEST(SeriesIndicators, ZScoresUseTheWBarsBeforeThisOne) {
  SeriesIndicators series({.atr_period = 14, .zscore_window = 3, .momentum_lookback = 1});
  const std::vector<double> closes = {100, 110, 99, 108.9, 100, 120};
  const std::vector<double> volumes = {1, 2, 3, 4, 10, 5};
  std::vector<Hlc> bars;
  for (double close : closes) bars.push_back({close + 1, close - 1, close});
  const auto v = Feed(series, bars, volumes);

  // Volume z: bar W + 1 = 4 is the first with W previous volumes.
  EXPECT_FALSE(v[2].volume_z);
  EXPECT_NEAR(*v[3].volume_z, std::sqrt(6.0), 1e-12);            // {1,2,3}: (4 - 2) / sqrt(2/3)
  EXPECT_NEAR(*v[4].volume_z, 7 / std::sqrt(2.0 / 3.0), 1e-12);  // {2,3,4}
  EXPECT_NEAR(*v[5].volume_z, (5 - 17.0 / 3.0) / std::sqrt(258.0 / 27.0), 1e-12);  // {3,4,10}

  // Return z: r_t exists from bar 2, so W previous returns first exist on bar W + 2 = 5.
  std::vector<double> r(closes.size());
  for (std::size_t t = 1; t < closes.size(); ++t) r[t] = std::log(closes[t] / closes[t - 1]);
  for (std::size_t t = 1; t < closes.size(); ++t) EXPECT_DOUBLE_EQ(*v[t].log_return, r[t]);
  EXPECT_FALSE(v[3].return_z);
  auto expected_z = [&](std::size_t t) {
    const double mean = (r[t - 3] + r[t - 2] + r[t - 1]) / 3;
    const double variance =
        ((r[t - 3] - mean) * (r[t - 3] - mean) + (r[t - 2] - mean) * (r[t - 2] - mean) +
         (r[t - 1] - mean) * (r[t - 1] - mean)) /
        3;
    return (r[t] - mean) / std::sqrt(variance);
  };
  ASSERT_TRUE(v[4].return_z);
  EXPECT_NEAR(*v[4].return_z, expected_z(4), 1e-12);
  EXPECT_NEAR(*v[5].return_z, expected_z(5), 1e-12);
}

TEST(SeriesIndicators, FlatMarketLeavesEveryRatioUndefined) {
  SeriesIndicators series({.atr_period = 2, .zscore_window = 3, .momentum_lookback = 1});
  std::vector<Hlc> bars(8, Hlc{5, 5, 5});
  bars.push_back({9, 5, 9});  // a move after the flat stretch
  const auto v = Feed(series, bars, std::vector<double>(bars.size(), 0.0));
  const IndicatorValues& last = v.back();
  // ATR_{t-1} is 0: no momentum (no division by zero), but the change itself is known.
  ASSERT_TRUE(last.atr_before);
  EXPECT_EQ(*last.atr_before, 0);
  EXPECT_FALSE(last.momentum);
  EXPECT_DOUBLE_EQ(*last.change_percent, 80);
  // The previous W returns and volumes are all 0: zero stdev, no z-score.
  EXPECT_FALSE(last.return_z);
  EXPECT_FALSE(last.volume_z);
  EXPECT_DOUBLE_EQ(*last.atr, 2);  // (0 * 1 + 4) / 2
}

TEST(SeriesIndicators, UnusableBarResetsTheSeries) {
  SeriesIndicators series({.atr_period = 1, .zscore_window = 2, .momentum_lookback = 1});
  Feed(series, {{11, 9, 10}, {12, 10, 11}, {13, 11, 12}, {14, 12, 13}});
  ASSERT_TRUE(series.Latest().momentum);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const core::Bar& bad :
       {MakeBar(4, 13, 14, 12, nan), MakeBar(4, 13, 14, 12, 0), MakeBar(4, 13, 14, 12, 13, -1),
        MakeBar(4, 13, std::numeric_limits<double>::infinity(), 12, 13)}) {
    const IndicatorValues& values = series.Update(bad);
    EXPECT_EQ(values, IndicatorValues{});
    EXPECT_EQ(series.BarsSeen(), 0u);
    EXPECT_FALSE(IsUsableBar(bad));
  }
  series.Update(MakeBar(5, 13, 14, 12, 13));
  EXPECT_EQ(series.BarsSeen(), 1u);
  EXPECT_FALSE(series.Latest().true_range);  // a first bar again
}

TEST(SeriesIndicators, ResetWithNewWindowsWarmsUpAgain) {
  SeriesIndicators series({.atr_period = 1, .zscore_window = 2, .momentum_lookback = 1});
  Feed(series, {{11, 9, 10}, {12, 10, 11}, {13, 11, 12}, {14, 12, 13}});
  ASSERT_TRUE(series.Latest().return_z);
  series.Reset({.atr_period = 3, .zscore_window = 4, .momentum_lookback = 2});
  EXPECT_EQ(series.BarsSeen(), 0u);
  EXPECT_EQ(series.Windows().zscore_window, 4);
  const auto v = Feed(series, {{11, 9, 10}, {12, 10, 11}, {13, 11, 12}, {14, 12, 13}});
  EXPECT_FALSE(v.back().atr_before);  // N = 3 needs bar 4 for its first ATR
  EXPECT_TRUE(v.back().atr);
  EXPECT_FALSE(v.back().return_z);
}

}  // namespace
}  // namespace scanner::signals
