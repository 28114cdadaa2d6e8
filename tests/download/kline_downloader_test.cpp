// The downloader against the fake data.binance.vision: only verified files land, faults are
// retried or reported, a second run fetches nothing, an interrupted run resumes.

#include "download/kline_downloader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>

#include "download/checksum_file.h"
#include "download/sha256.h"
#include "download/vision_layout.h"
#include "fakes/fake_vision.h"
#include "support/fixture_files.h"
#include "support/kline_dump.h"
#include "support/loop_thread.h"
#include "support/scratch_dir.h"

#include "support/intervals.h"

namespace scanner::download {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr core::Millis kHour = core::kHour;
constexpr core::Millis kFeb2024 = 1'706'745'600'000;  // 2024-02-01T00:00:00Z
constexpr core::Millis kMar2024 = 1'709'251'200'000;  // 2024-03-01T00:00:00Z

using support::I;
std::chrono::year_month_day Day(const char* text) { return *ParseDay(text); }

class Recorder final : public DownloadObserver {
 public:
  void Planned(std::size_t count) override { planned += count; }
  void Finished(const FileReport& report) override { finished.push_back(report.name); }
  std::size_t planned = 0;
  std::vector<std::string> finished;
};

class KlineDownloaderTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    fakes::FakeVisionOptions options;
    if (GetParam()) {
      options.cert_file = support::FixturePath("tls", "server.pem");
      options.key_file = support::FixturePath("tls", "server.key");
    }
    options.slow_delay = std::chrono::milliseconds(600);
    auto fake = loop_.Run([&] { return fakes::FakeVision::Start(loop_.io(), options); });
    ASSERT_TRUE(fake) << fake.error().message;
    fake_ = std::move(*fake);
  }
  void TearDown() override {
    loop_.Run([this] { fake_.reset(); });
  }

  // Publishes the 1h file of BTCUSDT for a month (monthly) or a day (daily).
  std::string PublishMonth(const char* month_day, core::Millis open, int days) {
    DumpFile file{"BTCUSDT", I("1h"), Period::kMonthly, Day(month_day)};
    return PublishFile(file, open, days * 24);
  }
  std::string PublishDay(const char* day, core::Millis open) {
    return PublishFile(DumpFile{"BTCUSDT", I("1h"), Period::kDaily, Day(day)}, open, 24);
  }
  std::string PublishFile(const DumpFile& file, core::Millis open, int bars) {
    const std::string name = FileName(file);
    const std::string csv = name.substr(0, name.size() - 4) + ".csv";
    const std::string path = UrlPath(core::Market::kSpot, file);
    fake_->Publish(path, support::KlineZipBytes(csv, support::KlineRows(open, kHour, bars)));
    return path;
  }

  DownloadReport Download(const char* from, const char* to, int max_attempts = 3) {
    boost::asio::io_context io;
    net::HttpClientOptions http_options;
    http_options.ca_file = support::FixturePath("tls", "ca.pem");
    http_options.request_timeout = std::chrono::milliseconds(300);
    auto client = net::HttpClient::Create(io, http_options, nullptr);
    EXPECT_TRUE(client) << client.error().message;
    FileFetcher fetcher(
        io, **client,
        FetchOptions{.max_attempts = max_attempts,
                     .backoff = {.initial = 1, .max = 4, .multiplier = 2.0, .jitter = 0.5}},
        [this](core::Millis delay) { delays_.push_back(delay); }, 7);
    KlineDownloader downloader(fetcher,
                               {.base_url = fake_->BaseUrl(),
                                .market = core::Market::kSpot,
                                .dir = dir_.path() / "klines",
                                .checksum_attempts = 2},
                               observer_);
    DownloadReport report = downloader.Run({{"BTCUSDT"}, {I("1h")}, Day(from), Day(to)});
    (*client)->Shutdown();
    return report;
  }

  fs::path Local(const std::string& name) const {
    return dir_.path() / "klines" / "BTCUSDT" / "1h" / name;
  }
  // The file is there, its kept .CHECKSUM too, and they agree; no .part is left.
  void ExpectVerified(const std::string& name) const {
    const fs::path path = Local(name);
    ASSERT_TRUE(fs::exists(path)) << name;
    auto kept = ParseChecksumFile(support::ReadText(path.string() + ".CHECKSUM"), name);
    ASSERT_TRUE(kept) << kept.error().message;
    EXPECT_EQ(*kept, *Sha256HexOfFile(path));
    EXPECT_FALSE(fs::exists(path.string() + ".part"));
  }
  void ExpectAbsent(const std::string& name) const {
    EXPECT_FALSE(fs::exists(Local(name))) << name;
    EXPECT_FALSE(fs::exists(Local(name).string() + ".CHECKSUM")) << name;
    EXPECT_FALSE(fs::exists(Local(name).string() + ".part")) << name;
  }
  const FileReport& Of(const DownloadReport& report, const std::string& name) {
    for (const FileReport& file : report.files) {
      if (file.name == name) return file;
    }
    ADD_FAILURE() << name << " not in the report";
    return report.files.front();
  }

  support::ScratchDir dir_;
  Recorder observer_;
  std::vector<core::Millis> delays_;
  std::unique_ptr<fakes::FakeVision> fake_;
  support::LoopThread loop_;
};

