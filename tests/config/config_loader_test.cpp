#include "config/config_loader.h"
#include "config/file_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "config/defaults.h"

namespace scanner::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The problem lines of a configuration that must not load.
std::vector<std::string> ProblemsOf(std::string_view yaml, const MapEnvironment& env = {}) {
  auto config = ParseConfig(yaml, "test.yaml", env);
  EXPECT_FALSE(config) << "loaded without problems:\n" << yaml;
  return config ? std::vector<std::string>{} : Lines(config.error().message);
}

Config LoadOk(std::string_view yaml, const MapEnvironment& env = {}) {
  auto config = ParseConfig(yaml, "test.yaml", env);
  EXPECT_TRUE(config) << config.error().message;
  return config.value_or(Config{});
}

// --- The issue's "Bad input" list: one clear line each. ---

TEST(ConfigBadInput, MalformedYamlGivesLineAndColumn) {
  EXPECT_THAT(ProblemsOf("universe:\n  top_n: 5\n  quote_assets: [USDT\n"),
              ElementsAre(MatchesRegex("test\\.yaml:3:17: malformed YAML: .+")));
  EXPECT_THAT(ProblemsOf("signals:\n  cooldown: a: b\n"),
              ElementsAre("test.yaml:2:14: malformed YAML: illegal map value"));
}

// The issue's example: the parser notices the missing ']' at the end of the file (5:1); the
// message leads with where the '[' was opened and names both places.
TEST(ConfigBadInput, MalformedYamlNamesWhereTheUnclosedConstructBegan) {
  EXPECT_THAT(ProblemsOf("universe:\n  top_n: 5\nsignals:\n  atr_period: [14\n"),
              ElementsAre("test.yaml:4:15: malformed YAML: end of sequence flow not found at line "
                          "5, column 1: the '[' opened at line 4, column 15 is not closed"));
  EXPECT_THAT(
      ProblemsOf("alerts:\n  discord: {username: scanner\nsignals:\n  cooldown: 5m\n"),
      ElementsAre("test.yaml:2:12: malformed YAML: end of map flow not found at line 3, column "
                  "8: the '{' opened at line 2, column 12 is not closed"));
  // A sequence spanning lines, closed nowhere: its first line is named.
  EXPECT_THAT(ProblemsOf("signals:\n  confirm_intervals: [15m,\n    1h\n  cooldown: 5m\n"),
              ElementsAre(StartsWith("test.yaml:2:22: malformed YAML: end of sequence flow not "
                                     "found at line 4, column 11: the '[' opened at line 2")));
  // A ']' in a comment closes nothing.
  EXPECT_THAT(ProblemsOf("universe:\n  quote_assets: [USDT  # ]\n  top_n: 5\n"),
              ElementsAre(StartsWith("test.yaml:2:17: malformed YAML: ")));
}

TEST(ConfigBadInput, MalformedYamlNamesAnUnclosedQuote) {
  // The quote swallowed the ']': it is the construct left open.
  EXPECT_THAT(ProblemsOf("streams:\n  intervals: [\"1m, 5m]\n"),
              ElementsAre("test.yaml:2:15: malformed YAML: end of sequence flow not found at line "
                          "3, column 1: the '\"' opened at line 2, column 15 is not closed"));
  EXPECT_THAT(ProblemsOf("logging:\n  level: \"info"),
              ElementsAre("test.yaml:2:10: malformed YAML: illegal EOF in scalar at line 2, "
                          "column 15: the '\"' opened at line 2, column 10 is not closed"));
  // Closed by the next value's opening quote, a line further on.
  EXPECT_THAT(ProblemsOf("logging:\n  level: 'info\n  file: 'x.log'\n"),
              ElementsAre("test.yaml:2:10: malformed YAML: end of map not found at line 3, "
                          "column 10: the ''' opened at line 2, column 10 is closed only at "
                          "line 3, column 9"));
}

