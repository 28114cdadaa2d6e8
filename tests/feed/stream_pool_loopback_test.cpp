// StreamPool against the fake Binance WebSocket server on 127.0.0.1: sharding and SUBSCRIBE,
// pacing under the limit the server counts (pongs included), pongs in time, reconnect and
// resubscribe of one connection, the no-data watchdog, the futures /market route, rotation
// without a missing bar, serverShutdown and TLS. Real time with short timeouts; waits have
// deadlines, nothing is timed.

#include "feed/stream_pool.h"

#include "net/asio_wake_up_timer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fakes/fake_binance_ws.h"
#include "fakes/scripted_market.h"
#include "net/tls_context.h"
#include "support/fixture_files.h"
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

constexpr auto kWait = 20s;  // generous: only reached when something is broken
const core::Interval k1s = *core::Interval::Parse("1s");
const core::Interval k1m = *core::Interval::Parse("1m");

std::vector<core::Symbol> Names(std::initializer_list<const char*> names) {
  return {names.begin(), names.end()};
}

std::vector<core::Symbol> ManySymbols(int count) {
  std::vector<core::Symbol> symbols;
  for (int i = 0; i < count; ++i) {
    symbols.push_back(std::string("Q").append(std::to_string(100 + i)).append("USDT"));
  }
  return symbols;
}

