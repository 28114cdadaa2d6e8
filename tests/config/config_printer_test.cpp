#include "config/config_printer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "config/defaults.h"
#include "config/secrets.h"

namespace scanner::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCustom[] = R"(
exchange:
  market: usdm
  rest_url: https://user:password@fapi.example.com/base?apiKey=KEY123
universe:
  quote_assets: [USDT, USDC]
  min_quote_volume_24h: 12345678.5
  top_n: 40
  include: [BTCUSDT]
  exclude: [LUNAUSDT, USTCUSDT]
  exclude_stable_pairs: false
streams:
  intervals: [5m, 4h]
  stale_after: 2m
signals:
  min_atr_move: 1.75
  min_change_percent: {4h: 0, 5m: 2.25}
  direction: down
  cooldown: 90s
  confirm_intervals: [4h]
alerts:
  retention: 3d
  discord:
    webhook_urls: ["https://discord.com/api/webhooks/111/TOKEN_ONE"]
    username: "Scanner: test"
    routes:
      - webhook_url: https://discord.com/api/webhooks/222/TOKEN_TWO?wait=true
        intervals: [4h]
        min_severity: strong
    edit_outcomes: false
  outcome:
    horizons: [2, 10]
status:
  listen: ""
logging:
  level: debug
  format: json
)";

Config Parse(std::string_view yaml) {
  auto config = ParseConfig(yaml, "test.yaml", MapEnvironment());
  EXPECT_TRUE(config) << config.error().message << "\n" << yaml;
  return config.value_or(Config{});
}

TEST(ConfigPrinter, MasksEverySecret) {
  std::string printed = PrintConfig(Parse(kCustom));
  EXPECT_THAT(printed, Not(HasSubstr("TOKEN_ONE")));
  EXPECT_THAT(printed, Not(HasSubstr("TOKEN_TWO")));
  EXPECT_THAT(printed, Not(HasSubstr("password")));
  EXPECT_THAT(printed, Not(HasSubstr("KEY123")));
  EXPECT_THAT(printed, HasSubstr("https://discord.com/api/webhooks/111/****"));
  EXPECT_THAT(printed, HasSubstr("https://discord.com/api/webhooks/222/****?wait=****"));
  EXPECT_THAT(printed, HasSubstr("rest_url: https://****@fapi.example.com/base?apiKey=****"));
}

TEST(ConfigPrinter, PrintsTheDefaultsReadably) {
  std::string printed = PrintConfig(DefaultConfig(core::Market::kSpot));
  EXPECT_THAT(printed,
              HasSubstr("exchange:\n  market: spot\n  rest_url: https://api.binance.com\n"));
  EXPECT_THAT(printed, HasSubstr("  intervals: [1m, 5m, 15m, 1h]\n"));
  EXPECT_THAT(printed, HasSubstr("  min_quote_volume_24h: 5000000\n"));
  EXPECT_THAT(printed, HasSubstr("  cooldown: 30m\n"));
  EXPECT_THAT(printed, HasSubstr("  retention: 7d\n"));
  EXPECT_THAT(printed, HasSubstr("    webhook_urls: []\n"));
  EXPECT_THAT(printed, HasSubstr("    username: Momentum Scanner\n"));
  // The file names no floor: every interval keeps the signals' own (check-config shows them).
  EXPECT_THAT(printed, HasSubstr("  min_change_percent: {}\n"));
  EXPECT_THAT(printed, HasSubstr("    give_up_after: 1d\n    edit_outcomes: true\n"
                                 "    chart:\n      enabled: true\n      bars: 60\n"
                                 "  outcome:\n    horizons: [1, 5, 20]\n"));
}

TEST(ConfigPrinter, PrintsTheNewKeysAsGiven) {
  std::string printed = PrintConfig(Parse(kCustom));
  EXPECT_THAT(printed, HasSubstr("  min_change_percent: {5m: 2.25, 4h: 0}\n"));
  EXPECT_THAT(printed, HasSubstr("    edit_outcomes: false\n"));
  EXPECT_THAT(printed, HasSubstr("  outcome:\n    horizons: [2, 10]\n"));
}

// What check-config prints is itself a valid configuration with the same values.
TEST(ConfigPrinter, OutputLoadsBackToTheSameConfiguration) {
  for (std::string_view yaml : {std::string_view(""), std::string_view(kCustom)}) {
    std::string printed = PrintConfig(Parse(yaml));
    std::string reprinted = PrintConfig(Parse(printed));
    EXPECT_EQ(printed, reprinted);
  }
}

TEST(ConfigPrinter, SecretsIncludeUrlsAndTokens) {
  std::vector<std::string> secrets = CollectSecrets(Parse(kCustom));
  EXPECT_THAT(secrets,
              ::testing::UnorderedElementsAre(
                  "https://discord.com/api/webhooks/111/TOKEN_ONE", "TOKEN_ONE",
                  "https://discord.com/api/webhooks/222/TOKEN_TWO?wait=true", "TOKEN_TWO"));
}

}  // namespace
}  // namespace scanner::config
