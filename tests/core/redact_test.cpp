#include "core/redact.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace scanner::core {
namespace {

TEST(RedactUrl, MasksDiscordWebhookTokenKeepingTheId) {
  EXPECT_EQ(RedactUrl("https://discord.com/api/webhooks/123/abcDEF-_xyz"),
            "https://discord.com/api/webhooks/123/****");
  EXPECT_EQ(RedactUrl("https://discord.com/api/v10/webhooks/123/tok/slack"),
            "https://discord.com/api/v10/webhooks/123/****/slack");
  EXPECT_EQ(RedactUrl("https://discord.com/api/webhooks/123"),
            "https://discord.com/api/webhooks/123");
}

TEST(RedactUrl, MasksQueryValuesUserinfoAndFragment) {
  EXPECT_EQ(RedactUrl("https://discord.com/api/webhooks/1/t?wait=true&thread_id=9"),
            "https://discord.com/api/webhooks/1/****?wait=****&thread_id=****");
  EXPECT_EQ(RedactUrl("https://user:pw@example.com:8443/path?key"),
            "https://****@example.com:8443/path?****");
  EXPECT_EQ(RedactUrl("https://example.com/cb#access_token=x"), "https://example.com/cb#****");
  EXPECT_EQ(RedactUrl("https://example.com/?a=&&b=1"), "https://example.com/?a=****&&b=****");
}

TEST(RedactUrl, LeavesPublicUrlsAlone) {
  EXPECT_EQ(RedactUrl("https://api.binance.com"), "https://api.binance.com");
  EXPECT_EQ(RedactUrl("wss://fstream.binance.com/market"), "wss://fstream.binance.com/market");
  EXPECT_EQ(RedactUrl(""), "");
}

TEST(RedactUrl, MasksWhatIsNotAUrl) {
  EXPECT_EQ(RedactUrl("discord.com/api/webhooks/1/token"), "****");
  EXPECT_EQ(RedactUrl("://x"), "****");
}

TEST(RedactSecrets, ReplacesEveryOccurrence) {
  std::vector<std::string> secrets{"https://discord.com/api/webhooks/123/TOKEN", "TOKEN", ""};
  EXPECT_EQ(RedactSecrets("POST https://discord.com/api/webhooks/123/TOKEN failed; retry "
                          "https://discord.com/api/webhooks/123/TOKEN; path .../123/TOKEN",
                          secrets),
            "POST https://discord.com/api/webhooks/123/**** failed; retry "
            "https://discord.com/api/webhooks/123/****; path .../123/****");
}

TEST(RedactSecrets, MasksPlainSecretsWhole) {
  std::vector<std::string> secrets{"hunter2", "https://example.com/private"};
  EXPECT_EQ(RedactSecrets("password hunter2 at https://example.com/private", secrets),
            "password **** at ****");
  EXPECT_EQ(RedactSecrets("nothing secret", secrets), "nothing secret");
  EXPECT_EQ(RedactSecrets("", secrets), "");
}

}  // namespace
}  // namespace scanner::core