// Milliseconds on the steady clock, for readable comparisons of the fake's times.
long long Ms(std::chrono::steady_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

std::set<std::string> AsSet(const std::vector<std::string>& streams) {
  return {streams.begin(), streams.end()};
}

// What the pool delivered, kept on the loop thread (read it through loop.Run).
struct Delivered {
  std::map<std::pair<std::string, core::Interval>, std::set<Millis>> closed;  // open times
  std::size_t klines = 0;
  std::size_t tickers = 0;
  std::vector<std::vector<core::Symbol>> resumed;
};

class StreamPoolLoopbackTest : public ::testing::Test {
 protected:
  void TearDown() override {
    loop_.Run([this] {
      pool_.reset();
      timer_.reset();
    });
  }

  void StartFake(FakeBinanceWsOptions options) {
    options.script = script_;
    options.clock = &clock_;
    auto fake = FakeBinanceWs::Start(std::move(options));
    ASSERT_TRUE(fake.has_value()) << fake.error().message;
    fake_ = std::move(*fake);
  }

  // Options with short timeouts for tests.
  StreamPoolOptions Options(std::vector<core::Interval> intervals, std::size_t max_streams) {
    StreamPoolOptions options;
    options.market = core::Market::kSpot;
    options.ws_url = fake_->BaseUrl();
    options.intervals = std::move(intervals);
    options.max_streams_per_connection = max_streams;
    options.connection.link.stale_after = 1500;
    options.connection.link.reply_timeout = 5 * kSecond;
    options.connection.link.ws.idle_timeout = 30 * kSecond;
    options.connection.rotation_overlap = 300;
    options.connection.rotation_timeout = 5 * kSecond;
    options.connection.reconnect_backoff = {
        .initial = 200, .max = 2000, .multiplier = 2.0, .jitter = 0.5};
    options.connect_throttle = {
        .min_interval = 100, .max_per_window = 60, .window = 5 * core::kMinute};
    return options;
  }

  void MakePool(StreamPoolOptions options, boost::asio::ssl::context* tls = nullptr) {
    loop_.Run([&] {
      timer_.emplace(loop_.io(), clock_);
      auto pool = StreamPool::Create(
          loop_.io().get_executor(), tls, clock_, *timer_, std::move(options),
          StreamPoolCallbacks{
              .on_frame = nullptr,
              .on_kline =
                  [this](const binance::KlineEvent& event) {
                    ++delivered_.klines;
                    if (event.bar.closed) {
                      delivered_.closed[{std::string(event.symbol), event.interval}].insert(
                          event.bar.open_time);
                    }
                  },
              .on_ticker = [this](const binance::TickerEvent&) { ++delivered_.tickers; },
              .on_resumed =
                  [this](std::span<const core::Symbol> symbols) {
                    delivered_.resumed.emplace_back(symbols.begin(), symbols.end());
                  }},
          support::NullLogger("pool"));
      ASSERT_TRUE(pool.has_value()) << pool.error().message;
      pool_ = std::move(*pool);
    });
  }

  void Update(const std::vector<core::Symbol>& added, const std::vector<core::Symbol>& removed) {
    loop_.Run([&] { pool_->UpdateSymbols(added, removed); });
  }
  void Start() {
    loop_.Run([&] { pool_->Start(); });
  }
  StreamPoolStats Stats() {
    return loop_.Run([&] { return pool_->Stats(); });
  }
  std::vector<std::string> PlannedStreams(std::size_t connection) {
    return loop_.Run([&] { return pool_->plan().Streams(connection); });
  }

  // The fake's open connection carrying exactly `streams`, if any.
  std::optional<std::size_t> OpenConnectionWith(const std::set<std::string>& streams) {
    for (std::size_t id : fake_->OpenConnections()) {
      if (fake_->Streams(id) == streams) return id;
    }
    return std::nullopt;
  }

  // Waits until every planned connection is open on the fake with all its streams.
  bool WaitSubscribed() {
    return fake_->WaitFor(
        [&] {
          const std::size_t planned = loop_.Run([&] { return pool_->plan().ConnectionCount(); });
          for (std::size_t c = 0; c < planned; ++c) {
            if (!OpenConnectionWith(AsSet(PlannedStreams(c)))) return false;
          }
          return true;
        },
        kWait);
  }

  core::SystemClock clock_;
  std::shared_ptr<ScriptedMarket> script_ = std::make_shared<ScriptedMarket>(
      Names({"AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT", "EEEUSDT", "FFFUSDT"}));
  std::optional<boost::asio::ssl::context> tls_;
  std::unique_ptr<FakeBinanceWs> fake_;
  support::LoopThread loop_;
  std::optional<net::AsioWakeUpTimer> timer_;
  std::unique_ptr<StreamPool> pool_;
  Delivered delivered_;
};

TEST_F(StreamPoolLoopbackTest, ShardsSubscribesBeyondTheUrlAndFollowsUniverseDiffs) {
  StartFake({});
  StreamPoolOptions options = Options({k1s, k1m}, 5);
  options.connection.link.max_url_bytes = 60;  // only a stream or two in the URL
  MakePool(std::move(options));
  Update(Names({"AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT", "EEEUSDT"}), {});
  Start();
  ASSERT_TRUE(WaitSubscribed());

  // Ticker + 2 symbols, 2 symbols, 1 symbol: three connections, each on /stream.
  ASSERT_EQ(loop_.Run([&] { return pool_->plan().ConnectionCount(); }), 3u);
  EXPECT_EQ(fake_->ConnectionCount(), 3u);
  std::size_t subscribes = 0;
  for (std::size_t id = 0; id < fake_->ConnectionCount(); ++id) {
    EXPECT_THAT(fake_->Target(id), ::testing::StartsWith("/stream?streams="));
    EXPECT_LE(fake_->Streams(id).size(), 5u);
    subscribes += fake_->ControlMessages(id);
  }
  EXPECT_GE(subscribes, 3u);  // the rest of each connection's streams came by SUBSCRIBE
  EXPECT_TRUE(
      fake_->Streams(*OpenConnectionWith(AsSet(PlannedStreams(0)))).contains("!miniTicker@arr"));
  ASSERT_TRUE(fake_->WaitFor(
      [&] {
        return loop_.Run([&] {
          std::size_t series = 0;  // 1s series with a closed bar
          for (const auto& [key, bars] : delivered_.closed) series += key.second == k1s ? 1 : 0;
          return delivered_.tickers > 0 && series == 5;
        });
      },
      kWait));

  // A universe diff: AAA leaves, FFF arrives in its room on connection 0.
  const std::size_t first = *OpenConnectionWith(AsSet(PlannedStreams(0)));
  Update(Names({"FFFUSDT"}), Names({"AAAUSDT"}));
  ASSERT_TRUE(
      fake_->WaitFor([&] { return fake_->Streams(first) == AsSet(PlannedStreams(0)); }, kWait));
  EXPECT_TRUE(fake_->Streams(first).contains("fffusdt@kline_1s"));
  EXPECT_FALSE(fake_->Streams(first).contains("aaausdt@kline_1m"));
  EXPECT_EQ(fake_->ConnectionCount(), 3u);  // no connection was added or replaced
  const StreamPoolStats stats = Stats();
  EXPECT_EQ(stats.connections, 3u);
  EXPECT_EQ(stats.connections_open, 3u);
  EXPECT_EQ(stats.control_errors, 0u);
  EXPECT_EQ(stats.reconnects, 0u);
  EXPECT_GT(stats.parse.kline_frames, 0u);
  EXPECT_EQ(stats.parse.Errors(), 0u);
  EXPECT_EQ(fake_->RejectedRequests(), 0u);
  EXPECT_TRUE(fake_->RateViolations().empty());
}

TEST_F(StreamPoolLoopbackTest, PacesALargeSubscribeDiffUnderTheLimitWhileAnsweringPings) {
  FakeBinanceWsOptions fake;
  fake.max_messages_per_second = 5;  // Binance spot
  fake.ping_period = 1200ms;
  fake.pong_timeout = 2s;
  fake.kline_push_period = 250ms;
  StartFake(fake);
  StreamPoolOptions options = Options({k1m}, 1024);
  options.connection.link.max_messages_per_second = 4;
  options.connection.link.max_streams_per_message = 5;  // many small messages
  options.connection.link.stale_after = 10 * kSecond;
  MakePool(std::move(options));
  Start();
  ASSERT_TRUE(fake_->WaitFor([&] { return fake_->OpenCount() == 1; }, kWait));

  const std::vector<core::Symbol> symbols = ManySymbols(60);
  Update(symbols, {});
  ASSERT_TRUE(fake_->WaitFor([&] { return fake_->Streams(0).size() == 61; }, kWait));

  EXPECT_EQ(fake_->ControlMessages(0), 12u);  // 60 streams in SUBSCRIBEs of 5
  EXPECT_TRUE(fake_->RateViolations().empty());
  EXPECT_LE(fake_->PeakMessagesPerWindow(0), 5);
  EXPECT_GE(fake_->PeakMessagesPerWindow(0), 3);  // the budget was used, not wasted
  EXPECT_GE(fake_->PingsSent(), 2u);
  EXPECT_EQ(fake_->MissedPongs(), 0u);  // every pong within the server's 2 s window
  EXPECT_GE(fake_->PongsReceived(), 2u);
  EXPECT_EQ(fake_->ConnectionCount(), 1u);  // never dropped for going over
  const StreamPoolStats stats = Stats();
  EXPECT_EQ(stats.control_messages, 12u);
  EXPECT_GE(stats.pongs, 2u);
  EXPECT_EQ(stats.control_errors, 0u);
}

TEST_F(StreamPoolLoopbackTest, ADroppedConnectionReconnectsAndResubscribesAlone) {
  StartFake({});
  MakePool(Options({k1s, k1m}, 5));
  Update(Names({"AAAUSDT", "BBBUSDT", "CCCUSDT"}), {});
  Start();
  ASSERT_TRUE(WaitSubscribed());
  ASSERT_EQ(fake_->ConnectionCount(), 2u);
  const std::set<std::string> second = AsSet(PlannedStreams(1));
  const std::size_t dropped = *OpenConnectionWith(second);
  const std::size_t kept = 1 - dropped;

  fake_->Drop(dropped);
  ASSERT_TRUE(fake_->WaitFor(
      [&] {
        const auto now = OpenConnectionWith(second);
        return fake_->ConnectionCount() == 3 && now && *now == 2;
      },
      kWait));
  ASSERT_TRUE(fake_->WaitFor([&] { return loop_.Run([&] { return !delivered_.resumed.empty(); }); },
                             kWait));

  EXPECT_TRUE(fake_->IsOpen(kept));  // the other connection never noticed
  EXPECT_EQ(fake_->Streams(2), second);
  const StreamPoolStats stats = Stats();
  EXPECT_EQ(stats.disconnects, 1u);
  EXPECT_EQ(stats.reconnects, 1u);
  EXPECT_EQ(stats.connections_open, 2u);
  EXPECT_EQ(loop_.Run([&] { return delivered_.resumed; }),
            std::vector<std::vector<core::Symbol>>{Names({"CCCUSDT"})});
}

TEST_F(StreamPoolLoopbackTest, RefusedSubscribesAreRetriedOnTheSameConnectionUntilTheyFlow) {
  StartFake({});
  fake_->RefuseSubscribes(1000);
  StreamPoolOptions options = Options({k1s}, 1024);
  options.connection.link.max_url_bytes = 60;  // the ticker in the URL, the klines by SUBSCRIBE
  options.connection.link.resubscribe_backoff = {
      .initial = 100, .max = 400, .multiplier = 2.0, .jitter = 0.5};
  MakePool(std::move(options));
  Update(Names({"AAAUSDT", "BBBUSDT"}), {});
  Start();

  // Refused, and refused again on every retry: the pool says which streams it is blind on.
  ASSERT_TRUE(fake_->WaitFor([&] { return Stats().refused_subscribes >= 3; }, kWait));
  ASSERT_EQ(fake_->ConnectionCount(), 1u);
  EXPECT_FALSE(fake_->Streams(0).contains("aaausdt@kline_1s"));
  StreamPoolStats stats = Stats();
  EXPECT_EQ(stats.streams_unsubscribed, 2u);
  EXPECT_EQ(stats.unsubscribed_streams,
            (std::vector<std::string>{"aaausdt@kline_1s", "bbbusdt@kline_1s"}));
  EXPECT_GT(stats.unsubscribed_since, 0);
  EXPECT_LE(stats.unsubscribed_since, clock_.NowMs());
  EXPECT_GE(stats.refused_subscribes, 3u);
  EXPECT_GE(stats.resubscribes, 2u);

  // Binance accepts again: the next retry subscribes them, on the same connection.
  fake_->RefuseSubscribes(0);
  ASSERT_TRUE(WaitSubscribed()) << "the refused streams were never subscribed";
  ASSERT_TRUE(fake_->WaitFor(
      [&] {
        return loop_.Run([&] {
          return delivered_.closed.contains({"AAAUSDT", k1s}) &&
                 delivered_.closed.contains({"BBBUSDT", k1s});
        });
      },
      kWait));
  EXPECT_EQ(fake_->ConnectionCount(), 1u);
  stats = Stats();
  EXPECT_EQ(stats.streams_unsubscribed, 0u);
  EXPECT_TRUE(stats.unsubscribed_streams.empty());
  EXPECT_EQ(stats.unsubscribed_since, 0);
  EXPECT_EQ(stats.reconnects, 0u);
  EXPECT_EQ(stats.connections_open, 1u);
  EXPECT_GE(stats.control_errors, 3u);
}

TEST_F(StreamPoolLoopbackTest, AnOutageDoesNotTurnIntoAReconnectStorm) {
  StartFake({});
  StreamPoolOptions options = Options({k1s}, 3);
  options.connect_throttle = {
      .min_interval = 300, .max_per_window = 60, .window = 5 * core::kMinute};
  // Every connection wants to be back at once.
  options.connection.reconnect_backoff = {
      .initial = 50, .max = 1000, .multiplier = 2.0, .jitter = 0.0};
  MakePool(std::move(options));
  Update(Names({"AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT", "EEEUSDT", "FFFUSDT"}), {});
  Start();
  ASSERT_TRUE(WaitSubscribed());
  ASSERT_EQ(fake_->ConnectionCount(), 3u);

  fake_->DropAll();
  ASSERT_TRUE(fake_->WaitFor(
      [&] { return fake_->ConnectionCount() == 6 && fake_->OpenCount() == 3; }, kWait));
  ASSERT_TRUE(WaitSubscribed());
  // Handshakes, first connects and reconnects alike, came one at a time.
  EXPECT_LE(fake_->MaxAttemptsWithin(150ms), 1u);
  EXPECT_EQ(fake_->MaxAttemptsWithin(std::chrono::minutes(5)), 6u);
  const StreamPoolStats stats = Stats();
  EXPECT_EQ(stats.disconnects, 3u);
  EXPECT_EQ(stats.reconnects, 3u);
  EXPECT_EQ(stats.connect_attempts, 6u);
}

TEST_F(StreamPoolLoopbackTest, TheWatchdogReconnectsASilentConnection) {
  StartFake({});
  StreamPoolOptions options = Options({k1s}, 1024);
  options.connection.link.stale_after = 400;
  MakePool(std::move(options));
  Update(Names({"AAAUSDT"}), {});
  Start();
  ASSERT_TRUE(WaitSubscribed());
  ASSERT_TRUE(
      fake_->WaitFor([&] { return loop_.Run([&] { return delivered_.klines > 0; }); }, kWait));

  fake_->SetSilent(0, true);  // open, but nothing arrives any more
  ASSERT_TRUE(
      fake_->WaitFor([&] { return fake_->ConnectionCount() == 2 && fake_->IsOpen(1); }, kWait));
  ASSERT_TRUE(WaitSubscribed());
  const StreamPoolStats stats = Stats();
  EXPECT_EQ(stats.watchdog_trips, 1u);
  EXPECT_EQ(stats.reconnects, 1u);
  EXPECT_FALSE(fake_->IsOpen(0));
  EXPECT_EQ(fake_->Streams(1), AsSet(PlannedStreams(0)));
}

TEST_F(StreamPoolLoopbackTest, FuturesDataFlowsOnlyOnTheMarketRoute) {
  FakeBinanceWsOptions fake;
  fake.market = core::Market::kUsdm;
  fake.max_messages_per_second = 10;
  StartFake(fake);
  StreamPoolOptions options = Options({k1m}, 200);
  options.market = core::Market::kUsdm;
  options.ws_url = fake_->UnroutedBaseUrl();  // the old URL: a handshake, then nothing
  options.connection.link.stale_after = 400;
  MakePool(std::move(options));
  Update(Names({"AAAUSDT"}), {});
  Start();
  ASSERT_TRUE(fake_->WaitFor([&] { return Stats().watchdog_trips >= 1; }, kWait));
  EXPECT_EQ(loop_.Run([&] { return delivered_.klines; }), 0u);
  EXPECT_THAT(fake_->Target(0), ::testing::StartsWith("/stream?streams=!ticker@arr/"));
  loop_.Run([&] { pool_.reset(); });

  StreamPoolOptions routed = Options({k1m}, 200);
  routed.market = core::Market::kUsdm;
  MakePool(std::move(routed));
  Update(Names({"AAAUSDT"}), {});
  Start();
  ASSERT_TRUE(fake_->WaitFor(
      [&] { return loop_.Run([&] { return delivered_.klines > 0 && delivered_.tickers > 0; }); },
      kWait));
  const std::size_t last = fake_->ConnectionCount() - 1;
  EXPECT_THAT(fake_->Target(last), ::testing::StartsWith("/market/stream?streams=!ticker@arr/"));
}

TEST_F(StreamPoolLoopbackTest, RotationBeforeTheAgeLimitMissesNoBar) {
  StartFake({});
  StreamPoolOptions options = Options({k1s}, 1024);
  options.connection.max_connection_age = 1500;
  MakePool(std::move(options));
  const std::vector<core::Symbol> symbols = Names({"AAAUSDT", "BBBUSDT"});
  Update(symbols, {});
  Start();
  ASSERT_TRUE(fake_->WaitFor([&] { return Stats().rotations >= 3; }, kWait));
  // Let the last switch's closed bars come in too.
  ASSERT_TRUE(fake_->WaitFor([&] { return fake_->OpenCount() == 1; }, kWait));
  const Millis last_needed = k1s.BarOpenFor(clock_.NowMs()) - kSecond;
  ASSERT_TRUE(fake_->WaitFor(
      [&] {
        return loop_.Run([&] {
          for (const core::Symbol& symbol : symbols) {
            const auto& seen = delivered_.closed[{symbol, k1s}];
            if (seen.empty() || *seen.rbegin() < last_needed) return false;
          }
          return true;
        });
      },
      kWait));

  const StreamPoolStats stats = Stats();
  EXPECT_EQ(stats.reconnects, 0u);
  EXPECT_EQ(stats.disconnects, 0u);
  EXPECT_EQ(stats.resumes, 0u);
  // Each connection was let go only after its replacement delivered data.
  for (std::size_t id = 0; id + 1 < fake_->ConnectionCount(); ++id) {
    if (!fake_->ClientCloseAt(id)) continue;  // the newest ones may still be open
    ASSERT_TRUE(fake_->FirstDataAt(id + 1).has_value()) << id;
    EXPECT_LT(Ms(*fake_->FirstDataAt(id + 1)), Ms(*fake_->ClientCloseAt(id))) << id;
  }
  // Every connection was closed by the client (after its switch, or now), none by the server.
  loop_.Run([&] { pool_->Stop(); });
  ASSERT_TRUE(fake_->WaitFor([&] { return fake_->OpenCount() == 0; }, kWait));
  EXPECT_GE(fake_->ConnectionCount(), 4u);
  for (std::size_t id = 0; id < fake_->ConnectionCount(); ++id) {
    EXPECT_TRUE(fake_->ClosedByClient(id)) << id;
  }
  // Every bar from the first closed one seen to the last: none missing across the switches.
  const auto closed = loop_.Run([&] { return delivered_.closed; });
  for (const core::Symbol& symbol : symbols) {
    const std::set<Millis>& seen = closed.at({symbol, k1s});
    ASSERT_GE(seen.size(), 4u);
    const Millis first = *seen.begin();
    const Millis last = *seen.rbegin();
    EXPECT_EQ(static_cast<Millis>(seen.size()), (last - first) / kSecond + 1) << symbol;
  }
}

TEST_F(StreamPoolLoopbackTest, ServerShutdownOpensAReplacementBeforeLettingGo) {
  StartFake({});
  MakePool(Options({k1s}, 1024));
  Update(Names({"AAAUSDT"}), {});
  Start();
  ASSERT_TRUE(WaitSubscribed());
  ASSERT_TRUE(
      fake_->WaitFor([&] { return loop_.Run([&] { return delivered_.klines > 0; }); }, kWait));

  fake_->SendServerShutdown(0);
  ASSERT_TRUE(fake_->WaitFor(
      [&] { return fake_->ConnectionCount() == 2 && !fake_->IsOpen(0) && fake_->IsOpen(1); },
      kWait));
  ASSERT_TRUE(fake_->ClientCloseAt(0).has_value());
  ASSERT_TRUE(fake_->FirstDataAt(1).has_value());
  EXPECT_LT(Ms(*fake_->FirstDataAt(1)), Ms(*fake_->ClientCloseAt(0)));  // replacement first
  EXPECT_EQ(fake_->Streams(1), AsSet(PlannedStreams(0)));
  const StreamPoolStats stats = Stats();
  EXPECT_EQ(stats.shutdown_notices, 1u);
  EXPECT_EQ(stats.parse.server_shutdowns, 1u);
  EXPECT_EQ(stats.rotations, 1u);
  EXPECT_EQ(stats.reconnects, 0u);
  const std::size_t before = loop_.Run([&] { return delivered_.klines; });
  ASSERT_TRUE(
      fake_->WaitFor([&] { return loop_.Run([&] { return delivered_.klines > before; }); }, kWait));
}

TEST_F(StreamPoolLoopbackTest, ConnectsOverTls) {
  FakeBinanceWsOptions fake;
  fake.tls = true;
  fake.cert_file = support::FixturePath("tls", "server.pem");
  fake.key_file = support::FixturePath("tls", "server.key");
  StartFake(fake);
  auto context = net::MakeClientTlsContext(support::FixturePath("tls", "ca.pem"));
  ASSERT_TRUE(context.has_value()) << context.error().message;
  tls_.emplace(std::move(*context));
  StreamPoolOptions options = Options({k1s}, 1024);
  options.ws_url = fake_->BaseUrl("localhost");
  MakePool(std::move(options), &*tls_);
  Update(Names({"AAAUSDT"}), {});
  Start();
  ASSERT_TRUE(fake_->WaitFor(
      [&] { return loop_.Run([&] { return delivered_.klines > 0 && delivered_.tickers > 0; }); },
      kWait));
  EXPECT_THAT(fake_->BaseUrl("localhost"), ::testing::StartsWith("wss://localhost:"));
  EXPECT_EQ(Stats().connections_open, 1u);
}

}  // namespace
}  // namespace scanner::feed
