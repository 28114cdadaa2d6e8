#include "universe/universe_service.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <deque>

#include "config/defaults.h"
#include "fakes/manual_wake_up_timer.h"
#include "support/database_on_disk.h"
#include "support/scratch_dir.h"

namespace scanner::universe {
namespace {

using core::kHour;
using core::kMinute;
using core::Market;
using support::DatabaseOnDisk;
using support::ScratchDir;

constexpr core::Millis kT0 = 1710072000000;

binance::MarketSnapshot Snapshot(std::vector<std::pair<std::string, double>> volumes,
                                 core::Millis fetched_at) {
  binance::MarketSnapshot snapshot;
  snapshot.fetched_at = fetched_at;
  for (const auto& [symbol, volume] : volumes) {
    snapshot.exchange_info.symbols.push_back(
        binance::SymbolInfo{.symbol = symbol,
                            .status = "TRADING",
                            .base_asset = symbol.substr(0, symbol.size() - 4),
                            .quote_asset = "USDT",
                            .spot_trading_allowed = true,
                            .contract_type = ""});
    core::Ticker24h ticker;
    ticker.symbol = symbol;
    ticker.quote_volume = volume;
    snapshot.tickers.push_back(ticker);
  }
  return snapshot;
}

Universe CachedOf(std::vector<std::string> symbols, core::Millis fetched_at) {
  Universe universe;
  universe.market = Market::kSpot;
  universe.fetched_at = fetched_at;
  int rank = 0;
  for (std::string& symbol : symbols) {
    UniverseSymbol entry;
    entry.rank = ++rank;
    entry.base_asset = symbol.substr(0, symbol.size() - 4);
    entry.quote_asset = "USDT";
    entry.quote_volume_24h = 1e9 / rank;
    entry.symbol = std::move(symbol);
    universe.symbols.push_back(std::move(entry));
  }
  return universe;
}

std::vector<std::string> Names(const Universe& universe) {
  std::vector<std::string> names;
  for (const auto& entry : universe.symbols) names.push_back(entry.symbol);
  return names;
}

using Strings = std::vector<std::string>;

class UniverseServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(db_.Open());
    cache_ = std::make_unique<UniverseCache>(*db_, kHour);
    config_.min_quote_volume_24h = 1'000'000;
    config_.refresh_interval = kHour;
  }
  void TearDown() override {
    service_.reset();
    cache_.reset();
    db_.Close();
  }

  // Each fetch answers (posted) with the next scripted result.
  void MakeService() {
    service_ = std::make_unique<UniverseService>(
        config_, Market::kSpot,
        [this](UniverseService::FetchDone done) {
          ++fetches_;
          core::Result<binance::MarketSnapshot> result =
              std::unexpected(core::Error{"spot exchangeInfo: connect: refused"});
          if (!script_.empty()) {
            result = std::move(script_.front());
            script_.pop_front();
          }
          boost::asio::post(io_, [done = std::move(done), result = std::move(result)]() mutable {
            done(std::move(result));
          });
        },
        cache_.get(), timer_, clock_,
        [this](const Universe& universe, const UniverseDiff& diff) {
          updates_.push_back({Names(universe), diff});
        },
        nullptr);
  }

  void RunReady() {
    io_.restart();
    io_.poll();
  }
  // Moves the clock to the timer's due time, fires it and runs what follows.
  void FireTimer() {
    ASSERT_TRUE(timer_.due());
    clock_.Set(std::max(clock_.NowMs(), *timer_.due()));
    ASSERT_TRUE(timer_.FireIfDue(clock_.NowMs()));
    RunReady();
  }

  struct Update {
    Strings symbols;
    UniverseDiff diff;
  };

  ScratchDir dir_;
  DatabaseOnDisk db_{dir_.Path("scanner.db")};
  std::unique_ptr<UniverseCache> cache_;
  config::UniverseConfig config_ = config::DefaultConfig(core::Market::kSpot).universe;
  boost::asio::io_context io_;
  core::FakeClock clock_{kT0};
  fakes::ManualWakeUpTimer timer_{io_};
  std::deque<core::Result<binance::MarketSnapshot>> script_;
  int fetches_ = 0;
  std::vector<Update> updates_;
  std::unique_ptr<UniverseService> service_;
};

