#include "net/url.h"

#include <gtest/gtest.h>

namespace scanner::net {
namespace {

TEST(Url, ParsesHttpsWithDefaultPortAndQuery) {
  auto url = Url::Parse("https://API.Binance.com/api/v3/klines?symbol=BTCUSDT&limit=2");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "api.binance.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/api/v3/klines?symbol=BTCUSDT&limit=2");
  EXPECT_TRUE(url->IsTls());
  EXPECT_EQ(url->HostHeader(), "api.binance.com");
  EXPECT_EQ(url->Origin(), "https://api.binance.com:443");
}

TEST(Url, DefaultPortsPerScheme) {
  EXPECT_EQ(Url::Parse("http://example.com")->port, 80);
  EXPECT_EQ(Url::Parse("ws://example.com")->port, 80);
  EXPECT_EQ(Url::Parse("wss://stream.binance.com/ws")->port, 443);
  EXPECT_FALSE(Url::Parse("ws://example.com")->IsTls());
  EXPECT_TRUE(Url::Parse("WSS://example.com")->IsTls());
}

TEST(Url, ExplicitPortAndEmptyPath) {
  auto url = Url::Parse("http://127.0.0.1:8080");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->target, "/");
  EXPECT_EQ(url->HostHeader(), "127.0.0.1:8080");
}

TEST(Url, QueryWithoutPathGetsSlash) {
  auto url = Url::Parse("https://example.com?a=1#fragment");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->target, "/?a=1");
}

TEST(Url, DropsFragment) {
  auto url = Url::Parse("wss://example.com:9443/stream?streams=a/b#x");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->port, 9443);
  EXPECT_EQ(url->target, "/stream?streams=a/b");
}

TEST(Url, Ipv6Literal) {
  auto url = Url::Parse("http://[::1]:9000/healthz");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->HostHeader(), "[::1]:9000");
  EXPECT_EQ(url->Origin(), "http://[::1]:9000");
}

TEST(Url, DefaultPortIsLeftOutOfHostHeader) {
  EXPECT_EQ(Url::Parse("https://example.com:443/x")->HostHeader(), "example.com");
  EXPECT_EQ(Url::Parse("http://example.com:443/x")->HostHeader(), "example.com:443");
}

TEST(Url, RejectsUnsupportedOrMissingScheme) {
  auto ftp = Url::Parse("ftp://example.com/file");
  ASSERT_FALSE(ftp);
  EXPECT_NE(ftp.error().message.find("unsupported scheme 'ftp'"), std::string::npos);
  auto none = Url::Parse("example.com/path");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("missing scheme"), std::string::npos);
}

TEST(Url, RejectsBadHostsAndPorts) {
  EXPECT_FALSE(Url::Parse("http:///path"));
  EXPECT_FALSE(Url::Parse("http://exa mple.com/"));
  EXPECT_FALSE(Url::Parse("http://example.com:0/"));
  EXPECT_FALSE(Url::Parse("http://example.com:65536/"));
  EXPECT_FALSE(Url::Parse("http://example.com:80x/"));
  EXPECT_FALSE(Url::Parse("http://example.com:/"));
  EXPECT_FALSE(Url::Parse("http://[::1/"));
  EXPECT_FALSE(Url::Parse("http://[not-ipv6]/"));
  EXPECT_FALSE(Url::Parse("http://exa$mple.com/"));
}

TEST(Url, RejectsUserInfoWithoutEchoingIt) {
  auto url = Url::Parse("https://user:hunter2@example.com/");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().message.find("hunter2"), std::string::npos);
  EXPECT_NE(url.error().message.find("user info"), std::string::npos);
}

TEST(Url, ErrorsNeverEchoPathOrQuery) {
  const std::string secret = "webhooks/123/SECRET-TOKEN";
  for (const std::string& text :
       {"https://discord.com:99999/api/" + secret, "https://discord.com/api/" + secret + " x",
        "https://discord.com/api/" + secret + "\n", "gopher://discord.com/api/" + secret,
        "discord.com/api/" + secret}) {
    auto url = Url::Parse(text);
    ASSERT_FALSE(url) << "accepted: " << text;
    EXPECT_EQ(url.error().message.find("SECRET"), std::string::npos) << url.error().message;
  }
}

TEST(Url, ErrorsNameTheHostAndPort) {
  auto url = Url::Parse("https://discord.com:99999/api/webhooks/1/token");
  ASSERT_FALSE(url);
  EXPECT_NE(url.error().message.find("discord.com"), std::string::npos);
  EXPECT_NE(url.error().message.find("99999"), std::string::npos);
}

}  // namespace
}  // namespace scanner::net
