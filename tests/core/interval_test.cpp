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

}  // namespace
}  // namespace scanner::core
