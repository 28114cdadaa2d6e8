#include "net/websocket_session.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/websocket/error.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "fakes/fake_ws_server.h"
#include "net/tls_context.h"
#include "net/url.h"
#include "support/fixture_files.h"
#include "support/loop_thread.h"
#include "support/null_logger.h"

namespace scanner::net {
namespace {

namespace asio = boost::asio;
using fakes::ClientFrame;
using fakes::FakeWsServer;
using fakes::FakeWsServerOptions;
using namespace std::chrono_literals;

// Generous: only reached when something is broken.
constexpr auto kWait = 10s;
constexpr core::Millis kStart = 1'700'000'000'000;

// Everything the session reported, readable from the test thread.
class Recorder {
 public:
  WsCallbacks Callbacks() {
    WsCallbacks callbacks;
    callbacks.on_message = [this](std::string_view message) {
      std::lock_guard lock(mutex_);
      messages_.emplace_back(message);
    };
    callbacks.on_closed = [this](const WsCloseInfo& info) {
      std::lock_guard lock(mutex_);
      closes_.push_back(info);
    };
    callbacks.on_state = [this](WsState state) {
      std::lock_guard lock(mutex_);
      states_.push_back(state);
    };
    return callbacks;
  }
  std::vector<std::string> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  std::vector<WsCloseInfo> closes() const {
    std::lock_guard lock(mutex_);
    return closes_;
  }
  std::vector<WsState> states() const {
    std::lock_guard lock(mutex_);
    return states_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> messages_;
  std::vector<WsCloseInfo> closes_;
  std::vector<WsState> states_;
};

class WebSocketSessionTest : public ::testing::Test {
 protected:
  std::unique_ptr<FakeWsServer> StartServer(FakeWsServerOptions options = {}) {
    auto server = FakeWsServer::Start(std::move(options));
    EXPECT_TRUE(server.has_value()) << (server ? "" : server.error().message);
    return server ? std::move(*server) : nullptr;
  }

  std::unique_ptr<FakeWsServer> StartTlsServer(const char* cert, const char* key) {
    return StartServer(FakeWsServerOptions{.tls = true,
                                           .cert_file = support::FixturePath("tls", cert),
                                           .key_file = support::FixturePath("tls", key)});
  }

  asio::ssl::context* TestCaContext() {
    if (!tls_) {
      auto context = MakeClientTlsContext(support::FixturePath("tls", "ca.pem"));
      EXPECT_TRUE(context.has_value()) << (context ? "" : context.error().message);
      if (context) tls_.emplace(std::move(*context));
    }
    return tls_ ? &*tls_ : nullptr;
  }

  std::shared_ptr<WebSocketSession> MakeSession(const std::string& url_text, Recorder& recorder,
                                                WsOptions options = {}) {
    auto url = Url::Parse(url_text);
    EXPECT_TRUE(url.has_value());
    if (!url) return nullptr;
    auto* tls = url->IsTls() ? TestCaContext() : nullptr;
    auto session =
        WebSocketSession::Create(loop_.io().get_executor(), tls, clock_, logger_, std::move(*url),
                                 std::move(options), recorder.Callbacks());
    EXPECT_TRUE(session.has_value()) << (session ? "" : session.error().message);
    return session ? *session : nullptr;
  }

  std::shared_ptr<WebSocketSession> Connect(FakeWsServer& server, const std::string& url,
                                            Recorder& recorder, WsOptions options = {}) {
    auto session = MakeSession(url, recorder, std::move(options));
    if (!session) return nullptr;
    const std::size_t before = server.ConnectionCount();
    session->Start();
    EXPECT_TRUE(server.WaitFor(
        [&] {
          return session->state() == WsState::kStreaming && server.ConnectionCount() > before;
        },
        kWait));
    return session;
  }

  // Waits for the run's on_closed and returns it.
  static WsCloseInfo WaitClosed(FakeWsServer& server, const Recorder& recorder,
                                std::size_t count = 1) {
    EXPECT_TRUE(server.WaitFor([&] { return recorder.closes().size() >= count; }, kWait));
    const auto closes = recorder.closes();
    return closes.size() >= count ? closes[count - 1] : WsCloseInfo{};
  }