TEST_F(UniverseServiceTest, WithoutCacheFetchesAtOnceAndPublishesEverySymbolAsAdded) {
  script_.push_back(Snapshot({{"BTCUSDT", 9e8}, {"ETHUSDT", 5e8}, {"DUSTUSDT", 10}}, kT0));
  MakeService();
  service_->Start();
  EXPECT_TRUE(updates_.empty());
  EXPECT_TRUE(service_->refreshing());
  RunReady();

  ASSERT_EQ(updates_.size(), 1u);
  EXPECT_EQ(updates_[0].symbols, (Strings{"BTCUSDT", "ETHUSDT"}));
  EXPECT_EQ(updates_[0].diff.added, (Strings{"BTCUSDT", "ETHUSDT"}));
  EXPECT_TRUE(updates_[0].diff.removed.empty());
  EXPECT_EQ(timer_.due(), kT0 + kHour);
  auto cached = cache_->Load(Market::kSpot, kT0);
  ASSERT_TRUE(cached && cached->has_value());
  EXPECT_EQ(Names((*cached)->universe), (Strings{"BTCUSDT", "ETHUSDT"}));
  EXPECT_EQ(service_->stats().refreshes, 1);
}

TEST_F(UniverseServiceTest, FreshCacheIsUsedAtOnceAndRefreshedWhenItExpires) {
  ASSERT_TRUE(cache_->Save(CachedOf({"BTCUSDT", "XRPUSDT"}, kT0 - 10 * kMinute)));
  script_.push_back(Snapshot({{"BTCUSDT", 9e8}, {"SOLUSDT", 5e8}}, kT0 + 50 * kMinute));
  MakeService();
  service_->Start();

  ASSERT_EQ(updates_.size(), 1u);  // published inside Start, no fetch
  EXPECT_EQ(updates_[0].symbols, (Strings{"BTCUSDT", "XRPUSDT"}));
  EXPECT_EQ(fetches_, 0);
  EXPECT_EQ(timer_.due(), kT0 + 50 * kMinute);  // fetched_at + refresh_interval

  FireTimer();
  EXPECT_EQ(fetches_, 1);
  ASSERT_EQ(updates_.size(), 2u);
  EXPECT_EQ(updates_[1].diff.added, (Strings{"SOLUSDT"}));
  EXPECT_EQ(updates_[1].diff.removed, (Strings{"XRPUSDT"}));
  EXPECT_EQ(timer_.due(), kT0 + 50 * kMinute + kHour);
}

TEST_F(UniverseServiceTest, StaleCacheIsUsedWhileTheRefreshRunsAndSurvivesAnOutage) {
  ASSERT_TRUE(cache_->Save(CachedOf({"BTCUSDT", "XRPUSDT"}, kT0 - 3 * kHour)));
  script_.push_back(std::unexpected(core::Error{"spot exchangeInfo: connect: refused"}));
  script_.push_back(std::unexpected(core::Error{"spot exchangeInfo: HTTP 503"}));
  script_.push_back(Snapshot({{"BTCUSDT", 9e8}, {"XRPUSDT", 5e8}, {"ADAUSDT", 4e8}}, 0));
  MakeService();
  service_->Start();
  ASSERT_EQ(updates_.size(), 1u);  // the stale cache, at once
  EXPECT_EQ(updates_[0].symbols, (Strings{"BTCUSDT", "XRPUSDT"}));
  EXPECT_EQ(fetches_, 1);  // and a refresh started

  RunReady();  // the outage
  EXPECT_EQ(service_->stats().failed_refreshes, 1);
  EXPECT_EQ(service_->stats().last_error, "spot exchangeInfo: connect: refused");
  EXPECT_EQ(updates_.size(), 1u);
  ASSERT_TRUE(service_->current());
  EXPECT_EQ(Names(*service_->current()), (Strings{"BTCUSDT", "XRPUSDT"}));
  ASSERT_TRUE(timer_.due());
  EXPECT_LE(*timer_.due(), clock_.NowMs() + 10 * core::kSecond);  // retried with backoff

  FireTimer();  // still failing
  EXPECT_EQ(service_->stats().failed_refreshes, 2);
  FireTimer();  // back
  ASSERT_EQ(updates_.size(), 2u);
  EXPECT_EQ(updates_[1].diff.added, (Strings{"ADAUSDT"}));
  EXPECT_TRUE(updates_[1].diff.removed.empty());
  EXPECT_TRUE(service_->stats().last_error.empty());
  // fetched_at 0 in the snapshot: the service stamps its own clock.
  EXPECT_EQ(service_->current()->fetched_at, clock_.NowMs());
  EXPECT_EQ(timer_.due(), clock_.NowMs() + kHour);
}

