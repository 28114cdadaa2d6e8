#include "replay/kline_file_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/bar_series.h"
#include "support/fixture_files.h"
#include "support/intervals.h"
#include "support/scratch_dir.h"
#include "support/zip_file.h"

namespace scanner::replay {
namespace {

inline std::string FixturePath(const std::string& name) {
  return support::FixturePath("replay", name);
}

using support::BinanceRow;
using support::I;
using support::ScratchDir;
using support::SeriesMaker;

constexpr core::Millis kStart = 1'735'689'600'000;  // 2025-01-01T00:00:00Z

struct Read {
  std::vector<FileBar> bars;
  IssueLog issues;
};

// Reads every bar of `path`; fails the test if it cannot be opened.
void ReadFile(const std::string& path, core::Interval interval, Read& read) {
  auto reader = KlineFileReader::Open(path, interval, read.issues);
  ASSERT_TRUE(reader) << reader.error().message;
  while (auto bar = (*reader)->Next()) read.bars.push_back(*bar);
  EXPECT_FALSE((*reader)->Next());  // stays at the end
}

std::vector<std::uint64_t> Lines(const Read& read) {
  std::vector<std::uint64_t> lines;
  for (const FileBar& bar : read.bars) lines.push_back(bar.line);
  return lines;
}

// The one issue at `line`, or a failure.
const ReadIssue* IssueAt(const Read& read, std::uint64_t line) {
  const ReadIssue* found = nullptr;
  for (const ReadIssue& issue : read.issues.Detailed()) {
    if (issue.line == line) {
      EXPECT_EQ(found, nullptr) << "two issues on line " << line;
      found = &issue;
    }
  }
  EXPECT_NE(found, nullptr) << "no issue on line " << line;
  return found;
}

TEST(KlineFileReader, ReadsARealSpotDailyFile) {
  Read read;
  ReadFile(FixturePath("ADABTC-1m-2021-11-27.csv"), I("1m"), read);
  ASSERT_EQ(read.bars.size(), 10u);
  EXPECT_EQ(read.issues.Total(), 0u);
  // 1637971200000,0.00002853,0.00002854,0.00002851,0.00002854,36304.20000000,1637971259999,
  // 1.03547608,79,...
  const core::Bar& first = read.bars[0].bar;
  EXPECT_EQ(first.open_time, 1'637'971'200'000);
  EXPECT_EQ(first.close_time, 1'637'971'259'999);
  EXPECT_DOUBLE_EQ(first.open, 0.00002853);
  EXPECT_DOUBLE_EQ(first.high, 0.00002854);
  EXPECT_DOUBLE_EQ(first.low, 0.00002851);
  EXPECT_DOUBLE_EQ(first.close, 0.00002854);
  EXPECT_DOUBLE_EQ(first.volume, 36304.2);
  EXPECT_DOUBLE_EQ(first.quote_volume, 1.03547608);
  EXPECT_EQ(first.trades, 79);
  EXPECT_TRUE(first.closed);
  EXPECT_EQ(read.bars[0].line, 1u);
  EXPECT_EQ(read.bars[9].bar.open_time, 1'637'971'200'000 + 9 * core::kMinute);
}

TEST(KlineFileReader, ReadsARealSimpleCsvWithHeaderAndDerivesQuoteVolumeAndCloseTime) {
  Read read;
  auto reader =
      KlineFileReader::Open(FixturePath("XRPUSDT-PERP_5m_2021-11.csv"), I("5m"), read.issues);
  ASSERT_TRUE(reader);
  auto first = (*reader)->Next();
  ASSERT_TRUE(first);
  EXPECT_TRUE((*reader)->has_header());
  EXPECT_EQ((*reader)->layout(), KlineFileReader::Layout::kSimple);
  // 1636934400000,1.1893,1.1954,1.1891,1.1941,9289043.5 on line 2.
  EXPECT_EQ(first->line, 2u);
  EXPECT_EQ(first->bar.open_time, 1'636'934'400'000);
  EXPECT_EQ(first->bar.close_time, 1'636'934'400'000 + 5 * core::kMinute - 1);
  EXPECT_DOUBLE_EQ(first->bar.quote_volume, 9289043.5 * 1.1941);
  std::size_t count = 1;
  while ((*reader)->Next()) ++count;
  EXPECT_EQ(count, 1999u);
  EXPECT_EQ(read.issues.Total(), 0u);
}

TEST(KlineFileReader, ReadsFuturesFilesWithAHeaderAndSpotFilesWithout) {
  ScratchDir dir;
  SeriesMaker maker(kStart, I("1m"));
  std::string rows;
  for (int i = 0; i < 3; ++i) rows += BinanceRow(maker.Calm());
  const std::string header =
      "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
      "taker_buy_quote_volume,ignore\n";
  Read with_header;
  ReadFile(dir.Write("futures.csv", header + rows), I("1m"), with_header);
  Read without_header;
  ReadFile(dir.Write("spot.csv", rows), I("1m"), without_header);
  ASSERT_EQ(with_header.bars.size(), 3u);
  ASSERT_EQ(without_header.bars.size(), 3u);
  EXPECT_EQ(with_header.issues.Total(), 0u);
  EXPECT_EQ(Lines(with_header), (std::vector<std::uint64_t>{2, 3, 4}));
  EXPECT_EQ(Lines(without_header), (std::vector<std::uint64_t>{1, 2, 3}));
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(with_header.bars[i].bar, without_header.bars[i].bar);
}

TEST(KlineFileReader, DetectsMicrosecondTimestampsAndReturnsMilliseconds) {
  ScratchDir dir;
  SeriesMaker maker(kStart, I("1m"));
  const core::Bar a = maker.Calm();
  const core::Bar b = maker.Calm();
  Read micro;
  ReadFile(dir.Write("micro.csv", BinanceRow(a, 1000) + BinanceRow(b, 1000)), I("1m"), micro);
  Read milli;
  ReadFile(dir.Write("milli.csv", BinanceRow(a) + BinanceRow(b)), I("1m"), milli);
  ASSERT_EQ(micro.bars.size(), 2u);
  ASSERT_EQ(milli.bars.size(), 2u);
  EXPECT_EQ(micro.issues.Total(), 0u);
  EXPECT_EQ(micro.bars[0].bar.open_time, kStart);
  EXPECT_EQ(micro.bars[0].bar.close_time, kStart + core::kMinute - 1);
  EXPECT_EQ(micro.bars[1].bar, milli.bars[1].bar);
}

TEST(KlineFileReader, ReadsAZipWrittenByTheTest) {
  ScratchDir dir;
  SeriesMaker maker(kStart, I("5m"));
  std::string rows;
  for (int i = 0; i < 100; ++i) rows += BinanceRow(maker.Calm(), 1000);
  Read read;
  ReadFile(support::WriteZip(dir.Path("BTCUSDT-5m-2025-01-01.zip"),
                             {{"BTCUSDT-5m-2025-01-01.csv", rows}}),
           I("5m"), read);
  ASSERT_EQ(read.bars.size(), 100u);
  EXPECT_EQ(read.issues.Total(), 0u);
  EXPECT_EQ(read.bars[99].bar.open_time, kStart + 99 * 5 * core::kMinute);
}

TEST(KlineFileReader, ReadsSimpleRowsWithAndWithoutQuoteVolumeOrHeader) {
  ScratchDir dir;
  Read six;
  ReadFile(dir.Write("six.csv", "1735689600000,1,2,0.5,1.5,10\n1735689900000, 1.5 ,2,1,2,4\n"),
           I("5m"), six);
  ASSERT_EQ(six.bars.size(), 2u);
  EXPECT_DOUBLE_EQ(six.bars[0].bar.quote_volume, 15);
  EXPECT_DOUBLE_EQ(six.bars[1].bar.open, 1.5);  // spaces around a field are fine
  EXPECT_DOUBLE_EQ(six.bars[1].bar.quote_volume, 8);
  Read seven;
  ReadFile(dir.Write("seven.csv",
                     "open_time,open,high,low,close,volume,quote_volume\n"
                     "1735689600000,1,2,0.5,1.5,10,14.25\n"),
           I("5m"), seven);
  ASSERT_EQ(seven.bars.size(), 1u);
  EXPECT_DOUBLE_EQ(seven.bars[0].bar.quote_volume, 14.25);
  EXPECT_EQ(seven.bars[0].bar.close_time, 1'735'689'600'000 + 5 * core::kMinute - 1);
}

TEST(KlineFileReader, EndsMonthlyBarsOnTheCalendarMonth) {
  const core::Interval month = I("1M");
  ScratchDir dir;
  Read read;
  ReadFile(dir.Write("BTCUSDT-1mo-2024.csv",
                     "1706745600000,1,2,0.5,1.5,10,1709251199999,15,3,0,0,0\n"
                     "1709251200000,1,2,0.5,1.5,10,1711929599999,15,3,0,0,0\n"),
           month, read);
  EXPECT_EQ(read.bars.size(), 2u);
  EXPECT_EQ(read.issues.Total(), 0u);
  // Without a close_time column, February 2024 ends on the 29th.
  Read simple;
  ReadFile(dir.Write("simple-1mo.csv", "1706745600000,1,2,0.5,1.5,10\n"), month, simple);
  ASSERT_EQ(simple.bars.size(), 1u);
  EXPECT_EQ(simple.bars[0].bar.close_time, 1'709'251'199'999);
}

TEST(KlineFileReader, ReadsWeeksOpenedOnMondayAndRefusesBarsOffTheInterval) {
  ScratchDir dir;
  Read week;
  ReadFile(dir.Write("BTCUSDT-1w.csv",
                     // Thursday 2024-02-29 to Wednesday: a week counted from the epoch's Thursday.
                     "1709164800000,1,2,0.5,1.5,10,1709769599999,15,3,0,0,0\n"
                     // Monday 2024-03-04 to Sunday 2024-03-10T23:59:59.999Z: Binance's week.
                     "1709510400000,1,2,0.5,1.5,10,1710115199999,15,3,0,0,0\n"),
           I("1w"), week);
  EXPECT_EQ(Lines(week), (std::vector<std::uint64_t>{2}));
  ASSERT_EQ(week.issues.Total(), 1u);
  EXPECT_EQ(IssueAt(week, 1)->kind, IssueKind::kBadValue);
  EXPECT_NE(IssueAt(week, 1)->detail.find("1709164800000 is not the open time of a 1w bar"),
            std::string::npos)
      << IssueAt(week, 1)->detail;

  // The simple layout has no close_time to check: the open time alone must be a bar's.
  Read simple;
  ReadFile(dir.Write("simple.csv",
                     "1735689720000,1,2,0.5,1.5,10\n"    // 00:02, not a 5m boundary
                     "1735689900000,1,2,0.5,1.5,10\n"),  // 00:05
           I("5m"), simple);
  EXPECT_EQ(Lines(simple), (std::vector<std::uint64_t>{2}));
  ASSERT_EQ(simple.issues.Total(), 1u);
  EXPECT_EQ(IssueAt(simple, 1)->kind, IssueKind::kBadValue);
}

TEST(KlineFileReader, ReportsEveryBadRowWithItsLineAndReadsTheRest) {
  ScratchDir dir;
  SeriesMaker maker(kStart, I("1m"));
  std::vector<core::Bar> bars;
  for (int i = 0; i < 8; ++i) bars.push_back(maker.Calm());
  core::Bar off_interval = bars[6];
  off_interval.close_time += core::kMinute;
  std::string text;
  text += BinanceRow(bars[0]);                                            // 1
  text += "1735689660000,1,2,3\n";                                        // 2 column count
  text += BinanceRow(bars[1]);                                            // 3
  text += "1735689720000,1.0,abc,0.5,1.5,10,1735689779999,15,3,0,0,0\n";  // 4 not numeric
  text += BinanceRow(bars[2]);                                            // 5
  text += BinanceRow(bars[2]);                                            // 6 duplicate
  text += BinanceRow(bars[4]);                                  // 7 (bars[3] missing: a gap)
  text += BinanceRow(bars[3]);                                  // 8 out of order
  text += std::string(5000, '9') + "\n";                        // 9 too long
  text += "\n";                                                 // 10 blank: ignored
  text += "1735690020000,0,1,1,1,1,1735690079999,1,1,0,0,0\n";  // 11 price 0
  text += BinanceRow(off_interval);                             // 12 close_time off
  text += "1735690080000,1,1,1,1,1,1735690139999,1,1,0,0\n";    // 13 11 columns
  text += BinanceRow(bars[7]);                                  // 14, no newline next
  text.pop_back();
  const std::string path = dir.Write("bad.csv", text);
  Read read;
  ReadFile(path, I("1m"), read);

  EXPECT_EQ(Lines(read), (std::vector<std::uint64_t>{1, 3, 5, 7, 14}));
  // Passed on after the hole, as it is.
  EXPECT_EQ(read.bars[3].bar.open_time, bars[4].open_time);
  EXPECT_NEAR(read.bars[3].bar.close, bars[4].close, 1e-6);
  EXPECT_EQ(read.issues.Total(), 8u);
  EXPECT_EQ(read.issues.Count(IssueKind::kColumnCount), 2u);
  EXPECT_EQ(read.issues.Count(IssueKind::kNotNumeric), 1u);
  EXPECT_EQ(read.issues.Count(IssueKind::kDuplicate), 1u);
  EXPECT_EQ(read.issues.Count(IssueKind::kOutOfOrder), 1u);
  EXPECT_EQ(read.issues.Count(IssueKind::kLineTooLong), 1u);
  EXPECT_EQ(read.issues.Count(IssueKind::kBadValue), 2u);
  for (const ReadIssue& issue : read.issues.Detailed()) EXPECT_EQ(issue.file, path);

  EXPECT_EQ(IssueAt(read, 2)->kind, IssueKind::kColumnCount);
  const ReadIssue* not_numeric = IssueAt(read, 4);
  EXPECT_EQ(not_numeric->kind, IssueKind::kNotNumeric);
  EXPECT_NE(not_numeric->detail.find("column 3 (high): \"abc\""), std::string::npos)
      << not_numeric->detail;
  EXPECT_EQ(IssueAt(read, 6)->kind, IssueKind::kDuplicate);
  EXPECT_NE(IssueAt(read, 6)->detail.find("line 5"), std::string::npos);
  EXPECT_EQ(IssueAt(read, 8)->kind, IssueKind::kOutOfOrder);
  EXPECT_EQ(IssueAt(read, 9)->kind, IssueKind::kLineTooLong);
  EXPECT_EQ(IssueAt(read, 11)->kind, IssueKind::kBadValue);
  EXPECT_NE(IssueAt(read, 12)->detail.find("does not end a 1m bar"), std::string::npos);
  EXPECT_NE(IssueAt(read, 13)->detail.find("11 columns; expected 12"), std::string::npos);
  EXPECT_EQ(FormatIssue(*IssueAt(read, 8)).rfind(path + ":8: out_of_order: ", 0), 0u);
}

TEST(KlineFileReader, ReadsTheBarsBeforeADamagedZipEntryAndReportsWhereItStopped) {
  ScratchDir dir;
  SeriesMaker maker(kStart, I("1m"));
  std::string rows;
  for (int i = 0; i < 5; ++i) rows += BinanceRow(maker.Calm());
  const std::string path = support::WriteZip(dir.Path("c.zip"), {{"c.csv", rows}}, /*store=*/true);
  std::string bytes = support::ReadText(path);
  // The last row's `ignore` column: the row still reads the same, the CRC no longer matches.
  const std::size_t tail = bytes.rfind(",0,0,0\n");
  ASSERT_NE(tail, std::string::npos);
  bytes[tail + 5] = '1';
  dir.Write("c.zip", bytes);
  Read read;
  ReadFile(path, I("1m"), read);
  EXPECT_EQ(read.bars.size(), 5u);  // the damage shows only at the end of the entry
  ASSERT_EQ(read.issues.Count(IssueKind::kUnreadable), 1u);
  EXPECT_EQ(read.issues.Detailed()[0].line, 6u);
  EXPECT_NE(read.issues.Detailed()[0].detail.find("damaged archive"), std::string::npos);
}

TEST(KlineFileReader, KeepsOnlyTheFirstIssuesOfAFileInFull) {
  ScratchDir dir;
  std::string text;
  for (int i = 0; i < 50; ++i) text += "garbage\n";
  Read read;
  ReadFile(dir.Write("junk.csv", "1735689600000,1,1,1,1,1\n" + text), I("1m"), read);
  EXPECT_EQ(read.bars.size(), 1u);
  EXPECT_EQ(read.issues.Total(), 50u);
  EXPECT_EQ(read.issues.Detailed().size(), IssueLog::kMaxDetailedPerFile);
  ASSERT_EQ(read.issues.Omitted().size(), 1u);
  EXPECT_EQ(read.issues.Omitted().begin()->second, 50u - IssueLog::kMaxDetailedPerFile);
}

}  // namespace
}  // namespace scanner::replay