  void StopAndWait(FakeWsServer& server, WebSocketSession& session, const Recorder& recorder) {
    const std::size_t before = recorder.closes().size();
    session.Stop();
    WaitClosed(server, recorder, before + 1);
  }

  // A wss:// run with the test CA: every step including TLS, then a message.
  void ExpectTlsRun(FakeWsServer& server, const std::string& url) {
    auto session = Connect(server, url, recorder_);
    ASSERT_TRUE(session);
    const std::string message = R"({"stream":"btcusdt@kline_1m","data":{}})";
    server.SendText(0, message);
    ASSERT_TRUE(server.WaitFor([&] { return recorder_.messages().size() == 1; }, kWait));
    EXPECT_EQ(recorder_.messages()[0], message);
    StopAndWait(server, *session, recorder_);
    EXPECT_EQ(
        recorder_.states(),
        (std::vector<WsState>{WsState::kResolving, WsState::kConnecting, WsState::kTlsHandshake,
                              WsState::kWsHandshake, WsState::kStreaming, WsState::kStopped}));
  }

  core::FakeClock clock_{kStart};
  std::shared_ptr<spdlog::logger> logger_ = support::NullLogger("ws-test");
  std::optional<asio::ssl::context> tls_;
  Recorder recorder_;
  support::LoopThread loop_;  // last: its thread stops before anything it uses goes away
};

TEST_F(WebSocketSessionTest, ReceivesMessagesOverPlainWebSocket) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  WsOptions options;
  options.user_agent = "scanner-test/1";
  const std::string target = "/stream?streams=btcusdt@kline_1m/ethusdt@kline_1m";
  auto session = Connect(*server, server->Url(target), recorder_, options);
  ASSERT_TRUE(session);

  const auto connection = server->Connection(0);
  ASSERT_TRUE(connection);
  EXPECT_EQ(connection->target, target);
  EXPECT_EQ(connection->user_agent, "scanner-test/1");

  clock_.Set(kStart + 5'000);
  server->SendText(0, "first");
  server->SendText(0, "second message");
  ASSERT_TRUE(server->WaitFor([&] { return recorder_.messages().size() == 2; }, kWait));
  EXPECT_EQ(recorder_.messages(), (std::vector<std::string>{"first", "second message"}));

  const WsStats stats = session->stats();
  EXPECT_EQ(stats.connects, 1u);
  EXPECT_EQ(stats.messages_in, 2u);
  EXPECT_EQ(stats.bytes_in, 19u);
  EXPECT_EQ(stats.last_message_ms, kStart + 5'000);
  EXPECT_EQ(stats.connected_ms, kStart);

  StopAndWait(*server, *session, recorder_);
  EXPECT_EQ(recorder_.states(),
            (std::vector<WsState>{WsState::kResolving, WsState::kConnecting, WsState::kWsHandshake,
                                  WsState::kStreaming, WsState::kStopped}));
  const auto closes = recorder_.closes();
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].kind, WsCloseKind::kStopped);
  EXPECT_EQ(closes[0].state, WsState::kStreaming);
  EXPECT_EQ(session->state(), WsState::kStopped);
  EXPECT_TRUE(server->WaitFor([&] { return server->OpenCount() == 0; }, kWait));
}

TEST_F(WebSocketSessionTest, ReceivesMessagesOverTlsToIpAddress) {
  auto server = StartTlsServer("server.pem", "server.key");
  ASSERT_TRUE(server);
  const std::string url = server->Url("/ws/btcusdt@kline_1m");
  ASSERT_EQ(url.rfind("wss://127.0.0.1:", 0), 0u);
  ExpectTlsRun(*server, url);
}

TEST_F(WebSocketSessionTest, ReceivesMessagesOverTlsToHostName) {
  auto server = StartTlsServer("server.pem", "server.key");
  ASSERT_TRUE(server);
  // "localhost" may resolve to ::1 first; the fake listens on 127.0.0.1, which comes next.
  const std::string url = server->Url("/ws/btcusdt@kline_1m", "localhost");
  ExpectTlsRun(*server, url);
}

TEST_F(WebSocketSessionTest, RefusesSelfSignedServerCertificate) {
  auto server = StartTlsServer("self_signed.pem", "self_signed.key");
  ASSERT_TRUE(server);
  auto session = MakeSession(server->Url("/ws/x"), recorder_);
  ASSERT_TRUE(session);
  session->Start();
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kError);
  EXPECT_EQ(info.state, WsState::kTlsHandshake);
  EXPECT_TRUE(info.error);
  EXPECT_NE(info.message.find("certificate verify failed"), std::string::npos) << info.message;
  EXPECT_GE(server->TcpAccepted(), 1u);
  EXPECT_EQ(server->ConnectionCount(), 0u);
  EXPECT_TRUE(recorder_.messages().empty());
  EXPECT_EQ(session->stats().connects, 0u);
}

TEST_F(WebSocketSessionTest, AnswersServerPingWithPongEchoingPayload) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  auto session = Connect(*server, server->Url("/ws"), recorder_);
  ASSERT_TRUE(session);

