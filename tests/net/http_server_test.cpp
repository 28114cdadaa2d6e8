#include "net/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http_test_support.h"
#include "net/http_client.h"

namespace scanner::net {
namespace {

using http_test::Get;
using http_test::Outcome;
using http_test::Post;
using http_test::RunUntil;
using tcp = boost::asio::ip::tcp;

// A raw TCP peer: sends `bytes` (if any), then reads until the server closes.
struct RawPeer {
  explicit RawPeer(boost::asio::io_context& io) : socket(io) {}

  void Start(std::uint16_t port, std::string bytes) {
    to_send = std::move(bytes);
    socket.async_connect({boost::asio::ip::make_address("127.0.0.1"), port},
                         [this](boost::system::error_code ec) {
                           if (ec) return Finish(ec);
                           boost::asio::async_write(socket, boost::asio::buffer(to_send),
                                                    [this](boost::system::error_code ec, size_t) {
                                                      if (ec) return Finish(ec);
                                                      ReadToEnd();
                                                    });
                         });
  }
  void ReadToEnd() {
    boost::asio::async_read(socket, boost::asio::dynamic_buffer(received),
                            [this](boost::system::error_code ec, size_t) { Finish(ec); });
  }
  void Finish(boost::system::error_code ec) {
    end = ec;
    done = true;
  }

  tcp::socket socket;
  std::string to_send;
  std::string received;
  boost::system::error_code end;
  bool done = false;
};

class HttpServerTest : public http_test::HttpLoopbackTest {};

TEST_F(HttpServerTest, ReportsTheEphemeralPort) {
  StartServer([](const ServerRequest&, Responder responder) { responder.Respond(200, ""); });

  EXPECT_NE(server_->port(), 0);
  EXPECT_EQ(server_->BaseUrl(), "http://127.0.0.1:" + std::to_string(server_->port()));
}

TEST_F(HttpServerTest, BusyPortAndBadHostAreErrors) {
  StartServer([](const ServerRequest&, Responder responder) { responder.Respond(200, ""); });
  HttpServerOptions same_port;
  same_port.port = server_->port();
  HttpServerOptions named_host;
  named_host.host = "localhost";

  auto busy = HttpServer::Create(
      io_, same_port, [](const ServerRequest&, Responder) {}, nullptr);
  auto named = HttpServer::Create(
      io_, named_host, [](const ServerRequest&, Responder) {}, nullptr);

  ASSERT_FALSE(busy);
  EXPECT_NE(busy.error().message.find(std::to_string(server_->port())), std::string::npos);
  ASSERT_FALSE(named);
  EXPECT_NE(named.error().message.find("not an IP address"), std::string::npos);
}

TEST_F(HttpServerTest, ResponderWorksFromAnotherThread) {
  std::vector<Responder> held;
  StartServer([&](const ServerRequest&, Responder responder) { held.push_back(responder); });
  auto client = MakeClient();
  Outcome outcome;
  client->Send(Get(server_->BaseUrl() + "/later"), outcome.Callback());
  ASSERT_TRUE(RunUntil(io_, [&] { return held.size() == 1; }));

  std::thread answerer([responder = held.front()] { responder.Respond(202, "from a thread"); });
  answerer.join();
  ASSERT_TRUE(RunUntil(io_, [&] { return outcome.done(); }));

  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome.response().status, 202u);
  EXPECT_EQ(outcome.response().body, "from a thread");
}

TEST_F(HttpServerTest, OnlyTheFirstAnswerCounts) {
  std::vector<std::uint64_t> connection_ids;
  StartServer([&](const ServerRequest& request, Responder responder) {
    connection_ids.push_back(request.connection_id);
    responder.Respond(200, "first");
    responder.Respond(500, "second");
    responder.CloseWithoutResponse();
  });
  auto client = MakeClient();

  for (int i = 0; i < 2; ++i) {
    Outcome outcome = SendAndWait(*client, Get(server_->BaseUrl() + "/"));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome.response().status, 200u);
    EXPECT_EQ(outcome.response().body, "first");
  }
  EXPECT_EQ(connection_ids, (std::vector<std::uint64_t>{1, 1}));
  EXPECT_EQ(server_->AcceptedConnections(), 1u);
}

