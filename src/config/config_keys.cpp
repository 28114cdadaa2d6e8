#include "config/config_keys.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "config/defaults.h"

namespace scanner::config {
namespace {

// A field of Config (or of a DiscordRoute, with ROUTE_FIELD), by its member path.
#define CONFIG_FIELD(member) (+[](Config & c) -> auto& { return c.member; })
#define ROUTE_FIELD(member) (+[](DiscordRoute & r) -> auto& { return r.member; })

constexpr std::string_view kDirections[] = {"up", "down", "both"};
constexpr std::string_view kLogFormats[] = {"text", "json"};
constexpr std::string_view kSeverities[] = {"", "normal", "strong"};

std::vector<core::Interval> Intervals(std::initializer_list<std::string_view> names) {
  std::vector<core::Interval> out;
  for (std::string_view name : names) out.push_back(*core::Interval::Parse(name));
  return out;
}

// Bounds with a generic message.
Bounds AtLeast(double min) { return Bounds{.min = min}; }
Bounds Positive() {
  return Bounds{.min = 0, .min_exclusive = true, .message = "must be greater than 0, got {value}"};
}
Bounds PositiveDuration() {
  return Bounds{.min = 0, .min_exclusive = true, .message = "must be a duration greater than 0"};
}

const std::vector<ConfigKey>& Table() {
  static const std::vector<ConfigKey> keys = [] {
    constexpr Reload kLive = Reload::kLive;
    std::vector<ConfigKey> k;
    // ---- exchange (exchange.market is read apart, first) ----
    k.push_back({.path = "exchange.rest_url",
                 .field = CONFIG_FIELD(exchange.rest_url),
                 .spot_default = std::string(kSpotRestUrl),
                 .usdm_default = std::string(kUsdmRestUrl),
                 .shown = Display::kRedactedUrl});
    k.push_back({.path = "exchange.ws_url",
                 .field = CONFIG_FIELD(exchange.ws_url),
                 .spot_default = std::string(kSpotWsUrl),
                 .usdm_default = std::string(kUsdmWsUrl),
                 .shown = Display::kRedactedUrl});
    // Read by `download` only: a running scanner has nothing to restart for it.
    k.push_back({.path = "exchange.vision_url",
                 .field = CONFIG_FIELD(exchange.vision_url),
                 .spot_default = std::string(kVisionUrl),
                 .reload = kLive,
                 .shown = Display::kRedactedUrl});
    k.push_back({.path = "exchange.ca_file",
                 .field = CONFIG_FIELD(exchange.ca_file),
                 .spot_default = std::string()});
    k.push_back({.path = "exchange.weight_budget_fraction",
                 .field = CONFIG_FIELD(exchange.weight_budget_fraction),
                 .spot_default = 0.8,
                 .bounds = Bounds{.min = 0,
                                  .max = 1,
                                  .min_exclusive = true,
                                  .message = "must be greater than 0 and at most 1, got {value}"}});
    k.push_back({.path = "exchange.request_timeout",
                 .field = CONFIG_FIELD(exchange.request_timeout),
                 .spot_default = 10 * core::kSecond,
                 .bounds = PositiveDuration()});
    // ---- universe ----
    k.push_back({.path = "universe.quote_assets",
                 .field = CONFIG_FIELD(universe.quote_assets),
                 .spot_default = std::vector<std::string>{"USDT"}});
    // 0 is "no minimum", as min_return_z's 0 is "off".
    k.push_back(
        {.path = "universe.min_quote_volume_24h",
         .field = CONFIG_FIELD(universe.min_quote_volume_24h),
         .spot_default = 5'000'000.0,
         .bounds = Bounds{.min = 0, .message = "must be 0 (no minimum) or greater, got {value}"}});
    k.push_back({.path = "universe.top_n",
                 .field = CONFIG_FIELD(universe.top_n),
                 .spot_default = 150,
                 .bounds = AtLeast(1)});
    k.push_back({.path = "universe.include",
                 .field = CONFIG_FIELD(universe.include),
                 .spot_default = std::vector<std::string>{}});
    k.push_back({.path = "universe.exclude",
                 .field = CONFIG_FIELD(universe.exclude),
                 .spot_default = std::vector<std::string>{}});
    k.push_back({.path = "universe.exclude_leveraged_tokens",
                 .field = CONFIG_FIELD(universe.exclude_leveraged_tokens),
                 .spot_default = true});
    k.push_back({.path = "universe.exclude_stable_pairs",
                 .field = CONFIG_FIELD(universe.exclude_stable_pairs),
                 .spot_default = true});
    k.push_back({.path = "universe.refresh_interval",
                 .field = CONFIG_FIELD(universe.refresh_interval),
                 .spot_default = core::kHour,
                 .bounds = Bounds{.min = core::kMinute,
                                  .message = "must be at least 1m (every refresh spends REST "
                                             "request weight)"}});
    // ---- streams ----
    k.push_back({.path = "streams.intervals",
                 .field = CONFIG_FIELD(streams.intervals),
                 .spot_default = Intervals({"1m", "5m", "15m", "1h"})});
    k.push_back({.path = "streams.max_streams_per_connection",
                 .field = CONFIG_FIELD(streams.max_streams_per_connection),
                 .spot_default = kSpotMaxStreamsPerConnection,
                 .usdm_default = kUsdmMaxStreamsPerConnection,
                 .bounds = Bounds{.min = 1, .max = kMaxStreamsPerConnection}});
    k.push_back({.path = "streams.stale_after",
                 .field = CONFIG_FIELD(streams.stale_after),
                 .spot_default = 90 * core::kSecond,
                 .bounds = Bounds{.min = 10 * core::kSecond,
                                  .message = "must be at least 10s (klines arrive every 2s; "
                                             "shorter would drop healthy connections)"}});
    k.push_back({.path = "streams.max_connection_age",
                 .field = CONFIG_FIELD(streams.max_connection_age),
                 .spot_default = 23 * core::kHour,
                 .bounds = Bounds{.min = 0,
                                  .max = core::kDay,
                                  .min_exclusive = true,
                                  .message = "must be greater than 0 and at most 1d (Binance "
                                             "closes connections at 24h)"}});
    // Its upper bound depends on the market: checked by the validator.
    k.push_back({.path = "streams.max_messages_per_second",
                 .field = CONFIG_FIELD(streams.max_messages_per_second),
                 .spot_default = kSpotDefaultMessagesPerSecond,
                 .usdm_default = kUsdmDefaultMessagesPerSecond});
    // ---- signals: every key applies on reload ----
    k.push_back({.path = "signals.atr_period",
                 .field = CONFIG_FIELD(signals.atr_period),
                 .spot_default = 14,
                 .reload = kLive,
                 .bounds = AtLeast(1)});
    k.push_back({.path = "signals.zscore_window",
                 .field = CONFIG_FIELD(signals.zscore_window),
                 .spot_default = 50,
                 .reload = kLive,
                 .bounds = AtLeast(2)});
    k.push_back({.path = "signals.momentum_lookback",
                 .field = CONFIG_FIELD(signals.momentum_lookback),
                 .spot_default = 1,
                 .reload = kLive,
                 .bounds = AtLeast(1)});
    k.push_back({.path = "signals.min_atr_move",
                 .field = CONFIG_FIELD(signals.min_atr_move),
                 .spot_default = 2.5,
                 .reload = kLive,
                 .bounds = Positive()});
    k.push_back({.path = "signals.min_volume_z",
                 .field = CONFIG_FIELD(signals.min_volume_z),
                 .spot_default = 3.0,
                 .reload = kLive,
                 .bounds = Positive()});
    k.push_back({.path = "signals.min_return_z",
                 .field = CONFIG_FIELD(signals.min_return_z),
                 .spot_default = 0.0,
                 .reload = kLive,
                 .bounds = Bounds{.min = 0, .message = "must be 0 (off) or greater, got {value}"}});
    // Only the intervals the file names: the others keep the signals' own floor
    // (signals::DefaultMinChangePercent), which config/ cannot see; app/ shows them.
    k.push_back({.path = "signals.min_change_percent",
                 .field = CONFIG_FIELD(signals.min_change_percent),
                 .spot_default = IntervalNumbers{},
                 .reload = kLive,
                 .bounds = Bounds{.min = 0, .message = "must be 0 (off) or greater, got {value}"}});
    k.push_back({.path = "signals.direction",
                 .field = ChoiceField<Config>{
                     kDirections,
                     [](const Config& c) { return static_cast<std::size_t>(c.signals.direction); },
                     [](Config& c, std::size_t i) {
                       c.signals.direction = static_cast<DirectionFilter>(i);
                     }},
                 .spot_default = static_cast<std::size_t>(DirectionFilter::kBoth),
                 .reload = kLive});
    k.push_back({.path = "signals.cooldown",
                 .field = CONFIG_FIELD(signals.cooldown),
                 .spot_default = 30 * core::kMinute,
                 .reload = kLive});
    k.push_back({.path = "signals.confirm_intervals",
                 .field = CONFIG_FIELD(signals.confirm_intervals),
                 .spot_default = std::vector<core::Interval>{},
                 .reload = kLive});
    k.push_back({.path = "signals.strong_multiplier",
                 .field = CONFIG_FIELD(signals.strong_multiplier),
                 .spot_default = 2.0,
                 .reload = kLive,
                 .bounds = AtLeast(1)});
    k.push_back({.path = "signals.catch_up",
                 .field = CONFIG_FIELD(signals.catch_up),
                 .spot_default = 10 * core::kMinute,
                 .reload = kLive,
                 .bounds = Bounds{.min = 0,
                                  .max = core::kDay,
                                  .message = "must be between 0s (never alert on warm-up bars) "
                                             "and 1d"}});
    // ---- alerts ----
    k.push_back({.path = "alerts.database",
                 .field = CONFIG_FIELD(alerts.database),
                 .spot_default = std::string("data/scanner.db")});
    k.push_back({.path = "alerts.retention",
                 .field = CONFIG_FIELD(alerts.retention),
                 .spot_default = 7 * core::kDay,
                 .reload = kLive,
                 .bounds = PositiveDuration()});
    // ---- alerts.discord: every key applies on reload (a new dispatcher takes over) ----
    k.push_back({.path = "alerts.discord.webhook_urls",
                 .field = CONFIG_FIELD(alerts.discord.webhook_urls),
                 .spot_default = std::vector<std::string>{},
                 .reload = kLive,
                 .secret = true,
                 .shown = Display::kRedactedUrl});
    k.push_back({.path = "alerts.discord.username",
                 .field = CONFIG_FIELD(alerts.discord.username),
                 .spot_default = std::string("Momentum Scanner"),
                 .reload = kLive});
    k.push_back({.path = "alerts.discord.avatar_url",
                 .field = CONFIG_FIELD(alerts.discord.avatar_url),
                 .spot_default = std::string(),
                 .reload = kLive,
                 .shown = Display::kRedactedUrl});
    k.push_back({.path = "alerts.discord.ca_file",
                 .field = CONFIG_FIELD(alerts.discord.ca_file),
                 .spot_default = std::string(),
                 .reload = kLive});
    k.push_back({.path = "alerts.discord.request_timeout",
                 .field = CONFIG_FIELD(alerts.discord.request_timeout),
                 .spot_default = 10 * core::kSecond,
                 .reload = kLive,
                 .bounds = PositiveDuration()});
    k.push_back({.path = "alerts.discord.give_up_after",
                 .field = CONFIG_FIELD(alerts.discord.give_up_after),
                 .spot_default = core::kDay,
                 .reload = kLive,
                 .bounds = Bounds{.min = 10 * core::kMinute,
                                  .max = 30 * core::kDay,
                                  .message = "must be between 10m and 30d, got {value}"}});
    k.push_back({.path = "alerts.discord.edit_outcomes",
                 .field = CONFIG_FIELD(alerts.discord.edit_outcomes),
                 .spot_default = true,
                 .reload = kLive});
    k.push_back({.path = "alerts.discord.chart.enabled",
                 .field = CONFIG_FIELD(alerts.discord.chart.enabled),
                 .spot_default = true,
                 .reload = kLive});
    // The windows keep at least this many bars (their capacity is set at start).
    k.push_back({.path = "alerts.discord.chart.bars",
                 .field = CONFIG_FIELD(alerts.discord.chart.bars),
                 .spot_default = 60,
                 .bounds = Bounds{.min = kMinChartBars, .max = kMaxChartBars}});
    // ---- alerts.outcome: read at start (the tracker is built once) ----
    k.push_back({.path = "alerts.outcome.horizons",
                 .field = CONFIG_FIELD(alerts.outcome.horizons),
                 .spot_default = std::vector<int>{1, 5, 20},
                 .bounds = Bounds{.min = 1, .max = kMaxOutcomeHorizon}});
    // ---- status, logging ----
    k.push_back({.path = "status.listen",
                 .field = CONFIG_FIELD(status.listen),
                 .spot_default = std::string("127.0.0.1:9102")});
    k.push_back({.path = "logging.level",
                 .field = CONFIG_FIELD(logging.level),
                 .spot_default = std::string("info")});
    k.push_back(
        {.path = "logging.format",
         .field = ChoiceField<Config>{
             kLogFormats,
             [](const Config& c) { return static_cast<std::size_t>(c.logging.format); },
             [](Config& c, std::size_t i) { c.logging.format = static_cast<LogFormat>(i); }},
         .spot_default = static_cast<std::size_t>(LogFormat::kText)});
    return k;
  }();
  return keys;
}

const std::vector<RouteKey>& RouteTable() {
  static const std::vector<RouteKey> keys = [] {
    std::vector<RouteKey> k;
    k.push_back({.path = "webhook_url",
                 .field = ROUTE_FIELD(webhook_url),
                 .spot_default = std::string(),
                 .reload = Reload::kLive,
                 .secret = true,
                 .shown = Display::kRedactedUrl});
    k.push_back({.path = "intervals",
                 .field = ROUTE_FIELD(intervals),
                 .spot_default = std::vector<core::Interval>{},
                 .reload = Reload::kLive});
    k.push_back(
        {.path = "min_severity",
         .field = ChoiceField<DiscordRoute>{
             kSeverities,
             [](const DiscordRoute& r) { return static_cast<std::size_t>(r.min_severity); },
             [](DiscordRoute& r, std::size_t i) { r.min_severity = static_cast<MinSeverity>(i); }},
         .spot_default = static_cast<std::size_t>(MinSeverity::kAny),
         .reload = Reload::kLive});
    return k;
  }();
  return keys;
}

#undef CONFIG_FIELD
#undef ROUTE_FIELD

constexpr std::string_view kSections[] = {
    "exchange",       "universe",      "streams", "signals", "alerts", "alerts.discord",
    "alerts.discord.chart", "alerts.outcome", "status",  "logging"};

constexpr std::string_view kRoutesPath = "alerts.discord.routes";

}  // namespace

template <class S>
std::string_view KeyDescription<S>::Section() const {
  const std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : path.substr(0, dot);
}

template <class S>
std::string_view KeyDescription<S>::Name() const {
  const std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

template struct KeyDescription<Config>;
template struct KeyDescription<DiscordRoute>;

std::span<const ConfigKey> ConfigKeys() { return Table(); }
std::span<const RouteKey> RouteKeys() { return RouteTable(); }
std::span<const std::string_view> ConfigSections() { return kSections; }

void ApplyDefaults(Config& config, core::Market market) {
  config.exchange.market = market;
  for (const ConfigKey& key : ConfigKeys()) {
    const Value& value =
        market == core::Market::kUsdm && key.usdm_default ? *key.usdm_default : key.spot_default;
    std::visit(
        [&](const auto& field) {
          using F = std::decay_t<decltype(field)>;
          if constexpr (std::is_same_v<F, ChoiceField<Config>>) {
            field.set(config, std::get<std::size_t>(value));
          } else {
            using T = std::remove_reference_t<decltype(field(config))>;
            field(config) = std::get<T>(value);
          }
        },
        key.field);
  }
  config.alerts.discord.routes.clear();
}

template <class S>
bool SameValue(const KeyDescription<S>& key, const S& a, const S& b) {
  // The accessors take a non-const struct only to serve reading and writing alike.
  S& left = const_cast<S&>(a);
  S& right = const_cast<S&>(b);
  return std::visit(
      [&](const auto& field) {
        using F = std::decay_t<decltype(field)>;
        if constexpr (std::is_same_v<F, ChoiceField<S>>) {
          return field.get(a) == field.get(b);
        } else {
          return field(left) == field(right);
        }
      },
      key.field);
}

template bool SameValue(const ConfigKey&, const Config&, const Config&);
template bool SameValue(const RouteKey&, const DiscordRoute&, const DiscordRoute&);

template <class S>
std::vector<BoundedValue> BoundedValues(const KeyDescription<S>& key, const S& s) {
  S& value = const_cast<S&>(s);
  std::vector<BoundedValue> values;
  std::visit(
      [&](const auto& field) {
        using F = std::decay_t<decltype(field)>;
        if constexpr (!std::is_same_v<F, ChoiceField<S>>) {
          const auto& v = field(value);
          using T = std::remove_cvref_t<decltype(v)>;
          if constexpr (std::is_same_v<T, int> || std::is_same_v<T, double> ||
                        std::is_same_v<T, core::Millis>) {
            values.push_back({std::string(key.path), static_cast<double>(v)});
          } else if constexpr (std::is_same_v<T, std::vector<int>>) {
            for (std::size_t i = 0; i < v.size(); ++i) {
              values.push_back({fmt::format("{}[{}]", key.path, i), static_cast<double>(v[i])});
            }
          } else if constexpr (std::is_same_v<T, IntervalNumbers>) {
            for (const auto& [interval, number] : v) {
              values.push_back({fmt::format("{}.{}", key.path, interval.Name()), number});
            }
          }
        }
      },
      key.field);
  return values;
}

template std::vector<BoundedValue> BoundedValues(const ConfigKey&, const Config&);
template std::vector<BoundedValue> BoundedValues(const RouteKey&, const DiscordRoute&);

std::vector<std::string_view> ChangedKeys(const Config& a, const Config& b) {
  std::vector<std::string_view> changed;
  if (a.exchange.market != b.exchange.market) changed.push_back("exchange.market");
  for (const ConfigKey& key : ConfigKeys()) {
    if (!SameValue(key, a, b)) changed.push_back(key.path);
    if (key.path == "alerts.discord.webhook_urls" &&
        a.alerts.discord.routes != b.alerts.discord.routes) {
      changed.push_back(kRoutesPath);
    }
  }
  return changed;
}

Reload ReloadOf(std::string_view path) {
  if (path == kRoutesPath) return Reload::kLive;
  for (const ConfigKey& key : ConfigKeys()) {
    if (key.path == path) return key.reload;
  }
  return Reload::kRestart;  // exchange.market
}

}  // namespace scanner::config