  server->SendPing(0, "ping-1234");
  ASSERT_TRUE(server->WaitFor(
      [&] { return server->Connection(0)->Count(ClientFrame::Kind::kPong) == 1; }, kWait));
  const auto connection = server->Connection(0);
  const auto pong =
      std::find_if(connection->frames.begin(), connection->frames.end(),
                   [](const ClientFrame& f) { return f.kind == ClientFrame::Kind::kPong; });
  ASSERT_NE(pong, connection->frames.end());
  EXPECT_EQ(pong->payload, "ping-1234");

  ASSERT_TRUE(server->WaitFor([&] { return session->stats().pongs_out == 1; }, kWait));
  EXPECT_EQ(session->stats().pings_in, 1u);
  EXPECT_EQ(session->stats().messages_in, 0u);  // control frames are not messages
  EXPECT_TRUE(recorder_.messages().empty());
  StopAndWait(*server, *session, recorder_);
}

TEST_F(WebSocketSessionTest, PingsAloneKeepTheSessionAlive) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  WsOptions options;
  options.idle_timeout = 600;
  auto session = Connect(*server, server->Url("/ws"), recorder_, options);
  ASSERT_TRUE(session);

  // Pings every ~60 ms for well over twice the idle timeout, and no data at all.
  constexpr std::size_t kPings = 25;
  for (std::size_t i = 1; i <= kPings; ++i) {
    server->SendPing(0, std::to_string(i));
    ASSERT_TRUE(server->WaitFor(
        [&] { return server->Connection(0)->Count(ClientFrame::Kind::kPong) == i; }, kWait));
    std::this_thread::sleep_for(60ms);
  }
  EXPECT_TRUE(recorder_.closes().empty());
  EXPECT_EQ(session->state(), WsState::kStreaming);
  EXPECT_EQ(session->stats().pings_in, kPings);
  StopAndWait(*server, *session, recorder_);
}

TEST_F(WebSocketSessionTest, IdleTimeoutWhenServerGoesSilent) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  WsOptions options;
  options.idle_timeout = 300;
  auto session = Connect(*server, server->Url("/ws"), recorder_, options);
  ASSERT_TRUE(session);
  server->SendText(0, "last words");
  ASSERT_TRUE(server->WaitFor([&] { return recorder_.messages().size() == 1; }, kWait));

  server->SetSilent(0, true);
  server->SendText(0, "never sent");
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kIdleTimeout);
  EXPECT_EQ(info.state, WsState::kStreaming);
  EXPECT_EQ(info.error, boost::beast::error::timeout);
  EXPECT_EQ(recorder_.messages(), (std::vector<std::string>{"last words"}));
  EXPECT_EQ(session->state(), WsState::kStopped);
}

