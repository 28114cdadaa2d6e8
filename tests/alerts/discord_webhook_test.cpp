#include "alerts/discord_webhook.h"

#include <gtest/gtest.h>

#include "core/redact.h"

namespace scanner::alerts {
namespace {

constexpr std::string_view kToken = "AbC-dEf_123.xyz";

TEST(DiscordWebhook, ParsesIdAndNonSecretDestination) {
  auto webhook =
      DiscordWebhook::Parse("https://discord.com/api/webhooks/123456789/AbC-dEf_123.xyz");
  ASSERT_TRUE(webhook) << webhook.error().message;
  EXPECT_EQ(webhook->id(), "123456789");
  EXPECT_EQ(webhook->destination(), "discord:123456789");
  EXPECT_EQ(webhook->destination().find(kToken), std::string::npos);
  EXPECT_EQ(webhook->ExecuteUrl(),
            "https://discord.com/api/webhooks/123456789/AbC-dEf_123.xyz?wait=true");
}

TEST(DiscordWebhook, AcceptsVersionedLoopbackAndQueryForms) {
  auto versioned = DiscordWebhook::Parse("https://discord.com/api/v10/webhooks/42/tok");
  ASSERT_TRUE(versioned);
  EXPECT_EQ(versioned->destination(), "discord:42");
  auto local = DiscordWebhook::Parse("http://127.0.0.1:8080/api/webhooks/7/tok?thread_id=9#x");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->id(), "7");
  EXPECT_EQ(local->ExecuteUrl(), "http://127.0.0.1:8080/api/webhooks/7/tok?thread_id=9&wait=true");
}

TEST(DiscordWebhook, MessageUrlNamesTheMessageUnderTheWebhook) {
  auto plain = DiscordWebhook::Parse("https://discord.com/api/v10/webhooks/42/tok");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->MessageUrl("1234"), "https://discord.com/api/v10/webhooks/42/tok/messages/1234");
  auto local =
      DiscordWebhook::Parse("http://127.0.0.1:8080/api/webhooks/7/tok/github?thread_id=9#x");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->MessageUrl("55"),
            "http://127.0.0.1:8080/api/webhooks/7/tok/messages/55?thread_id=9");
}

TEST(DiscordWebhook, RejectsMalformedUrlsWithoutRepeatingThem) {
  for (std::string url :
       {"discord.com/api/webhooks/1/AbC-dEf_123.xyz",
        "https://discord.com/api/hooks/1/AbC-dEf_123.xyz",
        "https://discord.com/api/webhooks/abc/AbC-dEf_123.xyz",
        "https://discord.com/api/webhooks/1/", "https://discord.com/api/webhooks/1",
        "ftp://discord.com/api/webhooks/1/AbC-dEf_123.xyz"}) {
    auto webhook = DiscordWebhook::Parse(url);
    ASSERT_FALSE(webhook) << url;
    EXPECT_EQ(webhook.error().message.find(kToken), std::string::npos) << webhook.error().message;
    EXPECT_EQ(webhook.error().message.find(url), std::string::npos);
  }
}

TEST(DiscordWebhook, RedactsTheTokenWhereverItAppears) {
  auto webhook = DiscordWebhook::Parse("https://discord.com/api/webhooks/1/AbC-dEf_123.xyz");
  ASSERT_TRUE(webhook);
  std::string message = "POST " + webhook->ExecuteUrl() + " failed; retry AbC-dEf_123.xyz";
  std::string redacted = webhook->Redact(message);
  EXPECT_EQ(redacted.find(kToken), std::string::npos);
  EXPECT_NE(redacted.find("webhooks/1/" + std::string(core::kMask)), std::string::npos) << redacted;
  EXPECT_NE(redacted.find("retry " + std::string(core::kMask)), std::string::npos) << redacted;
  // The plain URL is recognised whole, so the log still names the webhook.
  std::string plain = webhook->Redact("GET https://discord.com/api/webhooks/1/AbC-dEf_123.xyz");
  EXPECT_EQ(plain.find(kToken), std::string::npos);
  EXPECT_NE(plain.find("discord.com/api/webhooks/1/"), std::string::npos) << plain;
  EXPECT_EQ(webhook->Redact("nothing secret"), "nothing secret");
}

}  // namespace
}  // namespace scanner::alerts