TEST_F(HttpServerTest, RequestBodyOverTheCapGets413) {
  int handled = 0;
  HttpServerOptions options;
  options.max_request_body_bytes = 1024;
  StartServer(
      [&](const ServerRequest&, Responder responder) {
        ++handled;
        responder.Respond(200, "");
      },
      options);
  auto client = MakeClient();

  Outcome outcome = SendAndWait(
      *client, Post(server_->BaseUrl() + "/upload", std::string(8192, 'b'), "text/plain"));

  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome.response().status, 413u);
  EXPECT_EQ(outcome.response().Header("Connection"), "close");
  EXPECT_EQ(handled, 0);
}

TEST_F(HttpServerTest, MalformedRequestGets400AndClose) {
  int handled = 0;
  StartServer([&](const ServerRequest&, Responder responder) {
    ++handled;
    responder.Respond(200, "");
  });
  RawPeer peer(io_);

  peer.Start(server_->port(), "NOT A REQUEST\r\n\r\n");
  ASSERT_TRUE(RunUntil(io_, [&] { return peer.done; }));

  EXPECT_EQ(peer.end, boost::asio::error::eof);
  EXPECT_EQ(peer.received.rfind("HTTP/1.1 400", 0), 0u) << peer.received;
  EXPECT_EQ(handled, 0);
}

TEST_F(HttpServerTest, ReadTimeoutClosesASilentConnection) {
  HttpServerOptions options;
  options.read_timeout = std::chrono::milliseconds(100);
  StartServer([](const ServerRequest&, Responder responder) { responder.Respond(200, ""); },
              options);
  RawPeer peer(io_);

  peer.Start(server_->port(), "");
  ASSERT_TRUE(RunUntil(io_, [&] { return peer.done; }));

  EXPECT_EQ(peer.end, boost::asio::error::eof);
  EXPECT_TRUE(peer.received.empty());
  EXPECT_EQ(server_->OpenConnections(), 0u);
}

TEST_F(HttpServerTest, DroppingTheResponderClosesTheConnection) {
  StartServer([](const ServerRequest&, Responder) {});
  auto client = MakeClient();

  Outcome outcome = SendAndWait(*client, Get(server_->BaseUrl() + "/"));

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind, HttpErrorKind::kConnectionLost);
}

TEST_F(HttpServerTest, StopClosesConnectionsAndSilencesResponders) {
  std::vector<Responder> held;
  StartServer([&](const ServerRequest&, Responder responder) { held.push_back(responder); });
  auto client = MakeClient();
  const std::string base = server_->BaseUrl();
  Outcome in_flight;
  client->Send(Get(base + "/held"), in_flight.Callback());
  ASSERT_TRUE(RunUntil(io_, [&] { return held.size() == 1; }));
  EXPECT_EQ(server_->OpenConnections(), 1u);

  server_->Stop();
  held.front().Respond(200, "too late");
  ASSERT_TRUE(RunUntil(io_, [&] { return in_flight.done(); }));
  Outcome after = SendAndWait(*client, Get(base + "/after"));

  EXPECT_EQ(server_->OpenConnections(), 0u);
  ASSERT_FALSE(in_flight.ok());
  EXPECT_EQ(in_flight.error().kind, HttpErrorKind::kConnectionLost);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().kind, HttpErrorKind::kConnect);
}

TEST_F(HttpServerTest, HandlerMayLieAboutFraming) {
  StartServer([](const ServerRequest&, Responder responder) {
    // Content-Length says 2 but 5 bytes follow: the client reads 2, and the extra bytes make
    // the connection unfit for reuse.
    responder.Respond(
        {.status = 200, .headers = {{"Content-Length", "2"}}, .body = "12345", .close = false});
  });
  auto client = MakeClient();

  Outcome outcome = SendAndWait(*client, Get(server_->BaseUrl() + "/"));
  Outcome second = SendAndWait(*client, Get(server_->BaseUrl() + "/"));

  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome.response().body, "12");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(server_->AcceptedConnections(), 2u);
}

}  // namespace
}  // namespace scanner::net
