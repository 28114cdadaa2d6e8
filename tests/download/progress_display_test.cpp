#include "download/progress_display.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace scanner::download {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

FileReport Report(const char* name, FileOutcome outcome, std::uint64_t bytes,
                  std::string detail = "") {
  FileReport report;
  report.name = name;
  report.outcome = outcome;
  report.bytes = bytes;
  report.detail = std::move(detail);
  return report;
}

TEST(ProgressDisplay, PlainLinesWhenNotATerminal) {
  core::FakeClock clock(1'000'000);
  std::ostringstream out;
  ProgressDisplay progress(out, /*terminal=*/false, clock);
  progress.Planned(2);
  progress.Finished(Report("A-1m-2024-03.zip", FileOutcome::kDownloaded, 3 * 1024 * 1024));
  progress.Finished(Report("A-1m-2024-04-01.zip", FileOutcome::kNotPublished, 0, "404: gone"));
  progress.Close();
  EXPECT_EQ(out.str(),
            "[1/2] A-1m-2024-03.zip: downloaded, 3.0 MB\n"
            "[2/2] A-1m-2024-04-01.zip: not published: 404: gone\n");
}

TEST(ProgressDisplay, ABarOnATerminalWithRateAndTimeLeft) {
  core::FakeClock clock(1'000'000);
  std::ostringstream out;
  ProgressDisplay progress(out, /*terminal=*/true, clock);
  progress.Planned(4);
  clock.Advance(2 * core::kSecond);
  progress.Finished(Report("A-1m-2024-03.zip", FileOutcome::kDownloaded, 4 * 1024 * 1024));
  // 1 of 4 files in 2 s: 6 s left; 4 MB in 2 s.
  EXPECT_EQ(progress.BarText(),
            "[######------------------] 1/4 files  4.0 MB  2.0 MB/s  0:06 left");
  progress.Finished(Report("A-1m-2024-04-01.zip", FileOutcome::kChecksumMismatch, 0, "bad"));
  progress.Close();
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("\r[######"));
  // A failure is printed on its own line, the success only in the bar.
  EXPECT_THAT(text, HasSubstr("A-1m-2024-04-01.zip: checksum mismatch: bad\n"));
  EXPECT_THAT(text, Not(HasSubstr("A-1m-2024-03.zip: downloaded")));
  EXPECT_EQ(text.back(), '\n');
}

TEST(DownloadReport, SummaryAndCompleteness) {
  DownloadReport report;
  report.files.push_back(Report("A-1m-2024-03.zip", FileOutcome::kDownloaded, 2048));
  report.files.push_back(Report("A-1m-2024-04.zip", FileOutcome::kPresent, 0));
  EXPECT_TRUE(report.Complete());
  EXPECT_THAT(FormatSummary(report, 1.0), HasSubstr("2 files: 1 downloaded (2.0 KB in 1.0 s), "
                                                    "1 already present, 0 missing"));
  EXPECT_THAT(FormatSummary(report, 1.0), HasSubstr("everything asked for is there"));
  report.files.push_back(Report("A-1m-2024-05-01.zip", FileOutcome::kNetwork, 0, "timeout"));
  EXPECT_FALSE(report.Complete());
  EXPECT_THAT(FormatSummary(report, 1.0), HasSubstr("missing:\n  A-1m-2024-05-01.zip: network "
                                                    "error: timeout\n"));
}

}  // namespace
}  // namespace scanner::download
