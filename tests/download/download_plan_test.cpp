#include "download/download_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "download/vision_layout.h"

#include "support/intervals.h"

namespace scanner::download {
namespace {

using std::chrono::year_month_day;

year_month_day Day(const char* text) { return *ParseDay(text); }

using support::I;

std::vector<std::string> Names(const std::vector<DumpFile>& files) {
  std::vector<std::string> names;
  for (const DumpFile& file : files) names.push_back(FileName(file));
  return names;
}

TEST(ParseDay, AcceptsRealDaysOnly) {
  EXPECT_EQ(ParseDay("2024-02-29"),
            (year_month_day{std::chrono::year{2024}, std::chrono::February, std::chrono::day{29}}));
  EXPECT_FALSE(ParseDay("2023-02-29"));
  EXPECT_FALSE(ParseDay("2024-13-01"));
  EXPECT_FALSE(ParseDay("2024-3-01"));
  EXPECT_FALSE(ParseDay("2024-03-01x"));
  EXPECT_FALSE(ParseDay(""));
  EXPECT_FALSE(ParseDay("yesterday!"));
  EXPECT_EQ(FormatDay(Day("2024-03-05")), "2024-03-05");
}

TEST(DownloadPlan, WholeMonthsAreMonthlyFilesTheRestDaily) {
  auto plan = PlanDownloads({{"BTCUSDT"}, {I("1m")}, Day("2024-02-27"), Day("2024-04-02")});
  EXPECT_THAT(Names(plan),
              ::testing::ElementsAre("BTCUSDT-1m-2024-02-27.zip", "BTCUSDT-1m-2024-02-28.zip",
                                     "BTCUSDT-1m-2024-02-29.zip", "BTCUSDT-1m-2024-03.zip",
                                     "BTCUSDT-1m-2024-04-01.zip", "BTCUSDT-1m-2024-04-02.zip"));
  EXPECT_EQ(plan[3].period, Period::kMonthly);
  EXPECT_EQ(plan[0].period, Period::kDaily);
}

TEST(DownloadPlan, OneDayAndOneWholeMonth) {
  EXPECT_THAT(Names(PlanDownloads({{"ETHUSDT"}, {I("5m")}, Day("2024-03-10"), Day("2024-03-10")})),
              ::testing::ElementsAre("ETHUSDT-5m-2024-03-10.zip"));
  EXPECT_THAT(Names(PlanDownloads({{"ETHUSDT"}, {I("5m")}, Day("2024-03-01"), Day("2024-03-31")})),
              ::testing::ElementsAre("ETHUSDT-5m-2024-03.zip"));
}

TEST(DownloadPlan, SymbolsThenIntervalsThenTime) {
  auto plan = PlanDownloads(
      {{"BTCUSDT", "ETHUSDT"}, {I("1h"), I("15m")}, Day("2024-01-01"), Day("2024-02-29")});
  EXPECT_THAT(Names(plan),
              ::testing::ElementsAre("BTCUSDT-1h-2024-01.zip", "BTCUSDT-1h-2024-02.zip",
                                     "BTCUSDT-15m-2024-01.zip", "BTCUSDT-15m-2024-02.zip",
                                     "ETHUSDT-1h-2024-01.zip", "ETHUSDT-1h-2024-02.zip",
                                     "ETHUSDT-15m-2024-01.zip", "ETHUSDT-15m-2024-02.zip"));
}

TEST(DownloadPlan, IntervalsWithoutDailyFilesTakeTheMonthsTouched) {
  auto plan =
      PlanDownloads({{"BTCUSDT"}, {I("1w"), I("1M")}, Day("2024-03-10"), Day("2024-04-02")});
  EXPECT_THAT(Names(plan),
              ::testing::ElementsAre("BTCUSDT-1w-2024-03.zip", "BTCUSDT-1w-2024-04.zip",
                                     "BTCUSDT-1mo-2024-03.zip", "BTCUSDT-1mo-2024-04.zip"));
  EXPECT_FALSE(HasDailyFiles(I("3d")));
  EXPECT_TRUE(HasDailyFiles(I("1d")));
}

TEST(DownloadPlan, ToBeforeFromPlansNothing) {
  EXPECT_TRUE(
      PlanDownloads({{"BTCUSDT"}, {I("1m")}, Day("2024-03-02"), Day("2024-03-01")}).empty());
}

TEST(DownloadPlan, DailyFilesOfAMonthStayInTheRange) {
  const DumpFile march{"BTCUSDT", I("1m"), Period::kMonthly, Day("2024-03-01")};
  auto days = DailyFilesOf(march, Day("2024-02-20"), Day("2024-03-03"));
  EXPECT_THAT(Names(days),
              ::testing::ElementsAre("BTCUSDT-1m-2024-03-01.zip", "BTCUSDT-1m-2024-03-02.zip",
                                     "BTCUSDT-1m-2024-03-03.zip"));
  EXPECT_EQ(DailyFilesOf(march, Day("2024-03-01"), Day("2024-03-31")).size(), 31u);
  const DumpFile weekly{"BTCUSDT", I("1w"), Period::kMonthly, Day("2024-03-01")};
  EXPECT_TRUE(DailyFilesOf(weekly, Day("2024-03-01"), Day("2024-03-31")).empty());
}

}  // namespace
}  // namespace scanner::download
