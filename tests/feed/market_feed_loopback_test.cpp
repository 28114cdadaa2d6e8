// MarketFeed (stream pool + gap filler + windows) against the fake Binance WebSocket and REST
// servers, both serving one ScriptedMarket: whatever happens on the wire, every window ends up
// holding exactly the bars Binance would have, each once, in order, and on_closed_bar reports
// each of them exactly once, in order.

#include "feed/market_feed.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "binance/rest_client.h"
#include "fakes/fake_binance_ws.h"
#include "fakes/scripted_binance_rest.h"
#include "fakes/scripted_market.h"
#include "net/http_client.h"
#include "support/loop_thread.h"
#include "support/null_logger.h"

namespace scanner::feed {
namespace {

using core::kSecond;
using core::Millis;
using fakes::FakeBinanceWs;
using fakes::FakeBinanceWsOptions;
using fakes::ScriptedMarket;
using namespace std::chrono_literals;

constexpr auto kFeedWait = 30s;  // generous: only reached when something is broken
const core::Interval kSecondBars = *core::Interval::Parse("1s");

using SeriesKey = std::pair<core::Symbol, core::Interval>;

class MarketFeedLoopbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fake = FakeBinanceWs::Start(FakeBinanceWsOptions{.market = core::Market::kSpot,
                                                          .script = script_,
                                                          .clock = &clock_,
                                                          .tls = false,
                                                          .cert_file = {},
                                                          .key_file = {},
                                                          .max_messages_per_second = 5,
                                                          .rate_window = 1000ms,
                                                          .drop_over_limit = true,
                                                          .ping_period = 1500ms,
                                                          .pong_timeout = 5000ms,
                                                          .kline_push_period = 100ms,
                                                          .ticker_push_period = 1000ms,
                                                          .max_streams_per_connection = 1024});
    ASSERT_TRUE(fake.has_value()) << fake.error().message;
    ws_ = std::move(*fake);
    loop_.Run([this] {
      auto rest = fakes::ScriptedBinanceRest::Start(loop_.io(), clock_, script_);
      ASSERT_TRUE(rest.has_value()) << rest.error().message;
      rest_ = std::move(*rest);
      auto http = net::HttpClient::Create(loop_.io(), net::HttpClientOptions{}, nullptr);
      ASSERT_TRUE(http.has_value()) << http.error().message;
      http_ = std::move(*http);
      rest_timer_.emplace(loop_.io(), clock_);
      binance::RestClientOptions options;
      options.market = core::Market::kSpot;
      options.base_url = rest_->BaseUrl();
      client_.emplace(loop_.io(), *http_, *rest_timer_, clock_, options,
                      support::NullLogger("rest"));
    });
  }

  void TearDown() override {
    loop_.Run([this] {
      feed_.reset();
      if (client_) client_->Shutdown();
      client_.reset();
      rest_timer_.reset();
      if (http_) http_->Shutdown();
      http_.reset();
      rest_.reset();
    });
  }

  void MakeFeed(std::size_t warm_up_bars, std::size_t capacity) {
    MarketFeedOptions options;
    StreamPoolOptions& pool = options.pool;
    pool.market = core::Market::kSpot;
    pool.ws_url = ws_->BaseUrl();
    pool.intervals = {kSecondBars};
    pool.max_streams_per_connection = 1024;
    pool.connection.link.stale_after = 800;
    pool.connection.link.ws.idle_timeout = 30 * kSecond;
    pool.connection.rotation_overlap = 300;
    // Long enough that bars close while the connection is down.
    pool.connection.reconnect_backoff = {
        .initial = 2000, .max = 4000, .multiplier = 2.0, .jitter = 0.2};
    pool.connect_throttle = {
        .min_interval = 100, .max_per_window = 60, .window = 5 * core::kMinute};
    options.fill.warm_up_bars = warm_up_bars;
    options.fill.request_spacing = 50;
    options.window_capacity = capacity;
    loop_.Run([&] {
      auto feed = MarketFeed::Create(
          loop_.io(), nullptr, clock_, KlinesFetchFrom(*client_), std::move(options),
          MarketFeedCallbacks{.on_closed_bar =
                                  [this](const core::Symbol& symbol, core::Interval interval,
                                         const core::Bar& bar, market::BarOrigin origin) {
                                    emitted_[{symbol, interval}].push_back(bar);
                                    ++origins_[origin];
                                  },
                              .on_open_bar = [this](const core::Symbol&, core::Interval,
                                                    const core::Bar&) { ++open_bars_; },
                              .on_ticker = [this](const binance::TickerEvent&) { ++tickers_; },
                              .on_frame = nullptr},
          support::NullLogger("feed"));
      ASSERT_TRUE(feed.has_value()) << feed.error().message;
      feed_ = std::move(*feed);
      feed_->UpdateUniverse(symbols_, {});
      feed_->Start();
    });
  }

