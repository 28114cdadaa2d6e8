#pragma once
// One HTTP request of HttpClient, from connection to response, as a state machine:
//
//   Start -> (idle connection from the pool) ----------------------------> Write
//         -> Resolve -> OnResolve -> OnConnect -> [TLS] OnHandshake ------> Write
//   Write -> OnWrite -> OnRead -> connection back to the pool, callback
//
// A reused connection that fails before any byte of the response arrived (the server closed a
// kept-alive connection meanwhile) is replaced once by a fresh connection for GET and HEAD;
// never for other methods, which the server may already have acted on. The deadline timer
// bounds the whole exchange, retry included; the TCP stream's own expiry bounds connect and the
// TLS handshake.
//
// Kept alive by its pending handlers (shared_ptr); HttpClient only holds weak references to abort
// it. Runs on the io_context thread only. The callback runs exactly once, always posted to the
// io_context, never from inside Start or Abort.

#include <spdlog/logger.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/connection_pool.h"
#include "net/http_connection.h"
#include "net/http_message.h"
#include "net/url.h"

namespace scanner::net {

// What an HttpClient shares with its requests in flight, so that destroying the client while
// requests run is safe: they end with kShutdown and release it last.
struct HttpClientShared {
  HttpClientShared(boost::asio::any_io_executor executor_in, HttpClientOptions options_in,
                   boost::asio::ssl::context tls_in, std::shared_ptr<spdlog::logger> logger_in)
      : executor(std::move(executor_in)),
        options(std::move(options_in)),
        tls(std::move(tls_in)),
        pool(options.max_idle_connections_per_host, options.idle_timeout),
        logger(std::move(logger_in)) {}

  boost::asio::any_io_executor executor;
  HttpClientOptions options;
  boost::asio::ssl::context tls;
  ConnectionPool pool;
  std::shared_ptr<spdlog::logger> logger;
  bool shut_down = false;
};

class HttpExchange : public std::enable_shared_from_this<HttpExchange> {
 public:
  using Callback = std::function<void(HttpResult)>;
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  HttpExchange(std::shared_ptr<HttpClientShared> shared, Url url, Request request,
               Callback callback);

  // Arms the deadline and starts on an idle connection or a new one.
  void Start();
  // Ends the exchange with kShutdown unless it has already ended.
  void Abort();

 private:
  using Response = boost::beast::http::response<boost::beast::http::string_body>;
  using ResponseParser = boost::beast::http::response_parser<boost::beast::http::string_body>;

  void Resolve();
  void OnResolve(boost::system::error_code ec,
                 boost::asio::ip::tcp::resolver::results_type results);
  void OnConnect(boost::system::error_code ec, boost::asio::ip::tcp::endpoint endpoint);
  void OnHandshake(boost::system::error_code ec);
  void Write();
  void OnWrite(boost::system::error_code ec, std::size_t bytes);
  void OnRead(boost::system::error_code ec, std::size_t bytes);
  void OnDeadline(boost::system::error_code ec);

  // A failed write or read: a retry on a fresh connection when allowed, otherwise the error.
  void OnIoFailure(boost::system::error_code ec);
  bool MayRetryOnFreshConnection() const;
  void Fail(HttpErrorKind kind, const std::string& what);
  void Finish(HttpResult result);

  std::shared_ptr<HttpClientShared> shared_;
  Url url_;
  std::string origin_;  // url_.Origin(): what messages and logs may show
  Request request_;
  Callback callback_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;
  // Never reset while an operation on it may be pending: Fail only closes it.
  std::unique_ptr<HttpConnection> connection_;
  std::optional<ResponseParser> parser_;
  const char* step_ = "starting";  // for messages: what was going on when it failed
  bool reused_ = false;            // connection_ came from the pool
  bool retried_ = false;           // the one fresh-connection retry has been used
  bool done_ = false;              // the callback has been posted
};

}  // namespace scanner::net
