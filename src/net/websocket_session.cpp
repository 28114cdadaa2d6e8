#include "net/websocket_session.h"

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <utility>

#include "net/tls_context.h"

namespace scanner::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using boost::system::error_code;
using tcp = boost::asio::ip::tcp;

namespace {

// Single writer (the executor thread), any number of readers: no read-modify-write needed.
void Bump(std::atomic<std::uint64_t>& counter, std::uint64_t by = 1) {
  counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

std::chrono::milliseconds Ms(core::Millis millis) { return std::chrono::milliseconds(millis); }

}  // namespace

template <class F>
void WebSocketSession::WithStream(F&& f) {
  if (tls_) {
    f(*tls_);
  } else if (plain_) {
    f(*plain_);
  }
}

template <class Stream>
void WebSocketSession::ConfigureWebSocket(Stream& ws) {
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = Ms(options_.ws_handshake_timeout);
  timeouts.idle_timeout = websocket::stream_base::none();  // our own idle check, see the header
  timeouts.keep_alive_pings = false;                        // the server pings; we answer
  ws.set_option(timeouts);
  ws.set_option(websocket::stream_base::decorator(
      [agent = options_.user_agent](websocket::request_type& request) {
        request.set(beast::http::field::user_agent, agent);
      }));
  ws.read_message_max(options_.max_message_bytes);
  ws.control_callback([this](websocket::frame_type kind, std::string_view payload) {
    OnControlFrame(kind, payload);
  });
}

std::string_view WsStateName(WsState state) {
  switch (state) {
    case WsState::kIdle: return "idle";
    case WsState::kBackoff: return "backoff";
    case WsState::kResolving: return "resolving";
    case WsState::kConnecting: return "connecting";
    case WsState::kTlsHandshake: return "tls-handshake";
    case WsState::kWsHandshake: return "ws-handshake";
    case WsState::kStreaming: return "streaming";
    case WsState::kClosing: return "closing";
    case WsState::kStopped: return "stopped";
  }
  return "unknown";
}

std::string_view WsCloseKindName(WsCloseKind kind) {
  switch (kind) {
    case WsCloseKind::kServerClose: return "server-close";
    case WsCloseKind::kError: return "error";
    case WsCloseKind::kIdleTimeout: return "idle-timeout";
    case WsCloseKind::kStopped: return "stopped";
  }
  return "unknown";
}

core::Result<std::shared_ptr<WebSocketSession>> WebSocketSession::Create(
    asio::any_io_executor executor, asio::ssl::context* tls_context, const core::Clock& clock,
    std::shared_ptr<spdlog::logger> logger, Url url, WsOptions options, WsCallbacks callbacks) {
  if (url.scheme != "ws" && url.scheme != "wss") {
    return core::Fail("WebSocket " + url.Origin() + ": the scheme must be ws or wss");
  }
  if (url.IsTls() && tls_context == nullptr) {
    return core::Fail("WebSocket " + url.Origin() + ": wss needs a TLS context");
  }
  if (!logger) return core::Fail("WebSocket " + url.Origin() + ": no logger");
  if (!callbacks.on_message || !callbacks.on_closed) {
    return core::Fail("WebSocket " + url.Origin() + ": on_message and on_closed are required");
  }
  if (options.idle_timeout <= 0 || options.max_message_bytes == 0) {
    return core::Fail("WebSocket " + url.Origin() + ": idle_timeout and max_message_bytes must be > 0");
  }
  return std::shared_ptr<WebSocketSession>(
      new WebSocketSession(std::move(executor), tls_context, clock, std::move(logger),
                           std::move(url), std::move(options), std::move(callbacks)));
}

WebSocketSession::WebSocketSession(asio::any_io_executor executor, asio::ssl::context* tls_context,
                                   const core::Clock& clock,
                                   std::shared_ptr<spdlog::logger> logger, Url url,
                                   WsOptions options, WsCallbacks callbacks)
    : executor_(std::move(executor)),
      tls_context_(tls_context),
      clock_(clock),
      logger_(std::move(logger)),
      url_(std::move(url)),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      resolver_(executor_),
      timer_(executor_) {}

WebSocketSession::~WebSocketSession() = default;

WsStats WebSocketSession::stats() const {
  constexpr auto kRelaxed = std::memory_order_relaxed;
  WsStats stats;
  stats.connects = counters_.connects.load(kRelaxed);
  stats.messages_in = counters_.messages_in.load(kRelaxed);
  stats.bytes_in = counters_.bytes_in.load(kRelaxed);
  stats.pings_in = counters_.pings_in.load(kRelaxed);
  stats.pongs_out = counters_.pongs_out.load(kRelaxed);
  stats.pongs_in = counters_.pongs_in.load(kRelaxed);
  stats.messages_out = counters_.messages_out.load(kRelaxed);
  stats.last_message_ms = counters_.last_message_ms.load(kRelaxed);
  stats.connected_ms = counters_.connected_ms.load(kRelaxed);
  return stats;
}

// ---- public entry points: post onto the executor ----------------------------------------------

void WebSocketSession::Start() {
  asio::post(executor_, [self = shared_from_this()] {
    if (self->state() == WsState::kIdle) self->BeginRun(0);
  });
}

void WebSocketSession::Reconnect(core::Millis delay) {
  asio::post(executor_, [self = shared_from_this(), delay] { self->DoReconnect(delay); });
}

void WebSocketSession::Send(std::string text) {
  asio::post(executor_, [self = shared_from_this(), text = std::move(text)]() mutable {
    self->DoSend(std::move(text));
  });
}

void WebSocketSession::Close() {
  asio::post(executor_, [self = shared_from_this()] { self->DoClose(); });
}

void WebSocketSession::Stop() {
  asio::post(executor_, [self = shared_from_this()] { self->DoStop(); });
}

void WebSocketSession::DoReconnect(core::Millis delay) {
  const WsState now = state();
  if (now == WsState::kIdle || now == WsState::kStopped) {
    BeginRun(delay);
    return;
  }
  restart_delay_ = delay;  // MaybeFinish starts the new run once this one has wound down
  End(WsCloseInfo{.kind = WsCloseKind::kStopped, .message = "reconnect requested"});
}

void WebSocketSession::DoSend(std::string text) {
  const WsState now = state();
  if (ending_ || now == WsState::kIdle || now == WsState::kClosing || now == WsState::kStopped) {
    logger_->debug("ws {}: dropped a frame sent while {}", url_.Origin(), WsStateName(now));
    return;
  }
  outbox_.push_back(std::move(text));
  StartWrite();
}

void WebSocketSession::DoClose() {
  if (state() == WsState::kClosing) return;  // already closing gracefully
  if (state() != WsState::kStreaming || ending_) {
    DoStop();
    return;
  }
  ending_ = true;
  end_ = WsCloseInfo{.kind = WsCloseKind::kStopped, .state = WsState::kStreaming,
                     .message = "closed by owner"};
  SetState(WsState::kClosing);
  timer_.cancel();  // no idle check while closing: the close handshake has its own timeout
  ++pending_;
  WithStream([this](auto& ws) {
    ws.async_close(websocket::close_code::normal,
                   beast::bind_front_handler(&WebSocketSession::OnClose, shared_from_this()));
  });
}

void WebSocketSession::DoStop() {
  restart_delay_.reset();
  const WsState now = state();
  if (now == WsState::kIdle || now == WsState::kStopped) return;
  End(WsCloseInfo{.kind = WsCloseKind::kStopped, .message = "stopped by owner"});
}

// ---- the steps of a run -------------------------------------------------------------------------

void WebSocketSession::BeginRun(core::Millis delay) {
  ending_ = false;
  end_ = WsCloseInfo{};
  if (delay > 0) {
    SetState(WsState::kBackoff);
    ArmTimer(Ms(delay));
    return;
  }
  StartResolve();
}

void WebSocketSession::StartResolve() {
  SetState(WsState::kResolving);
  ArmTimer(Ms(options_.resolve_timeout));  // the resolver has no deadline of its own
  ++pending_;
  resolver_.async_resolve(url_.host, std::to_string(url_.port),
                          beast::bind_front_handler(&WebSocketSession::OnResolve,
                                                    shared_from_this()));
}

void WebSocketSession::OnResolve(error_code ec, tcp::resolver::results_type found) {
  if (!Proceed(ec)) return;
  SetState(WsState::kConnecting);
  // A new stream for every run: a Beast stream cannot be reused after a failure.
  plain_.reset();
  tls_.reset();
  if (url_.IsTls()) {
    tls_.emplace(executor_, *tls_context_);
  } else {
    plain_.emplace(executor_);
  }
  ++pending_;
  WithStream([this, &found](auto& ws) {
    auto& tcp_stream = beast::get_lowest_layer(ws);
    tcp_stream.expires_after(Ms(options_.connect_timeout));
    tcp_stream.async_connect(
        found, beast::bind_front_handler(&WebSocketSession::OnConnect, shared_from_this()));
  });
}

void WebSocketSession::OnConnect(error_code ec, const tcp::endpoint& endpoint) {
  if (!Proceed(ec)) return;
  logger_->debug("ws {}: TCP connected to {}:{}", url_.Origin(), endpoint.address().to_string(),
                 endpoint.port());
  if (!tls_) {
    StartWsHandshake();
    return;
  }
  SetState(WsState::kTlsHandshake);
  if (auto prepared = PrepareClientTlsStream(tls_->next_layer(), url_.host); !prepared) {
    End(WsCloseInfo{.kind = WsCloseKind::kError, .message = prepared.error().message});
    return;
  }
  beast::get_lowest_layer(*tls_).expires_after(Ms(options_.tls_handshake_timeout));
  ++pending_;
  tls_->next_layer().async_handshake(
      asio::ssl::stream_base::client,
      beast::bind_front_handler(&WebSocketSession::OnTlsHandshake, shared_from_this()));
}

void WebSocketSession::OnTlsHandshake(error_code ec) {
  if (!Completed()) return;
  if (ec) {
    End(WsCloseInfo{.kind = WsCloseKind::kError, .error = ec,
                    .message = "TLS handshake: " +
                               DescribeTlsFailure(ec, tls_->next_layer().native_handle())});
    return;
  }
  StartWsHandshake();
}

void WebSocketSession::StartWsHandshake() {
  SetState(WsState::kWsHandshake);
  ++pending_;
  WithStream([this](auto& ws) {
    // The websocket stream keeps its own timers from here on.
    beast::get_lowest_layer(ws).expires_never();
    ConfigureWebSocket(ws);
    ws.async_handshake(
        url_.HostHeader(), url_.target,
        beast::bind_front_handler(&WebSocketSession::OnWsHandshake, shared_from_this()));
  });
}

void WebSocketSession::OnWsHandshake(error_code ec) {
  if (!Proceed(ec)) return;
  Bump(counters_.connects);
  counters_.connected_ms.store(clock_.NowMs(), std::memory_order_relaxed);
  last_frame_at_ = std::chrono::steady_clock::now();
  SetState(WsState::kStreaming);
  logger_->info("ws {}: connected", url_.Origin());
  ArmTimer(Ms(options_.idle_timeout));
  StartRead();
  StartWrite();
}

void WebSocketSession::StartRead() {
  ++pending_;
  WithStream([this](auto& ws) {
    ws.async_read(read_buffer_,
                  beast::bind_front_handler(&WebSocketSession::OnRead, shared_from_this()));
  });
}

void WebSocketSession::OnRead(error_code ec, std::size_t bytes) {
  if (!Completed()) return;
  if (ec == websocket::error::closed) {
    websocket::close_reason reason;
    WithStream([&reason](auto& ws) { reason = ws.reason(); });
    End(WsCloseInfo{.kind = WsCloseKind::kServerClose, .code = reason.code,
                    .reason = std::string(reason.reason.data(), reason.reason.size()),
                    .message = "server closed with " + std::to_string(reason.code)});
    return;
  }
  if (ec) {
    End(WsCloseInfo{.kind = WsCloseKind::kError, .error = ec, .message = "read: " + ec.message()});
    return;
  }
  last_frame_at_ = std::chrono::steady_clock::now();
  Bump(counters_.messages_in);
  Bump(counters_.bytes_in, bytes);
  counters_.last_message_ms.store(clock_.NowMs(), std::memory_order_relaxed);
  const auto data = read_buffer_.cdata();
  callbacks_.on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
  read_buffer_.consume(read_buffer_.size());  // keeps its capacity for the next message
  StartRead();
}

void WebSocketSession::OnControlFrame(websocket::frame_type kind, std::string_view /*payload*/) {
  last_frame_at_ = std::chrono::steady_clock::now();
  switch (kind) {
    case websocket::frame_type::ping:
      // Beast calls this only when it is about to answer with a pong (not while closing).
      Bump(counters_.pings_in);
      Bump(counters_.pongs_out);
      break;
    case websocket::frame_type::pong:
      Bump(counters_.pongs_in);
      break;
    case websocket::frame_type::close:
      break;  // the pending read completes with websocket::error::closed
  }
}

void WebSocketSession::StartWrite() {
  if (writing_ || ending_ || outbox_.empty() || state() != WsState::kStreaming) return;
  writing_ = true;
  ++pending_;
  WithStream([this](auto& ws) {
    ws.text(true);
    ws.async_write(asio::buffer(outbox_.front()),
                   beast::bind_front_handler(&WebSocketSession::OnWrite, shared_from_this()));
  });
}

void WebSocketSession::OnWrite(error_code ec, std::size_t /*bytes*/) {
  if (!Proceed(ec)) return;
  writing_ = false;
  outbox_.pop_front();
  Bump(counters_.messages_out);
  StartWrite();
}

void WebSocketSession::OnClose(error_code ec) {
  if (ec) logger_->debug("ws {}: close handshake: {}", url_.Origin(), ec.message());
  WithStream([this](auto& ws) {
    end_.code = ws.reason().code;
    end_.reason = std::string(ws.reason().reason.data(), ws.reason().reason.size());
  });
  Completed();  // the run is ending: the last operation to complete finishes it
}

void WebSocketSession::ArmTimer(std::chrono::steady_clock::duration after) {
  timer_.expires_after(after);  // cancels a pending wait, whose handler then sees aborted
  ++pending_;
  timer_.async_wait(beast::bind_front_handler(&WebSocketSession::OnTimer, shared_from_this()));
}

void WebSocketSession::OnTimer(error_code ec) {
  if (!Completed()) return;
  if (ec) return;  // re-armed for another purpose
  switch (state()) {
    case WsState::kBackoff:
      StartResolve();
      return;
    case WsState::kResolving:
      End(WsCloseInfo{.kind = WsCloseKind::kError, .error = beast::error::timeout,
                      .message = "resolve timed out"});
      return;
    case WsState::kStreaming: {
      // Lazy idle check: frames only stamp last_frame_at_; the timer re-arms for the rest.
      const auto idle = std::chrono::steady_clock::now() - last_frame_at_;
      const auto limit = Ms(options_.idle_timeout);
      if (idle >= limit) {
        End(WsCloseInfo{.kind = WsCloseKind::kIdleTimeout, .error = beast::error::timeout,
                        .message = "nothing received for " +
                                   core::FormatDuration(options_.idle_timeout)});
      } else {
        ArmTimer(limit - idle);
      }
      return;
    }
    default:
      return;  // a resolve deadline that outlived its step
  }
}

// ---- ending a run -------------------------------------------------------------------------------

bool WebSocketSession::Completed() {
  --pending_;
  if (!ending_) return true;
  MaybeFinish();
  return false;
}

bool WebSocketSession::Proceed(error_code ec) {
  if (!Completed()) return false;
  if (ec) {
    End(WsCloseInfo{.kind = WsCloseKind::kError, .error = ec,
                    .message = std::string(WsStateName(state())) + ": " + ec.message()});
    return false;
  }
  return true;
}

void WebSocketSession::End(WsCloseInfo info) {
  if (!ending_) {
    ending_ = true;
    info.state = state();
    end_ = std::move(info);
  }
  CloseTransport();
  MaybeFinish();
}

void WebSocketSession::CloseTransport() {
  resolver_.cancel();
  timer_.cancel();
  // Abrupt: every pending operation completes with an error. The stream itself stays until the
  // next run replaces it, so no operation ever outlives the object it runs on.
  WithStream([](auto& ws) { beast::get_lowest_layer(ws).close(); });
}

void WebSocketSession::MaybeFinish() {
  if (!ending_ || pending_ > 0) return;
  ending_ = false;
  outbox_.clear();
  writing_ = false;
  read_buffer_.consume(read_buffer_.size());
  WsCloseInfo info = std::move(end_);
  end_ = WsCloseInfo{};
  SetState(WsState::kStopped);
  if (info.kind == WsCloseKind::kStopped) {
    logger_->info("ws {}: stopped in {} ({})", url_.Origin(), WsStateName(info.state),
                  info.message);
  } else {
    logger_->warn("ws {}: {} in {}: {}", url_.Origin(), WsCloseKindName(info.kind),
                  WsStateName(info.state), info.message);
  }
  callbacks_.on_closed(info);
  if (restart_delay_) {
    const core::Millis delay = *restart_delay_;
    restart_delay_.reset();
    BeginRun(delay);
  }
}

void WebSocketSession::SetState(WsState state) {
  state_.store(state, std::memory_order_release);
  if (callbacks_.on_state) callbacks_.on_state(state);
}

}  // namespace scanner::net