TEST(ConfigBadInput, WrongTypeNamesKeyAndValue) {
  EXPECT_THAT(ProblemsOf("universe:\n  top_n: many\n"),
              ElementsAre("universe.top_n: expected an integer, got 'many'"));
  EXPECT_THAT(ProblemsOf("universe:\n  exclude_stable_pairs: maybe\n"),
              ElementsAre("universe.exclude_stable_pairs: expected true or false, got 'maybe'"));
  EXPECT_THAT(ProblemsOf("signals:\n  min_atr_move: [1, 2]\n"),
              ElementsAre("signals.min_atr_move: expected a number, got a list"));
  EXPECT_THAT(ProblemsOf("streams:\n  intervals: {a: 1}\n"),
              ElementsAre("streams.intervals: expected a list, got a map"));
  EXPECT_THAT(ProblemsOf("universe: 5\n"),
              ElementsAre("universe: expected a map of settings, got a single value"));
  EXPECT_THAT(ProblemsOf("signals:\n  cooldown: 30\n"),
              ElementsAre("signals.cooldown: expected a duration such as 90s, 5m, 1h or 7d, got "
                          "'30'"));
  EXPECT_THAT(ProblemsOf("universe:\n  top_n: 1.5\n"),
              ElementsAre("universe.top_n: expected an integer, got '1.5'"));
  EXPECT_THAT(ProblemsOf("universe:\n  top_n: 99999999999\n"),
              ElementsAre("universe.top_n: integer out of range: '99999999999'"));
  EXPECT_THAT(ProblemsOf("- a\n- b\n"),
              ElementsAre("(top level): expected a map of settings, got a list"));
}

TEST(ConfigBadInput, UnknownKeySuggestsTheClosestKnownOne) {
  EXPECT_THAT(ProblemsOf("universe:\n  top_m: 5\n"),
              ElementsAre("universe.top_m: unknown key (did you mean 'top_n'?)"));
  EXPECT_THAT(ProblemsOf("univers:\n  top_n: 5\n"),
              ElementsAre("univers: unknown key (did you mean 'universe'?)"));
  EXPECT_THAT(
      ProblemsOf("alerts:\n  discord:\n    webhook_url: x\n"),
      ElementsAre("alerts.discord.webhook_url: unknown key (did you mean 'webhook_urls'?)"));
  EXPECT_THAT(ProblemsOf("colour: blue\n"), ElementsAre("colour: unknown key"));
}

TEST(ConfigBadInput, UnknownIntervalListsTheValidOnes) {
  EXPECT_THAT(ProblemsOf("streams:\n  intervals: [1m, 7m]\n"),
              ElementsAre("streams.intervals[1]: unknown interval '7m' (Binance intervals: 1s, 1m, "
                          "3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M)"));
}

TEST(ConfigBadInput, NegativeOrZeroThresholds) {
  EXPECT_THAT(ProblemsOf("signals:\n  min_atr_move: 0\n"),
              ElementsAre("signals.min_atr_move: must be greater than 0, got 0"));
  EXPECT_THAT(ProblemsOf("signals:\n  min_volume_z: -1.5\n"),
              ElementsAre("signals.min_volume_z: must be greater than 0, got -1.5"));
  EXPECT_THAT(ProblemsOf("universe:\n  min_quote_volume_24h: -5\n"),
              ElementsAre("universe.min_quote_volume_24h: must be 0 (no minimum) or greater, got "
                          "-5"));
  EXPECT_THAT(ProblemsOf("signals:\n  min_return_z: -1\n"),
              ElementsAre("signals.min_return_z: must be 0 (off) or greater, got -1"));
  EXPECT_THAT(ProblemsOf("signals:\n  atr_period: 0\n"),
              ElementsAre("signals.atr_period: must be at least 1, got 0"));
}

