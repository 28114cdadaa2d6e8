#pragma once
// The scanner's typed, immutable configuration: the whole product's schema. Built by LoadConfig
// (config_loader.h) on top of DefaultConfig (defaults.h); read by every module through the
// section it needs. Each key's default, bounds, secrecy and reload rule are described once, in
// config_keys.h: the fields here carry no default of their own (use DefaultConfig).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/interval.h"
#include "core/market.h"
#include "core/time.h"

namespace scanner::config {

struct ExchangeConfig {
  core::Market market{};
  std::string rest_url;
  std::string ws_url;
  std::string vision_url;           // Binance's public kline dumps, for `download`
  std::string ca_file;              // extra trusted CA (PEM) for tests; empty = system roots only
  double weight_budget_fraction{};  // share of the per-minute REST weight we allow ourselves
  core::Millis request_timeout{};

  friend bool operator==(const ExchangeConfig&, const ExchangeConfig&) = default;
};

struct UniverseConfig {
  std::vector<std::string> quote_assets{};
  double min_quote_volume_24h{};
  int top_n{};
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  bool exclude_leveraged_tokens{};
  bool exclude_stable_pairs{};
  core::Millis refresh_interval{};

  friend bool operator==(const UniverseConfig&, const UniverseConfig&) = default;
};

struct StreamsConfig {
  std::vector<core::Interval> intervals;
  int max_streams_per_connection{};
  core::Millis stale_after{};
  core::Millis max_connection_age{};  // rotate before Binance's 24 h cut
  int max_messages_per_second{};      // outgoing, pongs included

  friend bool operator==(const StreamsConfig&, const StreamsConfig&) = default;
};

enum class DirectionFilter { kUp, kDown, kBoth };

struct SignalsConfig {
  int atr_period{};
  int zscore_window{};
  int momentum_lookback{};
  double min_atr_move{};
  double min_volume_z{};
  double min_return_z{};  // 0 disables the filter
  // |change_percent| floors, in percent, of the intervals the file names; every other interval
  // keeps the signals' built-in floor (signals::DefaultMinChangePercent, which config/ cannot
  // see). 0 turns the floor off for its interval.
  std::map<core::Interval, double> min_change_percent;
  DirectionFilter direction{};
  core::Millis cooldown{};
  std::vector<core::Interval> confirm_intervals;
  double strong_multiplier{};  // |move| >= strong_multiplier * min_atr_move -> severity "strong"
  // Warm-up bars (at start, after a restart, for a symbol added by a refresh) that closed at most
  // this long ago may still alert (flagged late); older ones only prime the indicators.
  core::Millis catch_up{};

  friend bool operator==(const SignalsConfig&, const SignalsConfig&) = default;
};

// The lowest severity a route takes; "" in the file (kAny) takes every alert.
enum class MinSeverity { kAny, kNormal, kStrong };

// Sends alerts matching `intervals`/`min_severity` (empty = all) to `webhook_url`.
struct DiscordRoute {
  std::string webhook_url;  // secret
  std::vector<core::Interval> intervals;
  MinSeverity min_severity{};

  friend bool operator==(const DiscordRoute&, const DiscordRoute&) = default;
};

struct DiscordConfig {
  std::vector<std::string> webhook_urls;  // secrets; empty entries are dropped at load
  std::string username{};
  std::string avatar_url;
  std::vector<DiscordRoute> routes;
  std::string ca_file;  // extra trusted CA (PEM) for tests
  core::Millis request_timeout{};
  // A pending delivery is retried until its alert is this old, then given up.
  core::Millis give_up_after{};
  // When an alert's outcome is complete, its Discord message is edited to add the outcome line.
  bool edit_outcomes{};
  // A candlestick chart of the alert's series attached to its embed (and, for a replay, the
  // number of bars of `replay --charts`).
  struct Chart {
    bool enabled{};
    int bars{};  // the last bars of the alert's interval, its own bar last

    friend bool operator==(const Chart&, const Chart&) = default;
  } chart;

  friend bool operator==(const DiscordConfig&, const DiscordConfig&) = default;
};

// What is measured after each alert (signals::OutcomeTracker).
struct OutcomeConfig {
  std::vector<int> horizons;  // bars after the alert's bar; 1..1000 each, no repeats

  friend bool operator==(const OutcomeConfig&, const OutcomeConfig&) = default;
};

struct AlertsConfig {
  std::string database{};
  core::Millis retention{};
  DiscordConfig discord;
  OutcomeConfig outcome;

  friend bool operator==(const AlertsConfig&, const AlertsConfig&) = default;
};

struct StatusConfig {
  std::string listen{};  // host:port; empty disables the endpoint

  friend bool operator==(const StatusConfig&, const StatusConfig&) = default;
};

enum class LogFormat { kText, kJson };

struct LoggingConfig {
  std::string level{};  // trace, debug, info, warn, error, critical, off
  LogFormat format{};

  friend bool operator==(const LoggingConfig&, const LoggingConfig&) = default;
};

struct Config {
  ExchangeConfig exchange;
  UniverseConfig universe;
  StreamsConfig streams;
  SignalsConfig signals;
  AlertsConfig alerts;
  StatusConfig status;
  LoggingConfig logging;

  friend bool operator==(const Config&, const Config&) = default;
};

}  // namespace scanner::config
