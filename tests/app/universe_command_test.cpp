#include "app/universe_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "config/defaults.h"
#include "fakes/fake_binance_rest.h"
#include "support/fixture_files.h"
#include "support/loop_thread.h"

namespace scanner::app {
namespace {

using ::testing::HasSubstr;

std::string Fixture(const std::string& name) { return support::ReadFixture("rest", name); }

// A fake Binance REST server on its own io_context thread; the command runs its own loop.
class UniverseCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fakes::FakeBinanceRestOptions options;
    options.exchange_info_body =
        Fixture("spot_exchangeInfo_2021-10-22_trimmed_BTCUSDT_ETHUSDT.json");
    options.tickers_body = Fixture("spot_ticker24hr_all_2024-03-10.json");
    auto fake = loop_.Run(
        [&] { return fakes::FakeBinanceRest::Start(loop_.io(), clock_, std::move(options)); });
    ASSERT_TRUE(fake) << fake.error().message;
    fake_ = std::move(*fake);
    config_.exchange.rest_url = fake_->BaseUrl();
    config_.universe.min_quote_volume_24h = 1;
  }
  void TearDown() override {
    loop_.Run([this] { fake_.reset(); });
  }
  int Run(const UniverseCommandOptions& options) {
    out_.str("");
    err_.str("");
    return RunUniverseCommand(config_, options, out_, err_, nullptr);
  }

  core::SystemClock clock_;
  std::unique_ptr<fakes::FakeBinanceRest> fake_;
  config::Config config_ = config::DefaultConfig(core::Market::kSpot);
  std::ostringstream out_, err_;
  support::LoopThread loop_;  // last: its thread stops before anything it uses goes away
};

TEST_F(UniverseCommandTest, PrintsTheRankedTable) {
  ASSERT_EQ(Run({}), 0) << err_.str();
  std::string out = out_.str();
  auto btc = out.find("BTCUSDT");
  auto eth = out.find("ETHUSDT");
  ASSERT_NE(btc, std::string::npos) << out;
  ASSERT_NE(eth, std::string::npos) << out;
  EXPECT_LT(btc, eth);  // ranked by 24h quote volume, BTC first
}

TEST_F(UniverseCommandTest, PrintsJson) {
  ASSERT_EQ(Run({.json = true, .explain = false}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("\"symbol\":\"BTCUSDT\""));
  EXPECT_THAT(out_.str(), HasSubstr("\"quote_volume\":"));
  EXPECT_EQ(out_.str().front(), '[');
}

// One row of ticker/24hr without priceChangePercent (the case) and one without
// quoteVolume: the universe is still selected from the rest.
TEST_F(UniverseCommandTest, BadTickerRowsDoNotRefuseTheUniverse) {
  std::string tickers = Fixture("spot_ticker24hr_all_2024-03-10.json");
  auto erase_field_after = [&](std::string_view row, std::string_view field) {
    const std::size_t at = tickers.find(field, tickers.find(row));
    ASSERT_NE(at, std::string::npos) << field;
    tickers.erase(at, tickers.find(',', at) + 1 - at);
  };
  erase_field_after("\"symbol\": \"BTCUSDT\"", "\"priceChangePercent\":");
  erase_field_after("\"symbol\": \"BNBUSDT\"", "\"quoteVolume\":");
  loop_.Run([&] { fake_->SetTickersBody(tickers); });
  ASSERT_EQ(Run({}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("BTCUSDT"));
  EXPECT_THAT(out_.str(), HasSubstr("ETHUSDT"));
}

TEST_F(UniverseCommandTest, RestrictedLocationIsReportedAndExitsOne) {
  loop_.Run([&] { fake_->InjectFault(fakes::RestFault::kRestricted, 10); });
  EXPECT_EQ(Run({}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("restricted location"));
  EXPECT_EQ(out_.str(), "");
}

TEST_F(UniverseCommandTest, UnreachableBinanceExitsOneWithAClearMessage) {
  config_.exchange.rest_url = "http://127.0.0.1:1";
  EXPECT_EQ(Run({}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("cannot fetch the universe from Binance"));
}

}  // namespace
}  // namespace scanner::app