  MarketFeedStats Stats() {
    return loop_.Run([&] { return feed_->Stats(); });
  }

  // Every series has released closed bars up to at least `open_time`.
  bool EmittedThrough(Millis open_time) {
    return loop_.Run([&] {
      for (const core::Symbol& symbol : symbols_) {
        const auto found = emitted_.find({symbol, kSecondBars});
        if (found == emitted_.end() || found->second.back().open_time < open_time) return false;
      }
      return true;
    });
  }

  Millis LastClosedOpenTime() const { return kSecondBars.BarOpenFor(clock_.NowMs()) - kSecond; }

  // The heart of it: each window holds exactly the script's bars, consecutive, and the bars
  // released to on_closed_bar are the very same ones, each once, in order.
  void ExpectWindowsAreTheScript() {
    loop_.Run([&] {
      for (const core::Symbol& symbol : symbols_) {
        SCOPED_TRACE(symbol);
        const market::BarWindow* window = feed_->windows().Find(symbol, kSecondBars);
        ASSERT_NE(window, nullptr);
        ASSERT_TRUE(window->IsWhole());
        ASSERT_GE(window->Size(), 10u);
        const std::vector<core::Bar>& emitted = emitted_[{symbol, kSecondBars}];
        ASSERT_GE(emitted.size(), window->Size());
        // The window holds the newest of the emitted bars (it started empty and has room).
        const std::size_t offset = emitted.size() - window->Size();
        for (std::size_t i = 0; i < window->Size(); ++i) {
          const core::Bar& bar = (*window)[i];
          EXPECT_EQ(bar, script_->Bar(symbol, kSecondBars, bar.open_time)) << i;
          if (i > 0) {
            EXPECT_EQ(bar.open_time, (*window)[i - 1].close_time + 1) << i;
          }
          EXPECT_EQ(emitted[offset + i], bar) << i;
        }
        for (std::size_t i = 1; i < emitted.size(); ++i) {
          EXPECT_EQ(emitted[i].open_time, emitted[i - 1].close_time + 1) << "emitted " << i;
        }
      }
    });
  }

  core::SystemClock clock_;
  std::shared_ptr<ScriptedMarket> script_ =
      std::make_shared<ScriptedMarket>(std::vector<core::Symbol>{"AAAUSDT", "BBBUSDT", "CCCUSDT"});
  std::vector<core::Symbol> symbols_{"AAAUSDT", "BBBUSDT", "CCCUSDT"};
  std::unique_ptr<FakeBinanceWs> ws_;
  support::LoopThread loop_;
  std::unique_ptr<fakes::ScriptedBinanceRest> rest_;
  std::unique_ptr<net::HttpClient> http_;
  std::optional<net::AsioWakeUpTimer> rest_timer_;
  std::optional<binance::RestClient> client_;
  std::unique_ptr<MarketFeed> feed_;
  // Written on the loop thread only.
  std::map<SeriesKey, std::vector<core::Bar>> emitted_;
  std::map<market::BarOrigin, std::size_t> origins_;
  std::size_t open_bars_ = 0;
  std::size_t tickers_ = 0;
};