TEST_F(WebSocketSessionTest, ReportsServerCloseFrameWithCodeAndReason) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  auto session = Connect(*server, server->Url("/ws"), recorder_);
  ASSERT_TRUE(session);
  server->SendText(0, "before close");
  server->SendClose(0, 1001, "going away for maintenance");
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kServerClose);
  EXPECT_EQ(info.state, WsState::kStreaming);
  EXPECT_EQ(info.code, 1001);
  EXPECT_EQ(info.reason, "going away for maintenance");
  EXPECT_EQ(recorder_.messages(), (std::vector<std::string>{"before close"}));
  EXPECT_TRUE(server->WaitFor([&] { return server->OpenCount() == 0; }, kWait));
}

TEST_F(WebSocketSessionTest, ReportsAbruptDropAsError) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  auto session = Connect(*server, server->Url("/ws"), recorder_);
  ASSERT_TRUE(session);
  server->Drop(0);
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kError);
  EXPECT_EQ(info.state, WsState::kStreaming);
  EXPECT_TRUE(info.error);
  EXPECT_EQ(info.code, 0);
}

TEST_F(WebSocketSessionTest, ReportsAbruptTlsDropAsError) {
  auto server = StartTlsServer("server.pem", "server.key");
  ASSERT_TRUE(server);
  auto session = Connect(*server, server->Url("/ws"), recorder_);
  ASSERT_TRUE(session);
  server->Drop(0);
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kError);
  EXPECT_EQ(info.state, WsState::kStreaming);
  EXPECT_TRUE(info.error);
}

TEST_F(WebSocketSessionTest, MessageOverSizeCapEndsTheRunWithError) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  WsOptions options;
  options.max_message_bytes = 1024;
  auto session = Connect(*server, server->Url("/ws"), recorder_, options);
  ASSERT_TRUE(session);
  server->SendText(0, std::string(1024, 'a'));  // exactly at the cap: fine
  server->SendText(0, std::string(4096, 'b'));
  server->SendText(0, "after");
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kError);
  EXPECT_EQ(info.error, boost::beast::websocket::error::message_too_big);
  EXPECT_EQ(recorder_.messages(), (std::vector<std::string>{std::string(1024, 'a')}));
  // Beast tells the server why: close code 1009 (message too big).
  ASSERT_TRUE(server->WaitFor(
      [&] { return server->Connection(0)->Count(ClientFrame::Kind::kClose) == 1; }, kWait));
  const auto connection = server->Connection(0);
  const auto close =
      std::find_if(connection->frames.begin(), connection->frames.end(),
                   [](const ClientFrame& f) { return f.kind == ClientFrame::Kind::kClose; });
  EXPECT_EQ(close->code, 1009);
}

TEST_F(WebSocketSessionTest, SendsQueuedFramesInOrder) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  auto session = MakeSession(server->Url("/ws"), recorder_);
  ASSERT_TRUE(session);
  session->Send("sent while idle: dropped");
  session->Start();
  session->Send("queued before streaming");  // waits for the handshake
  std::vector<std::string> expected{"queued before streaming"};
  constexpr int kFrames = 300;
  for (int i = 0; i < kFrames; ++i) {
    expected.push_back(R"({"method":"SUBSCRIBE","params":["s)" + std::to_string(i) + R"("],"id":)" +
                       std::to_string(i) + "}");
    session->Send(expected.back());
  }
  ASSERT_TRUE(server->WaitFor([&] { return server->Texts(0).size() == expected.size(); }, kWait));
  EXPECT_EQ(server->Texts(0), expected);
  ASSERT_TRUE(
      server->WaitFor([&] { return session->stats().messages_out == expected.size(); }, kWait));
  StopAndWait(*server, *session, recorder_);
}

TEST_F(WebSocketSessionTest, StopFromAnotherThreadEndsTheRunOnce) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  auto session = Connect(*server, server->Url("/ws"), recorder_);
  ASSERT_TRUE(session);
  std::thread stopper([&] { session->Stop(); });
  stopper.join();
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kStopped);
  EXPECT_EQ(info.state, WsState::kStreaming);
  EXPECT_TRUE(server->WaitFor([&] { return server->OpenCount() == 0; }, kWait));

  std::thread again([&] { session->Stop(); });
  again.join();
  loop_.Run([] {});  // every handler posted before has run
  EXPECT_EQ(recorder_.closes().size(), 1u);
  EXPECT_EQ(session->state(), WsState::kStopped);
}