TEST(ConfigBadInput, MinChangePercentNamesTheEntry) {
  EXPECT_THAT(ProblemsOf("signals:\n  min_change_percent: {1m: 1.0, 7m: 2}\n"),
              ElementsAre("signals.min_change_percent.7m: not an interval (Binance intervals: 1s, "
                          "1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M)"));
  EXPECT_THAT(ProblemsOf("signals:\n  min_change_percent: {5m: -0.5}\n"),
              ElementsAre("signals.min_change_percent.5m: must be 0 (off) or greater, got -0.5"));
  EXPECT_THAT(ProblemsOf("signals:\n  min_change_percent: {1h: .nan, 4h: inf, 1d: lots}\n"),
              ElementsAre("signals.min_change_percent.1h: expected a number, got '.nan'",
                          "signals.min_change_percent.4h: expected a number, got 'inf'",
                          "signals.min_change_percent.1d: expected a number, got 'lots'"));
  EXPECT_THAT(ProblemsOf("signals:\n  min_change_percent: {1m: [1]}\n"),
              ElementsAre("signals.min_change_percent.1m: expected a number, got a list"));
  EXPECT_THAT(ProblemsOf("signals:\n  min_change_percent: {1m: 1, 1m: 2}\n"),
              ElementsAre("signals.min_change_percent.1m: duplicate key (only one may be given)"));
}

TEST(ConfigBadInput, MinChangePercentMustBeAMap) {
  EXPECT_THAT(ProblemsOf("signals:\n  min_change_percent: [1m, 1.0]\n"),
              ElementsAre("signals.min_change_percent: expected a map from interval to number "
                          "such as {1m: 1.0, 5m: 1.7}, got a list"));
  EXPECT_THAT(ProblemsOf("signals:\n  min_change_percent: 1.5\n"),
              ElementsAre("signals.min_change_percent: expected a map from interval to number "
                          "such as {1m: 1.0, 5m: 1.7}, got a single value"));
}

TEST(ConfigBadInput, ChartSettingsAreNamedByTheirPath) {
  EXPECT_THAT(ProblemsOf("alerts:\n  discord:\n    chart:\n      enabled: maybe\n"
                         "      colour: dark\n"),
              ElementsAre("alerts.discord.chart.enabled: expected true or false, got 'maybe'",
                          "alerts.discord.chart.colour: unknown key"));
  EXPECT_THAT(ProblemsOf("alerts:\n  discord:\n    chart:\n      bars: 5\n"),
              ElementsAre("alerts.discord.chart.bars: must be between 10 and 300, got 5"));
  EXPECT_THAT(ProblemsOf("alerts:\n  discord:\n    chart: yes\n"),
              ElementsAre("alerts.discord.chart: expected a map of settings, got a single value"));
}

TEST(ConfigBadInput, OutcomeHorizons) {
  EXPECT_THAT(ProblemsOf("alerts:\n  outcome:\n    horizons: [1, 0]\n"),
              ElementsAre("alerts.outcome.horizons[1]: must be between 1 and 1000, got 0"));
  EXPECT_THAT(ProblemsOf("alerts:\n  outcome:\n    horizons: [1001]\n"),
              ElementsAre("alerts.outcome.horizons[0]: must be between 1 and 1000, got 1001"));
  EXPECT_THAT(ProblemsOf("alerts:\n  outcome:\n    horizons: []\n"),
              ElementsAre("alerts.outcome.horizons: must list at least one horizon"));
  EXPECT_THAT(ProblemsOf("alerts:\n  outcome:\n    horizons: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "
                         "11]\n"),
              ElementsAre("alerts.outcome.horizons: must list at most 10 horizons, got 11"));
  EXPECT_THAT(ProblemsOf("alerts:\n  outcome:\n    horizons: [5, 1, 5]\n"),
              ElementsAre("alerts.outcome.horizons: 5 is listed more than once"));
  EXPECT_THAT(ProblemsOf("alerts:\n  outcome:\n    horizons: [1, 2.5]\n"),
              ElementsAre("alerts.outcome.horizons[1]: expected an integer, got '2.5'"));
  EXPECT_THAT(ProblemsOf("alerts:\n  outcome:\n    horizon: [1]\n"),
              ElementsAre("alerts.outcome.horizon: unknown key (did you mean 'horizons'?)"));
  EXPECT_THAT(ProblemsOf("alerts:\n  discord:\n    edit_outcomes: sometimes\n"),
              ElementsAre("alerts.discord.edit_outcomes: expected true or false, got "
                          "'sometimes'"));
}

