// The wiring from the configuration file to the modules' options.

#include <gtest/gtest.h>

#include <map>

#include "app/discord_routes_from_config.h"
#include "app/market_feed_from_config.h"
#include "app/outcome_horizons_from_config.h"
#include "app/signal_settings_from_config.h"
#include "config/defaults.h"

namespace scanner::app {
namespace {

core::Interval Interval(std::string_view name) { return *core::Interval::Parse(name); }
std::string WebhookUrl(std::string_view id) {
  return "https://discord.com/api/webhooks/" + std::string(id) + "/token-" + std::string(id);
}

TEST(MarketFeedOptionsFromConfig, CarriesTheStreamsSectionAndTheMarketsRoute) {
  const config::Config config = config::DefaultConfig(core::Market::kUsdm);
  const feed::MarketFeedOptions options = MarketFeedOptionsFromConfig(config, 120, 100);
  EXPECT_EQ(options.pool.market, core::Market::kUsdm);
  EXPECT_EQ(options.pool.ws_url, "wss://fstream.binance.com/market");
  EXPECT_EQ(options.pool.intervals, config.streams.intervals);
  EXPECT_EQ(options.pool.max_streams_per_connection, 200u);
  EXPECT_EQ(options.pool.connection.link.max_messages_per_second, 8);
  EXPECT_EQ(options.pool.connection.link.stale_after, config.streams.stale_after);
  EXPECT_EQ(options.pool.connection.max_connection_age, config.streams.max_connection_age);
  // The session's idle backstop outlasts the futures ping interval (3 min).
  EXPECT_GT(options.pool.connection.link.ws.idle_timeout, 3 * core::kMinute);
  EXPECT_EQ(options.fill.warm_up_bars, 100u);
  EXPECT_EQ(options.window_capacity, 120u);
}

TEST(SignalSettingsFromConfig, FromConfigCopiesEveryField) {
  config::SignalsConfig config = config::DefaultConfig(core::Market::kSpot).signals;
  config.atr_period = 21;
  config.zscore_window = 30;
  config.momentum_lookback = 3;
  config.min_atr_move = 1.5;
  config.min_volume_z = 2.5;
  config.min_return_z = 4;
  config.direction = config::DirectionFilter::kDown;
  config.cooldown = 15 * core::kMinute;
  config.confirm_intervals = {*core::Interval::Parse("1h"), *core::Interval::Parse("4h")};
  config.strong_multiplier = 3;
  const signals::SignalSettings settings = SignalSettingsFromConfig(config, core::Market::kUsdm);
  EXPECT_EQ(settings.market, core::Market::kUsdm);
  EXPECT_EQ(settings.windows, (signals::IndicatorWindows{21, 30, 3}));
  EXPECT_EQ(settings.min_atr_move, 1.5);
  EXPECT_EQ(settings.min_volume_z, 2.5);
  EXPECT_EQ(settings.min_return_z, 4);
  EXPECT_EQ(settings.direction, signals::DirectionFilter::kDown);
  EXPECT_EQ(settings.cooldown, 15 * core::kMinute);
  EXPECT_EQ(settings.confirm_intervals, config.confirm_intervals);
  EXPECT_EQ(settings.strong_multiplier, 3);
  EXPECT_EQ(settings.filters, signals::FilterSwitches{});
  config.direction = config::DirectionFilter::kUp;
  EXPECT_EQ(SignalSettingsFromConfig(config, core::Market::kSpot).direction,
            signals::DirectionFilter::kUp);
  config.direction = config::DirectionFilter::kBoth;
  EXPECT_EQ(SignalSettingsFromConfig(config, core::Market::kSpot).direction,
            signals::DirectionFilter::kBoth);
}

TEST(SignalSettingsFromConfig, ConfigDefaultsMatchSettingsDefaults) {
  const signals::SignalSettings settings = SignalSettingsFromConfig(
      config::DefaultConfig(core::Market::kSpot).signals, core::Market::kSpot);
  EXPECT_EQ(settings, signals::SignalSettings{});
}

// The file's floors override their own intervals only; the others keep the signals' defaults.
TEST(SignalSettingsFromConfig, MinChangePercentOverridesOnlyTheIntervalsGiven) {
  config::SignalsConfig config = config::DefaultConfig(core::Market::kSpot).signals;
  const signals::SignalSettings defaults = SignalSettingsFromConfig(config, core::Market::kSpot);
  for (core::Interval interval : core::Interval::All()) {
    EXPECT_EQ(defaults.MinChangePercent(interval), signals::DefaultMinChangePercent(interval))
        << interval.Name();
  }
  EXPECT_EQ(defaults.MinChangePercent(Interval("1m")), 1.0);
  EXPECT_EQ(defaults.MinChangePercent(Interval("5m")), 1.7);
  EXPECT_EQ(defaults.MinChangePercent(Interval("15m")), 2.5);
  EXPECT_EQ(defaults.MinChangePercent(Interval("1h")), 3.9);

  config.min_change_percent = {{Interval("5m"), 3.0}, {Interval("1d"), 0.0}};
  const signals::SignalSettings settings = SignalSettingsFromConfig(config, core::Market::kSpot);
  for (core::Interval interval : core::Interval::All()) {
    const double expected = interval == Interval("5m") ? 3.0
                            : interval == Interval("1d")
                                ? 0.0
                                : signals::DefaultMinChangePercent(interval);
    EXPECT_EQ(settings.MinChangePercent(interval), expected) << interval.Name();
  }
}

// check-config shows the floor of every streamed interval, and any other the file names.
TEST(WithEffectiveMinChangePercent, NamesTheFloorOfEveryStreamedInterval) {
  config::Config config = config::DefaultConfig(core::Market::kSpot);
  EXPECT_EQ(WithEffectiveMinChangePercent(config).signals.min_change_percent,
            (std::map<core::Interval, double>{{Interval("1m"), 1.0},
                                              {Interval("5m"), 1.7},
                                              {Interval("15m"), 2.5},
                                              {Interval("1h"), 3.9}}));
  config.streams.intervals = {Interval("5m"), Interval("4h")};
  config.signals.min_change_percent = {{Interval("5m"), 0.0}, {Interval("1d"), 9.0}};
  const config::Config shown = WithEffectiveMinChangePercent(config);
  EXPECT_EQ(shown.signals.min_change_percent,
            (std::map<core::Interval, double>{
                {Interval("5m"), 0.0}, {Interval("4h"), 6.2}, {Interval("1d"), 9.0}}));
  // The same floors as the configuration it shows.
  EXPECT_EQ(SignalSettingsFromConfig(shown.signals, core::Market::kSpot),
            SignalSettingsFromConfig(config.signals, core::Market::kSpot));
}

TEST(DispatcherOptionsFromConfig, MapsWebhooksRoutesAndIdentity) {
  config::DiscordConfig discord = config::DefaultConfig(core::Market::kSpot).alerts.discord;
  discord.webhook_urls = {WebhookUrl("1"), ""};
  discord.routes = {{WebhookUrl("2"), {Interval("1h")}, config::MinSeverity::kStrong},
                    {WebhookUrl("3"), {}, config::MinSeverity::kAny}};
  discord.username = "Scanner";
  discord.avatar_url = "https://example.com/a.png";
  discord.ca_file = "/tmp/ca.pem";
  discord.request_timeout = 3 * core::kSecond;
  discord.edit_outcomes = false;
  alerts::AlertDispatcherOptions options = DispatcherOptionsFromConfig(discord);
  ASSERT_EQ(options.routes.size(), 3u);  // the empty URL is dropped
  EXPECT_EQ(options.routes[0].webhook_url, WebhookUrl("1"));
  EXPECT_TRUE(options.routes[0].intervals.empty());
  EXPECT_EQ(options.routes[1].intervals, std::vector<core::Interval>{Interval("1h")});
  EXPECT_EQ(options.routes[1].min_severity, core::Severity::kStrong);
  EXPECT_FALSE(options.routes[2].min_severity.has_value());
  EXPECT_EQ(options.identity.username, "Scanner");
  EXPECT_EQ(options.identity.avatar_url, "https://example.com/a.png");
  EXPECT_EQ(options.ca_file, "/tmp/ca.pem");
  EXPECT_EQ(options.request_timeout, 3 * core::kSecond);
  EXPECT_FALSE(options.edit_outcomes);
  EXPECT_TRUE(DispatcherOptionsFromConfig(config::DefaultConfig(core::Market::kSpot).alerts.discord)
                  .edit_outcomes);
}

TEST(OutcomeHorizonsFromConfig, TheConfiguredHorizonsDefaultingToOneFiveAndTwenty) {
  config::Config config = config::DefaultConfig(core::Market::kSpot);
  EXPECT_EQ(OutcomeHorizonsFromConfig(config), (std::vector<int>{1, 5, 20}));
  config.alerts.outcome.horizons = {3, 12};
  EXPECT_EQ(OutcomeHorizonsFromConfig(config), (std::vector<int>{3, 12}));
}

}  // namespace
}  // namespace scanner::app
