#pragma once
// StreamPool: the scanner's Binance market-data WebSocket connections.
//
// - Sharding: (universe symbols x intervals) kline streams plus the market ticker stream are
//   planned onto connections by ConnectionPlanner (see stream_plan.h): at most
//   max_streams_per_connection each, a symbol's intervals together, the ticker on connection 0.
//   The base URL is the market's (spot wss://stream.binance.com:9443, futures
//   wss://fstream.binance.com/market: market data is on the /market route).
// - Universe changes (UpdateSymbols) become SUBSCRIBE / UNSUBSCRIBE messages on the affected
//   connections (batched params, ids, replies checked), paced per connection so that control
//   messages plus pongs stay under max_messages_per_second in any window (MessagePacer); new
//   symbols that do not fit open new connections.
// - Connections: every connection attempt of the pool (first connects, reconnects, rotations)
//   goes through one ConnectThrottle (at most one per min_interval, a hard cap per 5 minutes,
//   far below Binance's 300). Each connection reconnects on its own with jittered capped
//   backoff; a no-data watchdog (stale_after) and proactive rotation before max_connection_age
//   (or on serverShutdown) are per connection (see StreamConnection).
// - Data: every frame is parsed by its connection's StreamParser; klines and tickers go to the
//   callbacks as they arrive (views valid during the call only). During a rotation both links
//   deliver (consumers must be idempotent; market windows are). After a connection recovered
//   from a loss, on_resumed names its symbols: their windows may miss bars (gap filling).
// - Refusals: a stream Binance refused to SUBSCRIBE is retried with backoff by its connection;
//   meanwhile the scanner is blind on it, and Stats() says so (streams_unsubscribed, a bounded
//   list of names, since when).
//
// Threading: not thread-safe; create, call and destroy it on the io_context thread; callbacks
// run there. Decisions use core::Clock and wake through the WakeUpTimer. The clock, timer, TLS
// context and logger must outlive the pool. Stop() closes every connection; destroying the pool
// stops it.

#include <spdlog/logger.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "binance/stream_parser.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/market.h"
#include "core/types.h"
#include "core/wake_up_timer.h"
#include "feed/connect_throttle.h"
#include "feed/stream_connection.h"
#include "feed/stream_plan.h"

namespace scanner::feed {

struct StreamPoolOptions {
  core::Market market = core::Market::kSpot;
  std::string ws_url;  // exchange.ws_url (base, without /stream); copied to connection.link
  std::vector<core::Interval> intervals;          // streams.intervals
  std::size_t max_streams_per_connection = 1024;  // 1024 spot, 200 usdm
  bool ticker_stream = true;                      // the market-wide 24 h ticker on connection 0
  StreamConnectionOptions connection{};           // link: max_messages_per_second, stale_after, ...
  ConnectThrottleOptions connect_throttle{};
  std::uint64_t seed = 0x5eed;  // reconnect jitter
};

struct StreamPoolStats {
  binance::StreamParseStats parse;   // messages by kind and parse errors by kind, every connection
  std::size_t connections = 0;       // planned (with streams)
  std::size_t connections_open = 0;  // streaming
  std::size_t streams = 0;           // planned streams
  std::uint64_t connect_attempts = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t disconnects = 0;
  std::uint64_t watchdog_trips = 0;
  std::uint64_t reply_timeouts = 0;
  std::uint64_t rotations = 0;
  std::uint64_t rotation_failures = 0;
  std::uint64_t shutdown_notices = 0;
  std::uint64_t control_messages = 0;  // SUBSCRIBE / UNSUBSCRIBE sent
  std::uint64_t control_errors = 0;
  std::uint64_t refused_subscribes = 0;  // SUBSCRIBE requests Binance refused
  std::uint64_t resubscribes = 0;        // SUBSCRIBE messages sent again after a refusal
  std::uint64_t pongs = 0;
  std::uint64_t resumes = 0;  // on_resumed calls
  // Planned streams Binance refused to SUBSCRIBE and not subscribed since (being retried): no
  // data comes for them. Names sorted, at most kMaxListedStreams of them; since: when the
  // longest-refused one was first refused, 0 when none is.
  static constexpr std::size_t kMaxListedStreams = 10;
  std::size_t streams_unsubscribed = 0;
  std::vector<std::string> unsubscribed_streams;
  core::Millis unsubscribed_since = 0;
};

struct StreamPoolCallbacks {
  // Every text frame of every connection, before parsing (`run --record`); empty: none.
  std::function<void(std::string_view frame)> on_frame;
  std::function<void(const binance::KlineEvent& event)> on_kline;
  std::function<void(const binance::TickerEvent& event)> on_ticker;
  // A connection delivers again after a loss; its symbols may have missed bars.
  std::function<void(std::span<const core::Symbol> symbols)> on_resumed;
};

class StreamPool {
 public:
  // Fails on an unusable plan (no interval, a symbol that cannot fit a connection) or a bad
  // ws_url. `tls` is needed for wss:// URLs.
  static core::Result<std::unique_ptr<StreamPool>> Create(
      boost::asio::any_io_executor executor, boost::asio::ssl::context* tls,
      const core::Clock& clock, core::WakeUpTimer& timer, StreamPoolOptions options,
      StreamPoolCallbacks callbacks, std::shared_ptr<spdlog::logger> logger);

  StreamPool(const StreamPool&) = delete;
  StreamPool& operator=(const StreamPool&) = delete;
  ~StreamPool();

  // Starts connecting (the ticker stream alone if no symbol was added yet).
  void Start();
  // Adds and removes symbols (see ConnectionPlanner::Update); may be called before Start().
  void UpdateSymbols(std::span<const core::Symbol> added, std::span<const core::Symbol> removed);
  // Closes every connection; final.
  void Stop();

  StreamPoolStats Stats() const;
  const ConnectionPlanner& plan() const { return planner_; }
  std::size_t ConnectionCount() const { return connections_.size(); }
  const StreamConnection& connection(std::size_t index) const { return *connections_[index]; }

 private:
  StreamPool(boost::asio::any_io_executor executor, boost::asio::ssl::context* tls,
             const core::Clock& clock, core::WakeUpTimer& timer, StreamPoolOptions options,
             ConnectionPlanner planner, StreamPoolCallbacks callbacks,
             std::shared_ptr<spdlog::logger> logger);

  void ApplyPlan(const std::vector<PlanChange>& changes);
  // Schedules a service pass (coalesced, posted: never inside a session callback).
  void Poke();
  // Runs every connection's decisions and re-arms the timer.
  void Service();

  boost::asio::any_io_executor executor_;
  const core::Clock& clock_;
  core::WakeUpTimer& timer_;
  const StreamPoolOptions options_;
  ConnectionPlanner planner_;
  StreamPoolCallbacks callbacks_;
  std::shared_ptr<spdlog::logger> logger_;
  ConnectThrottle throttle_;
  StreamConnectionContext context_;
  std::vector<std::unique_ptr<StreamConnection>> connections_;
  bool started_ = false;
  bool stopped_ = false;
  bool service_posted_ = false;
  std::uint64_t resumes_ = 0;
  // Held weakly by posted passes: they do nothing once the pool is gone.
  std::shared_ptr<StreamPool*> self_;
};

}  // namespace scanner::feed
