#include "app/commands.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "app/cli.h"
#include "app/signal_settings_from_config.h"
#include "config/config_printer.h"

namespace scanner::app {

int CheckConfig(const config::LoadedConfig& loaded, std::ostream& out, std::ostream& err) {
  if (loaded.source == config::ConfigSource::kFile) {
    out << fmt::format("# effective configuration from {} (secrets masked)\n",
                       loaded.config_path.string());
  } else {
    out << "# effective configuration from environment variables (secrets masked)\n";
  }
  if (loaded.env_file) {
    out << fmt::format("# {} set: {}\n", loaded.env_file->string(),
                       loaded.env_variables_set.empty()
                           ? std::string("nothing (all already set)")
                           : fmt::format("{}", fmt::join(loaded.env_variables_set, ", ")));
  }
  out << config::PrintConfig(WithEffectiveMinChangePercent(loaded.config));
  for (const std::string& warning : loaded.warnings) err << "warning: " << warning << "\n";
  return kExitSuccess;
}

void LogConfigSummary(const config::LoadedConfig& loaded, spdlog::logger& logger) {
  const config::Config& config = loaded.config;
  std::vector<std::string_view> intervals;
  for (core::Interval interval : config.streams.intervals) intervals.push_back(interval.Name());
  std::string source = loaded.source == config::ConfigSource::kFile
                           ? loaded.config_path.string()
                           : std::string("environment variables");
  logger.info(
      "configuration from {}: {} market, top {} {} pairs by 24h quote volume >= {}, "
      "intervals {}, {} Discord webhook(s), {} route(s), status on {}",
      source, core::MarketName(config.exchange.market), config.universe.top_n,
      fmt::join(config.universe.quote_assets, "/"), config.universe.min_quote_volume_24h,
      fmt::join(intervals, ","), config.alerts.discord.webhook_urls.size(),
      config.alerts.discord.routes.size(),
      config.status.listen.empty() ? std::string("(disabled)") : config.status.listen);
  for (const std::string& warning : loaded.warnings) logger.warn("{}", warning);
}

}  // namespace scanner::app
