#include "net/http_client.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http_test_support.h"
#include "net/http_server.h"

namespace scanner::net {
namespace {

using http_test::Get;
using http_test::Outcome;
using http_test::Post;
using http_test::RunUntil;
namespace http = boost::beast::http;

class HttpClientTest : public http_test::HttpLoopbackTest {};

TEST_F(HttpClientTest, GetRoundTripCarriesTargetAndHeaders) {
  std::vector<ServerRequest> seen;
  StartServer([&](const ServerRequest& request, Responder responder) {
    seen.push_back(request);
    responder.Respond(200, "hello", "text/plain");
  });
  HttpClientOptions options;
  options.user_agent = "scanner-test/1";
  auto client = MakeClient(options);
  HttpRequest request = Get(UrlFor("/api/v3/ping?x=1&y=two"));
  request.headers.emplace_back("X-MBX-APIKEY", "key-123");

  Outcome outcome = SendAndWait(*client, std::move(request));

  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome.response().status, 200u);
  EXPECT_EQ(outcome.response().body, "hello");
  EXPECT_EQ(outcome.response().Header("content-type"), "text/plain");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, http::verb::get);
  EXPECT_EQ(seen[0].target, "/api/v3/ping?x=1&y=two");
  EXPECT_EQ(seen[0].Header("x-mbx-apikey"), "key-123");
  EXPECT_EQ(seen[0].Header("User-Agent"), "scanner-test/1");
  EXPECT_EQ(seen[0].Header("Host"), "127.0.0.1:" + std::to_string(server_->port()));
  EXPECT_TRUE(seen[0].body.empty());
}

TEST_F(HttpClientTest, PostRoundTripCarriesBodyAndContentType) {
  std::vector<ServerRequest> seen;
  StartServer([&](const ServerRequest& request, Responder responder) {
    seen.push_back(request);
    responder.Respond(
        {.status = 204, .headers = {{"X-RateLimit-Remaining", "4"}}, .body = "", .close = false});
  });
  auto client = MakeClient();

  Outcome outcome = SendAndWait(
      *client, Post(UrlFor("/api/webhooks/1/token"), R"({"content":"hi"})", "application/json"));

  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome.response().status, 204u);
  EXPECT_EQ(outcome.response().Header("x-ratelimit-remaining"), "4");
  EXPECT_EQ(outcome.response().Header("X-RATELIMIT-REMAINING"), "4");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, http::verb::post);
  EXPECT_EQ(seen[0].body, R"({"content":"hi"})");
  EXPECT_EQ(seen[0].Header("content-type"), "application/json");
  EXPECT_EQ(seen[0].Header("content-length"), "16");
}

TEST_F(HttpClientTest, ErrorStatusesAreResponsesWithTheirHeaders) {
  StartServer([&](const ServerRequest& request, Responder responder) {
    const unsigned status = request.target == "/busy" ? 429 : request.target == "/ban" ? 418 : 503;
    responder.Respond({.status = status,
                       .headers = {{"Retry-After", "7"}, {"X-Mbx-Used-Weight-1m", "1200"}},
                       .body = R"({"code":-1003})",
                       .close = false});
  });
  auto client = MakeClient();

  for (const auto& [path, status] :
       std::map<std::string, unsigned>{{"/busy", 429}, {"/ban", 418}, {"/down", 503}}) {
    Outcome outcome = SendAndWait(*client, Get(UrlFor(path)));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome.response().status, status);
    EXPECT_EQ(outcome.response().Header("retry-after"), "7");
    EXPECT_EQ(outcome.response().Header("x-mbx-used-weight-1m"), "1200");
    EXPECT_EQ(outcome.response().Header("X-Missing"), std::nullopt);
    EXPECT_EQ(outcome.response().body, R"({"code":-1003})");
  }
}

TEST_F(HttpClientTest, KeepAliveReusesOneConnection) {
  StartServer([](const ServerRequest& request, Responder responder) {
    responder.Respond(200, request.target);
  });
  auto client = MakeClient();

  for (int i = 0; i < 3; ++i) {
    Outcome outcome = SendAndWait(*client, Get(UrlFor("/r" + std::to_string(i))));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome.response().body, "/r" + std::to_string(i));
  }
  EXPECT_EQ(server_->AcceptedConnections(), 1u);
  EXPECT_EQ(client->IdleConnections(), 1u);
}

TEST_F(HttpClientTest, ConnectionCloseIsNotKeptIdle) {
  StartServer([](const ServerRequest&, Responder responder) {
    responder.Respond({.status = 200, .headers = {}, .body = "bye", .close = true});
  });
  auto client = MakeClient();

  for (int i = 0; i < 2; ++i) {
    Outcome outcome = SendAndWait(*client, Get(UrlFor("/")));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome.response().Header("connection"), "close");
  }
  EXPECT_EQ(server_->AcceptedConnections(), 2u);
  EXPECT_EQ(client->IdleConnections(), 0u);
}

