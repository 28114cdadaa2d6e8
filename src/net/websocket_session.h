#pragma once
// One WebSocket client connection (ws:// or wss://) as a visible state machine:
//
//   kIdle -> [kBackoff] -> kResolving -> kConnecting -> [kTlsHandshake] -> kWsHandshake
//         -> kStreaming -> [kClosing] -> kStopped
//
// A *run* starts with Start() or Reconnect() and ends in kStopped with exactly one on_closed
// call. Any error, timeout or close ends the run; the session never reconnects by itself: its
// owner (the stream pool) decides on backoff and calls Reconnect(delay), which builds a NEW
// Beast stream (a stream cannot be reused after a failure), or creates a new session.
//
// Streaming: one read is always pending, so server pings are answered at once (Beast writes the
// pong itself). Every pong counts against Binance's per-connection message limit, so pings
// received and pongs sent are counted in stats(). Keep-alive pings are off (the server pings
// us). The idle timeout ends the run when no frame at all -- data, ping or pong -- arrived for
// `idle_timeout`; it must be longer than the server's ping interval (spot 20 s, futures 3 min)
// for a connection that may carry no data. This is the session's own timer: with keep-alive
// pings off, Beast 1.81's idle timer is re-armed only when a read starts, so server pings would
// not count as activity.
//
// Threading: the scanner runs ONE io_context thread. All handlers and callbacks run on the
// session's executor (that thread). Public methods may be called from any thread: they post
// onto the executor and never run a callback inline. state() and stats() may be read from any
// thread. Callbacks must not throw.
//
// Lifetime: Create() returns a shared_ptr; pending handlers keep the session alive. Call
// Stop() before releasing it while a run is active; on_closed is the last callback of a run.
// The TLS context and the clock must outlive the session.

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <spdlog/logger.h>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "core/time.h"
#include "net/url.h"

namespace scanner::net {

enum class WsState {
  kIdle,          // created, never started
  kBackoff,       // waiting for Reconnect's delay
  kResolving,     // DNS
  kConnecting,    // TCP connect
  kTlsHandshake,  // wss:// only
  kWsHandshake,   // HTTP upgrade
  kStreaming,     // open: messages flow
  kClosing,       // our Close() is waiting for the server's close frame
  kStopped,       // the run ended and on_closed was called
};

std::string_view WsStateName(WsState state);

enum class WsCloseKind {
  kServerClose,  // the server sent a close frame (code and reason filled)
  kError,        // resolve/connect/TLS/handshake failure or timeout, drop, protocol error, size cap
  kIdleTimeout,  // nothing received for idle_timeout while streaming
  kStopped,      // Stop(), Close() or Reconnect() by the owner
};

std::string_view WsCloseKindName(WsCloseKind kind);

struct WsCloseInfo {
  WsCloseKind kind = WsCloseKind::kError;
  WsState state = WsState::kIdle;   // the step the run was in when it ended
  boost::system::error_code error{};  // kError: the cause; kIdleTimeout: beast::error::timeout
  std::uint16_t code = 0;           // close frame code: the server's, or its reply to Close()
  std::string reason{};             // close frame reason
  std::string message{};            // human-readable summary for logs (no URL target)
};

struct WsOptions {
  // Each bounds one step; a step that overruns ends the run with kError and
  // boost::beast::error::timeout.
  core::Millis resolve_timeout = 10 * core::kSecond;
  core::Millis connect_timeout = 10 * core::kSecond;
  core::Millis tls_handshake_timeout = 10 * core::kSecond;
  core::Millis ws_handshake_timeout = 10 * core::kSecond;  // also bounds a graceful Close()
  // No frame at all for this long while streaming ends the run with kIdleTimeout. Must exceed
  // the server's ping interval.
  core::Millis idle_timeout = 60 * core::kSecond;
  // Larger incoming messages end the run with kError (websocket::error::message_too_big).
  std::size_t max_message_bytes = 1 << 20;
  std::string user_agent = "momentum-scanner";
};

// Cumulative over every run of the session.
struct WsStats {
  std::uint64_t connects = 0;       // runs that reached kStreaming
  std::uint64_t messages_in = 0;    // data messages delivered to on_message
  std::uint64_t bytes_in = 0;       // their payload bytes
  std::uint64_t pings_in = 0;       // server pings received
  std::uint64_t pongs_out = 0;      // pongs sent in answer (one per ping received while open)
  std::uint64_t pongs_in = 0;       // pongs received (unsolicited or not)
  std::uint64_t messages_out = 0;   // text frames from Send() fully written
  core::Millis last_message_ms = 0;  // clock time of the latest data message, 0 if none
  core::Millis connected_ms = 0;     // clock time the latest run reached kStreaming
};

struct WsCallbacks {
  // A data message (text; a binary one is delivered the same way). The view points into a
  // buffer reused for the next message: copy what you keep. Required.
  std::function<void(std::string_view message)> on_message;
  // The end of a run; the last callback of that run. Required.
  std::function<void(const WsCloseInfo& info)> on_closed;
  // Every state change, in order. Optional.
  std::function<void(WsState state)> on_state;
};

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  // `url` must be ws:// or wss://; wss:// needs `tls_context` (see MakeClientTlsContext), which
  // must outlive the session. Fails on a bad scheme, a missing context, logger or callback.
  static core::Result<std::shared_ptr<WebSocketSession>> Create(
      boost::asio::any_io_executor executor, boost::asio::ssl::context* tls_context,
      const core::Clock& clock, std::shared_ptr<spdlog::logger> logger, Url url,
      WsOptions options, WsCallbacks callbacks);

