#pragma once
// Asynchronous HTTP/1.1 client for http:// (loopback tests) and https:// URLs. Knows nothing of
// any particular API.
//
// - TLS always verifies the server: system roots plus HttpClientOptions::ca_file, SNI, host-name
//   verification. There is no way to turn it off.
// - Keep-alive per origin (scheme://host:port): a finished connection is kept idle (at most
//   max_idle_connections_per_host) and reused by the next request to that origin. A reused
//   connection the server had closed meanwhile is retried once on a fresh connection for GET and
//   HEAD, never for POST or other methods.
// - Timeouts: connect_timeout for TCP connect + TLS handshake, request_timeout for everything.
// - Redirects are not followed; responses are not decompressed. Every status is a response.
// - Requests to one origin run in parallel, each on its own connection when none is idle.
//
// Threading: not thread-safe. Create, Send and Shutdown run on the thread that runs the
// io_context (the scanner has exactly one). The callback of each Send runs exactly once on that
// thread, posted, never inside Send or Shutdown.
//
// Lifetime: the io_context must outlive the client. The client may be destroyed with requests
// in flight: destruction shuts it down, and their callbacks still run with kShutdown as long as
// the io_context keeps running.

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "core/error.h"
#include "net/http_message.h"

namespace scanner::net {

struct HttpClientShared;
class HttpExchange;

class HttpClient {
 public:
  using Callback = std::function<void(HttpResult)>;

  // Builds the TLS context; fails when ca_file cannot be loaded. `logger` may be null (no logs).
  static core::Result<std::unique_ptr<HttpClient>> Create(boost::asio::io_context& io_context,
                                                          HttpClientOptions options,
                                                          std::shared_ptr<spdlog::logger> logger);

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  ~HttpClient();

  // Starts `request`; `callback` gets the response (any status) or an HttpError.
  // After Shutdown the callback gets kShutdown.
  void Send(HttpRequest request, Callback callback);

  // Closes idle connections, ends every request in flight with kShutdown and refuses new ones.
  // Idempotent.
  void Shutdown();

  // Kept-alive connections waiting for reuse.
  std::size_t IdleConnections() const;

 private:
  explicit HttpClient(std::shared_ptr<HttpClientShared> shared);
  void FailLater(Callback callback, HttpErrorKind kind, std::string message);

  std::shared_ptr<HttpClientShared> shared_;
  // Requests that may be in flight, to abort on Shutdown; expired entries are pruned on Send.
  std::vector<std::weak_ptr<HttpExchange>> in_flight_;
};

}  // namespace scanner::net
