#include "chart/chart_axes.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/interval.h"

namespace scanner::chart {
namespace {

TEST(NicePriceTicks, RoundStepsForBitcoin) {
  const PriceTicks ticks = NicePriceTicks(6430, 6620, 6);
  EXPECT_DOUBLE_EQ(ticks.step, 50);
  EXPECT_EQ(ticks.decimals, 0);
  ASSERT_FALSE(ticks.values.empty());
  EXPECT_DOUBLE_EQ(ticks.values.front(), 6450);
  EXPECT_DOUBLE_EQ(ticks.values.back(), 6600);
}

TEST(NicePriceTicks, TinyPricesGetTheirDecimals) {
  const PriceTicks ticks = NicePriceTicks(0.00001175, 0.00001290, 6);
  EXPECT_NEAR(ticks.step, 0.0000002, 1e-15);
  EXPECT_EQ(ticks.decimals, 7);
  ASSERT_GE(ticks.values.size(), 4u);
  EXPECT_EQ(FormatPrice(ticks.values.front(), ticks.decimals), "0.0000118");
}

TEST(NicePriceTicks, QuarterStepsKeepADecimal) {
  const PriceTicks ticks = NicePriceTicks(1, 2.2, 5);
  EXPECT_DOUBLE_EQ(ticks.step, 0.25);
  EXPECT_EQ(ticks.decimals, 2);
}

TEST(FormatPrice, GroupsThousands) {
  EXPECT_EQ(FormatPrice(60250, 0), "60,250");
  EXPECT_EQ(FormatPrice(1234567.5, 1), "1,234,567.5");
  EXPECT_EQ(FormatPrice(999, 0), "999");
  EXPECT_EQ(FormatPrice(-0.0000001, 2), "0.00");
}

TEST(FormatQuote, SixSignificantDigitsWithoutTrailingZeros) {
  EXPECT_EQ(FormatQuote(6412.46, 0), "6,412.46");
  EXPECT_EQ(FormatQuote(494.07, 0), "494.07");
  EXPECT_EQ(FormatQuote(0.00141192, 5), "0.00141192");
  EXPECT_EQ(FormatQuote(0.00001234, 7), "0.00001234");
  EXPECT_EQ(FormatQuote(511, 0), "511");
  EXPECT_EQ(FormatQuote(0.5, 2), "0.50");
}

TEST(FormatCompact, Suffixes) {
  EXPECT_EQ(FormatCompact(950), "950");
  EXPECT_EQ(FormatCompact(12345), "12.3K");
  EXPECT_EQ(FormatCompact(4.2e6), "4.2M");
  EXPECT_EQ(FormatCompact(0.5), "0.5");
}

TEST(FormatMultiple, TrimsZeros) {
  EXPECT_EQ(FormatMultiple(1.5), "1.5");
  EXPECT_EQ(FormatMultiple(2), "2");
  EXPECT_EQ(FormatMultiple(1.25), "1.25");
}

std::vector<core::Bar> Bars(core::Millis start, core::Interval interval, int count) {
  std::vector<core::Bar> bars(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    bars[static_cast<std::size_t>(i)].open_time = start + i * interval.DurationMs();
  }
  return bars;
}

TEST(MakeTimeLabels, IntradayHoursAndMinutesWithTheDateAtMidnight) {
  const core::Interval m1 = *core::Interval::Parse("1m");
  // 2018-06-18 23:30 UTC, 60 one-minute bars: over midnight.
  const std::vector<core::Bar> bars = Bars(1529364600000, m1, 60);
  const std::vector<TimeLabel> labels = MakeTimeLabels(bars, m1, 12, 78);
  ASSERT_GE(labels.size(), 3u);
  bool saw_date = false;
  for (const TimeLabel& label : labels) {
    EXPECT_EQ(bars[label.bar].open_time % (10 * core::kMinute), 0) << label.text;
    if (label.text == "Jun 19") saw_date = true;
  }
  EXPECT_TRUE(saw_date);
  EXPECT_EQ(labels.front().text, "23:30");
  for (std::size_t i = 1; i < labels.size(); ++i) {
    EXPECT_GE((labels[i].bar - labels[i - 1].bar) * 12.0, 78);
  }
}

TEST(MakeTimeLabels, DailyBarsGetDates) {
  const core::Interval d1 = *core::Interval::Parse("1d");
  const std::vector<core::Bar> bars = Bars(1527811200000, d1, 60);  // 2018-06-01
  const std::vector<TimeLabel> labels = MakeTimeLabels(bars, d1, 12, 78);
  ASSERT_FALSE(labels.empty());
  for (const TimeLabel& label : labels) {
    EXPECT_EQ(label.text.find(':'), std::string::npos) << label.text;
  }
  EXPECT_EQ(labels.front().text, "Jun 4");  // a Monday: weekly labels
}

TEST(MakeTimeLabels, WeeklyAndThreeDayBarsGetMonthsOrDates) {
  const core::Interval w1 = *core::Interval::Parse("1w");
  // Monday 2018-01-01, 60 weeks.
  const std::vector<core::Bar> weeks = Bars(1514764800000, w1, 60);
  const std::vector<TimeLabel> week_labels = MakeTimeLabels(weeks, w1, 12, 78);
  ASSERT_GE(week_labels.size(), 3u);
  EXPECT_EQ(week_labels.front().text, "2018");
  for (const TimeLabel& label : week_labels) {
    EXPECT_EQ(label.text.find(':'), std::string::npos) << label.text;
  }
  const core::Interval d3 = *core::Interval::Parse("3d");
  const std::vector<core::Bar> days =
      Bars(1527811200000 - 1527811200000 % (3 * core::kDay), d3, 60);
  EXPECT_GE(MakeTimeLabels(days, d3, 12, 78).size(), 3u);
}

TEST(MakeTimeLabels, ThreeMinuteBarsGetRoundTimes) {
  const core::Interval m3 = *core::Interval::Parse("3m");
  const std::vector<core::Bar> bars = Bars(1529297280000 - 1529297280000 % core::kHour, m3, 60);
  const std::vector<TimeLabel> labels = MakeTimeLabels(bars, m3, 12, 78);
  ASSERT_GE(labels.size(), 3u);
  for (const TimeLabel& label : labels) {
    EXPECT_EQ(bars[label.bar].open_time % (15 * core::kMinute), 0) << label.text;
  }
}

TEST(FormatUtcMinute, Minutes) {
  EXPECT_EQ(FormatUtcMinute(1529364600000), "2018-06-18 23:30 UTC");
}

}  // namespace
}  // namespace scanner::chart