  WebSocketSession(const WebSocketSession&) = delete;
  WebSocketSession& operator=(const WebSocketSession&) = delete;
  ~WebSocketSession();

  // Starts the first run. Ignored unless the session is kIdle.
  void Start();

  // Starts a new run on a new stream after `delay` (kBackoff meanwhile). When a run is active it
  // ends first (on_closed with kStopped), then the new run starts.
  void Reconnect(core::Millis delay);

  // Queues a text frame; frames are written in order, one at a time. While a run is on its way
  // (kBackoff .. kWsHandshake) frames wait and are written once it reaches kStreaming. Frames
  // sent while no run is active (kIdle, kClosing, kStopped) and frames still queued when a run
  // ends are dropped: the owner re-sends what a new run needs (e.g. SUBSCRIBE).
  void Send(std::string text);

  // Graceful: sends a close frame (1000) and waits for the server's, bounded by
  // ws_handshake_timeout; the run then ends with kStopped and the server's code. Before
  // kStreaming it acts as Stop(); while already closing it does nothing.
  void Close();

  // Immediate: closes the socket, cancels everything (and a pending Reconnect); the run ends
  // with kStopped. Does nothing when no run is active (kIdle, kStopped).
  void Stop();

  WsState state() const { return state_.load(std::memory_order_acquire); }
  WsStats stats() const;
  const Url& url() const { return url_; }

 private:
  using PlainStream = boost::beast::websocket::stream<boost::beast::tcp_stream>;
  using TlsStream =
      boost::beast::websocket::stream<boost::beast::ssl_stream<boost::beast::tcp_stream>>;
  using SteadyTime = std::chrono::steady_clock::time_point;

  struct Counters {
    std::atomic<std::uint64_t> connects{0};
    std::atomic<std::uint64_t> messages_in{0};
    std::atomic<std::uint64_t> bytes_in{0};
    std::atomic<std::uint64_t> pings_in{0};
    std::atomic<std::uint64_t> pongs_out{0};
    std::atomic<std::uint64_t> pongs_in{0};
    std::atomic<std::uint64_t> messages_out{0};
    std::atomic<core::Millis> last_message_ms{0};
    std::atomic<core::Millis> connected_ms{0};
  };

  WebSocketSession(boost::asio::any_io_executor executor, boost::asio::ssl::context* tls_context,
                   const core::Clock& clock, std::shared_ptr<spdlog::logger> logger, Url url,
                   WsOptions options, WsCallbacks callbacks);

  // Steps, in order. Each handler starts with Proceed(), the error check.
  void BeginRun(core::Millis delay);
  void StartResolve();
  void OnResolve(boost::system::error_code ec, boost::asio::ip::tcp::resolver::results_type found);
  void OnConnect(boost::system::error_code ec, const boost::asio::ip::tcp::endpoint& endpoint);
  void OnTlsHandshake(boost::system::error_code ec);
  void StartWsHandshake();
  void OnWsHandshake(boost::system::error_code ec);
  void StartRead();
  void OnRead(boost::system::error_code ec, std::size_t bytes);
  void StartWrite();
  void OnWrite(boost::system::error_code ec, std::size_t bytes);
  void OnClose(boost::system::error_code ec);
  void ArmTimer(std::chrono::steady_clock::duration after);
  void OnTimer(boost::system::error_code ec);

  // Public entry points, on the executor.
  void DoReconnect(core::Millis delay);
  void DoSend(std::string text);
  void DoClose();
  void DoStop();

  // Counts a completed operation; false when the run is ending (the last operation to complete
  // then finishes it) and the handler must stop.
  bool Completed();
  // Completed(), then the error check: a failed `ec` ends the run with kError.
  bool Proceed(boost::system::error_code ec);
  // Ends the run: records why (the first reason wins; `info.state` is filled in), closes the
  // transport, and finishes once every pending operation has completed.
  void End(WsCloseInfo info);
  void CloseTransport();
  void MaybeFinish();
  void SetState(WsState state);
  void OnControlFrame(boost::beast::websocket::frame_type kind, std::string_view payload);
  template <class Stream>
  void ConfigureWebSocket(Stream& ws);
  // Calls `f` with the run's stream (plain or TLS), if there is one.
  template <class F>
  void WithStream(F&& f);

  boost::asio::any_io_executor executor_;
  boost::asio::ssl::context* tls_context_;
  const core::Clock& clock_;
  std::shared_ptr<spdlog::logger> logger_;
  const Url url_;
  const WsOptions options_;
  const WsCallbacks callbacks_;

  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer timer_;  // backoff delay, resolve deadline or idle check
  std::optional<PlainStream> plain_;
  std::optional<TlsStream> tls_;
  boost::beast::flat_buffer read_buffer_;  // reused for every message
  std::deque<std::string> outbox_;
  bool writing_ = false;

  std::atomic<WsState> state_{WsState::kIdle};
  int pending_ = 0;      // operations in flight for the current run
  bool ending_ = false;  // the run is winding down; end_ says why
  WsCloseInfo end_;
  std::optional<core::Millis> restart_delay_;  // Reconnect() during a run
  SteadyTime last_frame_at_{};
  Counters counters_;
};

}  // namespace scanner::net