TEST(ConfigBadInput, NewKeysReportTheirProblemsTogether) {
  EXPECT_THAT(ProblemsOf(R"(
signals:
  min_change_percent: {7m: 1.0, 5m: -1, 1h: 2}
alerts:
  discord:
    edit_outcomes: maybe
  outcome:
    horizons: [0, 5, 1001]
)"),
              ElementsAre(StartsWith("signals.min_change_percent.7m: not an interval"),
                          "alerts.discord.edit_outcomes: expected true or false, got 'maybe'",
                          "signals.min_change_percent.5m: must be 0 (off) or greater, got -1",
                          "alerts.outcome.horizons[0]: must be between 1 and 1000, got 0",
                          "alerts.outcome.horizons[2]: must be between 1 and 1000, got 1001"));
}

TEST(ConfigGoodInput, MinChangePercentNamesOnlyTheIntervalsItOverrides) {
  const core::Interval k5m = *core::Interval::Parse("5m");
  const core::Interval k1h = *core::Interval::Parse("1h");
  // The other intervals keep the signals' own floor: config/ records only what the file says.
  EXPECT_TRUE(DefaultConfig(core::Market::kSpot).signals.min_change_percent.empty());
  EXPECT_TRUE(LoadOk("").signals.min_change_percent.empty());
  EXPECT_EQ(LoadOk("signals:\n  min_change_percent: {5m: 3}\n").signals.min_change_percent,
            (std::map<core::Interval, double>{{k5m, 3.0}}));
  // 0 turns the floor off; values may come from variables like any other.
  MapEnvironment env({{"FLOOR_5M", "2.25"}});
  EXPECT_EQ(LoadOk("signals:\n  min_change_percent:\n    1h: 0\n    5m: ${FLOOR_5M}\n", env)
                .signals.min_change_percent,
            (std::map<core::Interval, double>{{k5m, 2.25}, {k1h, 0.0}}));
  EXPECT_TRUE(LoadOk("signals:\n  min_change_percent: {}\n").signals.min_change_percent.empty());
}

TEST(ConfigGoodInput, OutcomeKeys) {
  Config defaults = LoadOk("");
  EXPECT_EQ(defaults.alerts.outcome.horizons, (std::vector<int>{1, 5, 20}));
  EXPECT_TRUE(defaults.alerts.discord.edit_outcomes);
  Config config = LoadOk(
      "alerts:\n  discord:\n    edit_outcomes: false\n  outcome:\n    horizons: [3, "
      "1000, 1]\n");
  EXPECT_FALSE(config.alerts.discord.edit_outcomes);
  EXPECT_EQ(config.alerts.outcome.horizons, (std::vector<int>{3, 1000, 1}));
  EXPECT_EQ(LoadOk("alerts:\n  outcome:\n    horizons: \"10, 50\"\n").alerts.outcome.horizons,
            (std::vector<int>{10, 50}));
}

TEST(ConfigGoodInput, MinQuoteVolumeZeroMeansNoMinimum) {
  EXPECT_EQ(LoadOk("universe:\n  min_quote_volume_24h: 0\n").universe.min_quote_volume_24h, 0);
  EXPECT_EQ(LoadOk("signals:\n  min_return_z: 0\n").signals.min_return_z, 0);
}

TEST(ConfigBadInput, TopNZero) {
  EXPECT_THAT(ProblemsOf("universe:\n  top_n: 0\n"),
              ElementsAre("universe.top_n: must be at least 1, got 0"));
}

TEST(ConfigBadInput, UnsetVariableWithoutDefault) {
  EXPECT_THAT(ProblemsOf("alerts:\n  discord:\n    webhook_urls: [\"${DISCORD_WEBHOOK_URL}\"]\n"),
              ElementsAre("alerts.discord.webhook_urls[0]: variable DISCORD_WEBHOOK_URL is not set "
                          "and has no default"));
}

