// `momentum-scanner download` end to end, through the command line, against the fake
// data.binance.vision over HTTPS (and the fake Binance REST for --universe): the files land
// where `replay` reads them, a second run fetches nothing, the exit code says whether
// everything asked for is there, and bad options are named.

#include "app/download_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "app/cli.h"
#include "download/vision_layout.h"
#include "fakes/fake_binance_rest.h"
#include "fakes/fake_vision.h"
#include "support/fixture_files.h"
#include "support/kline_dump.h"
#include "support/loop_thread.h"
#include "support/scratch_dir.h"

namespace scanner::app {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr core::Millis kMar2024 = 1'709'251'200'000;  // 2024-03-01T00:00:00Z

class DownloadCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fakes::FakeVisionOptions options;
    options.cert_file = support::FixturePath("tls", "server.pem");
    options.key_file = support::FixturePath("tls", "server.key");
    auto fake = loop_.Run([&] { return fakes::FakeVision::Start(loop_.io(), options); });
    ASSERT_TRUE(fake) << fake.error().message;
    vision_ = std::move(*fake);
    WriteConfig("");
  }
  void TearDown() override {
    loop_.Run([this] {
      vision_.reset();
      rest_.reset();
    });
  }

  void WriteConfig(const std::string& more_exchange) {
    config_path_ = dir_.Write("scanner.yaml",
                              "exchange:\n  vision_url: " + vision_->BaseUrl() +
                                  "\n  ca_file: " + support::FixturePath("tls", "ca.pem") + "\n" +
                                  more_exchange + "universe:\n  min_quote_volume_24h: 1\n");
  }

  // The day's 1h file of `symbol`, as Binance publishes it.
  void PublishDay(const std::string& symbol, int day_of_march) {
    const download::DumpFile file{
        symbol, *core::Interval::Parse("1h"), download::Period::kDaily,
        std::chrono::year_month_day{std::chrono::year{2024}, std::chrono::March,
                                    std::chrono::day(static_cast<unsigned>(day_of_march))}};
    const std::string name = download::FileName(file);
    vision_->Publish(
        download::UrlPath(core::Market::kSpot, file),
        support::KlineZipBytes(
            name.substr(0, name.size() - 4) + ".csv",
            support::KlineRows(kMar2024 + (day_of_march - 1) * core::kDay, core::kHour, 24)));
  }

  int Cli(std::vector<std::string> args) {
    args.insert(args.begin(), "momentum-scanner");
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    argv.push_back(nullptr);
    out_.str("");
    err_.str("");
    return RunCli(static_cast<int>(args.size()), argv.data(), {out_, err_, env_, dir_.path()});
  }
  int Download(std::vector<std::string> more) {
    std::vector<std::string> args{"download", "--config", config_path_, "--dir", Klines()};
    args.insert(args.end(), more.begin(), more.end());
    return Cli(args);
  }
  std::string Klines() const { return dir_.Path("klines"); }

  support::ScratchDir dir_;
  config::MapEnvironment env_;
  std::string config_path_;
  std::ostringstream out_, err_;
  core::SystemClock clock_;
  std::unique_ptr<fakes::FakeVision> vision_;
  std::unique_ptr<fakes::FakeBinanceRest> rest_;
  support::LoopThread loop_;  // last: its thread stops before anything it uses goes away
};

TEST_F(DownloadCommandTest, DownloadsFilesThatReplayAsTheyAre) {
  PublishDay("BTCUSDT", 1);
  PublishDay("BTCUSDT", 2);
  ASSERT_EQ(Download({"--symbols", "BTCUSDT", "--intervals", "1h", "--from", "2024-03-01", "--to",
                      "2024-03-02"}),
            kExitSuccess)
      << err_.str() << out_.str();
  EXPECT_THAT(out_.str(), HasSubstr("2 files: 2 downloaded"));
  EXPECT_THAT(out_.str(), HasSubstr("everything asked for is there"));
  EXPECT_THAT(err_.str(), HasSubstr("[2/2] BTCUSDT-1h-2024-03-02.zip: downloaded"));
  const fs::path folder = fs::path(Klines()) / "BTCUSDT" / "1h";
  ASSERT_TRUE(fs::exists(folder / "BTCUSDT-1h-2024-03-01.zip"));

  // replay data/klines/BTCUSDT/1h/*.zip
  std::vector<std::string> replay{"replay", "--config", config_path_};
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".zip") replay.push_back(entry.path().string());
  }
  ASSERT_EQ(replay.size(), 5u);
  ASSERT_EQ(Cli(replay), kExitSuccess) << err_.str();
  // The summary (on stderr): both files read, every bar of them, nothing refused.
  EXPECT_THAT(err_.str(), HasSubstr("2 file(s)"));
  EXPECT_THAT(err_.str(), HasSubstr("48 bars read"));
  EXPECT_THAT(err_.str(), HasSubstr("bars: 48 evaluated, 0 ignored as already seen, 0 refused by "
                                    "the window, 0 refused as no bar, 0 gap(s)"));
}

TEST_F(DownloadCommandTest, ASecondRunDownloadsNothing) {
  PublishDay("BTCUSDT", 1);
  const std::vector<std::string> args{"--symbols", "BTCUSDT",    "--intervals", "1h",
                                      "--from",    "2024-03-01", "--to",        "2024-03-01"};
  ASSERT_EQ(Download(args), kExitSuccess) << err_.str();
  const int requests = vision_->TotalRequests();
  ASSERT_EQ(Download(args), kExitSuccess) << err_.str();
  EXPECT_EQ(vision_->TotalRequests(), requests);
  EXPECT_THAT(out_.str(), HasSubstr("0 downloaded (0 B"));
  EXPECT_THAT(out_.str(), HasSubstr("1 already present, 0 missing"));
}

