#pragma once
// Helpers shared by the HTTP client, server and TLS tests: run the io_context on the test thread
// until a condition holds, capture a client callback, and a fixture with a server and clients on
// that io_context.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "net/http_client.h"
#include "net/http_server.h"
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

// A server and clients on one io_context, which the test thread runs (SendAndWait, RunUntil).
class HttpLoopbackTest : public ::testing::Test {
 protected:
  void StartServer(ServerHandler handler, HttpServerOptions options = {}) {
    auto server = HttpServer::Create(io_, std::move(options), std::move(handler), nullptr);
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
  }

  std::unique_ptr<HttpClient> MakeClient(HttpClientOptions options = {}) {
    auto client = HttpClient::Create(io_, std::move(options), nullptr);
    EXPECT_TRUE(client) << client.error().message;
    return client ? std::move(*client) : nullptr;
  }

  std::string UrlFor(const std::string& path) const { return server_->BaseUrl() + path; }

  // Sends `request` and runs the loop until its callback ran.
  Outcome SendAndWait(HttpClient& client, HttpRequest request) {
    Outcome outcome;
    client.Send(std::move(request), outcome.Callback());
    EXPECT_TRUE(RunUntil(io_, [&] { return outcome.done(); }));
    return outcome;
  }

  boost::asio::io_context io_;
  std::unique_ptr<HttpServer> server_;
};

// tests/fixtures/tls/<name>: the throw-away certificates.
inline std::string TlsFixture(const std::string& name) { return support::FixturePath("tls", name); }

}  // namespace scanner::net::http_test
