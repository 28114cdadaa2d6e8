#pragma once
// Helpers shared by the HTTP client and server tests: run the io_context on the test thread
// until a condition holds, and capture a client callback.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "net/http_client.h"
#include "support/fixture_files.h"

namespace scanner::net::http_test {

// Runs handlers until `done()` holds. False when nothing is left that could make it hold (the
// io_context ran out of work) or nothing happened for 30 s: a hang, which the caller turns into
// a test failure instead of blocking the suite (never a timing assertion).
inline bool RunUntil(boost::asio::io_context& io, const std::function<bool()>& done) {
  // A previous run that ran out of work leaves the io_context stopped.
  if (io.stopped()) io.restart();
  while (!done()) {
    if (io.run_one_for(std::chrono::seconds(30)) == 0) return false;
  }
  return true;
}

// Where a client callback puts its result; `calls` counts invocations.
struct Outcome {
  int calls = 0;
  std::optional<HttpResult> result;

  HttpClient::Callback Callback() {
    return [this](HttpResult r) {
      ++calls;
      result = std::move(r);
    };
  }
  bool done() const { return calls > 0; }
  bool ok() const { return result.has_value() && result->has_value(); }
  const HttpResponse& response() const { return **result; }
  const HttpError& error() const { return result->error(); }
};

inline HttpRequest Get(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  return request;
}

inline HttpRequest Post(std::string url, std::string body, std::string content_type) {
  HttpRequest request;
  request.method = boost::beast::http::verb::post;
  request.url = std::move(url);
  request.body = std::move(body);
  request.content_type = std::move(content_type);
  return request;
}

// tests/fixtures/tls/<name>: the throw-away certificates.
inline std::string TlsFixture(const std::string& name) { return support::FixturePath("tls", name); }

}  // namespace scanner::net::http_test
