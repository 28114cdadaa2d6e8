#include "app/discord_settings_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "config/environment.h"

namespace scanner::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kToken = "sEcReT-tOkEn";

// What the dispatcher refuses is refused when the configuration is loaded (and so at every
// reload), each problem by key path, all of them together.
TEST(DiscordSettingsCheck, LoadingRefusesWhatTheDispatcherWouldRefuseByKeyPath) {
  config::MapEnvironment env({{"TOKEN", std::string(kToken)}});
  auto loaded = config::ParseConfig(R"(
alerts:
  discord:
    username: "My Discord bot"
    webhook_urls: ["", "https://discord.com/api/webhooks/123/${TOKEN}"]
    routes:
      - {webhook_url: "https://discord.com/api/webhooks/123/other${TOKEN}"}
      - {webhook_url: "https://discord.com/api/webhooks/x1/${TOKEN}"}
    ca_file: /nonexistent/ca.pem
)",
                                    "test.yaml", env, DiscordSettingsChecks());
  ASSERT_FALSE(loaded);
  const std::string& message = loaded.error().message;
  EXPECT_THAT(message, HasSubstr("alerts.discord.username: Discord refuses webhook usernames "
                                 "containing \"discord\""));
  EXPECT_THAT(message, HasSubstr("alerts.discord.routes[0].webhook_url: webhook discord:123 is "
                                 "configured again with a different token"));
  EXPECT_THAT(message, HasSubstr("alerts.discord.routes[1].webhook_url: Discord webhook URL: the "
                                 "webhook id is not numeric"));
  EXPECT_THAT(message, HasSubstr("alerts.discord.ca_file: "));
  EXPECT_THAT(message, Not(HasSubstr(kToken)));
}

TEST(DiscordSettingsCheck, AWebhookUrlIsNamedByItsPositionInTheFile) {
  config::MapEnvironment env({{"TOKEN", std::string(kToken)}});
  auto loaded = config::ParseConfig(R"(
alerts:
  discord:
    webhook_urls: ["${UNSET:-}", "https://discord.com/api/webhooks/123/${TOKEN}", "https://example.com/hook/${TOKEN}"]
)",
                                    "test.yaml", env, DiscordSettingsChecks());
  ASSERT_FALSE(loaded);
  // The empty first entry (an unset variable) still counts.
  EXPECT_EQ(loaded.error().message,
            "alerts.discord.webhook_urls[2]: Discord webhook URL has no /webhooks/<id>/<token> "
            "path");
}

TEST(DiscordSettingsCheck, ADispatcherReadyConfigurationPasses) {
  config::MapEnvironment env;
  auto loaded = config::ParseConfig(R"(
alerts:
  discord:
    username: Momentum Scanner
    webhook_urls: ["https://discord.com/api/webhooks/123/abc"]
    routes:
      - {webhook_url: "https://discord.com/api/webhooks/123/abc", intervals: [1h]}
      - {webhook_url: "https://discord.com/api/webhooks/456/def", min_severity: strong}
)",
                                    "test.yaml", env, DiscordSettingsChecks());
  EXPECT_TRUE(loaded) << loaded.error().message;
}

}  // namespace
}  // namespace scanner::app
