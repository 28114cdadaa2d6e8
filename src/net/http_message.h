#pragma once
// Values exchanged with HttpClient: the request, the response, the typed error and the client's
// options. Plain value types; thread-compatible.

#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace scanner::net {

// Header fields in wire order; names compare case-insensitively, duplicates are kept.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// The value of the first field named `name` (case-insensitive), if any.
std::optional<std::string> FindHeader(const HttpHeaders& headers, std::string_view name);

struct HttpRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  // Absolute http:// or https:// URL. It may hold secrets: errors and logs never show its
  // path or query.
  std::string url;
  // Extra fields. Host and Content-Length are always set by the client and may not appear here;
  // User-Agent defaults to HttpClientOptions::user_agent.
  HttpHeaders headers;
  std::string body;
  // Sent as Content-Type when not empty.
  std::string content_type;
};

struct HttpResponse {
  unsigned status = 0;
  HttpHeaders headers;
  std::string body;

  // First header named `name`, case-insensitive.
  std::optional<std::string> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

// Why a request produced no response. Any HTTP status, 4xx and 5xx included, is a response and
// not an error. Whether to retry is the caller's call; as a guide:
//   kConnect, kTimeout         transient; safe to retry with backoff (a POST that timed out may
//                              have been processed).
//   kConnectionLost            transient; the server may have processed the request.
//   kTls                       certificate or handshake problem; retrying rarely helps.
//   kInvalidRequest, kTooLarge fix the caller or the limit; never retry as is.
//   kProtocol                  the server did not speak HTTP/1.1 properly.
//   kShutdown                  the client was shut down; the callback is the last word.
enum class HttpErrorKind {
  kInvalidRequest,  // bad URL or scheme, forbidden or malformed header
  kConnect,         // name resolution or TCP connect failed (refused, unreachable)
  kTls,             // TLS set-up or handshake failed, certificate or host-name verification too
  kTimeout,         // connect_timeout (connect + TLS handshake) or request_timeout elapsed
  kTooLarge,        // response header or body over the limits (body: max_response_bytes)
  kConnectionLost,  // the connection failed or closed before the response was complete
  kProtocol,        // the response is not valid HTTP/1.1
  kShutdown,        // HttpClient::Shutdown ran (or the client was destroyed) first
};

// "invalid request", "connect", "tls", "timeout", "too large", "connection lost", "protocol",
// "shutdown".
std::string_view HttpErrorKindName(HttpErrorKind kind);

struct HttpError {
  HttpErrorKind kind;
  // Names the origin (scheme://host:port) and the failed step, never the URL's path or query,
  // e.g. "https://api.binance.com:443: TLS handshake failed: certificate verify failed: ...".
  std::string message;

  // For callers that only propagate: "<kind>: <message>".
  core::Error ToError() const;
};

using HttpResult = std::expected<HttpResponse, HttpError>;

struct HttpClientOptions {
  // PEM file of extra trusted CAs, added to the system's roots (tests use a throw-away CA).
  std::string ca_file;
  // Bounds TCP connect and the TLS handshake of each new connection.
  std::chrono::milliseconds connect_timeout{5000};
  // Bounds the whole request, from Send to the callback: DNS, connect, TLS, send, response.
  std::chrono::milliseconds request_timeout{10000};
  // A response body larger than this fails with kTooLarge.
  std::size_t max_response_bytes = 16 * 1024 * 1024;
  // Sent as User-Agent unless the request sets one; none when empty.
  std::string user_agent;
  // Kept-alive connections kept per scheme://host:port once their response is done.
  std::size_t max_idle_connections_per_host = 2;
  // An idle connection older than this is closed instead of reused.
  std::chrono::milliseconds idle_timeout{30000};
};

}  // namespace scanner::net
