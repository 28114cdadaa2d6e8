#include "core/time.h"

#include <gtest/gtest.h>

namespace scanner::core {
namespace {

TEST(Duration, ParsesEveryUnit) {
  EXPECT_EQ(ParseDuration("250ms"), 250);
  EXPECT_EQ(ParseDuration("90s"), 90'000);
  EXPECT_EQ(ParseDuration("5m"), 300'000);
  EXPECT_EQ(ParseDuration("1h"), 3'600'000);
  EXPECT_EQ(ParseDuration("7d"), 604'800'000);
  EXPECT_EQ(ParseDuration("0s"), 0);
}

TEST(Duration, RejectsMalformed) {
  for (const char* bad : {"", "30", "m", "-5m", "1.5h", "5 m", "5min", "h1", "99999999999999999999d"}) {
    EXPECT_FALSE(ParseDuration(bad).has_value()) << bad;
  }
}

TEST(Duration, FormatsShortestExactUnit) {
  EXPECT_EQ(FormatDuration(90'000), "90s");
  EXPECT_EQ(FormatDuration(3'600'000), "1h");
  EXPECT_EQ(FormatDuration(604'800'000), "7d");
  EXPECT_EQ(FormatDuration(1'500), "1500ms");
  EXPECT_EQ(FormatDuration(0), "0ms");
  for (Millis value : {Millis{1}, Millis{61'000}, Millis{5 * kMinute}, Millis{36 * kHour}}) {
    EXPECT_EQ(ParseDuration(FormatDuration(value)), value);
  }
}

TEST(IsoTime, FormatsUtcWithMillis) {
  EXPECT_EQ(FormatIsoUtc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoUtc(1'710'072'059'999), "2024-03-10T12:00:59.999Z");
}

}  // namespace
}  // namespace scanner::core
