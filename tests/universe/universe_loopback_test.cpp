// The whole refresh path on loopback: the fake Binance REST server, RestClient,
// UniverseService and its SQLite cache, driven by a FakeClock.

#include <gtest/gtest.h>

#include "binance/rest_client.h"
#include "config/defaults.h"
#include "fakes/fake_binance_rest.h"
#include "fakes/manual_wake_up_timer.h"
#include "support/database_on_disk.h"
#include "support/fixture_files.h"
#include "support/scratch_dir.h"
#include "universe/universe_service.h"

namespace scanner::universe {
namespace {

using core::kHour;
using core::Market;
using support::DatabaseOnDisk;
using support::ScratchDir;

constexpr core::Millis kT0 = 1710072005000;

std::string Fixture(const std::string& name) { return support::ReadFixture("rest", name); }

class UniverseLoopbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(db_.Open());
    cache_ = std::make_unique<UniverseCache>(*db_, kHour);

    fakes::FakeBinanceRestOptions options;
    options.market = Market::kSpot;
    options.exchange_info_body =
        Fixture("spot_exchangeInfo_2021-10-22_trimmed_BTCUSDT_ETHUSDT.json");
    options.tickers_body = Fixture("spot_ticker24hr_all_2024-03-10.json");
    auto fake = fakes::FakeBinanceRest::Start(io_, clock_, std::move(options));
    ASSERT_TRUE(fake) << fake.error().message;
    fake_ = std::move(*fake);
    auto http = net::HttpClient::Create(io_, net::HttpClientOptions(), nullptr);
    ASSERT_TRUE(http) << http.error().message;
    http_ = std::move(*http);
    binance::RestClientOptions rest_options;
    rest_options.market = Market::kSpot;
    rest_options.base_url = fake_->BaseUrl();
    rest_options.max_attempts = 2;
    rest_ = std::make_unique<binance::RestClient>(io_, *http_, rest_timer_, clock_, rest_options,
                                                  nullptr);
  }
  void TearDown() override {
    service_.reset();
    rest_.reset();
    http_.reset();
    fake_.reset();
    cache_.reset();
    db_.Close();
  }

  void MakeService() {
    config::UniverseConfig config =
        config::DefaultConfig(core::Market::kSpot).universe;  // the defaults: USDT, >= 5M, top 150
    service_ = std::make_unique<UniverseService>(
        config, Market::kSpot,
        [this](UniverseService::FetchDone done) {
          rest_->GetMarketSnapshot(
              [done = std::move(done)](binance::RestResult<binance::MarketSnapshot>&& snapshot) {
                if (!snapshot) return done(std::unexpected(snapshot.error().ToError()));
                done(std::move(*snapshot));
              });
        },
        cache_.get(), service_timer_, clock_,
        [this](const Universe& universe, const UniverseDiff& diff) {
          ++updates_;
          last_size_ = universe.symbols.size();
          last_diff_ = diff;
        },
        nullptr);
  }

  bool Drive(const std::function<bool()>& done) {
    return fakes::DriveUntil(io_, clock_, {&rest_timer_, &service_timer_}, done,
                             [this] { return rest_->InFlightCalls() > 0; });
  }

  ScratchDir dir_;
  DatabaseOnDisk db_{dir_.Path("scanner.db")};
  std::unique_ptr<UniverseCache> cache_;
  boost::asio::io_context io_;
  core::FakeClock clock_{kT0};
  fakes::ManualWakeUpTimer rest_timer_{io_};
  fakes::ManualWakeUpTimer service_timer_{io_};
  std::unique_ptr<fakes::FakeBinanceRest> fake_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<binance::RestClient> rest_;
  std::unique_ptr<UniverseService> service_;
  int updates_ = 0;
  std::size_t last_size_ = 0;
  UniverseDiff last_diff_;
};

TEST_F(UniverseLoopbackTest, FirstStartFetchesSelectsAndCaches) {
  MakeService();
  service_->Start();
  ASSERT_TRUE(Drive([&] { return updates_ == 1; }));
  EXPECT_EQ(last_diff_.added, (std::vector<core::Symbol>{"BTCUSDT", "ETHUSDT"}));
  ASSERT_TRUE(service_->current());
  EXPECT_EQ(service_->current()->symbols[0].symbol, "BTCUSDT");
  EXPECT_EQ(service_->current()->symbols[0].quote_volume_24h, 1537040739.34553140);
  auto cached = cache_->Load(Market::kSpot, clock_.NowMs());
  ASSERT_TRUE(cached && cached->has_value());
  EXPECT_TRUE((*cached)->fresh);
  EXPECT_EQ((*cached)->universe, *service_->current());
  EXPECT_EQ(fake_->stats().MaxWindowWeight(), 20 + 80);
}

TEST_F(UniverseLoopbackTest, RestOutageAtStartKeepsScanningTheStaleCache) {
  Universe stale;
  stale.market = Market::kSpot;
  stale.fetched_at = kT0 - 5 * kHour;
  stale.symbols = {{.rank = 1,
                    .symbol = "BTCUSDT",
                    .base_asset = "BTC",
                    .quote_asset = "USDT",
                    .quote_volume_24h = 1e9,
                    .price_change_percent = 0,
                    .included = false}};
  ASSERT_TRUE(cache_->Save(stale));
  fake_->InjectFault(fakes::RestFault::k503, 4);  // two refreshes of two attempts each
  MakeService();
  service_->Start();
  EXPECT_EQ(updates_, 1);  // the stale cache, before any answer
  ASSERT_TRUE(Drive([&] { return service_->stats().failed_refreshes == 2; }));
  EXPECT_EQ(updates_, 1);
  EXPECT_EQ(service_->current()->symbols.size(), 1u);

  ASSERT_TRUE(Drive([&] { return updates_ == 2; }));  // Binance is back
  EXPECT_EQ(last_diff_.added, (std::vector<core::Symbol>{"ETHUSDT"}));
  EXPECT_TRUE(last_diff_.removed.empty());
  EXPECT_EQ(service_->stats().refreshes, 1);
  EXPECT_EQ(fake_->stats().responses_429 + fake_->stats().responses_418, 0);
}

}  // namespace
}  // namespace scanner::universe