TEST_F(DownloadCommandTest, ExitCodeSaysSomethingIsMissingAndWhy) {
  PublishDay("BTCUSDT", 1);
  EXPECT_EQ(Download({"--symbols", "BTCUSDT,ETHUSDT", "--intervals", "1h", "--from", "2024-03-01",
                      "--to", "2024-03-01"}),
            kExitFailure);
  EXPECT_THAT(out_.str(), HasSubstr("1 missing"));
  EXPECT_THAT(out_.str(),
              HasSubstr("ETHUSDT-1h-2024-03-01.zip: not published: 404: the file does not exist"));
  EXPECT_TRUE(fs::exists(fs::path(Klines()) / "BTCUSDT" / "1h" / "BTCUSDT-1h-2024-03-01.zip"));
}

TEST_F(DownloadCommandTest, UniverseTakesTheSymbolsTheScannerWouldWatch) {
  fakes::FakeBinanceRestOptions options;
  options.exchange_info_body =
      support::ReadFixture("rest", "spot_exchangeInfo_2021-10-22_trimmed_BTCUSDT_ETHUSDT.json");
  options.tickers_body = support::ReadFixture("rest", "spot_ticker24hr_all_2024-03-10.json");
  auto rest = loop_.Run(
      [&] { return fakes::FakeBinanceRest::Start(loop_.io(), clock_, std::move(options)); });
  ASSERT_TRUE(rest) << rest.error().message;
  rest_ = std::move(*rest);
  WriteConfig("  rest_url: " + rest_->BaseUrl() + "\n");
  PublishDay("BTCUSDT", 1);
  PublishDay("ETHUSDT", 1);
  ASSERT_EQ(
      Download({"--universe", "--intervals", "1h", "--from", "2024-03-01", "--to", "2024-03-01"}),
      kExitSuccess)
      << err_.str();
  EXPECT_THAT(err_.str(), HasSubstr("the universe holds 2 symbols"));
  EXPECT_TRUE(fs::exists(fs::path(Klines()) / "ETHUSDT" / "1h" / "ETHUSDT-1h-2024-03-01.zip"));
  EXPECT_TRUE(fs::exists(fs::path(Klines()) / "BTCUSDT" / "1h" / "BTCUSDT-1h-2024-03-01.zip"));
}

TEST_F(DownloadCommandTest, BadOptionsAreNamedAndExitTwo) {
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const std::vector<Case> cases{
      {{"--symbols", "BTCUSDT", "--intervals", "7m", "--from", "2024-03-01"},
       "--intervals: unknown interval '7m'"},
      {{"--symbols", "BTCUSDT", "--intervals", "1m", "--from", "2024-03-05", "--to", "2024-03-01"},
       "--from 2024-03-05 is after --to 2024-03-01"},
      {{"--intervals", "1m", "--from", "2024-03-01"}, "--symbols or --universe"},
      {{"--symbols", "BTCUSDT", "--universe", "--intervals", "1m", "--from", "2024-03-01"},
       "not both"},
      {{"--symbols", "BTCUSDT", "--intervals", "1m", "--from", "2024-03-01", "--market", "coinm"},
       "--market: unknown market 'coinm'"},
      {{"--symbols", "../etc", "--intervals", "1m", "--from", "2024-03-01"},
       "--symbols: '../etc' is not a Binance symbol"},
      {{"--symbols", "BTCUSDT", "--intervals", "1m", "--from", "March"},
       "--from: expected a day as YYYY-MM-DD, got 'March'"},
      {{"--symbols", "BTCUSDT", "--intervals", "1m"}, "--from is required"},
      {{"--symbols", "BTCUSDT", "--intervals", "1s", "--from", "2024-03-01", "--market", "usdm"},
       "1s exists on spot only"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Download(c.args), kExitUsage) << c.message;
    EXPECT_THAT(err_.str(), HasSubstr(c.message));
  }
  EXPECT_EQ(vision_->TotalRequests(), 0);
  EXPECT_FALSE(fs::exists(Klines()));
}

TEST_F(DownloadCommandTest, FuturesFilesComeFromTheFuturesTree) {
  const download::DumpFile file{
      "BTCUSDT", *core::Interval::Parse("5m"), download::Period::kDaily,
      std::chrono::year_month_day{std::chrono::year{2024}, std::chrono::March,
                                  std::chrono::day{1}}};
  const std::string path = download::UrlPath(core::Market::kUsdm, file);
  ASSERT_EQ(path.rfind("data/futures/um/daily/klines/BTCUSDT/5m/", 0), 0u);
  vision_->Publish(path,
                   support::KlineZipBytes("BTCUSDT-5m-2024-03-01.csv",
                                          support::KlineRows(kMar2024, 5 * core::kMinute, 288)));
  ASSERT_EQ(Download({"--symbols", "BTCUSDT", "--intervals", "5m", "--from", "2024-03-01", "--to",
                      "2024-03-01", "--market", "usdm"}),
            kExitSuccess)
      << err_.str() << out_.str();
  EXPECT_EQ(vision_->Requests(path), 1);
}

}  // namespace
}  // namespace scanner::app
