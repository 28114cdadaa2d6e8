#include "config/config_builder.h"

#include "config/config_validator.h"
#include "config/defaults.h"
#include "config/section_reader.h"

namespace scanner::config {
namespace {

void ReadExchange(SectionReader& in, ExchangeConfig& out) {
  in.ReadString("rest_url", out.rest_url);
  in.ReadString("ws_url", out.ws_url);
  in.ReadString("ca_file", out.ca_file);
  in.ReadNumber("weight_budget_fraction", out.weight_budget_fraction);
  in.ReadDuration("request_timeout", out.request_timeout);
}

void ReadUniverse(SectionReader& in, UniverseConfig& out) {
  in.ReadStringList("quote_assets", out.quote_assets);
  in.ReadNumber("min_quote_volume_24h", out.min_quote_volume_24h);
  in.ReadInt("top_n", out.top_n);
  in.ReadStringList("include", out.include);
  in.ReadStringList("exclude", out.exclude);
  in.ReadBool("exclude_leveraged_tokens", out.exclude_leveraged_tokens);
  in.ReadBool("exclude_stable_pairs", out.exclude_stable_pairs);
  in.ReadDuration("refresh_interval", out.refresh_interval);
}

void ReadStreams(SectionReader& in, StreamsConfig& out) {
  in.ReadIntervalList("intervals", out.intervals);
  in.ReadInt("max_streams_per_connection", out.max_streams_per_connection);
  in.ReadDuration("stale_after", out.stale_after);
  in.ReadDuration("max_connection_age", out.max_connection_age);
  in.ReadInt("max_messages_per_second", out.max_messages_per_second);
}

void ReadSignals(SectionReader& in, SignalsConfig& out) {
  in.ReadInt("atr_period", out.atr_period);
  in.ReadInt("zscore_window", out.zscore_window);
  in.ReadInt("momentum_lookback", out.momentum_lookback);
  in.ReadNumber("min_atr_move", out.min_atr_move);
  in.ReadNumber("min_volume_z", out.min_volume_z);
  in.ReadNumber("min_return_z", out.min_return_z);
  in.ReadChoice("direction", out.direction,
                {{"up", DirectionFilter::kUp},
                 {"down", DirectionFilter::kDown},
                 {"both", DirectionFilter::kBoth}});
  in.ReadDuration("cooldown", out.cooldown);
  in.ReadIntervalList("confirm_intervals", out.confirm_intervals);
  in.ReadNumber("strong_multiplier", out.strong_multiplier);
  in.ReadDuration("catch_up", out.catch_up);
}

void ReadDiscord(SectionReader& in, DiscordConfig& out, const WebhookUrlCheck& url_check) {
  // Checked here rather than in ValidateConfig: empty entries are already gone from the typed
  // list, so only the reader still knows which entry of the file a bad URL is. The message
  // never repeats the URL: it is a secret.
  in.ReadStringList("webhook_urls", out.webhook_urls,
                    [&url_check](std::string_view url) -> std::optional<std::string> {
                      if (!IsUrlWithScheme(url, {"https", "http"})) {
                        return "expected an https:// URL";
                      }
                      return url_check ? url_check(url) : std::nullopt;
                    });
  in.ReadString("username", out.username);
  in.ReadString("avatar_url", out.avatar_url);
  for (SectionReader& route_in : in.SectionList("routes")) {
    DiscordRoute route;
    route_in.ReadString("webhook_url", route.webhook_url);
    route_in.ReadIntervalList("intervals", route.intervals);
    route_in.ReadString("min_severity", route.min_severity);
    route_in.ReportUnknownKeys();
    out.routes.push_back(std::move(route));
  }
  in.ReadString("ca_file", out.ca_file);
  in.ReadDuration("request_timeout", out.request_timeout);
  in.ReadDuration("give_up_after", out.give_up_after);
}

void ReadAlerts(SectionReader& in, AlertsConfig& out, const WebhookUrlCheck& url_check) {
  in.ReadString("database", out.database);
  in.ReadDuration("retention", out.retention);
  SectionReader discord = in.Section("discord");
  ReadDiscord(discord, out.discord, url_check);
  discord.ReportUnknownKeys();
}

void ReadLogging(SectionReader& in, LoggingConfig& out) {
  in.ReadString("level", out.level);
  in.ReadChoice("format", out.format, {{"text", LogFormat::kText}, {"json", LogFormat::kJson}});
}

}  // namespace

Config BuildConfig(const YAML::Node& root, Interpolator* interpolator, ProblemList& problems,
                   const WebhookUrlCheck& webhook_url_check) {
  SectionReader top(root, "", interpolator, problems);

  // The market decides the defaults of the endpoints and limits, so it is read first.
  SectionReader exchange = top.Section("exchange");
  core::Market market = core::Market::kSpot;
  exchange.ReadChoice("market", market,
                      {{"spot", core::Market::kSpot}, {"usdm", core::Market::kUsdm}});
  Config config = DefaultConfig(market);
  ReadExchange(exchange, config.exchange);
  exchange.ReportUnknownKeys();

  auto read_section = [&](std::string_view name, auto&& read, auto& out) {
    SectionReader section = top.Section(name);
    read(section, out);
    section.ReportUnknownKeys();
  };
  read_section("universe", ReadUniverse, config.universe);
  read_section("streams", ReadStreams, config.streams);
  read_section("signals", ReadSignals, config.signals);
  read_section(
      "alerts",
      [&](SectionReader& in, AlertsConfig& out) { ReadAlerts(in, out, webhook_url_check); },
      config.alerts);
  read_section(
      "status", [](SectionReader& in, StatusConfig& out) { in.ReadString("listen", out.listen); },
      config.status);
  read_section("logging", ReadLogging, config.logging);
  top.ReportUnknownKeys();
  return config;
}

}  // namespace scanner::config
