// HTTPS against the throw-away certificates in tests/fixtures/tls (see its README).

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "http_test_support.h"
#include "net/http_client.h"
#include "net/http_server.h"

namespace scanner::net {
namespace {

using http_test::Get;
using http_test::Outcome;
using http_test::RunUntil;
using http_test::TlsFixture;

class HttpTlsTest : public http_test::HttpLoopbackTest {
 protected:
  // A TLS server presenting `cert`/`key`, answering "secure <target>".
  void StartServer(const std::string& cert, const std::string& key) {
    HttpServerOptions options;
    options.cert_file = TlsFixture(cert);
    options.key_file = TlsFixture(key);
    HttpLoopbackTest::StartServer(
        [](const ServerRequest& request, Responder responder) {
          responder.Respond(200, "secure " + request.target);
        },
        std::move(options));
  }

  std::unique_ptr<HttpClient> MakeClient(const std::string& ca_file) {
    HttpClientOptions options;
    options.ca_file = ca_file;
    return HttpLoopbackTest::MakeClient(std::move(options));
  }

  Outcome SendAndWait(HttpClient& client, const std::string& url) {
    return HttpLoopbackTest::SendAndWait(client, Get(url));
  }

  std::string UrlOn(const std::string& host, const std::string& path) const {
    return "https://" + host + ":" + std::to_string(server_->port()) + path;
  }
};

TEST_F(HttpTlsTest, AcceptedWithTheTestCaByIpAndByName) {
  StartServer("server.pem", "server.key");
  auto client = MakeClient(TlsFixture("ca.pem"));
  EXPECT_EQ(server_->BaseUrl(), UrlOn("127.0.0.1", ""));

  Outcome by_ip = SendAndWait(*client, UrlOn("127.0.0.1", "/ip"));
  Outcome by_name = SendAndWait(*client, UrlOn("localhost", "/name"));

  ASSERT_TRUE(by_ip.ok()) << by_ip.error().message;
  EXPECT_EQ(by_ip.response().body, "secure /ip");
  ASSERT_TRUE(by_name.ok()) << by_name.error().message;
  EXPECT_EQ(by_name.response().body, "secure /name");
}

TEST_F(HttpTlsTest, KeepAliveReusesTheTlsConnection) {
  StartServer("server.pem", "server.key");
  auto client = MakeClient(TlsFixture("ca.pem"));

  for (int i = 0; i < 3; ++i) {
    Outcome outcome = SendAndWait(*client, UrlOn("127.0.0.1", "/k"));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  }
  EXPECT_EQ(server_->AcceptedConnections(), 1u);
}

TEST_F(HttpTlsTest, UnknownCaIsRejectedWithoutCaFile) {
  StartServer("server.pem", "server.key");
  auto client = MakeClient("");

  Outcome outcome = SendAndWait(*client, UrlOn("127.0.0.1", "/"));

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind, HttpErrorKind::kTls);
  EXPECT_NE(outcome.error().message.find("certificate verify failed"), std::string::npos)
      << outcome.error().message;
}

TEST_F(HttpTlsTest, SelfSignedServerIsRejectedEvenWithTheTestCa) {
  StartServer("self_signed.pem", "self_signed.key");
  auto client = MakeClient(TlsFixture("ca.pem"));

  Outcome outcome = SendAndWait(*client, UrlOn("127.0.0.1", "/"));

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind, HttpErrorKind::kTls);
  EXPECT_NE(outcome.error().message.find("self-signed"), std::string::npos)
      << outcome.error().message;
}

TEST_F(HttpTlsTest, HostNameMismatchIsRejected) {
  StartServer("server.pem", "server.key");
  auto client = MakeClient(TlsFixture("ca.pem"));

  // "127.1" resolves to 127.0.0.1 (inet_aton shorthand) but is not a name the certificate holds
  // (localhost, IP 127.0.0.1): a valid chain for the wrong host.
  Outcome outcome = SendAndWait(*client, UrlOn("127.1", "/"));

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind, HttpErrorKind::kTls);
  EXPECT_NE(outcome.error().message.find("hostname mismatch"), std::string::npos)
      << outcome.error().message;
}

TEST_F(HttpTlsTest, SilentServerTimesOutDuringTheHandshake) {
  // Accepts TCP connections and never says a word.
  boost::asio::ip::tcp::acceptor silent(io_, {boost::asio::ip::make_address("127.0.0.1"), 0});
  boost::asio::ip::tcp::socket accepted(io_);
  silent.async_accept(accepted, [](boost::system::error_code) {});
  HttpClientOptions options;
  options.ca_file = TlsFixture("ca.pem");
  options.connect_timeout = std::chrono::milliseconds(200);
  auto client = HttpClient::Create(io_, options, nullptr);
  ASSERT_TRUE(client) << client.error().message;

  Outcome outcome;
  (*client)->Send(Get("https://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/"),
                  outcome.Callback());
  ASSERT_TRUE(RunUntil(io_, [&] { return outcome.done(); }));

  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind, HttpErrorKind::kTimeout);
  EXPECT_NE(outcome.error().message.find("TLS handshake"), std::string::npos)
      << outcome.error().message;
}

TEST_F(HttpTlsTest, PlainHttpClientAgainstTlsServerFails) {
  StartServer("server.pem", "server.key");
  auto client = MakeClient(TlsFixture("ca.pem"));

  Outcome outcome =
      SendAndWait(*client, "http://127.0.0.1:" + std::to_string(server_->port()) + "/");

  ASSERT_FALSE(outcome.ok());
  const HttpErrorKind kind = outcome.error().kind;
  EXPECT_TRUE(kind == HttpErrorKind::kProtocol || kind == HttpErrorKind::kConnectionLost)
      << outcome.error().message;
}

TEST(HttpTlsSetup, MissingCaFileFailsAtCreate) {
  boost::asio::io_context io;
  HttpClientOptions options;
  options.ca_file = TlsFixture("does_not_exist.pem");

  auto client = HttpClient::Create(io, options, nullptr);

  ASSERT_FALSE(client);
  EXPECT_NE(client.error().message.find("does_not_exist.pem"), std::string::npos);
}

TEST(HttpTlsSetup, ServerKeyMustMatchCertificate) {
  boost::asio::io_context io;
  HttpServerOptions options;
  options.cert_file = TlsFixture("server.pem");
  options.key_file = TlsFixture("self_signed.key");

  auto server = HttpServer::Create(
      io, options, [](const ServerRequest&, Responder) {}, nullptr);

  ASSERT_FALSE(server);
  EXPECT_NE(server.error().message.find("private key"), std::string::npos)
      << server.error().message;
}

}  // namespace
}  // namespace scanner::net
