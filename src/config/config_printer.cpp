#include "config/config_printer.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <string_view>

#include "core/redact.h"

namespace scanner::config {
namespace {

std::string_view DirectionName(DirectionFilter direction) {
  switch (direction) {
    case DirectionFilter::kUp:
      return "up";
    case DirectionFilter::kDown:
      return "down";
    case DirectionFilter::kBoth:
      return "both";
  }
  return "both";
}

// A thin layer over YAML::Emitter so each key is one readable line below.
class Printer {
 public:
  Printer() { out_ << YAML::BeginMap; }

  void Begin(std::string_view key) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
  }
  void End() { out_ << YAML::EndMap; }

  void Put(std::string_view key, std::string_view value) {
    out_ << YAML::Key << std::string(key) << YAML::Value << std::string(value);
  }
  // Numbers are formatted by fmt: the shortest text that reads back exactly.
  void PutNumber(std::string_view key, double value) { Put(key, fmt::format("{}", value)); }
  void PutInt(std::string_view key, int value) { Put(key, fmt::format("{}", value)); }
  void PutBool(std::string_view key, bool value) { Put(key, value ? "true" : "false"); }
  void PutDuration(std::string_view key, core::Millis value) {
    Put(key, core::FormatDuration(value));
  }
  void PutUrl(std::string_view key, const std::string& url) { Put(key, core::RedactUrl(url)); }

  void PutList(std::string_view key, const std::vector<std::string>& values) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const std::string& value : values) out_ << value;
    out_ << YAML::EndSeq;
  }
  void PutList(std::string_view key, const std::vector<core::Interval>& intervals) {
    std::vector<std::string> names;
    for (core::Interval interval : intervals) names.emplace_back(interval.Name());
    PutList(key, names);
  }

  YAML::Emitter& emitter() { return out_; }

  std::string Finish() {
    out_ << YAML::EndMap;
    return std::string(out_.c_str()) + "\n";
  }

 private:
  YAML::Emitter out_;
};

}  // namespace

std::string PrintConfig(const Config& config) {
  Printer p;

  const ExchangeConfig& exchange = config.exchange;
  p.Begin("exchange");
  p.Put("market", core::MarketName(exchange.market));
  p.PutUrl("rest_url", exchange.rest_url);
  p.PutUrl("ws_url", exchange.ws_url);
  p.Put("ca_file", exchange.ca_file);
  p.PutNumber("weight_budget_fraction", exchange.weight_budget_fraction);
  p.PutDuration("request_timeout", exchange.request_timeout);
  p.End();

  const UniverseConfig& universe = config.universe;
  p.Begin("universe");
  p.PutList("quote_assets", universe.quote_assets);
  p.PutNumber("min_quote_volume_24h", universe.min_quote_volume_24h);
  p.PutInt("top_n", universe.top_n);
  p.PutList("include", universe.include);
  p.PutList("exclude", universe.exclude);
  p.PutBool("exclude_leveraged_tokens", universe.exclude_leveraged_tokens);
  p.PutBool("exclude_stable_pairs", universe.exclude_stable_pairs);
  p.PutDuration("refresh_interval", universe.refresh_interval);
  p.End();

  const StreamsConfig& streams = config.streams;
  p.Begin("streams");
  p.PutList("intervals", streams.intervals);
  p.PutInt("max_streams_per_connection", streams.max_streams_per_connection);
  p.PutDuration("stale_after", streams.stale_after);
  p.PutDuration("max_connection_age", streams.max_connection_age);
  p.PutInt("max_messages_per_second", streams.max_messages_per_second);
  p.End();

  const SignalsConfig& signals = config.signals;
  p.Begin("signals");
  p.PutInt("atr_period", signals.atr_period);
  p.PutInt("zscore_window", signals.zscore_window);
  p.PutInt("momentum_lookback", signals.momentum_lookback);
  p.PutNumber("min_atr_move", signals.min_atr_move);
  p.PutNumber("min_volume_z", signals.min_volume_z);
  p.PutNumber("min_return_z", signals.min_return_z);
  p.Put("direction", DirectionName(signals.direction));
  p.PutDuration("cooldown", signals.cooldown);
  p.PutList("confirm_intervals", signals.confirm_intervals);
  p.PutNumber("strong_multiplier", signals.strong_multiplier);
  p.PutDuration("catch_up", signals.catch_up);
  p.End();

  const AlertsConfig& alerts = config.alerts;
  p.Begin("alerts");
  p.Put("database", alerts.database);
  p.PutDuration("retention", alerts.retention);
  p.Begin("discord");
  std::vector<std::string> masked;
  for (const std::string& url : alerts.discord.webhook_urls) masked.push_back(core::RedactUrl(url));
  p.PutList("webhook_urls", masked);
  p.Put("username", alerts.discord.username);
  p.PutUrl("avatar_url", alerts.discord.avatar_url);
  YAML::Emitter& out = p.emitter();
  out << YAML::Key << "routes" << YAML::Value;
  if (alerts.discord.routes.empty()) out << YAML::Flow;
  out << YAML::BeginSeq;
  for (const DiscordRoute& route : alerts.discord.routes) {
    out << YAML::BeginMap;
    p.PutUrl("webhook_url", route.webhook_url);
    p.PutList("intervals", route.intervals);
    p.Put("min_severity", route.min_severity);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  p.Put("ca_file", alerts.discord.ca_file);
  p.PutDuration("request_timeout", alerts.discord.request_timeout);
  p.PutDuration("give_up_after", alerts.discord.give_up_after);
  p.End();
  p.End();

  p.Begin("status");
  p.Put("listen", config.status.listen);
  p.End();

  p.Begin("logging");
  p.Put("level", config.logging.level);
  p.Put("format", std::string_view(config.logging.format == LogFormat::kJson ? "json" : "text"));
  p.End();

  return p.Finish();
}

}  // namespace scanner::config
