#pragma once
// A small asynchronous HTTP/1.1 server, plain or TLS: the scanner's status endpoint (/healthz,
// /metrics) and the loopback fakes of the tests.
//
// Each request goes to the handler with a Responder; the handler may answer at once, later, or
// never, or break the connection on purpose (see Responder). Connections are kept alive when
// the client asks; each has a read timeout and a request body cap (see ServerSession).
//
// Threading: not thread-safe. Create, Stop and the accessors run on the io_context thread (or
// before it runs); the handler runs on it. Responders may be used from any thread.
//
// Lifetime: the io_context must outlive the server. Destroying the server stops it; sessions
// still holding pending handlers or Responders finish on their own and touch nothing of it.

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.h"
#include "net/http_server_session.h"

namespace scanner::net {

struct HttpServerOptions {
  // An IP address to listen on ("127.0.0.1", "0.0.0.0", "::1"); port 0 picks a free one.
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  // Both set: TLS with this PEM certificate chain and key. Both empty: plain HTTP.
  std::string cert_file;
  std::string key_file;
  // A larger request body is answered 413 and the connection closed.
  std::size_t max_request_body_bytes = 1024 * 1024;
  // Bounds the TLS handshake, each request read (keep-alive idle time included) and each write.
  std::chrono::milliseconds read_timeout{30000};
};

class HttpServer {
 public:
  // Binds, listens and starts accepting. Fails on a bad host, a busy port or unreadable TLS
  // files. `logger` may be null (no logs).
  static core::Result<std::unique_ptr<HttpServer>> Create(boost::asio::io_context& io_context,
                                                          HttpServerOptions options,
                                                          ServerHandler handler,
                                                          std::shared_ptr<spdlog::logger> logger);

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();

  // The bound port (the chosen one when options.port was 0).
  std::uint16_t port() const;
  // "http://host:port" or "https://host:port" (IPv6 hosts bracketed), for clients and tests.
  std::string BaseUrl() const;
  // Connections accepted since Create.
  std::size_t AcceptedConnections() const;
  // Connections not yet closed.
  std::size_t OpenConnections() const;

  // Stops accepting and closes every connection; Responders then do nothing. Idempotent.
  void Stop();

 private:
  class Listener;
  explicit HttpServer(std::shared_ptr<Listener> listener);

  std::shared_ptr<Listener> listener_;
};

}  // namespace scanner::net
