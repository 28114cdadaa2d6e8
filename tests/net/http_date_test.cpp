// ParseHttpDate / FormatHttpDate: real Date header values, the round trip, and the malformed
// values a proxy or a broken server might send, none of which may pass for a time.

#include "net/http_date.h"

#include <gtest/gtest.h>

namespace scanner::net {
namespace {

TEST(HttpDate, ParsesRealImfFixdates) {
  // RFC 9110's own example, and Date headers as api.binance.com sends them.
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777000);
  EXPECT_EQ(ParseHttpDate("Fri, 22 Oct 2021 23:13:00 GMT"), 1634944380000);
  EXPECT_EQ(ParseHttpDate("Sun, 10 Mar 2024 12:00:05 GMT"), 1710072005000);
  EXPECT_EQ(ParseHttpDate("Thu, 29 Feb 2024 23:59:59 GMT"), 1709251199000);
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(ParseHttpDate("Wed, 31 Dec 1969 23:59:59 GMT"), -1000);
  // Optional whitespace around a field value.
  EXPECT_EQ(ParseHttpDate(" \tSun, 06 Nov 1994 08:49:37 GMT "), 784111777000);
}

TEST(HttpDate, ALeapSecondNeverReadsAsTheNextMinute) {
  EXPECT_EQ(ParseHttpDate("Sat, 31 Dec 2016 23:59:60 GMT"),
            ParseHttpDate("Sat, 31 Dec 2016 23:59:59 GMT"));
}

TEST(HttpDate, RefusesEverythingElse) {
  for (const char* bad : {
           "",
           "GMT",
           "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850: obsolete
           "Sun Nov  6 08:49:37 1994",        // asctime: obsolete
           "Sun, 6 Nov 1994 08:49:37 GMT",    // one-digit day
           "Sun, 06 Nov 1994 08:49:37 UTC",   // only GMT
           "Sun, 06 Nov 1994 08:49:37 +0000",
           "sun, 06 Nov 1994 08:49:37 GMT",  // names are case-sensitive
           "Sun, 06 nov 1994 08:49:37 GMT",
           "Mon, 06 Nov 1994 08:49:37 GMT",  // the 6th was a Sunday
           "Sun, 06 Foo 1994 08:49:37 GMT",
           "Fri, 30 Feb 2024 00:00:00 GMT",  // no such day
           "Sun, 00 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 24:00:00 GMT",
           "Sun, 06 Nov 1994 08:60:37 GMT",
           "Sun, 06 Nov 1994 08:49:61 GMT",
           "Sun, 06 Nov 1994 08:49:3x GMT",
           "Sun, 06 Nov 1994 08-49-37 GMT",
           "Sun; 06 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 08:49:37 GMT trailing",
           "Sun, 06 Nov -994 08:49:37 GMT",
           "1710072005",
       }) {
    EXPECT_EQ(ParseHttpDate(bad), std::nullopt) << "'" << bad << "'";
  }
}

TEST(HttpDate, FormatsTheSecondItFallsIn) {
  EXPECT_EQ(FormatHttpDate(784111777000), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(784111777999), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
  EXPECT_EQ(FormatHttpDate(253402300799000), "Fri, 31 Dec 9999 23:59:59 GMT");
}

TEST(HttpDate, RoundTripsEverySecondOfADayAndManyDays) {
  // A leap day, a year end and the Unix epoch, each over a whole day, second by second.
  for (core::Millis start : {1709164800000LL, 1704067200000LL - core::kDay, 0LL}) {
    for (core::Millis t = start; t < start + core::kDay; t += core::kSecond) {
      ASSERT_EQ(ParseHttpDate(FormatHttpDate(t)), t) << FormatHttpDate(t);
    }
  }
  for (core::Millis t = 0; t < 60LL * 365 * core::kDay; t += 7919 * core::kSecond + 1) {
    ASSERT_EQ(ParseHttpDate(FormatHttpDate(t)), t / core::kSecond * core::kSecond) << t;
  }
}

}  // namespace
}  // namespace scanner::net
