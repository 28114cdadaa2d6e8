#include "core/interval.h"

#include <gtest/gtest.h>

namespace scanner::core {
namespace {

TEST(Interval, ParsesAndFormatsEveryBinanceInterval) {
  const char* names[] = {"1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h",
                         "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"};
  ASSERT_EQ(Interval::All().size(), std::size(names));
  for (const char* name : names) {
    auto interval = Interval::Parse(name);
    ASSERT_TRUE(interval.has_value()) << name;
    EXPECT_EQ(interval->Name(), name);
  }
}

TEST(Interval, DurationsInMilliseconds) {
  EXPECT_EQ(Interval::Parse("1s")->DurationMs(), 1'000);
  EXPECT_EQ(Interval::Parse("1m")->DurationMs(), 60'000);
  EXPECT_EQ(Interval::Parse("15m")->DurationMs(), 900'000);
  EXPECT_EQ(Interval::Parse("4h")->DurationMs(), 14'400'000);
  EXPECT_EQ(Interval::Parse("1w")->DurationMs(), 604'800'000);
}

TEST(Interval, RejectsUnknownAndCaseMismatch) {
  EXPECT_FALSE(Interval::Parse("7m"));
  EXPECT_FALSE(Interval::Parse(""));
  EXPECT_FALSE(Interval::Parse("1H"));
  EXPECT_FALSE(Interval::Parse("1mo"));
  EXPECT_NE(Interval::Parse("1m"), Interval::Parse("1M"));
}

TEST(Interval, OrdersShortestFirst) {
  EXPECT_LT(*Interval::Parse("1m"), *Interval::Parse("5m"));
  EXPECT_LT(*Interval::Parse("1d"), *Interval::Parse("1M"));
}

TEST(Interval, BarOpenFor) {
  auto m5 = *Interval::Parse("5m");
  EXPECT_EQ(m5.BarOpenFor(1'700'000'123'456), 1'700'000'100'000);
  EXPECT_EQ(m5.BarOpenFor(1'700'000'100'000), 1'700'000'100'000);
}

// Real dates, as Binance opens its bars (UTC).
constexpr Millis k2024Jan01 = 1'704'067'200'000;  // a Monday
constexpr Millis k2024Feb01 = 1'706'745'600'000;
constexpr Millis k2024Mar01 = 1'709'251'200'000;
constexpr Millis k2023Feb01 = 1'675'209'600'000;
constexpr Millis k2023Mar01 = 1'677'628'800'000;

TEST(Interval, WeeksOpenOnMonday) {
  const Interval week = *Interval::Parse("1w");
  EXPECT_EQ(week.BarOpenFor(k2024Jan01), k2024Jan01);
  EXPECT_EQ(week.BarOpenFor(1'704'369'600'000), k2024Jan01);          // Thursday 2024-01-04T12:00Z
  EXPECT_EQ(week.BarOpenFor(k2024Jan01 + 7 * kDay - 1), k2024Jan01);  // Sunday's last ms
  EXPECT_EQ(week.BarOpenFor(k2024Jan01 - 1), k2024Jan01 - 7 * kDay);
  // Thursday 1970-01-01 lies in the week opened on Monday 1969-12-29.
  EXPECT_EQ(week.BarOpenFor(0), -3 * kDay);
  // Binance's own example: the 1w kline opened 2017-07-03 (Monday).
  EXPECT_EQ(week.BarOpenFor(1'499'040'000'000 + 3 * kDay), 1'499'040'000'000);
}

TEST(Interval, MonthsOpenOnTheFirst) {
  const Interval month = *Interval::Parse("1M");
  EXPECT_EQ(month.BarOpenFor(k2024Feb01), k2024Feb01);
  EXPECT_EQ(month.BarOpenFor(1'707'998'400'000), k2024Feb01);  // 2024-02-15T12:00Z
  EXPECT_EQ(month.BarOpenFor(k2024Mar01 - 1), k2024Feb01);     // 2024-02-29T23:59:59.999Z
  EXPECT_EQ(month.BarOpenFor(k2024Mar01), k2024Mar01);
  EXPECT_EQ(month.BarOpenFor(k2023Mar01 - 1), k2023Feb01);  // 2023-02-28T23:59:59.999Z
  EXPECT_EQ(month.BarOpenFor(-1), -2'678'400'000);          // 1969-12-01
}

TEST(Interval, CloseTimesEndTheCalendarBar) {
  const Interval month = *Interval::Parse("1M");
  // Leap February has 29 days; 2023's has 28.
  EXPECT_EQ(month.BarCloseFor(k2024Feb01), k2024Mar01 - 1);  // 2024-02-29T23:59:59.999Z
  EXPECT_EQ(month.NextOpen(k2024Feb01), k2024Mar01);
  EXPECT_EQ(month.BarCloseFor(k2023Feb01), k2023Mar01 - 1);  // 2023-02-28T23:59:59.999Z
  EXPECT_EQ(k2023Mar01 - k2023Feb01, 28 * kDay);
  EXPECT_EQ(month.NextOpen(1'702'598'400'000), 1'704'067'200'000);     // mid-December -> 2024-01-01
  EXPECT_EQ(month.BarCloseFor(1'733'011'200'000), 1'735'689'599'999);  // December 2024
  const Interval week = *Interval::Parse("1w");
  // Binance's example 1w kline: open 2017-07-03, close 2017-07-09T23:59:59.999Z.
  EXPECT_EQ(week.BarCloseFor(1'499'040'000'000), 1'499'644'799'999);
  EXPECT_EQ(week.NextOpen(0), 4 * kDay);  // Monday 1970-01-05
  const Interval m5 = *Interval::Parse("5m");
  EXPECT_EQ(m5.BarCloseFor(1'700'000'100'000), 1'700'000'399'999);
  EXPECT_EQ(m5.BarCloseFor(-1), -1);
  EXPECT_EQ(m5.BarOpenFor(-1), -5 * kMinute);
}

TEST(Interval, AddBarsStepsWholeBars) {
  const Interval month = *Interval::Parse("1M");
  EXPECT_EQ(month.AddBars(1'711'929'540'000, -1), k2024Feb01);          // from 2024-03-31T23:59Z
  EXPECT_EQ(month.AddBars(1'705'276'800'000, -13), 1'669'852'800'000);  // 2024-01-15 -> 2022-12-01
  EXPECT_EQ(month.AddBars(k2024Feb01 + 5, 0), k2024Feb01);
  EXPECT_EQ(month.AddBars(k2023Feb01, 13), k2024Mar01);
  const Interval week = *Interval::Parse("1w");
  EXPECT_EQ(week.AddBars(1'704'240'000'000, -2), 1'702'857'600'000);  // 2024-01-03 -> 2023-12-18
  const Interval h1 = *Interval::Parse("1h");
  EXPECT_EQ(h1.AddBars(1'700'000'123'456, -3), 1'699'988'400'000);
  // Every interval: consecutive bars touch, each bar contains its open and close.
  for (Interval interval : Interval::All()) {
    Millis open = interval.BarOpenFor(k2023Feb01 + 12'345);
    for (int i = 0; i < 30; ++i) {
      const Millis next = interval.NextOpen(open);
      EXPECT_EQ(interval.BarOpenFor(open), open) << interval.Name();
      EXPECT_EQ(interval.BarOpenFor(next - 1), open) << interval.Name();
      EXPECT_EQ(interval.BarCloseFor(open), next - 1) << interval.Name();
      EXPECT_EQ(interval.AddBars(next, -1), open) << interval.Name();
      EXPECT_GE(next - open, interval.Name() == "1M" ? 28 * kDay : interval.DurationMs());
      EXPECT_LE(next - open, interval.Name() == "1M" ? 31 * kDay : interval.DurationMs());
      open = next;
    }
  }
}

TEST(Interval, DurationIsNominal) {
  EXPECT_EQ(Interval::Parse("1M")->DurationMs(), 30 * kDay);
  EXPECT_EQ(Interval::Parse("3d")->DurationMs(), 3 * kDay);
}

}  // namespace
}  // namespace scanner::core