TEST_F(WebSocketSessionTest, CloseIsGraceful) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  auto session = Connect(*server, server->Url("/ws"), recorder_);
  ASSERT_TRUE(session);
  session->Close();
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kStopped);
  EXPECT_EQ(info.state, WsState::kStreaming);
  EXPECT_EQ(info.code, 1000);  // the server's echo of our close frame
  const auto connection = server->Connection(0);
  ASSERT_TRUE(connection);
  ASSERT_EQ(connection->Count(ClientFrame::Kind::kClose), 1u);
  EXPECT_EQ(connection->frames.back().code, 1000);
  const auto states = recorder_.states();
  ASSERT_GE(states.size(), 2u);
  EXPECT_EQ(states[states.size() - 2], WsState::kClosing);
  EXPECT_EQ(states.back(), WsState::kStopped);
}

TEST_F(WebSocketSessionTest, ReconnectAfterDropBuildsANewStream) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  auto session = Connect(*server, server->Url("/ws"), recorder_);
  ASSERT_TRUE(session);
  server->Drop(0);
  EXPECT_EQ(WaitClosed(*server, recorder_).kind, WsCloseKind::kError);

  session->Reconnect(30);
  ASSERT_TRUE(server->WaitFor(
      [&] { return server->ConnectionCount() == 2 && session->state() == WsState::kStreaming; },
      kWait));
  server->SendText(1, "after reconnect");
  ASSERT_TRUE(server->WaitFor([&] { return recorder_.messages().size() == 1; }, kWait));
  EXPECT_EQ(recorder_.messages()[0], "after reconnect");
  EXPECT_EQ(session->stats().connects, 2u);
  EXPECT_EQ(server->Connection(1)->target, "/ws");

  // The second run went through the backoff delay, then every step again.
  const auto states = recorder_.states();
  const std::vector<WsState> second_run{WsState::kBackoff, WsState::kResolving,
                                        WsState::kConnecting, WsState::kWsHandshake,
                                        WsState::kStreaming};
  ASSERT_GE(states.size(), second_run.size());
  EXPECT_EQ(std::vector<WsState>(states.end() - 5, states.end()), second_run);
  StopAndWait(*server, *session, recorder_);
  EXPECT_EQ(recorder_.closes().size(), 2u);
}

TEST_F(WebSocketSessionTest, ReconnectWhileStreamingEndsTheRunFirst) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  auto session = Connect(*server, server->Url("/ws"), recorder_);
  ASSERT_TRUE(session);
  session->Reconnect(0);
  ASSERT_TRUE(server->WaitFor(
      [&] { return server->ConnectionCount() == 2 && session->state() == WsState::kStreaming; },
      kWait));
  const auto closes = recorder_.closes();
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].kind, WsCloseKind::kStopped);
  EXPECT_TRUE(server->WaitFor([&] { return !server->Connection(0)->open; }, kWait));
  StopAndWait(*server, *session, recorder_);
}

TEST_F(WebSocketSessionTest, StopDuringBackoffEndsTheRun) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  auto session = MakeSession(server->Url("/ws"), recorder_);
  ASSERT_TRUE(session);
  session->Reconnect(60'000);
  ASSERT_TRUE(server->WaitFor([&] { return session->state() == WsState::kBackoff; }, kWait));
  session->Stop();
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kStopped);
  EXPECT_EQ(info.state, WsState::kBackoff);
  EXPECT_EQ(server->TcpAccepted(), 0u);
}

TEST_F(WebSocketSessionTest, NewSessionConnectsAfterAFailedOne) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  // A port with nothing listening: bind one, note it, close it.
  std::uint16_t dead_port = 0;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor probe(io, {asio::ip::make_address_v4("127.0.0.1"), 0});
    dead_port = probe.local_endpoint().port();
  }
  auto failed = MakeSession("ws://127.0.0.1:" + std::to_string(dead_port) + "/ws", recorder_);
  ASSERT_TRUE(failed);
  failed->Start();
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kError);
  EXPECT_EQ(info.state, WsState::kConnecting);
  EXPECT_TRUE(info.error);

  Recorder second;
  auto session = Connect(*server, server->Url("/ws"), second);
  ASSERT_TRUE(session);
  server->SendText(0, "hello");
  ASSERT_TRUE(server->WaitFor([&] { return second.messages().size() == 1; }, kWait));
  StopAndWait(*server, *session, second);
}

