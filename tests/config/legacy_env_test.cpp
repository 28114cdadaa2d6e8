#include "config/legacy_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config_loader.h"

namespace scanner::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(LegacyEnvironment, MapsEveryVariable) {
  MapEnvironment env({
      {"DISCORD_WEBHOOK_URL",
       "https://discord.com/api/webhooks/1/a, https://discord.com/api/webhooks/2/b"},
      {"MARKET", "usdm"},
      {"QUOTE_ASSETS", "USDT,USDC"},
      {"MIN_QUOTE_VOLUME", "20000000"},
      {"TOP_N", "60"},
      {"INTERVALS", "5m,1h"},
      {"ATR_PERIOD", "21"},
      {"ZSCORE_WINDOW", "100"},
      {"MIN_ATR_MOVE", "3.5"},
      {"MIN_VOLUME_Z", "2"},
      {"MIN_RETURN_Z", "1.5"},
      {"DIRECTION", "down"},
      {"COOLDOWN", "2h"},
      {"DATABASE_PATH", "/data/alerts.db"},
      {"STATUS_LISTEN", "0.0.0.0:9102"},
      {"LOG_LEVEL", "debug"},
  });
  auto config = ConfigFromLegacyEnvironment(env);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->alerts.discord.webhook_urls,
            (std::vector<std::string>{"https://discord.com/api/webhooks/1/a",
                                      "https://discord.com/api/webhooks/2/b"}));
  EXPECT_EQ(config->exchange.market, core::Market::kUsdm);
  EXPECT_EQ(config->exchange.rest_url, "https://fapi.binance.com");  // the market's default
  EXPECT_EQ(config->universe.quote_assets, (std::vector<std::string>{"USDT", "USDC"}));
  EXPECT_EQ(config->universe.min_quote_volume_24h, 20'000'000);
  EXPECT_EQ(config->universe.top_n, 60);
  ASSERT_EQ(config->streams.intervals.size(), 2u);
  EXPECT_EQ(config->streams.intervals[0].Name(), "5m");
  EXPECT_EQ(config->signals.atr_period, 21);
  EXPECT_EQ(config->signals.zscore_window, 100);
  EXPECT_EQ(config->signals.min_atr_move, 3.5);
  EXPECT_EQ(config->signals.min_volume_z, 2.0);
  EXPECT_EQ(config->signals.min_return_z, 1.5);
  EXPECT_EQ(config->signals.direction, DirectionFilter::kDown);
  EXPECT_EQ(config->signals.cooldown, 2 * core::kHour);
  EXPECT_EQ(config->alerts.database, "/data/alerts.db");
  EXPECT_EQ(config->status.listen, "0.0.0.0:9102");
  EXPECT_EQ(config->logging.level, "debug");
}

TEST(LegacyEnvironment, NothingSetGivesTheDefaults) {
  auto config = ConfigFromLegacyEnvironment(MapEnvironment());
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->universe.top_n, 150);
  EXPECT_TRUE(config->alerts.discord.webhook_urls.empty());
}

TEST(LegacyEnvironment, EmptyVariablesAreIgnoredAndValuesTrimmed) {
  auto config = ConfigFromLegacyEnvironment(
      MapEnvironment({{"TOP_N", " 12 "}, {"MIN_ATR_MOVE", ""}, {"DISCORD_WEBHOOK_URL", ""}}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->universe.top_n, 12);
  EXPECT_EQ(config->signals.min_atr_move, 2.5);
  EXPECT_TRUE(config->alerts.discord.webhook_urls.empty());
}

TEST(LegacyEnvironment, PlainCooldownIsMinutes) {
  auto config = ConfigFromLegacyEnvironment(MapEnvironment({{"COOLDOWN", "45"}}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->signals.cooldown, 45 * core::kMinute);
}

TEST(LegacyEnvironment, ValuesAreNotInterpolated) {
  auto config = ConfigFromLegacyEnvironment(
      MapEnvironment({{"DATABASE_PATH", "/data/${NOT_A_REFERENCE}.db"}}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->alerts.database, "/data/${NOT_A_REFERENCE}.db");
}

TEST(LegacyEnvironment, ProblemsNameTheVariable) {
  auto config = ConfigFromLegacyEnvironment(MapEnvironment({
      {"TOP_N", "0"},
      {"INTERVALS", "1m,7m"},
      {"MIN_VOLUME_Z", "high"},
      {"LOG_LEVEL", "loud"},
      {"DISCORD_WEBHOOK_URL", "discord.com/api/webhooks/1/SECRET"},
  }));
  ASSERT_FALSE(config);
  std::istringstream lines(config.error().message);
  std::vector<std::string> problems;
  for (std::string line; std::getline(lines, line);) problems.push_back(line);
  EXPECT_THAT(problems,
              ElementsAre(::testing::MatchesRegex("streams\\.intervals: unknown interval '7m' .*"
                                                  "\\(from INTERVALS\\)"),
                          "signals.min_volume_z: expected a number, got 'high' (from MIN_VOLUME_Z)",
                          "alerts.discord.webhook_urls: expected an https:// URL (from "
                          "DISCORD_WEBHOOK_URL)",
                          "universe.top_n: must be at least 1, got 0 (from TOP_N)",
                          "logging.level: expected one of trace, debug, info, warn, error, "
                          "critical, off, got 'loud' (from LOG_LEVEL)"));
  EXPECT_THAT(config.error().message, ::testing::Not(HasSubstr("SECRET")));
}

TEST(LegacyEnvironment, OneSecondIntervalNeedsSpot) {
  auto config =
      ConfigFromLegacyEnvironment(MapEnvironment({{"MARKET", "usdm"}, {"INTERVALS", "1s"}}));
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "streams.intervals: '1s' klines exist on spot only, not on usdm (from INTERVALS)");
}

// MIGRATION.md is the user's copy of this mapping: every variable must be documented there with
// the key it sets.
TEST(LegacyEnvironment, MigrationGuideDocumentsEveryVariable) {
  std::ifstream file(std::string(SCANNER_SOURCE_DIR) + "/MIGRATION.md");
  ASSERT_TRUE(file) << "MIGRATION.md not found";
  std::stringstream text;
  text << file.rdbuf();
  for (const LegacyVariable& variable : LegacyVariables()) {
    std::string row =
        "| `" + std::string(variable.name) + "` | `" + std::string(variable.key_path) + "` |";
    EXPECT_THAT(text.str(), HasSubstr(row)) << variable.name;
  }
}

}  // namespace
}  // namespace scanner::config
