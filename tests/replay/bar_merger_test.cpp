#include "replay/bar_merger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "support/bar_series.h"
#include "support/intervals.h"
#include "support/scratch_dir.h"
#include "support/zip_file.h"

namespace scanner::replay {
namespace {

using support::BinanceRow;
using support::I;
using support::ScratchDir;
using support::SeriesMaker;

constexpr core::Millis kMergeStart = 1'700'000'400'000 - 1'700'000'400'000 % core::kHour;

// (symbol, interval, open time) of each merged bar.
using Step = std::tuple<std::string, std::string, core::Millis>;

std::vector<Step> Drain(BarMerger& merger) {
  std::vector<Step> steps;
  MergedBar bar;
  while (merger.Next(bar)) {
    const SeriesKey& key = merger.series()[bar.series];
    steps.emplace_back(key.symbol, std::string(key.interval.Name()), bar.bar.open_time);
  }
  return steps;
}

std::string Rows(core::Millis start, core::Interval interval, int count, double level = 100) {
  SeriesMaker maker(start, interval, level);
  std::string rows;
  for (int i = 0; i < count; ++i) rows += BinanceRow(maker.Calm());
  return rows;
}

TEST(BarMerger, OrdersByCloseTimeThenLongestIntervalThenSymbol) {
  ScratchDir dir;
  const std::vector<ReplayInput> inputs = {
      {dir.Write("eth1m.csv", Rows(kMergeStart, I("1m"), 10)), "ETHUSDT", I("1m")},
      {dir.Write("btc1m.csv", Rows(kMergeStart, I("1m"), 10)), "BTCUSDT", I("1m")},
      {dir.Write("btc5m.csv", Rows(kMergeStart, I("5m"), 2)), "BTCUSDT", I("5m")},
  };
  IssueLog issues;
  BarMerger merger(inputs, issues);
  const std::vector<Step> steps = Drain(merger);
  ASSERT_EQ(steps.size(), 22u);
  // The first four minutes: BTC before ETH at each close.
  EXPECT_EQ(steps[0], (Step{"BTCUSDT", "1m", kMergeStart}));
  EXPECT_EQ(steps[1], (Step{"ETHUSDT", "1m", kMergeStart}));
  // At 00:05 the 5m bar closes with the fifth 1m bars and comes first.
  EXPECT_EQ(steps[8], (Step{"BTCUSDT", "5m", kMergeStart}));
  EXPECT_EQ(steps[9], (Step{"BTCUSDT", "1m", kMergeStart + 4 * core::kMinute}));
  EXPECT_EQ(steps[10], (Step{"ETHUSDT", "1m", kMergeStart + 4 * core::kMinute}));
  EXPECT_EQ(steps[19], (Step{"BTCUSDT", "5m", kMergeStart + 5 * core::kMinute}));
  EXPECT_EQ(issues.Total(), 0u);
  ASSERT_EQ(merger.series().size(), 3u);
  EXPECT_EQ(merger.input_status()[2].bars, 2u);
  EXPECT_TRUE(merger.input_status()[2].opened);

  // Every permutation of the inputs gives the same stream.
  std::vector<ReplayInput> permuted = inputs;
  std::sort(permuted.begin(), permuted.end(),
            [](const ReplayInput& a, const ReplayInput& b) { return a.path < b.path; });
  do {
    IssueLog other_issues;
    BarMerger other(permuted, other_issues);
    EXPECT_EQ(Drain(other), steps);
  } while (std::next_permutation(
      permuted.begin(), permuted.end(),
      [](const ReplayInput& a, const ReplayInput& b) { return a.path < b.path; }));
}

TEST(BarMerger, ReadsTheFilesOfASeriesInTheOrderOfTheirBars) {
  ScratchDir dir;
  const core::Millis day = core::kDay;
  // Named so that their path order is the reverse of their time order.
  const std::vector<ReplayInput> inputs = {
      {dir.Write("a-later.csv", Rows(kMergeStart + day, I("1h"), 3)), "BTCUSDT", I("1h")},
      {dir.Write("b-earlier.csv", Rows(kMergeStart, I("1h"), 3)), "BTCUSDT", I("1h")},
  };
  IssueLog issues;
  BarMerger merger(inputs, issues);
  const std::vector<Step> steps = Drain(merger);
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(std::get<2>(steps[0]), kMergeStart);
  EXPECT_EQ(std::get<2>(steps[3]), kMergeStart + day);
  EXPECT_TRUE(std::is_sorted(steps.begin(), steps.end()));
  EXPECT_EQ(issues.Total(), 0u);
}

TEST(BarMerger, SkipsAndReportsBarsOfOverlappingFiles) {
  ScratchDir dir;
  const std::string first = dir.Write("first.csv", Rows(kMergeStart, I("1m"), 5));
  const std::string overlap =
      dir.Write("overlap.csv", Rows(kMergeStart + 3 * core::kMinute, I("1m"), 5));
  IssueLog issues;
  BarMerger merger({{first, "BTCUSDT", I("1m")},
                    {overlap, "BTCUSDT", I("1m")},
                    {first, "BTCUSDT", I("1m")}},  // the same file twice
                   issues);
  const std::vector<Step> steps = Drain(merger);
  ASSERT_EQ(steps.size(), 8u);  // minutes 0..7, once each
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(std::get<2>(steps[i]), kMergeStart + static_cast<core::Millis>(i) * core::kMinute);
  }
  EXPECT_EQ(issues.Count(IssueKind::kDuplicate), 7u);  // 2 of overlap.csv, 5 of the repeat
  const ReadIssue& issue = issues.Detailed().at(0);
  EXPECT_EQ(issue.kind, IssueKind::kDuplicate);
  EXPECT_EQ(issue.line, 1u);
  EXPECT_TRUE(issue.file == overlap || issue.file == first);
  EXPECT_EQ(
      merger.input_status()[1].bars + merger.input_status()[0].bars + merger.input_status()[2].bars,
      8u);
}

TEST(BarMerger, ReportsAnUnreadableFileAndGoesOnWithTheOthers) {
  ScratchDir dir;
  const std::string good = dir.Write("good.csv", Rows(kMergeStart, I("1m"), 4));
  const std::string truncated =
      support::WriteZip(dir.Path("ETHUSDT-1m-2023-11-14.zip"),
                        {{"ETHUSDT-1m-2023-11-14.csv", Rows(kMergeStart, I("1m"), 400)}});
  std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) - 30);
  const std::string missing = dir.Path("missing.csv");
  IssueLog issues;
  BarMerger merger(
      {{missing, "BTCUSDT", I("1m")}, {truncated, "ETHUSDT", I("1m")}, {good, "BTCUSDT", I("1m")}},
      issues);
  EXPECT_EQ(Drain(merger).size(), 4u);
  EXPECT_EQ(issues.Count(IssueKind::kUnreadable), 2u);
  for (const ReadIssue& issue : issues.Detailed()) {
    EXPECT_EQ(issue.line, 0u);
    EXPECT_TRUE(issue.file == missing || issue.file == truncated) << issue.file;
  }
  EXPECT_FALSE(merger.input_status()[0].opened);
  EXPECT_FALSE(merger.input_status()[1].opened);
  EXPECT_TRUE(merger.input_status()[2].opened);
  EXPECT_EQ(merger.input_status()[2].bars, 4u);
}

}  // namespace
}  // namespace scanner::replay
