#include "market/bar_check.h"

#include <gtest/gtest.h>

#include <limits>

namespace scanner::market {
namespace {

const core::Interval k1m = *core::Interval::Parse("1m");
const core::Interval k1w = *core::Interval::Parse("1w");
const core::Interval k1M = *core::Interval::Parse("1M");
constexpr core::Millis kMinute = 1'700'000'040'000;  // a minute boundary

core::Bar Good(core::Millis open_time = kMinute, core::Interval interval = k1m) {
  core::Bar bar;
  bar.open_time = open_time;
  bar.close_time = interval.BarCloseFor(open_time);
  bar.open = 100;
  bar.high = 101;
  bar.low = 99;
  bar.close = 100.5;
  bar.volume = 10;
  bar.quote_volume = 1000;
  return bar;
}

TEST(BarCheck, RealBarsPass) {
  EXPECT_EQ(CheckBar(Good(), k1m), std::nullopt);
  core::Bar flat = Good();  // no trade in the minute: every price the same, no volume
  flat.open = flat.high = flat.low = flat.close = 100;
  flat.volume = flat.quote_volume = 0;
  EXPECT_EQ(CheckBar(flat, k1m), std::nullopt);
  // A week opens on Monday (2024-01-01), a month on the 1st, each closing as Binance writes.
  EXPECT_EQ(CheckBar(Good(1'704'067'200'000, k1w), k1w), std::nullopt);
  EXPECT_EQ(CheckBar(Good(1'706'745'600'000, k1M), k1M), std::nullopt);  // 2024-02-01
}

TEST(BarCheck, EachDefectIsNamed) {
  auto check = [](auto change) {
    core::Bar bar = Good();
    change(bar);
    return CheckBar(bar, k1m);
  };
  EXPECT_EQ(check([](core::Bar& b) { b.close = std::numeric_limits<double>::quiet_NaN(); }),
            BarDefect::kNotFinite);
  EXPECT_EQ(check([](core::Bar& b) { b.high = std::numeric_limits<double>::infinity(); }),
            BarDefect::kNotFinite);
  EXPECT_EQ(check([](core::Bar& b) { b.quote_volume = -1; }), BarDefect::kNegativeVolume);
  EXPECT_EQ(check([](core::Bar& b) { b.high = 100.2; }), BarDefect::kHighBelowBody);
  EXPECT_EQ(check([](core::Bar& b) { b.low = 100.2; }), BarDefect::kLowAboveBody);
  EXPECT_EQ(check([](core::Bar& b) { b.low = 0; }), BarDefect::kNonPositive);
  EXPECT_EQ(check([](core::Bar& b) {
              b.open = b.close = b.high = -1;
              b.low = -2;
            }),
            BarDefect::kNonPositive);
  EXPECT_EQ(check([](core::Bar& b) { b.high = 1e300; }), BarDefect::kAbsurdRange);
  EXPECT_EQ(check([](core::Bar& b) { b.low = 0.05; }), BarDefect::kAbsurdRange);
  EXPECT_EQ(check([](core::Bar& b) { b.open_time += 1000; }), BarDefect::kOffInterval);
  EXPECT_EQ(check([](core::Bar& b) { b.close_time += 1; }), BarDefect::kOffInterval);
  // A week aligned on the epoch's Thursday, a month of 30 days: not Binance's bars.
  core::Bar thursday = Good(1'704'326'400'000, k1w);  // 2024-01-04
  thursday.close_time = thursday.open_time + 7 * core::kDay - 1;
  EXPECT_EQ(CheckBar(thursday, k1w), BarDefect::kOffInterval);
  core::Bar thirty_days = Good(1'706'745'600'000, k1M);
  thirty_days.close_time = thirty_days.open_time + 30 * core::kDay - 1;
  EXPECT_EQ(CheckBar(thirty_days, k1M), BarDefect::kOffInterval);
  EXPECT_EQ(BarDefectName(BarDefect::kAbsurdRange), "absurd_range");
}

}  // namespace
}  // namespace scanner::market
