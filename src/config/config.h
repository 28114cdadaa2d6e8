#pragma once
// The scanner's typed, immutable configuration: the whole product's schema, with defaults for
// everything except secrets. Built only by LoadConfig (config_loader.h); read by every module
// through the section it needs.

#include <optional>
#include <string>
#include <vector>

#include "core/interval.h"
#include "core/market.h"
#include "core/time.h"

namespace scanner::config {

struct ExchangeConfig {
  core::Market market = core::Market::kSpot;
  std::string rest_url;  // default by market: https://api.binance.com | https://fapi.binance.com
  std::string ws_url;    // default by market: wss://stream.binance.com:9443 | wss://fstream.binance.com/market
  std::string ca_file;   // extra trusted CA (PEM) for tests; empty = system roots only
  double weight_budget_fraction = 0.8;    // share of the per-minute REST weight we allow ourselves
  core::Millis request_timeout = 10 * core::kSecond;
};

struct UniverseConfig {
  std::vector<std::string> quote_assets{"USDT"};
  double min_quote_volume_24h = 5'000'000;
  int top_n = 150;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  bool exclude_leveraged_tokens = true;
  bool exclude_stable_pairs = true;
  core::Millis refresh_interval = core::kHour;
};

struct StreamsConfig {
  std::vector<core::Interval> intervals;  // default 1m, 5m, 15m, 1h
  int max_streams_per_connection = 0;     // default by market: 1024 spot, 200 usdm
  core::Millis stale_after = 90 * core::kSecond;
  core::Millis max_connection_age = 23 * core::kHour;  // rotate before Binance's 24 h cut
  int max_messages_per_second = 0;  // outgoing incl. pongs; default by market: 4 spot, 8 usdm
};

enum class DirectionFilter { kUp, kDown, kBoth };

struct SignalsConfig {
  int atr_period = 14;
  int zscore_window = 50;
  int momentum_lookback = 1;
  double min_atr_move = 2.5;
  double min_volume_z = 3.0;
  double min_return_z = 0.0;  // 0 disables the filter
  DirectionFilter direction = DirectionFilter::kBoth;
  core::Millis cooldown = 30 * core::kMinute;
  std::vector<core::Interval> confirm_intervals;
  double strong_multiplier = 2.0;  // |move| >= strong_multiplier * min_atr_move -> severity "strong"
  // Warm-up bars (at start, after a restart, for a symbol added by a refresh) that closed at most
  // this long ago may still alert (flagged late); older ones only prime the indicators.
  core::Millis catch_up = 10 * core::kMinute;
};

// Sends alerts matching `intervals`/`min_severity` (empty = all) to `webhook_url`.
struct DiscordRoute {
  std::string webhook_url;  // secret
  std::vector<core::Interval> intervals;
  std::string min_severity;  // "", "normal" or "strong"
};

struct DiscordConfig {
  std::vector<std::string> webhook_urls;  // secrets; empty entries are dropped at load
  std::string username = "Momentum Scanner";
  std::string avatar_url;
  std::vector<DiscordRoute> routes;
  std::string ca_file;  // extra trusted CA (PEM) for tests
  core::Millis request_timeout = 10 * core::kSecond;
  // A pending delivery is retried until its alert is this old, then given up.
  core::Millis give_up_after = core::kDay;
};

struct AlertsConfig {
  std::string database = "data/scanner.db";
  core::Millis retention = 7 * core::kDay;
  DiscordConfig discord;
};

struct StatusConfig {
  std::string listen = "127.0.0.1:9102";  // host:port; empty disables the endpoint
};

enum class LogFormat { kText, kJson };

struct LoggingConfig {
  std::string level = "info";  // trace, debug, info, warn, error, critical, off
  LogFormat format = LogFormat::kText;
};

struct Config {
  ExchangeConfig exchange;
  UniverseConfig universe;
  StreamsConfig streams;
  SignalsConfig signals;
  AlertsConfig alerts;
  StatusConfig status;
  LoggingConfig logging;
};

}  // namespace scanner::config