TEST(ConfigBadInput, EveryProblemIsReportedTogether) {
  EXPECT_THAT(ProblemsOf(R"(
exchange:
  market: binance
universe:
  top_n: 0
  top_m: 3
streams:
  intervals: [1m, 7m]
signals:
  min_atr_move: -1
  direction: sideways
status:
  listen: localhost
logging:
  level: loud
)"),
              ElementsAre("exchange.market: expected one of spot, usdm, got 'binance'",
                          "universe.top_m: unknown key (did you mean 'top_n'?)",
                          StartsWith("streams.intervals[1]: unknown interval '7m'"),
                          "signals.direction: expected one of up, down, both, got 'sideways'",
                          "universe.top_n: must be at least 1, got 0",
                          "signals.min_atr_move: must be greater than 0, got -1",
                          "status.listen: expected host:port such as 127.0.0.1:9102, got "
                          "'localhost'",
                          "logging.level: expected one of trace, debug, info, warn, error, "
                          "critical, off, got 'loud'"));
}

// --- Other validation rules. ---

TEST(ConfigValidation, DuplicateKeysAreReported) {
  EXPECT_THAT(ProblemsOf("universe:\n  top_n: 5\n  top_n: 6\n"),
              ElementsAre("universe.top_n: duplicate key (only one may be given)"));
}

TEST(ConfigValidation, OneSecondIntervalOnSpotOnly) {
  EXPECT_EQ(LoadOk("streams:\n  intervals: [1s, 1m]\n").streams.intervals.front().Name(), "1s");
  EXPECT_THAT(ProblemsOf("exchange:\n  market: usdm\nstreams:\n  intervals: [1s, 1m]\n"),
              ElementsAre("streams.intervals: '1s' klines exist on spot only, not on usdm"));
}

TEST(ConfigValidation, IntervalListsMustBeConsistent) {
  EXPECT_THAT(ProblemsOf("streams:\n  intervals: [1m, 5m, 1m]\n"),
              ElementsAre("streams.intervals: '1m' is listed more than once"));
  EXPECT_THAT(ProblemsOf("streams:\n  intervals: []\n"),
              ElementsAre("streams.intervals: must list at least one interval"));
  EXPECT_THAT(ProblemsOf("signals:\n  confirm_intervals: [4h]\n"),
              ElementsAre("signals.confirm_intervals: '4h' is not in streams.intervals (1m, 5m, "
                          "15m, 1h)"));
  EXPECT_EQ(LoadOk("signals:\n  confirm_intervals: [15m, 1h]\n").signals.confirm_intervals.size(),
            2u);
}

TEST(ConfigValidation, StreamLimitsStayUnderBinances) {
  EXPECT_THAT(ProblemsOf("streams:\n  max_messages_per_second: 5\n"),
              ElementsAre("streams.max_messages_per_second: must be between 1 and 4 (Binance "
                          "drops spot connections at 5 per second), got 5"));
  EXPECT_EQ(LoadOk("exchange: {market: usdm}\nstreams: {max_messages_per_second: 9}\n")
                .streams.max_messages_per_second,
            9);
  EXPECT_THAT(ProblemsOf("streams:\n  max_streams_per_connection: 0\n"),
              ElementsAre("streams.max_streams_per_connection: must be between 1 and 1024, got 0"));
  EXPECT_THAT(ProblemsOf("streams:\n  stale_after: 2s\n"),
              ElementsAre(StartsWith("streams.stale_after: must be at least 10s")));
  EXPECT_THAT(ProblemsOf("streams:\n  max_connection_age: 25h\n"),
              ElementsAre(StartsWith("streams.max_connection_age: must be greater than 0 and at "
                                     "most 1d")));
}