TEST_F(UniverseServiceTest, EachRefreshYieldsItsDiff) {
  script_.push_back(Snapshot({{"AAAUSDT", 3e6}, {"BBBUSDT", 2e6}}, kT0));
  script_.push_back(Snapshot({{"AAAUSDT", 3e6}, {"BBBUSDT", 2e6}}, kT0 + kHour));
  script_.push_back(Snapshot({{"BBBUSDT", 2e6}, {"CCCUSDT", 9e6}}, kT0 + 2 * kHour));
  MakeService();
  service_->Start();
  RunReady();
  FireTimer();
  FireTimer();
  ASSERT_EQ(updates_.size(), 3u);
  EXPECT_TRUE(updates_[1].diff.empty());  // unchanged refresh: still reported, empty diff
  EXPECT_EQ(updates_[2].symbols, (Strings{"CCCUSDT", "BBBUSDT"}));
  EXPECT_EQ(updates_[2].diff.added, (Strings{"CCCUSDT"}));
  EXPECT_EQ(updates_[2].diff.removed, (Strings{"AAAUSDT"}));
  EXPECT_EQ(fetches_, 3);
}

TEST_F(UniverseServiceTest, AnEmptySelectionNeverReplacesACurrentUniverse) {
  script_.push_back(Snapshot({{"AAAUSDT", 3e6}}, kT0));
  script_.push_back(Snapshot({{"AAAUSDT", 10}}, kT0 + kHour));  // below the volume floor
  MakeService();
  service_->Start();
  RunReady();
  FireTimer();
  ASSERT_EQ(updates_.size(), 1u);
  EXPECT_EQ(Names(*service_->current()), (Strings{"AAAUSDT"}));
  EXPECT_EQ(service_->stats().failed_refreshes, 1);
  EXPECT_NE(service_->stats().last_error.find("no symbol"), std::string::npos);
}

TEST_F(UniverseServiceTest, TickerRowsLeftOutOfEachSnapshotAreCounted) {
  binance::MarketSnapshot first = Snapshot({{"AAAUSDT", 3e6}}, kT0);
  first.skipped_tickers = {{"missing quoteVolume", 2, 7, "BBBUSDT"}, {"not an object", 1, 9, ""}};
  binance::MarketSnapshot second = Snapshot({{"AAAUSDT", 3e6}}, kT0 + kHour);
  second.skipped_tickers = {{"missing quoteVolume", 1, 7, "BBBUSDT"}};
  script_.push_back(std::move(first));
  script_.push_back(std::move(second));
  MakeService();
  service_->Start();
  RunReady();
  EXPECT_EQ(service_->stats().ticker_rows_skipped, 3);
  EXPECT_EQ(Names(*service_->current()), (Strings{"AAAUSDT"}));  // the rest was used
  FireTimer();
  EXPECT_EQ(service_->stats().ticker_rows_skipped, 4);
  EXPECT_EQ(service_->stats().refreshes, 2);
}

TEST_F(UniverseServiceTest, StopIgnoresTheFetchInFlight) {
  script_.push_back(Snapshot({{"AAAUSDT", 3e6}}, kT0));
  MakeService();
  service_->Start();
  service_->Stop();
  RunReady();
  EXPECT_TRUE(updates_.empty());
  EXPECT_FALSE(timer_.due());
  EXPECT_FALSE(service_->refreshing());
}

}  // namespace
}  // namespace scanner::universe
