#pragma once
// A scripted WebSocket server for loopback tests: listens on 127.0.0.1 (ephemeral port), plain
// or TLS, accepts any number of concurrent connections and lets a test act as the server: send
// text frames, pings and close frames, drop a connection abruptly or let it go silent, and read
// back every frame each client sent, with its receive time. A protocol-specific fake (e.g. the
// Binance one) builds on it through the on_open / on_text hooks.
//
// Threading: the server runs its own io_context thread. Every public method is thread-safe;
// actions (Send*, Drop*, SetSilent) are posted and take effect in call order per connection.
// Hooks run on the server thread and may call the public methods. Use WaitFor() to wait for an
// effect. Destruction closes every connection and joins the thread.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace scanner::fakes {

class FakeWsServer;

// One frame a client sent, as the server received it.
struct ClientFrame {
  enum class Kind { kText, kPing, kPong, kClose };
  Kind kind = Kind::kText;
  std::string payload{};   // text, ping/pong payload, or close reason
  std::uint16_t code = 0;  // kClose only
  std::chrono::steady_clock::time_point at{};
};

// A snapshot of one accepted WebSocket connection.
struct FakeWsConnection {
  std::size_t id = 0;           // 0, 1, 2 ... in handshake order
  std::string target{};         // request target: path and query
  std::string user_agent{};     // the handshake's User-Agent
  bool open = true;             // false once closed by either side or dropped
  std::vector<ClientFrame> frames{};  // everything the client sent, in order

  std::vector<std::string> Texts() const;
  std::size_t Count(ClientFrame::Kind kind) const;
};

struct FakeWsServerOptions {
  bool tls = false;
  std::string cert_file{};  // PEM; TLS only
  std::string key_file{};   // PEM; TLS only
  // Accept TCP connections but never answer (no TLS or WebSocket handshake): for handshake
  // timeouts. Counted in TcpAccepted() only.
  bool stall_handshakes = false;
  std::size_t max_message_bytes = 16 << 20;
  // Called after a WebSocket handshake, on the server thread.
  std::function<void(FakeWsServer& server, std::size_t id, const std::string& target)> on_open{};
  // Called for every text frame a client sends (after it is recorded), on the server thread.
  std::function<void(FakeWsServer& server, std::size_t id, std::string_view text)> on_text{};
};

class FakeWsServer {
 public:
  // Binds 127.0.0.1:0 and starts the server thread.
  static core::Result<std::unique_ptr<FakeWsServer>> Start(FakeWsServerOptions options);

  FakeWsServer(const FakeWsServer&) = delete;
  FakeWsServer& operator=(const FakeWsServer&) = delete;
  ~FakeWsServer();

  std::uint16_t port() const { return port_; }
  // "ws://127.0.0.1:<port><target>" (wss:// with TLS); `host` may be "localhost" for TLS tests.
  std::string Url(std::string_view target, std::string_view host = "127.0.0.1") const;

  // Scripted actions; unknown, closed and silent connections ignore them.
  void SendText(std::size_t id, std::string text);
  void SendTextToAll(std::string text);
  void SendPing(std::size_t id, std::string payload);
  void SendClose(std::size_t id, std::uint16_t code, std::string reason);
  // Closes the TCP connection at once: no close frame, no TLS close_notify.
  void Drop(std::size_t id);
  void DropAll();
  // A silent connection stays open but sends nothing scripted (such frames are discarded); it
  // still reads and records what the client sends, so Beast's own answers to a client's ping
  // or close frame still go out.
  void SetSilent(std::size_t id, bool silent);

  // TCP connections accepted (including ones whose handshake failed or stalled).
  std::size_t TcpAccepted() const;
  // WebSocket handshakes completed; ids run from 0 to ConnectionCount() - 1.
  std::size_t ConnectionCount() const;
  std::size_t OpenCount() const;
  std::optional<FakeWsConnection> Connection(std::size_t id) const;
  std::vector<std::string> Texts(std::size_t id) const;

  // Waits until `predicate` is true or `timeout` passes; returns the predicate's last value.
  // Wakes on every change the server records and also re-checks every few milliseconds, so the
  // predicate may look at client-side state too. Must not be called from a hook.
  bool WaitFor(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) const;

 private:
  class Impl;
  friend class Impl;
  explicit FakeWsServer(FakeWsServerOptions options);

  // Recording, called on the server thread; wakes WaitFor.
  void RecordTcpAccepted();
  std::size_t RecordOpen(std::string target, std::string user_agent);
  void RecordFrame(std::size_t id, ClientFrame frame);
  void RecordClosed(std::size_t id);
  void Notify();

  const FakeWsServerOptions options_;
  std::uint16_t port_ = 0;

  mutable std::mutex mutex_;  // guards the recorded state below
  std::size_t tcp_accepted_ = 0;
  std::vector<FakeWsConnection> connections_;
  mutable std::condition_variable changed_;
  std::uint64_t version_ = 0;  // bumped on every recorded change

  std::unique_ptr<Impl> impl_;  // the io_context, acceptor, live connections and thread
};

}  // namespace scanner::fakes