TEST(ConfigValidation, EnumsAndAddresses) {
  EXPECT_THAT(ProblemsOf("logging:\n  format: xml\n"),
              ElementsAre("logging.format: expected one of text, json, got 'xml'"));
  EXPECT_THAT(ProblemsOf("status:\n  listen: \"127.0.0.1:99999\"\n"),
              ElementsAre(StartsWith("status.listen: expected host:port")));
  EXPECT_EQ(LoadOk("status:\n  listen: \"[::1]:0\"\n").status.listen, "[::1]:0");
  EXPECT_EQ(LoadOk("status:\n  listen: \"\"\n").status.listen, "");
  EXPECT_THAT(ProblemsOf("exchange:\n  rest_url: ftp://user:pw@host/x\n"),
              ElementsAre("exchange.rest_url: expected an https:// URL, got 'ftp://****@host/x'"));
  EXPECT_THAT(ProblemsOf("exchange:\n  ws_url: https://stream.binance.com\n"),
              ElementsAre(StartsWith("exchange.ws_url: expected a wss:// URL")));
  EXPECT_THAT(ProblemsOf("exchange:\n  vision_url: data.binance.vision\n"),
              ElementsAre(StartsWith("exchange.vision_url: expected an https:// URL")));
}

TEST(ConfigValidation, AlertRules) {
  EXPECT_THAT(ProblemsOf("alerts:\n  retention: 10m\n"),
              ElementsAre("alerts.retention: must be at least signals.cooldown (30m): the "
                          "cooldown looks back through stored alerts"));
  EXPECT_THAT(ProblemsOf("alerts:\n  database: \"\"\n"),
              ElementsAre("alerts.database: must name the SQLite database file"));
  EXPECT_THAT(ProblemsOf("alerts:\n  discord:\n    username: \"\"\n"),
              ElementsAre("alerts.discord.username: must be 1 to 80 characters long"));
}

TEST(ConfigValidation, WebhookProblemsNeverShowTheUrl) {
  auto problems = ProblemsOf(R"(
alerts:
  discord:
    webhook_urls: ["", "ftp://discord.com/api/webhooks/1/SECRET1"]
    routes:
      - {webhook_url: "discord.com/api/webhooks/2/SECRET2", intervals: [4h], min_severity: huge}
      - {intervals: [1m]}
)");
  EXPECT_THAT(problems,
              ElementsAre("alerts.discord.webhook_urls[1]: expected an https:// URL",
                          "alerts.discord.routes[0].min_severity: expected one of \"\", normal, "
                          "strong, got 'huge'",
                          "alerts.discord.routes[0].webhook_url: expected an https:// URL",
                          "alerts.discord.routes[0].intervals: '4h' is not in streams.intervals "
                          "(1m, 5m, 15m, 1h)",
                          "alerts.discord.routes[1].webhook_url: is required"));
  for (const std::string& line : problems) EXPECT_THAT(line, ::testing::Not(HasSubstr("SECRET")));
}

// --- Values, defaults and overrides. ---

TEST(ConfigValues, EmptyDocumentGivesTheSpotDefaults) {
  Config config = LoadOk("");
  EXPECT_EQ(config.exchange.market, core::Market::kSpot);
  EXPECT_EQ(config.exchange.rest_url, "https://api.binance.com");
  EXPECT_EQ(config.exchange.ws_url, "wss://stream.binance.com:9443");
  EXPECT_EQ(config.exchange.vision_url, "https://data.binance.vision");
  EXPECT_EQ(config.streams.max_streams_per_connection, 1024);
  EXPECT_EQ(config.streams.max_messages_per_second, 4);
  ASSERT_EQ(config.streams.intervals.size(), 4u);
  EXPECT_EQ(config.streams.intervals[3].Name(), "1h");
  EXPECT_EQ(config.universe.top_n, 150);
  EXPECT_TRUE(config.alerts.discord.webhook_urls.empty());
}

TEST(ConfigValues, MarketChoosesEndpointsAndLimits) {
  Config config = LoadOk("exchange:\n  market: usdm\n");
  EXPECT_EQ(config.exchange.rest_url, "https://fapi.binance.com");
  EXPECT_EQ(config.exchange.ws_url, "wss://fstream.binance.com/market");
  EXPECT_EQ(config.exchange.vision_url, "https://data.binance.vision");  // both markets
  EXPECT_EQ(config.streams.max_streams_per_connection, 200);
  EXPECT_EQ(config.streams.max_messages_per_second, 8);
  // An explicit value still wins over the market's default.
  Config custom = LoadOk("exchange:\n  market: usdm\n  rest_url: http://127.0.0.1:8080\n");
  EXPECT_EQ(custom.exchange.rest_url, "http://127.0.0.1:8080");
}