TEST_F(MarketFeedLoopbackTest, AfterADropDuringWhichBarsClosedEveryWindowHoldsTheScript) {
  MakeFeed(/*warm_up_bars=*/20, /*capacity=*/400);
  ASSERT_TRUE(ws_->WaitFor([&] { return Stats().fill.series_warm == 3; }, kFeedWait));
  ASSERT_TRUE(ws_->WaitFor([&] { return EmittedThrough(LastClosedOpenTime()); }, kFeedWait));
  const std::size_t connections = ws_->ConnectionCount();

  ws_->DropAll();
  // Back on a new connection, and the bars of the outage fetched over REST.
  ASSERT_TRUE(ws_->WaitFor(
      [&] { return ws_->ConnectionCount() > connections && ws_->OpenCount() == 1; }, kFeedWait));
  ASSERT_TRUE(ws_->WaitFor([&] { return Stats().pool.resumes >= 1; }, kFeedWait));
  const Millis settled = LastClosedOpenTime() + 2 * kSecond;
  ASSERT_TRUE(ws_->WaitFor([&] { return EmittedThrough(settled); }, kFeedWait));
  loop_.Run([&] { feed_->Stop(); });

  const MarketFeedStats stats = Stats();
  EXPECT_EQ(stats.pool.disconnects, 1u);
  EXPECT_EQ(stats.pool.reconnects, 1u);
  EXPECT_GE(stats.fill.gap_fill_requests, 1u);
  // Bars closed while no connection was up (the reconnect waits >= 1.6 s): REST brought them.
  EXPECT_GE(stats.fill.bars_filled, 3u);
  EXPECT_EQ(stats.fill.invalid_bars, 0u);
  EXPECT_EQ(stats.pool.parse.Errors(), 0u);
  EXPECT_GT(loop_.Run([&] { return origins_[market::BarOrigin::kRest]; }), 0u);
  EXPECT_GT(loop_.Run([&] { return origins_[market::BarOrigin::kStream]; }), 0u);
  EXPECT_GT(loop_.Run([&] { return open_bars_ + tickers_; }), 0u);
  EXPECT_TRUE(ws_->RateViolations().empty());
  EXPECT_EQ(ws_->MissedPongs(), 0u);
  ExpectWindowsAreTheScript();
}

TEST_F(MarketFeedLoopbackTest, MalformedDuplicateAndOutOfOrderFramesNeverCorruptAWindow) {
  ws_->SetDuplicateKlines(true);
  ws_->SetOutOfOrderKlines(true);
  ws_->SetMalformedFrames(true);
  MakeFeed(/*warm_up_bars=*/10, /*capacity=*/400);
  ASSERT_TRUE(ws_->WaitFor([&] { return Stats().fill.series_warm == 3; }, kFeedWait));
  const Millis until = LastClosedOpenTime() + 3 * kSecond;
  ASSERT_TRUE(ws_->WaitFor([&] { return EmittedThrough(until); }, kFeedWait));
  loop_.Run([&] { feed_->Stop(); });

  const MarketFeedStats stats = Stats();
  EXPECT_GT(stats.pool.parse.invalid_json, 0u);
  EXPECT_GT(stats.pool.parse.bad_interval, 0u);
  EXPECT_GT(stats.pool.parse.bad_value, 0u);
  EXPECT_GT(stats.pool.parse.unknown_stream, 0u);
  EXPECT_GT(stats.fill.duplicate_bars, 0u);
  EXPECT_EQ(stats.fill.invalid_bars, 0u);  // nothing malformed reached a window
  EXPECT_EQ(stats.pool.reconnects, 0u);
  ExpectWindowsAreTheScript();
}

TEST_F(MarketFeedLoopbackTest, ClosedBarsTheStreamNeverFinishesComeFromRest) {
  MakeFeed(/*warm_up_bars=*/10, /*capacity=*/400);
  ASSERT_TRUE(ws_->WaitFor([&] { return Stats().fill.series_warm == 3; }, kFeedWait));
  ASSERT_TRUE(ws_->WaitFor([&] { return EmittedThrough(LastClosedOpenTime()); }, kFeedWait));

  ws_->SetSkipClosedKlines(true);  // only updates of forming bars from now on
  const std::size_t finals = ws_->ClosedKlinesSent();
  const Millis until = LastClosedOpenTime() + 3 * kSecond;
  ASSERT_TRUE(ws_->WaitFor([&] { return EmittedThrough(until); }, kFeedWait));
  loop_.Run([&] { feed_->Stop(); });

  // At most the push cycle that was under way when the fault was switched on.
  EXPECT_LE(ws_->ClosedKlinesSent() - finals, symbols_.size());
  const MarketFeedStats stats = Stats();
  EXPECT_GE(stats.fill.late_bar_fills, 3u);
  EXPECT_EQ(stats.pool.reconnects, 0u);
  ExpectWindowsAreTheScript();
}

}  // namespace
}  // namespace scanner::feed
