#include "app/settings_reload.h"

#include <map>
#include <sstream>
#include <string_view>

#include "config/config_printer.h"

namespace scanner::app {
namespace {

// PrintConfig's text split into its top-level sections ("exchange", "universe", ...). Secrets
// print masked, so this is only used for sections without secrets.
std::map<std::string, std::string> Sections(const config::Config& config) {
  std::map<std::string, std::string> sections;
  std::istringstream in(config::PrintConfig(config));
  std::string line;
  std::string current;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;
    if (line.front() != ' ') current = line.substr(0, line.find(':'));
    sections[current] += line + '\n';
  }
  return sections;
}

bool SameRoutes(const std::vector<config::DiscordRoute>& a,
                const std::vector<config::DiscordRoute>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].webhook_url != b[i].webhook_url || a[i].intervals != b[i].intervals ||
        a[i].min_severity != b[i].min_severity) {
      return false;
    }
  }
  return true;
}

bool SameDiscord(const config::DiscordConfig& a, const config::DiscordConfig& b) {
  return a.webhook_urls == b.webhook_urls && a.username == b.username &&
         a.avatar_url == b.avatar_url && SameRoutes(a.routes, b.routes) &&
         a.ca_file == b.ca_file && a.request_timeout == b.request_timeout;
}

}  // namespace

ReloadPlan PlanReload(const config::Config& running, const config::Config& next) {
  ReloadPlan plan;
  const auto before = Sections(running);
  const auto after = Sections(next);
  plan.signals_changed = before.at("signals") != after.at("signals");
  plan.discord_changed = !SameDiscord(running.alerts.discord, next.alerts.discord);
  plan.retention_changed = running.alerts.retention != next.alerts.retention;
  for (std::string_view section : {"exchange", "universe", "streams", "status", "logging"}) {
    const std::string key(section);
    if (before.at(key) != after.at(key)) plan.need_restart.push_back(key);
  }
  if (running.alerts.database != next.alerts.database) {
    plan.need_restart.emplace_back("alerts.database");
  }
  return plan;
}

}  // namespace scanner::app
