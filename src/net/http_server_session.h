#pragma once
// One accepted connection of HttpServer, as a state machine:
//
//   [TLS] kHandshake -> kReading -> kAwaitingResponse -> kWriting -> kReading (keep-alive)
//                                                                 -> kClosed
//                               \-> (413 or 400) -------> kWriting -> kLingering -> kClosed
//
// The handler is called once per request and answers through a Responder, at once or later;
// the next request on the connection is read only after the answer is written (no pipelining).
// The read timeout bounds the TLS handshake, waiting for and reading each request (keep-alive
// idle time included) and writing each response; it does not run while the handler has the
// request. A body over the limit is answered 413, a malformed request 400, both with close;
// the unread rest of such a request is then drained for up to the read timeout, so the close
// does not turn into a reset that could destroy the answer before the client reads it.
// Dropping every copy of a Responder without answering closes the connection.
//
// Kept alive by its pending handlers and by Responders (shared_ptr). Runs on the io_context
// thread; Responder methods may be called from any thread: they post onto it.

#include <spdlog/logger.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "net/http_message.h"

namespace scanner::net {

class ServerSession;

struct ServerRequest {
  boost::beast::http::verb method = boost::beast::http::verb::unknown;
  std::string target;  // path and query as sent
  HttpHeaders headers;
  std::string body;
  std::uint64_t connection_id = 0;  // 1, 2, ... in accept order, per server

  std::optional<std::string> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

struct ServerResponse {
  unsigned status = 200;
  // Sent as given. Content-Length is added from the body unless these set Content-Length or
  // Transfer-Encoding themselves (fakes may lie on purpose), or the status is 1xx, 204 or 304.
  HttpHeaders headers;
  std::string body;
  // Connection: close, and close once sent. The connection also closes when the client asked.
  bool close = false;
};

// The answer to one request. A cheap, copyable handle; the first call wins, later calls and calls
// after the connection closed or the server stopped do nothing.
class Responder {
 public:
  void Respond(ServerResponse response) const;
  // Shorthand: `status`, `body`, Content-Type `content_type`.
  void Respond(unsigned status, std::string body,
               std::string content_type = "text/plain; charset=utf-8") const;
  // Fault injection: close the connection without answering.
  void CloseWithoutResponse() const;
  // Fault injection: write `bytes` as they are (e.g. half a response, or garbage), then close.
  void WriteRawAndClose(std::string bytes) const;

 private:
  friend class ServerSession;
  Responder(std::shared_ptr<ServerSession> session, std::uint64_t request_number)
      : session_(std::move(session)), request_number_(request_number) {}

  std::shared_ptr<ServerSession> session_;
  std::uint64_t request_number_;
};

// Called on the io_context thread. `request` is valid during the call only; copy what a late
// answer needs.
using ServerHandler = std::function<void(const ServerRequest& request, Responder responder)>;

// What HttpServer shares with its sessions, which may outlive it while Responders exist.
struct ServerSettings {
  ServerHandler handler;
  std::size_t max_request_body_bytes = 0;
  std::chrono::milliseconds read_timeout{0};
  std::optional<boost::asio::ssl::context> tls;  // set: TLS; empty: plain
  std::shared_ptr<spdlog::logger> logger;
};

class ServerSession : public std::enable_shared_from_this<ServerSession> {
 public:
  enum class State { kHandshake, kReading, kAwaitingResponse, kWriting, kLingering, kClosed };

  ServerSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerSettings> settings,
                std::uint64_t connection_id);
  ServerSession(const ServerSession&) = delete;
  ServerSession& operator=(const ServerSession&) = delete;

  void Start();
  // Closes the socket at once; pending operations end with operation_aborted.
  void Close();
  State state() const { return state_; }

 private:
  friend class Responder;
  using PlainStream = boost::beast::tcp_stream;
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
  using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  void OnHandshake(boost::system::error_code ec);
  void ReadRequest();
  void OnRead(boost::system::error_code ec, std::size_t bytes);
  void OnWrite(bool keep_alive, bool linger, boost::system::error_code ec, std::size_t bytes);
  void OnRawWrite(boost::system::error_code ec, std::size_t bytes);
  // After an error answer: stop sending, discard input until the client closes or times out.
  void Linger();
  void OnLinger(boost::system::error_code ec, std::size_t bytes);

  // Responder entry points, on the io_context thread; ignored unless `request_number` is the
  // request being awaited.
  void Reply(std::uint64_t request_number, ServerResponse response);
  void ReplyRaw(std::uint64_t request_number, std::string bytes);
  void Abandon(std::uint64_t request_number);

  void WriteResponse(ServerResponse response, bool linger = false);
  boost::beast::tcp_stream& Tcp();
  template <class F>
  decltype(auto) Visit(F&& f) {
    return std::visit(std::forward<F>(f), stream_);
  }

  boost::asio::any_io_executor executor_;  // immutable: Responders post onto it from any thread
  std::shared_ptr<ServerSettings> settings_;
  std::uint64_t connection_id_;
  std::variant<PlainStream, TlsStream> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  ServerRequest request_;
  bool request_keep_alive_ = false;
  std::uint64_t request_number_ = 0;    // of the request read last
  Response response_;                   // being written
  std::string raw_;                     // being written by ReplyRaw
  std::array<char, 4096> discarded_{};  // Linger's sink
  State state_ = State::kReading;
};

}  // namespace scanner::net
