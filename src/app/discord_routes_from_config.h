#pragma once
// Builds the dispatcher's routes and identity from the config file's `alerts.discord` section.
// Wiring, so it lives in app/ (alerts/ knows no configuration). Validation (URLs) happened when
// the config was loaded; the dispatcher parses the URLs again and refuses bad ones without
// echoing them.

#include <vector>

#include "alerts/alert_dispatcher.h"
#include "alerts/alert_routes.h"
#include "config/config.h"

namespace scanner::app {

// webhook_urls first (every alert), then routes (their intervals / min_severity; "" = all).
inline std::vector<alerts::WebhookRouteSpec> RouteSpecsFromConfig(
    const config::DiscordConfig& discord) {
  std::vector<alerts::WebhookRouteSpec> specs;
  for (const std::string& url : discord.webhook_urls) {
    if (!url.empty()) specs.push_back(alerts::WebhookRouteSpec{url, {}, std::nullopt});
  }
  for (const config::DiscordRoute& route : discord.routes) {
    alerts::WebhookRouteSpec spec{route.webhook_url, route.intervals, std::nullopt};
    if (route.min_severity == config::MinSeverity::kStrong) {
      spec.min_severity = core::Severity::kStrong;
    } else if (route.min_severity == config::MinSeverity::kNormal) {
      spec.min_severity = core::Severity::kNormal;
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

// Routes, identity, CA file and request timeout from `discord`; the rest keeps its defaults.
inline alerts::AlertDispatcherOptions DispatcherOptionsFromConfig(
    const config::DiscordConfig& discord) {
  alerts::AlertDispatcherOptions options;
  options.routes = RouteSpecsFromConfig(discord);
  options.identity = alerts::WebhookIdentity{discord.username, discord.avatar_url};
  options.ca_file = discord.ca_file;
  options.request_timeout = discord.request_timeout;
  options.edit_outcomes = discord.edit_outcomes;
  return options;
}

}  // namespace scanner::app