TEST_F(HttpClientTest, GetOnAKeptAliveConnectionTheServerDroppedIsRetriedOnce) {
  int handled = 0;
  StartServer([&](const ServerRequest&, Responder responder) {
    // The second request arrives on the kept-alive connection, which the server then drops.
    if (++handled == 2) return responder.CloseWithoutResponse();
    responder.Respond(200, "ok " + std::to_string(handled));
  });
  auto client = MakeClient();

  ASSERT_TRUE(SendAndWait(*client, Get(UrlFor("/a"))).ok());
  Outcome second = SendAndWait(*client, Get(UrlFor("/b")));

  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second.response().body, "ok 3");
  EXPECT_EQ(handled, 3);
  EXPECT_EQ(server_->AcceptedConnections(), 2u);
}

TEST_F(HttpClientTest, PostOnAKeptAliveConnectionTheServerDroppedIsNotRetried) {
  int handled = 0;
  StartServer([&](const ServerRequest&, Responder responder) {
    if (++handled == 2) return responder.CloseWithoutResponse();
    responder.Respond(200, "ok");
  });
  auto client = MakeClient();

  ASSERT_TRUE(SendAndWait(*client, Get(UrlFor("/a"))).ok());
  Outcome post = SendAndWait(*client, Post(UrlFor("/b"), "payload", "text/plain"));

  ASSERT_FALSE(post.ok());
  EXPECT_EQ(post.error().kind, HttpErrorKind::kConnectionLost);
  EXPECT_EQ(post.calls, 1);
  EXPECT_EQ(handled, 2);
  EXPECT_EQ(server_->AcceptedConnections(), 1u);
}

TEST_F(HttpClientTest, PooledConnectionClosedAfterItsResponseIsReplaced) {
  int handled = 0;
  StartServer([&](const ServerRequest&, Responder responder) {
    ++handled;
    // A complete keep-alive response, then the server hangs up anyway: the client pools a
    // connection that is already (or about to be) dead.
    responder.WriteRawAndClose("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  auto client = MakeClient();

  for (int i = 0; i < 2; ++i) {
    Outcome outcome = SendAndWait(*client, Get(UrlFor("/")));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome.response().body, "ok");
  }
  EXPECT_EQ(handled, 2);
  EXPECT_EQ(server_->AcceptedConnections(), 2u);
}

TEST_F(HttpClientTest, ConnectionRefusedIsAConnectError) {
  boost::asio::ip::tcp::acceptor probe(io_, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();  // nothing listens on `port` any more
  auto client = MakeClient();

  Outcome outcome = SendAndWait(*client, Get("http://127.0.0.1:" + std::to_string(port) + "/"));

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind, HttpErrorKind::kConnect);
  EXPECT_NE(outcome.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos);
}

TEST_F(HttpClientTest, ServerThatNeverAnswersTimesOut) {
  std::vector<Responder> held;  // never answered, kept so the connection stays open
  StartServer([&](const ServerRequest&, Responder responder) { held.push_back(responder); });
  HttpClientOptions options;
  options.request_timeout = std::chrono::milliseconds(200);
  auto client = MakeClient(options);

  Outcome outcome = SendAndWait(*client, Get(UrlFor("/slow")));

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind, HttpErrorKind::kTimeout);
  EXPECT_NE(outcome.error().message.find("reading the response"), std::string::npos);
  EXPECT_EQ(held.size(), 1u);
  EXPECT_EQ(outcome.calls, 1);
}

TEST_F(HttpClientTest, OversizedBodyIsTooLarge) {
  StartServer([](const ServerRequest& request, Responder responder) {
    ServerResponse response{
        .status = 200, .headers = {}, .body = std::string(4096, 'x'), .close = false};
    if (request.target == "/chunked") response.headers.emplace_back("Transfer-Encoding", "chunked");
    responder.Respond(std::move(response));
  });
  HttpClientOptions options;
  options.max_response_bytes = 1024;
  auto client = MakeClient(options);

  for (const char* path : {"/sized", "/chunked"}) {
    Outcome outcome = SendAndWait(*client, Get(UrlFor(path)));
    ASSERT_FALSE(outcome.ok()) << path;
    EXPECT_EQ(outcome.error().kind, HttpErrorKind::kTooLarge) << path;
    EXPECT_NE(outcome.error().message.find("max_response_bytes"), std::string::npos);
  }
  // A body at the limit is fine.
  options.max_response_bytes = 4096;
  auto roomy = MakeClient(options);
  Outcome fits = SendAndWait(*roomy, Get(UrlFor("/chunked")));
  ASSERT_TRUE(fits.ok()) << fits.error().message;
  EXPECT_EQ(fits.response().body.size(), 4096u);
}

TEST_F(HttpClientTest, ServerClosingMidResponseFailsOnce) {
  StartServer([](const ServerRequest&, Responder responder) {
    responder.WriteRawAndClose("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
  });
  auto client = MakeClient();

  Outcome outcome = SendAndWait(*client, Get(UrlFor("/")));

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind, HttpErrorKind::kConnectionLost);
  io_.restart();
  io_.poll();  // anything still queued runs now: the callback must not run again
  EXPECT_EQ(outcome.calls, 1);
}

TEST_F(HttpClientTest, GarbageResponseIsAProtocolError) {
  StartServer([](const ServerRequest&, Responder responder) {
    responder.WriteRawAndClose("SSH-2.0-OpenSSH_9.2\r\n\r\n");
  });
  auto client = MakeClient();

  Outcome outcome = SendAndWait(*client, Get(UrlFor("/")));

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind, HttpErrorKind::kProtocol);
}

