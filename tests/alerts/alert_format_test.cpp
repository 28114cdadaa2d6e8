#include "alerts/alert_format.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <sstream>
#include <vector>

#include "alerts/console_sink.h"
#include "support/candidates.h"

namespace scanner::alerts {
namespace {

using support::I;
using support::kSampleNoon;
using support::SampleAlert;

TEST(AlertFormat, PricesKeepSignificantDigits) {
  EXPECT_EQ(FormatPrice(64123.5), "64123.50");
  EXPECT_EQ(FormatPrice(1.23456), "1.2346");
  EXPECT_EQ(FormatPrice(0.5), "0.5000");
  EXPECT_EQ(FormatPrice(0.00001234), "0.00001234");
  EXPECT_EQ(FormatPrice(0), "0");
  EXPECT_EQ(FormatPrice(std::numeric_limits<double>::quiet_NaN()), "n/a");
}

core::Outcome OutcomeOf(std::vector<std::optional<double>> returns, std::optional<double> mfe,
                        std::optional<double> mae) {
  core::Outcome outcome;
  outcome.horizons = {1, 5, 20};
  outcome.returns_percent = std::move(returns);
  outcome.mfe_percent = mfe;
  outcome.mae_percent = mae;
  outcome.complete = true;
  return outcome;
}

TEST(AlertFormat, OutcomeLineShowsTheLongestMeasuredHorizonAndTheExtremes) {
  EXPECT_EQ(FormatOutcomeLine(OutcomeOf({0.4, 1.2, 2.1}, 3.43, -0.61)),
            "after 20 bars: +2.1 % (best +3.4 %, worst -0.6 %)");
  // The series ended early: the longest horizon with a value, without the extremes.
  EXPECT_EQ(FormatOutcomeLine(OutcomeOf({-0.3, 1.2, std::nullopt}, std::nullopt, std::nullopt)),
            "after 5 bars: +1.2 %");
  EXPECT_EQ(FormatOutcomeLine(OutcomeOf({-0.26, std::nullopt, std::nullopt}, 0.5, std::nullopt)),
            "after 1 bar: -0.3 % (best +0.5 %)");
  EXPECT_EQ(FormatOutcomeLine(OutcomeOf({std::nullopt, 1.0, std::nullopt}, std::nullopt, -1.25)),
            "after 5 bars: +1.0 % (worst -1.2 %)");
  EXPECT_EQ(FormatOutcomeLine(OutcomeOf({std::nullopt, std::nullopt, std::nullopt}, 1, -1)), "");
  EXPECT_EQ(FormatOutcomeLine(core::Outcome{}), "");
}

TEST(AlertFormat, PercentagesSignsAndCompactVolumes) {
  EXPECT_EQ(FormatSignedPercent(3.4189), "+3.42%");
  EXPECT_EQ(FormatSignedPercent(-0.5), "-0.50%");
  EXPECT_EQ(FormatPercent(0.8512), "0.85%");
  EXPECT_EQ(FormatSigned(-3.1), "-3.10");
  EXPECT_EQ(FormatCompact(845), "845");
  EXPECT_EQ(FormatCompact(12'345), "12.35K");
  EXPECT_EQ(FormatCompact(12'345'678), "12.35M");
  EXPECT_EQ(FormatCompact(1'250'000'000), "1.25B");
  EXPECT_EQ(FormatCompact(std::numeric_limits<double>::infinity()), "n/a");
  EXPECT_EQ(FormatConfirmations({}), "none");
  EXPECT_EQ(FormatConfirmations({I("15m"), I("1h")}), "15m, 1h");
}

TEST(AlertFormat, CloseTimeShowsTheBarBoundary) {
  core::Candidate c = SampleAlert();
  EXPECT_EQ(DisplayCloseTime(c), kSampleNoon + 5 * core::kMinute);
  c.bar_close_time = kSampleNoon + 5 * core::kMinute;  // already a boundary: unchanged
  EXPECT_EQ(DisplayCloseTime(c), kSampleNoon + 5 * core::kMinute);
}

TEST(AlertFormat, LateMeansMoreThanTwoBarsAfterClose) {
  core::Candidate c = SampleAlert();
  EXPECT_FALSE(IsLate(c, c.bar_close_time));
  EXPECT_FALSE(IsLate(c, c.bar_close_time + 10 * core::kMinute));
  EXPECT_TRUE(IsLate(c, c.bar_close_time + 10 * core::kMinute + 1));
}

TEST(AlertFormat, LateCountsCalendarMonths) {
  core::Candidate c = SampleAlert();
  c.interval = I("1M");
  c.bar_open_time = 1'706'745'600'000;   // 2024-02-01
  c.bar_close_time = 1'709'251'199'999;  // 2024-02-29T23:59:59.999Z
  // Two bars after February's close is the end of April (61 days), not 60 days later.
  EXPECT_FALSE(IsLate(c, 1'714'478'400'000));  // 2024-04-30T12:00Z
  EXPECT_FALSE(IsLate(c, 1'714'521'600'000 - 1));
  EXPECT_TRUE(IsLate(c, 1'714'521'600'000));  // 2024-05-01
}

TEST(AlertFormat, OneReadableLine) {
  EXPECT_EQ(FormatAlertLine(SampleAlert(), false),
            "2024-03-10T12:05:00.000Z ▲ BTCUSDT 5m up normal price=64123.50 change=+3.42% "
            "move=+3.10ATR return_z=+4.20 volume_z=+5.80 bar_qv=12.35M qv24h=1.25B atr=0.85% "
            "confirm=15m,1h spot");
  core::Candidate down = SampleAlert();
  down.direction = core::Direction::kDown;
  down.severity = core::Severity::kStrong;
  down.market = core::Market::kUsdm;
  down.confirmations.clear();
  std::string line = FormatAlertLine(down, true);
  EXPECT_NE(line.find("▼ BTCUSDT 5m down strong"), std::string::npos) << line;
  EXPECT_NE(line.find("confirm=none usdm LATE"), std::string::npos) << line;
}

TEST(AlertFormat, OneOutcomeLineWithEveryHorizonAndNullsReadingNa) {
  core::Outcome outcome;
  outcome.horizons = {1, 5, 20};
  outcome.returns_percent = {0.12, -0.8, std::nullopt};
  outcome.mfe_percent = 3.4;
  outcome.complete = true;
  EXPECT_EQ(FormatOutcomeTerminalLine(SampleAlert(), outcome),
            "2024-03-10T12:05:00.000Z BTCUSDT 5m up: +0.12% after 1, -0.80% after 5, n/a after 20 "
            "bars; best +3.40% worst n/a spot");
}

TEST(AlertFormat, LineCannotBeSplitOrColouredBySymbol) {
  core::Candidate c = SampleAlert();
  c.symbol = "EVIL\nFAKE ALERT\x1B[2J\xFF";
  std::string line = FormatAlertLine(c, false);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\x1B'), std::string::npos);
  EXPECT_NE(line.find("EVIL\uFFFDFAKE ALERT\uFFFD[2J\uFFFD"), std::string::npos) << line;
}

TEST(ConsoleSink, PrintsAnOutcomeAsOneLine) {
  std::ostringstream out;
  ConsoleSink sink(out);
  core::Outcome outcome;
  outcome.horizons = {5};
  outcome.returns_percent = {1.5};
  ASSERT_TRUE(sink.PrintOutcome(SampleAlert(), outcome));
  EXPECT_EQ(out.str(),
            "outcome: 2024-03-10T12:05:00.000Z BTCUSDT 5m up: +1.50% after 5 bars; best n/a worst "
            "n/a spot\n");
}

TEST(ConsoleSink, PrintsOneLinePerAlertAndCounts) {
  std::ostringstream out;
  ConsoleSink sink(out);
  ASSERT_TRUE(sink.Print(SampleAlert(), false));
  ASSERT_TRUE(sink.Print(SampleAlert(), true));
  EXPECT_EQ(sink.printed(), 2u);
  std::string text = out.str();
  EXPECT_EQ(text, FormatAlertLine(SampleAlert(), false) + "\n" +
                      FormatAlertLine(SampleAlert(), true) + "\n");
}

TEST(ConsoleSink, ReportsAFailedStream) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  ConsoleSink sink(out);
  EXPECT_FALSE(sink.Print(SampleAlert(), false));
  EXPECT_EQ(sink.printed(), 0u);
}

}  // namespace
}  // namespace scanner::alerts
