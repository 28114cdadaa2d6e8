#pragma once
// Builds the dispatcher's routes and identity from the config file's `alerts.discord` section.
// Header-only so that scanner_alerts needs no config library: config/config.h declares plain
// structs. Validation (URLs, min_severity) happened when the config was loaded; the dispatcher
// parses the URLs again and refuses bad ones without echoing them.

#include <vector>

#include "alerts/alert_dispatcher.h"
#include "alerts/alert_routes.h"
#include "config/config.h"

namespace scanner::alerts {

// webhook_urls first (every alert), then routes (their intervals / min_severity; "" = all).
inline std::vector<WebhookRouteSpec> RouteSpecsFromConfig(const config::DiscordConfig& discord) {
  std::vector<WebhookRouteSpec> specs;
  for (const std::string& url : discord.webhook_urls) {
    if (!url.empty()) specs.push_back(WebhookRouteSpec{url, {}, std::nullopt});
  }
  for (const config::DiscordRoute& route : discord.routes) {
    WebhookRouteSpec spec{route.webhook_url, route.intervals, std::nullopt};
    if (route.min_severity == "strong") spec.min_severity = core::Severity::kStrong;
    if (route.min_severity == "normal") spec.min_severity = core::Severity::kNormal;
    specs.push_back(std::move(spec));
  }
  return specs;
}

// Routes, identity, CA file and request timeout from `discord`; the rest keeps its defaults.
inline AlertDispatcherOptions DispatcherOptionsFromConfig(const config::DiscordConfig& discord) {
  AlertDispatcherOptions options;
  options.routes = RouteSpecsFromConfig(discord);
  options.identity = WebhookIdentity{discord.username, discord.avatar_url};
  options.ca_file = discord.ca_file;
  options.request_timeout = discord.request_timeout;
  return options;
}

}  // namespace scanner::alerts