TEST_F(HttpClientTest, ManyConcurrentRequestsEachCompleteOnce) {
  constexpr int kRequests = 40;
  std::vector<Responder> pending;
  std::vector<std::string> targets;
  StartServer([&](const ServerRequest& request, Responder responder) {
    pending.push_back(responder);
    targets.push_back(request.target);
  });
  auto client = MakeClient();
  std::vector<Outcome> outcomes(kRequests);
  for (int i = 0; i < kRequests; ++i) {
    client->Send(Get(UrlFor("/item/" + std::to_string(i))), outcomes[i].Callback());
  }
  // Every request is in the server before any is answered; then answer in reverse order.
  ASSERT_TRUE(RunUntil(io_, [&] { return pending.size() == kRequests; }));
  for (int i = kRequests - 1; i >= 0; --i) pending[i].Respond(200, targets[i]);
  ASSERT_TRUE(RunUntil(io_, [&] {
    for (const auto& outcome : outcomes) {
      if (!outcome.done()) return false;
    }
    return true;
  }));
  io_.restart();
  io_.poll();

  for (int i = 0; i < kRequests; ++i) {
    EXPECT_EQ(outcomes[i].calls, 1) << i;
    ASSERT_TRUE(outcomes[i].ok()) << outcomes[i].error().message;
    EXPECT_EQ(outcomes[i].response().body, "/item/" + std::to_string(i));
  }
  EXPECT_EQ(server_->AcceptedConnections(), static_cast<std::size_t>(kRequests));
  EXPECT_EQ(client->IdleConnections(), 2u);  // max_idle_connections_per_host
}

TEST_F(HttpClientTest, ShutdownEndsRequestsInFlightAndRefusesNewOnes) {
  std::vector<Responder> held;
  StartServer([&](const ServerRequest&, Responder responder) { held.push_back(responder); });
  auto client = MakeClient();
  Outcome in_flight;
  client->Send(Get(UrlFor("/hang")), in_flight.Callback());
  ASSERT_TRUE(RunUntil(io_, [&] { return held.size() == 1; }));

  client->Shutdown();
  EXPECT_EQ(in_flight.calls, 0);  // posted, never run inside Shutdown
  ASSERT_TRUE(RunUntil(io_, [&] { return in_flight.done(); }));
  Outcome late = SendAndWait(*client, Get(UrlFor("/late")));
  io_.restart();
  io_.poll();

  ASSERT_FALSE(in_flight.ok());
  EXPECT_EQ(in_flight.error().kind, HttpErrorKind::kShutdown);
  EXPECT_EQ(in_flight.calls, 1);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().kind, HttpErrorKind::kShutdown);
  EXPECT_EQ(held.size(), 1u);
}

TEST_F(HttpClientTest, InvalidRequestsFailWithoutEchoingSecrets) {
  auto client = MakeClient();
  HttpRequest injected = Get("http://127.0.0.1:9/api/webhooks/1/SECRET");
  injected.headers.emplace_back("X-Evil", "a\r\nHost: elsewhere");
  HttpRequest framing = Get("http://127.0.0.1:9/x");
  framing.headers.emplace_back("content-length", "5");

  for (HttpRequest request : {Get("ftp://127.0.0.1/SECRET"), Get("wss://example.com/SECRET"),
                              Get("http://127.0.0.1:0/SECRET"), injected, framing}) {
    Outcome outcome = SendAndWait(*client, request);
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().kind, HttpErrorKind::kInvalidRequest) << outcome.error().message;
    EXPECT_EQ(outcome.error().message.find("SECRET"), std::string::npos) << outcome.error().message;
  }
}

TEST_F(HttpClientTest, CallbackIsPostedNotRunInsideSend) {
  auto client = MakeClient();
  Outcome outcome;
  client->Send(Get("ftp://example.com/"), outcome.Callback());
  EXPECT_EQ(outcome.calls, 0);
  ASSERT_TRUE(RunUntil(io_, [&] { return outcome.done(); }));
  EXPECT_EQ(outcome.error().kind, HttpErrorKind::kInvalidRequest);
}

TEST(HttpError, KindNamePrefixesTheMessage) {
  const HttpError error{HttpErrorKind::kTimeout, "https://x:443: request timed out"};
  EXPECT_EQ(error.ToError().message, "timeout: https://x:443: request timed out");
  EXPECT_EQ(HttpErrorKindName(HttpErrorKind::kTooLarge), "too large");
}

}  // namespace
}  // namespace scanner::net