TEST_P(KlineDownloaderTest, DownloadsMonthsAndDaysVerified) {
  PublishMonth("2024-02-01", kFeb2024, 29);
  PublishDay("2024-03-01", kMar2024);
  PublishDay("2024-03-02", kMar2024 + core::kDay);
  DownloadReport report = Download("2024-02-01", "2024-03-02");
  EXPECT_TRUE(report.Complete()) << FormatSummary(report, 0);
  ASSERT_EQ(report.files.size(), 3u);
  for (const FileReport& file : report.files) {
    EXPECT_EQ(file.outcome, FileOutcome::kDownloaded) << file.name << ": " << file.detail;
    EXPECT_GT(file.bytes, 0u);
  }
  ExpectVerified("BTCUSDT-1h-2024-02.zip");
  ExpectVerified("BTCUSDT-1h-2024-03-01.zip");
  ExpectVerified("BTCUSDT-1h-2024-03-02.zip");
  EXPECT_EQ(observer_.planned, 3u);
  EXPECT_EQ(observer_.finished.size(), 3u);
}

TEST_P(KlineDownloaderTest, SecondRunFetchesNothing) {
  PublishMonth("2024-02-01", kFeb2024, 29);
  PublishDay("2024-03-01", kMar2024);
  ASSERT_TRUE(Download("2024-02-01", "2024-03-01").Complete());
  const int requests = fake_->TotalRequests();
  DownloadReport again = Download("2024-02-01", "2024-03-01");
  EXPECT_TRUE(again.Complete());
  EXPECT_EQ(fake_->TotalRequests(), requests);
  for (const FileReport& file : again.files) EXPECT_EQ(file.outcome, FileOutcome::kPresent);
  EXPECT_EQ(again.BytesDownloaded(), 0u);
}

TEST_P(KlineDownloaderTest, AFileDamagedOnDiskIsFetchedAgain) {
  const std::string path = PublishDay("2024-03-01", kMar2024);
  ASSERT_TRUE(Download("2024-03-01", "2024-03-01").Complete());
  std::ofstream(Local("BTCUSDT-1h-2024-03-01.zip"), std::ios::binary | std::ios::app) << "junk";
  DownloadReport again = Download("2024-03-01", "2024-03-01");
  EXPECT_TRUE(again.Complete());
  EXPECT_EQ(again.files.at(0).outcome, FileOutcome::kDownloaded);
  EXPECT_EQ(fake_->Requests(path), 2);
  ExpectVerified("BTCUSDT-1h-2024-03-01.zip");
}

TEST_P(KlineDownloaderTest, ACorruptBodyIsFetchedAgain) {
  const std::string path = PublishDay("2024-03-01", kMar2024);
  fake_->InjectFault(path, fakes::VisionFault::kCorrupt, 1);
  DownloadReport report = Download("2024-03-01", "2024-03-01");
  EXPECT_TRUE(report.Complete()) << FormatSummary(report, 0);
  EXPECT_EQ(fake_->Requests(path), 2);
  ExpectVerified("BTCUSDT-1h-2024-03-01.zip");
}

TEST_P(KlineDownloaderTest, AlwaysCorruptIsReportedAndNothingIsKept) {
  const std::string path = PublishDay("2024-03-01", kMar2024);
  PublishDay("2024-03-02", kMar2024 + core::kDay);
  fake_->InjectFault(path, fakes::VisionFault::kCorrupt, -1);
  DownloadReport report = Download("2024-03-01", "2024-03-02");
  EXPECT_FALSE(report.Complete());
  const FileReport& bad = Of(report, "BTCUSDT-1h-2024-03-01.zip");
  EXPECT_EQ(bad.outcome, FileOutcome::kChecksumMismatch);
  EXPECT_THAT(bad.detail, HasSubstr("2 attempts"));
  EXPECT_EQ(fake_->Requests(path), 2);  // checksum_attempts
  ExpectAbsent("BTCUSDT-1h-2024-03-01.zip");
  ExpectVerified("BTCUSDT-1h-2024-03-02.zip");  // and the rest goes on
  EXPECT_THAT(FormatSummary(report, 1), HasSubstr("BTCUSDT-1h-2024-03-01.zip: checksum mismatch"));
}