TEST_F(WebSocketSessionTest, WebSocketHandshakeTimeout) {
  auto server = StartServer(FakeWsServerOptions{.stall_handshakes = true});
  ASSERT_TRUE(server);
  WsOptions options;
  options.ws_handshake_timeout = 200;
  auto session = MakeSession(server->Url("/ws"), recorder_, options);
  ASSERT_TRUE(session);
  session->Start();
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kError);
  EXPECT_EQ(info.state, WsState::kWsHandshake);
  EXPECT_EQ(info.error, boost::beast::error::timeout);
  EXPECT_EQ(server->TcpAccepted(), 1u);
}

TEST_F(WebSocketSessionTest, TlsHandshakeTimeout) {
  auto server = StartServer(FakeWsServerOptions{.stall_handshakes = true});
  ASSERT_TRUE(server);
  WsOptions options;
  options.tls_handshake_timeout = 200;
  auto session =
      MakeSession("wss://127.0.0.1:" + std::to_string(server->port()) + "/ws", recorder_, options);
  ASSERT_TRUE(session);
  session->Start();
  const WsCloseInfo info = WaitClosed(*server, recorder_);
  EXPECT_EQ(info.kind, WsCloseKind::kError);
  EXPECT_EQ(info.state, WsState::kTlsHandshake);
  EXPECT_EQ(info.error, boost::beast::error::timeout);
}

TEST_F(WebSocketSessionTest, FakeServerServesConcurrentConnectionsAndHooks) {
  auto server = StartServer(
      FakeWsServerOptions{.on_text = [](FakeWsServer& self, std::size_t id, std::string_view text) {
        self.SendText(id, "ack:" + std::string(text));
      }});
  ASSERT_TRUE(server);
  Recorder other;
  auto a = Connect(*server, server->Url("/a"), recorder_);
  auto b = Connect(*server, server->Url("/b?streams=x"), other);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(server->Connection(0)->target, "/a");
  ASSERT_EQ(server->Connection(1)->target, "/b?streams=x");

  server->SendTextToAll("to everyone");
  server->SendText(1, "only b");
  b->Send("hello");
  ASSERT_TRUE(server->WaitFor([&] { return other.messages().size() == 3; }, kWait));
  ASSERT_TRUE(server->WaitFor([&] { return recorder_.messages().size() == 1; }, kWait));
  EXPECT_EQ(recorder_.messages(), (std::vector<std::string>{"to everyone"}));
  EXPECT_EQ(other.messages(), (std::vector<std::string>{"to everyone", "only b", "ack:hello"}));
  EXPECT_EQ(server->OpenCount(), 2u);
  StopAndWait(*server, *a, recorder_);
  StopAndWait(*server, *b, other);
}

TEST_F(WebSocketSessionTest, CreateRejectsWhatCannotWork) {
  const auto http_url = Url::Parse("https://127.0.0.1:1/x");
  ASSERT_TRUE(http_url);
  EXPECT_FALSE(WebSocketSession::Create(loop_.io().get_executor(), TestCaContext(), clock_, logger_,
                                        *http_url, {}, recorder_.Callbacks()));
  const auto wss_url = Url::Parse("wss://127.0.0.1:1/x");
  ASSERT_TRUE(wss_url);
  EXPECT_FALSE(WebSocketSession::Create(loop_.io().get_executor(), nullptr, clock_, logger_,
                                        *wss_url, {}, recorder_.Callbacks()));
  EXPECT_FALSE(WebSocketSession::Create(loop_.io().get_executor(), TestCaContext(), clock_, logger_,
                                        *wss_url, {}, WsCallbacks{}));
  EXPECT_TRUE(WebSocketSession::Create(loop_.io().get_executor(), TestCaContext(), clock_, logger_,
                                       *wss_url, {}, recorder_.Callbacks()));
}

}  // namespace
}  // namespace scanner::net
