#pragma once
// FakeBinanceWs: a fake Binance market-data WebSocket server (spot or USD-M futures) on
// 127.0.0.1, plain or TLS, built on FakeWsServer and a ScriptedMarket.
//
// Protocol, as Binance speaks it:
// - Combined streams: `<prefix>/stream?streams=a/b/c`; the prefix is "" on spot and "/market"
//   on futures. A futures connection to the unrouted path completes the handshake and then
//   sends nothing (like Binance since 2026), and so does a stream for an unknown symbol.
// - Control messages: SUBSCRIBE / UNSUBSCRIBE ({"result":null,"id":N}), LIST_SUBSCRIPTIONS
//   ({"result":[...],"id":N}); a bad request gets {"code":2,"msg":"Invalid request: ...",
//   "id":N}, broken JSON {"code":3,"msg":"Invalid JSON: ..."}. Each connection's subscriptions
//   are tracked; more than max_streams_per_connection is refused and counted.
// - Data: every kline_push_period, each connection gets an update of the forming bar of every
//   kline stream it subscribes to, and, once a bar has closed, its final frame ("x":true) first.
//   Bars are the ScriptedMarket's, by the injected clock. A connection gets final frames only
//   for bars that closed while it was subscribed (a reconnect misses the ones in between, as on
//   Binance). The market ticker stream (`!miniTicker@arr` / `!ticker@arr`) gets an array every
//   ticker_push_period.
// - Pings every ping_period (0: none); a pong echoing the payload must arrive within
//   pong_timeout, otherwise the miss is counted and the connection dropped.
// - Rate limit: every frame the client sends (text, ping, pong) is counted per connection over
//   a sliding rate_window (1 s); more than max_messages_per_second in a window is a violation,
//   recorded, and the connection is dropped (drop_over_limit), as Binance does.
// - Connection attempts (WebSocket handshakes) are recorded, for the 300-per-5-minutes rule.
// Faults: drop a connection, go silent, serverShutdown, duplicate kline frames, out-of-order
// klines (the new bar's update before the previous bar's final frame, then an old final frame
// again), malformed frames after each batch, final frames skipped, SUBSCRIBEs refused.
//
// Threading: FakeWsServer's thread runs the protocol; a driver thread pushes data, pings and
// checks rates. Every public method is thread-safe. Destruction stops both threads.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/market.h"
#include "fakes/fake_ws_server.h"
#include "fakes/scripted_market.h"

namespace scanner::fakes {

struct FakeBinanceWsOptions {
  core::Market market = core::Market::kSpot;
  std::shared_ptr<const ScriptedMarket> script;  // required
  const core::Clock* clock = nullptr;            // the market's time; required
  bool tls = false;
  std::string cert_file{};
  std::string key_file{};
  int max_messages_per_second = 5;  // Binance: 5 spot, 10 futures
  std::chrono::milliseconds rate_window{1000};
  bool drop_over_limit = true;
  std::chrono::milliseconds ping_period{0};
  std::chrono::milliseconds pong_timeout{60000};
  std::chrono::milliseconds kline_push_period{100};
  std::chrono::milliseconds ticker_push_period{1000};
  std::size_t max_streams_per_connection = 1024;
};

struct RateViolation {
  std::size_t connection = 0;
  int messages = 0;  // counted in the window that ended with the offending frame
};

class FakeBinanceWs {
 public:
  static core::Result<std::unique_ptr<FakeBinanceWs>> Start(FakeBinanceWsOptions options);
  FakeBinanceWs(const FakeBinanceWs&) = delete;
  FakeBinanceWs& operator=(const FakeBinanceWs&) = delete;
  ~FakeBinanceWs();

  // The base URL a client configures: "ws://127.0.0.1:<port>" (+ "/market" on futures).
  std::string BaseUrl(std::string_view host = "127.0.0.1") const;
  // Futures without the /market route (handshake only, no data).
  std::string UnroutedBaseUrl(std::string_view host = "127.0.0.1") const;
  FakeWsServer& server() { return *server_; }
  const FakeWsServer& server() const { return *server_; }