TEST(ConfigValues, ReadsEverySection) {
  Config config = LoadOk(R"(
universe:
  quote_assets: usdt, fdusd
  include: [btcusdt]
  refresh_interval: 2h
signals:
  direction: up
  cooldown: 90s
  strong_multiplier: 3
alerts:
  database: /var/lib/scanner.db
  discord:
    webhook_urls: https://discord.com/api/webhooks/1/a
    username: Scanner
    routes:
      - webhook_url: https://discord.com/api/webhooks/2/b
        intervals: [1h]
        min_severity: strong
logging:
  format: json
)");
  EXPECT_EQ(config.universe.quote_assets, (std::vector<std::string>{"USDT", "FDUSD"}));
  EXPECT_EQ(config.universe.include, std::vector<std::string>{"BTCUSDT"});
  EXPECT_EQ(config.universe.refresh_interval, 2 * core::kHour);
  EXPECT_EQ(config.signals.direction, DirectionFilter::kUp);
  EXPECT_EQ(config.signals.cooldown, 90 * core::kSecond);
  EXPECT_EQ(config.signals.strong_multiplier, 3.0);
  EXPECT_EQ(config.alerts.database, "/var/lib/scanner.db");
  EXPECT_EQ(config.alerts.discord.webhook_urls.size(), 1u);
  EXPECT_EQ(config.alerts.discord.username, "Scanner");
  ASSERT_EQ(config.alerts.discord.routes.size(), 1u);
  EXPECT_EQ(config.alerts.discord.routes[0].min_severity, MinSeverity::kStrong);
  EXPECT_EQ(config.alerts.discord.routes[0].intervals.front().Name(), "1h");
  EXPECT_EQ(config.logging.format, LogFormat::kJson);
}

TEST(ConfigValues, LogLevelVariableOverridesTheFile) {
  MapEnvironment env({{"LOG_LEVEL", "debug"}});
  EXPECT_EQ(LoadOk("logging:\n  level: error\n", env).logging.level, "debug");
  MapEnvironment bad({{"LOG_LEVEL", "chatty"}});
  EXPECT_THAT(ProblemsOf("logging:\n  level: error\n", bad),
              ElementsAre("logging.level: expected one of trace, debug, info, warn, error, "
                          "critical, off, got 'chatty' (from LOG_LEVEL)"));
}

// --- LoadConfig: files, `.env` and the choice of source. ---

class LoadConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("scanner_load_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "conf");
    std::filesystem::create_directories(dir_ / "work");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path Write(const std::string& relative, std::string_view text) {
    std::filesystem::path path = dir_ / relative;
    std::ofstream(path) << text;
    return path;
  }
  LoadOptions Options(const std::string& config, bool explicit_path) {
    LoadOptions options;
    options.config_path = dir_ / config;
    options.config_path_explicit = explicit_path;
    options.working_directory = dir_ / "work";
    return options;
  }

  std::filesystem::path dir_;
};

TEST_F(LoadConfigTest, EnvFileNextToTheConfigFeedsInterpolation) {
  Write("conf/scanner.yaml", "universe:\n  top_n: ${TOP:-1}\nstatus:\n  listen: ${LISTEN}\n");
  Write("conf/.env", "TOP=25\nLISTEN=0.0.0.0:1\n");
  MapEnvironment env({{"LISTEN", "127.0.0.1:7000"}});
  auto loaded = LoadConfig(Options("conf/scanner.yaml", true), env);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->source, ConfigSource::kFile);
  EXPECT_EQ(loaded->config.universe.top_n, 25);
  EXPECT_EQ(loaded->config.status.listen, "127.0.0.1:7000");  // the environment wins
  EXPECT_EQ(loaded->env_variables_set, std::vector<std::string>{"TOP"});
  EXPECT_EQ(loaded->env_file, dir_ / "conf/.env");
}

