#include "config/interpolation.h"

#include <gtest/gtest.h>

#include "config/config_loader.h"

namespace scanner::config {
namespace {

MapEnvironment Env() {
  return MapEnvironment({{"HOST", "example.com"}, {"EMPTY", ""}, {"PORT", "9102"}});
}

std::string ExpandOk(std::string_view text) {
  MapEnvironment env = Env();
  Interpolator interpolator(env);
  auto result = interpolator.Expand(text);
  EXPECT_TRUE(result.has_value()) << text << ": " << (result ? "" : result.error().message);
  return result.value_or("<error>");
}

std::string ExpandError(std::string_view text) {
  MapEnvironment env = Env();
  Interpolator interpolator(env);
  auto result = interpolator.Expand(text);
  EXPECT_FALSE(result.has_value()) << text << " expanded to " << result.value_or("");
  return result ? std::string() : result.error().message;
}

TEST(Interpolation, ExpandsSetVariables) {
  EXPECT_EQ(ExpandOk("${HOST}"), "example.com");
  EXPECT_EQ(ExpandOk("https://${HOST}:${PORT}/x"), "https://example.com:9102/x");
  EXPECT_EQ(ExpandOk("[${EMPTY}]"), "[]");
  EXPECT_EQ(ExpandOk("no variables"), "no variables");
}

TEST(Interpolation, DefaultAppliesWhenUnsetOrEmpty) {
  EXPECT_EQ(ExpandOk("${MISSING:-fallback}"), "fallback");
  EXPECT_EQ(ExpandOk("${EMPTY:-fallback}"), "fallback");
  EXPECT_EQ(ExpandOk("${HOST:-fallback}"), "example.com");
  EXPECT_EQ(ExpandOk("${MISSING:-}"), "");
  EXPECT_EQ(ExpandOk("${MISSING:-127.0.0.1:9102}"), "127.0.0.1:9102");
}

TEST(Interpolation, DefaultsNestAndAreOnlyEvaluatedWhenUsed) {
  EXPECT_EQ(ExpandOk("${MISSING:-${HOST}}"), "example.com");
  EXPECT_EQ(ExpandOk("${MISSING:-${ALSO_MISSING:-deep}}"), "deep");
  // HOST is set, so the unset variable in its default is never looked at.
  EXPECT_EQ(ExpandOk("${HOST:-${ALSO_MISSING}}"), "example.com");
}

TEST(Interpolation, DoubleDollarIsALiteralDollar) {
  EXPECT_EQ(ExpandOk("$$"), "$");
  EXPECT_EQ(ExpandOk("pa$$word"), "pa$word");
  EXPECT_EQ(ExpandOk("$${HOST}"), "${HOST}");
  EXPECT_EQ(ExpandOk("${MISSING:-$$5}"), "$5");
  // A '$' that starts nothing is kept as written.
  EXPECT_EQ(ExpandOk("cost $5 $"), "cost $5 $");
}

TEST(Interpolation, UnsetWithoutDefaultNamesTheVariable) {
  EXPECT_EQ(ExpandError("${DISCORD_WEBHOOK_URL}"),
            "variable DISCORD_WEBHOOK_URL is not set and has no default");
}

TEST(Interpolation, MalformedReferencesAreErrors) {
  EXPECT_EQ(ExpandError("${HOST"), "unterminated '${' (missing '}')");
  EXPECT_EQ(ExpandError("${"), "unterminated '${' (missing '}')");
  EXPECT_EQ(ExpandError("${MISSING:-abc"), "unterminated '${' (missing '}')");
  EXPECT_NE(ExpandError("${}").find("invalid variable reference '${}'"), std::string::npos);
  EXPECT_NE(ExpandError("${1ABC}").find("invalid variable reference '${1ABC}'"), std::string::npos);
  EXPECT_NE(ExpandError("${HOST-x}").find("only ${HOST} and ${HOST:-default}"), std::string::npos);
  EXPECT_NE(ExpandError("${HOST:?x}").find("unsupported form"), std::string::npos);
}

TEST(Interpolation, RemembersReferencedVariables) {
  MapEnvironment env = Env();
  Interpolator interpolator(env);
  ASSERT_TRUE(interpolator.Expand("${HOST} ${MISSING:-${OTHER:-x}}"));
  EXPECT_EQ(interpolator.referenced(),
            (std::set<std::string, std::less<>>{"HOST", "MISSING", "OTHER"}));
}

// Interpolation inside a configuration: errors carry the full key path.
TEST(Interpolation, ErrorsInConfigNameKeyPathAndVariable) {
  MapEnvironment env;
  auto config = ParseConfig(R"(
alerts:
  discord:
    webhook_urls: ["${HOOK_A:-}", "${HOOK_B}"]
    routes:
      - webhook_url: ${ROUTE_URL}
universe:
  top_n: ${TOP_N
)",
                            "test.yaml", env);
  ASSERT_FALSE(config);
  const std::string& message = config.error().message;
  EXPECT_NE(message.find("alerts.discord.webhook_urls[1]: variable HOOK_B is not set and has no "
                         "default"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("alerts.discord.routes[0].webhook_url: variable ROUTE_URL is not set"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("universe.top_n: unterminated '${'"), std::string::npos) << message;
}

TEST(Interpolation, AppliesBeforeTypingInEveryKindOfScalar) {
  MapEnvironment env(
      {{"TOP", "42"},
       {"IVS", "5m, 1h"},
       {"VOL", "1e6"},
       {"LEVERAGED", "false"},
       {"COOL", "45m"},
       {"HOOKS", "https://discord.com/api/webhooks/1/a,https://discord.com/api/webhooks/2/b"}});
  auto config = ParseConfig(R"(
universe:
  top_n: ${TOP}
  min_quote_volume_24h: ${VOL}
  exclude_leveraged_tokens: ${LEVERAGED}
  quote_assets: [USDT, "${EXTRA:-fdusd}"]
streams:
  intervals: ${IVS}
signals:
  cooldown: ${COOL}
alerts:
  discord:
    webhook_urls: ["${HOOKS}", "${NONE:-}"]
)",
                            "test.yaml", env);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->universe.top_n, 42);
  EXPECT_EQ(config->universe.min_quote_volume_24h, 1e6);
  EXPECT_FALSE(config->universe.exclude_leveraged_tokens);
  EXPECT_EQ(config->universe.quote_assets, (std::vector<std::string>{"USDT", "FDUSD"}));
  ASSERT_EQ(config->streams.intervals.size(), 2u);
  EXPECT_EQ(config->streams.intervals[0].Name(), "5m");
  EXPECT_EQ(config->streams.intervals[1].Name(), "1h");
  EXPECT_EQ(config->signals.cooldown, 45 * core::kMinute);
  // One variable held two webhooks; the empty entry was dropped.
  EXPECT_EQ(config->alerts.discord.webhook_urls,
            (std::vector<std::string>{"https://discord.com/api/webhooks/1/a",
                                      "https://discord.com/api/webhooks/2/b"}));
}

}  // namespace
}  // namespace scanner::config