  // ---- what happened -------------------------------------------------------------------------
  std::size_t ConnectionCount() const { return server_->ConnectionCount(); }
  std::size_t OpenCount() const { return server_->OpenCount(); }
  bool IsOpen(std::size_t id) const;
  std::string Target(std::size_t id) const;
  // The streams connection `id` is subscribed to now (URL and SUBSCRIBE, minus UNSUBSCRIBE).
  std::set<std::string> Streams(std::size_t id) const;
  // The connections open now and every stream they carry (with multiplicity: a stream on two
  // connections counts twice).
  std::vector<std::size_t> OpenConnections() const;
  std::size_t ControlMessages(std::size_t id) const;  // SUBSCRIBE/UNSUBSCRIBE/LIST received
  std::size_t RejectedRequests() const;               // error replies sent
  std::size_t OverStreamLimit() const;
  std::vector<RateViolation> RateViolations() const;
  // The most frames connection `id` sent within one rate window, over its life.
  int PeakMessagesPerWindow(std::size_t id) const;
  std::size_t PingsSent() const;
  std::size_t PongsReceived() const;  // pongs that echoed an outstanding ping
  std::size_t MissedPongs() const;
  std::chrono::milliseconds MaxPongDelay() const;
  // The most WebSocket handshakes within any `window`.
  std::size_t MaxAttemptsWithin(std::chrono::milliseconds window) const;
  // True when the client sent a close frame on `id` (a graceful close by the client).
  bool ClosedByClient(std::size_t id) const;
  // When the client's close frame on `id` arrived, if it sent one.
  std::optional<std::chrono::steady_clock::time_point> ClientCloseAt(std::size_t id) const;
  // When market data was first pushed to `id`, if ever.
  std::optional<std::chrono::steady_clock::time_point> FirstDataAt(std::size_t id) const;
  // Final kline frames ("x":true) sent, all connections.
  std::size_t ClosedKlinesSent() const;
  // When the first final frame of the bar of (symbol, interval) opening at `open_time` was sent:
  // steady_clock, microseconds since its epoch, taken just before the frame was handed to the
  // server (FakeWsServer::SendText), on any connection; nullopt if none was. For latency
  // benchmarks (bench/bench_live.cpp).
  std::optional<std::int64_t> FinalFrameSentUs(std::string_view symbol, core::Interval interval,
                                               core::Millis open_time) const;

  bool WaitFor(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) const {
    return server_->WaitFor(predicate, timeout);
  }

  // ---- faults --------------------------------------------------------------------------------
  void Drop(std::size_t id);
  void DropAll();
  // No data, no pings (the socket stays open).
  void SetSilent(std::size_t id, bool silent);
  void SendServerShutdown(std::size_t id);
  void SetDuplicateKlines(bool on) { duplicate_.store(on); }
  void SetOutOfOrderKlines(bool on) { out_of_order_.store(on); }
  void SetMalformedFrames(bool on) { malformed_.store(on); }
  void SetSkipClosedKlines(bool on) { skip_closed_.store(on); }
  // The next `count` SUBSCRIBE requests (any connection) are refused and subscribe nothing:
  // {"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":N} as spot answers, or
  // without the id (`with_id` false) as futures does. Counted in RejectedRequests().
  void RefuseSubscribes(int count, bool with_id = true);

 private:
  struct Ping {
    std::string payload;
    std::chrono::steady_clock::time_point sent_at;
  };
  struct Conn {
    std::string target;
    bool routed = false;
    bool open = true;  // as of the driver's last look
    bool silent = false;
    std::set<std::string> streams;
    std::map<std::string, core::Millis> last_open;  // kline stream -> open time last pushed
    std::size_t control_messages = 0;
    std::optional<std::chrono::steady_clock::time_point> first_data;
    // Rate accounting (driver thread).
    std::size_t frames_checked = 0;
    std::vector<std::chrono::steady_clock::time_point> recent;  // frames in the last window
    int peak = 0;
    bool dropped = false;
    std::chrono::steady_clock::time_point next_ping{};
    std::vector<Ping> outstanding;
  };

  explicit FakeBinanceWs(FakeBinanceWsOptions options);
  std::string_view Prefix() const;
  void OnOpen(std::size_t id, const std::string& target);
  void OnText(std::size_t id, std::string_view text);
  void Run();
  void CheckClientFrames(std::chrono::steady_clock::time_point now);
  void PushKlines(core::Millis now);
  void PushTickers(core::Millis now);

  const FakeBinanceWsOptions options_;
  std::unique_ptr<FakeWsServer> server_;

  mutable std::mutex mutex_;  // guards everything below
  std::map<std::size_t, Conn> conns_;
  std::vector<std::chrono::steady_clock::time_point> attempts_;
  std::vector<RateViolation> violations_;
  std::size_t rejected_ = 0;
  int refuse_subscribes_ = 0;  // SUBSCRIBEs still to refuse
  bool refuse_with_id_ = true;
  std::size_t over_stream_limit_ = 0;
  std::size_t pings_sent_ = 0;
  std::size_t pongs_received_ = 0;
  std::size_t missed_pongs_ = 0;
  std::chrono::milliseconds max_pong_delay_{0};
  std::size_t closed_klines_sent_ = 0;
  // (symbol, interval index, open time) -> first send of its final frame, steady µs.
  std::map<std::tuple<core::Symbol, std::size_t, core::Millis>, std::int64_t> final_sent_us_;
  std::uint64_t ping_serial_ = 0;

  std::atomic<bool> duplicate_{false};
  std::atomic<bool> out_of_order_{false};
  std::atomic<bool> malformed_{false};
  std::atomic<bool> skip_closed_{false};
  std::atomic<bool> stop_{false};
  std::thread driver_;
};

}  // namespace scanner::fakes