TEST_F(LoadConfigTest, EnvFileInTheWorkingDirectoryIsTheFallback) {
  Write("conf/scanner.yaml", "universe:\n  top_n: ${TOP}\n");
  Write("work/.env", "TOP=7\n");
  MapEnvironment env;
  auto loaded = LoadConfig(Options("conf/scanner.yaml", true), env);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->config.universe.top_n, 7);
  EXPECT_EQ(DefaultEnvFiles(dir_ / "conf/scanner.yaml", dir_ / "work"),
            (std::vector<std::filesystem::path>{dir_ / "conf/.env", dir_ / "work/.env"}));
}

TEST_F(LoadConfigTest, ExplicitEnvFileMustExist) {
  Write("conf/scanner.yaml", "");
  LoadOptions options = Options("conf/scanner.yaml", true);
  options.env_file = dir_ / "missing.env";
  MapEnvironment env;
  auto loaded = LoadConfig(options, env);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message,
            (dir_ / "missing.env").string() + ": cannot read: No such file or directory");
}

TEST_F(LoadConfigTest, MalformedEnvFileIsAConfigurationError) {
  Write("conf/scanner.yaml", "");
  Write("conf/.env", "not an assignment\n");
  MapEnvironment env;
  auto loaded = LoadConfig(Options("conf/scanner.yaml", true), env);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message, (dir_ / "conf/.env").string() + ":1: expected KEY=VALUE");
}

TEST_F(LoadConfigTest, MissingExplicitFileIsAnError) {
  MapEnvironment env;
  auto loaded = LoadConfig(Options("conf/absent.yaml", true), env);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message,
            (dir_ / "conf/absent.yaml").string() + ": cannot read: No such file or directory");
}

TEST_F(LoadConfigTest, UnreadableFileIsOneLine) {
  MapEnvironment env;
  // A directory opens but cannot be read; unlike chmod 000 this holds when tests run as root.
  auto loaded = LoadConfig(Options("conf", true), env);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message, (dir_ / "conf").string() + ": cannot read: Is a directory");
}

TEST_F(LoadConfigTest, AnOversizedFileIsRefusedBeforeParsing) {
  MapEnvironment env;
  Write("conf/huge.yaml", "# " + std::string(kMaxConfigFileBytes, 'x') + "\n");
  auto loaded = LoadConfig(Options("conf/huge.yaml", true), env);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message, (dir_ / "conf/huge.yaml").string() +
                                        ": larger than 1024 KiB, not a configuration file");
}

TEST_F(LoadConfigTest, MissingDefaultFileMeansLegacyEnvironmentStart) {
  MapEnvironment env(
      {{"TOP_N", "40"}, {"DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/1/t"}});
  auto loaded = LoadConfig(Options("conf/default.yaml", false), env);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->source, ConfigSource::kLegacyEnvironment);
  EXPECT_EQ(loaded->config.universe.top_n, 40);
  ASSERT_EQ(loaded->warnings.size(), 1u);
  EXPECT_THAT(loaded->warnings[0], HasSubstr("settings come from environment variables"));
}

TEST_F(LoadConfigTest, WarnsAboutMissingWebhookAndIgnoredLegacyVariables) {
  Write("conf/scanner.yaml", "status:\n  listen: ${STATUS_LISTEN:-127.0.0.1:1}\n");
  MapEnvironment env({{"TOP_N", "40"}, {"STATUS_LISTEN", "127.0.0.1:2"}, {"LOG_LEVEL", "warn"}});
  auto loaded = LoadConfig(Options("conf/scanner.yaml", true), env);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->config.universe.top_n, 150);
  EXPECT_THAT(loaded->warnings,
              ElementsAre(StartsWith("TOP_N is set but not used: "),
                          "alerts.discord.webhook_urls: no Discord webhook configured; alerts go "
                          "to the console only"));
}

}  // namespace
}  // namespace scanner::config