TEST_P(KlineDownloaderTest, MissingOrMalformedChecksumIsNeverKept) {
  DumpFile first{"BTCUSDT", I("1h"), Period::kDaily, Day("2024-03-01")};
  const std::string path = UrlPath(core::Market::kSpot, first);
  fake_->Publish(
      path,
      support::KlineZipBytes("BTCUSDT-1h-2024-03-01.csv", support::KlineRows(kMar2024, kHour, 24)),
      /*with_checksum=*/false);
  const std::string second = PublishDay("2024-03-02", kMar2024 + core::kDay);
  fake_->SetChecksumText(second, "<html><body>503 Service Temporarily Unavailable</body></html>");
  DownloadReport report = Download("2024-03-01", "2024-03-02");
  EXPECT_FALSE(report.Complete());
  EXPECT_EQ(Of(report, "BTCUSDT-1h-2024-03-01.zip").outcome, FileOutcome::kBadChecksum);
  EXPECT_THAT(Of(report, "BTCUSDT-1h-2024-03-01.zip").detail, HasSubstr("no .CHECKSUM"));
  EXPECT_EQ(Of(report, "BTCUSDT-1h-2024-03-02.zip").outcome, FileOutcome::kBadChecksum);
  EXPECT_THAT(Of(report, "BTCUSDT-1h-2024-03-02.zip").detail, HasSubstr("malformed"));
  ExpectAbsent("BTCUSDT-1h-2024-03-01.zip");
  ExpectAbsent("BTCUSDT-1h-2024-03-02.zip");
}

TEST_P(KlineDownloaderTest, ABodyThatIsNoZipIsRefused) {
  DumpFile day{"BTCUSDT", I("1h"), Period::kDaily, Day("2024-03-01")};
  fake_->Publish(UrlPath(core::Market::kSpot, day), "<html>not a zip</html>");
  DownloadReport report = Download("2024-03-01", "2024-03-01");
  EXPECT_EQ(report.files.at(0).outcome, FileOutcome::kNotAZip);
  ExpectAbsent("BTCUSDT-1h-2024-03-01.zip");
}

TEST_P(KlineDownloaderTest, NotFoundIsSaidPlainlyAndTheRestGoesOn) {
  PublishDay("2024-03-02", kMar2024 + core::kDay);
  DownloadReport report = Download("2024-03-01", "2024-03-02");
  EXPECT_FALSE(report.Complete());
  const FileReport& missing = Of(report, "BTCUSDT-1h-2024-03-01.zip");
  EXPECT_EQ(missing.outcome, FileOutcome::kNotPublished);
  EXPECT_THAT(missing.detail, HasSubstr("does not exist (not published yet, or the symbol was "
                                        "not listed then)"));
  ExpectAbsent("BTCUSDT-1h-2024-03-01.zip");
  ExpectVerified("BTCUSDT-1h-2024-03-02.zip");
  EXPECT_TRUE(delays_.empty());  // a 404 is an answer: no retry
}

TEST_P(KlineDownloaderTest, ASlowTransferTimesOutAndIsRetried) {
  const std::string path = PublishDay("2024-03-01", kMar2024);
  fake_->InjectFault(path, fakes::VisionFault::kSlow, 1);  // 600 ms > the 300 ms timeout
  DownloadReport report = Download("2024-03-01", "2024-03-01");
  EXPECT_TRUE(report.Complete()) << FormatSummary(report, 0);
  EXPECT_EQ(fake_->Requests(path), 2);
  EXPECT_EQ(report.retries, 1);
  ASSERT_EQ(delays_.size(), 1u);
  EXPECT_LE(delays_[0], 1);  // the backoff's first delay, jittered
  ExpectVerified("BTCUSDT-1h-2024-03-01.zip");
}

TEST_P(KlineDownloaderTest, ADroppedTransferAndA503AreRetried) {
  const std::string path = PublishDay("2024-03-01", kMar2024);
  const std::string checksum = PublishDay("2024-03-02", kMar2024 + core::kDay) + ".CHECKSUM";
  fake_->InjectFault(path, fakes::VisionFault::kDrop, 1);
  fake_->InjectFault(checksum, fakes::VisionFault::k503, 2);
  DownloadReport report = Download("2024-03-01", "2024-03-02");
  EXPECT_TRUE(report.Complete()) << FormatSummary(report, 0);
  EXPECT_EQ(fake_->Requests(path), 2);
  EXPECT_EQ(fake_->Requests(checksum), 3);
  EXPECT_EQ(report.retries, 3);
  ExpectVerified("BTCUSDT-1h-2024-03-01.zip");
  ExpectVerified("BTCUSDT-1h-2024-03-02.zip");
}

TEST_P(KlineDownloaderTest, AMonthNotPublishedYetIsTakenDayByDay) {
  // March asked for whole; its monthly file is not out, and only its first three days are.
  PublishDay("2024-03-01", kMar2024);
  PublishDay("2024-03-02", kMar2024 + core::kDay);
  PublishDay("2024-03-03", kMar2024 + 2 * core::kDay);
  DownloadReport report = Download("2024-03-01", "2024-03-31");
  ASSERT_EQ(report.files.size(), 1u + 31u);
  EXPECT_EQ(report.files[0].outcome, FileOutcome::kReplacedByDays);
  ExpectVerified("BTCUSDT-1h-2024-03-01.zip");
  ExpectVerified("BTCUSDT-1h-2024-03-03.zip");
  EXPECT_EQ(Of(report, "BTCUSDT-1h-2024-03-04.zip").outcome, FileOutcome::kNotPublished);
  EXPECT_FALSE(report.Complete());
  EXPECT_EQ(observer_.planned, 32u);
  EXPECT_THAT(FormatSummary(report, 1), HasSubstr("31 files: 3 downloaded"));
  EXPECT_THAT(FormatSummary(report, 1), HasSubstr("28 missing"));
}

TEST_P(KlineDownloaderTest, AnInterruptedRunResumes) {
  const std::string first = PublishDay("2024-03-01", kMar2024);
  const std::string second = PublishDay("2024-03-02", kMar2024 + core::kDay);
  const std::string third = PublishDay("2024-03-03", kMar2024 + 2 * core::kDay);
  // The network goes away for the second file: every attempt is dropped half way.
  fake_->InjectFault(second, fakes::VisionFault::kDrop, -1);
  DownloadReport interrupted = Download("2024-03-01", "2024-03-03");
  EXPECT_FALSE(interrupted.Complete());
  EXPECT_EQ(Of(interrupted, "BTCUSDT-1h-2024-03-02.zip").outcome, FileOutcome::kNetwork);
  ExpectAbsent("BTCUSDT-1h-2024-03-02.zip");
  // And a run killed mid-write leaves a .part behind: never taken for a file.
  std::ofstream(Local("BTCUSDT-1h-2024-03-03.zip").string() + ".part") << "PK half";
  fs::remove(Local("BTCUSDT-1h-2024-03-03.zip"));
  fs::remove(Local("BTCUSDT-1h-2024-03-03.zip").string() + ".CHECKSUM");

  fake_->ClearFaults();
  const int first_requests = fake_->Requests(first);
  const int served = fake_->ZipsServed();
  DownloadReport resumed = Download("2024-03-01", "2024-03-03");
  EXPECT_TRUE(resumed.Complete()) << FormatSummary(resumed, 0);
  EXPECT_EQ(fake_->Requests(first), first_requests);  // verified before: not fetched again
  EXPECT_EQ(fake_->ZipsServed(), served + 2);         // the second and the third only
  EXPECT_EQ(Of(resumed, "BTCUSDT-1h-2024-03-01.zip").outcome, FileOutcome::kPresent);
  ExpectVerified("BTCUSDT-1h-2024-03-02.zip");
  ExpectVerified("BTCUSDT-1h-2024-03-03.zip");
}

TEST_P(KlineDownloaderTest, AFilePresentWithoutItsChecksumIsCheckedAgainstTheServer) {
  const std::string path = PublishDay("2024-03-01", kMar2024);
  ASSERT_TRUE(Download("2024-03-01", "2024-03-01").Complete());
  fs::remove(Local("BTCUSDT-1h-2024-03-01.zip").string() + ".CHECKSUM");
  DownloadReport again = Download("2024-03-01", "2024-03-01");
  EXPECT_EQ(again.files.at(0).outcome, FileOutcome::kPresent);
  EXPECT_EQ(fake_->Requests(path), 1);
  EXPECT_EQ(fake_->Requests(path + ".CHECKSUM"), 2);
  ExpectVerified("BTCUSDT-1h-2024-03-01.zip");
}

INSTANTIATE_TEST_SUITE_P(HttpAndHttps, KlineDownloaderTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Https" : "Http"; });

}  // namespace
}  // namespace scanner::download
