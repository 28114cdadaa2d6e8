#include "alerts/alert_routes.h"

#include "alerts/console_sink.h"

#include <algorithm>

#include <fmt/format.h>

namespace scanner::alerts {
namespace {

int Rank(core::Severity severity) { return severity == core::Severity::kStrong ? 1 : 0; }

}  // namespace

core::Result<AlertRoutes> AlertRoutes::Build(std::span<const WebhookRouteSpec> specs) {
  AlertRoutes routes;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const WebhookRouteSpec& spec = specs[i];
    auto webhook = DiscordWebhook::Parse(spec.webhook_url);
    if (!webhook) {
      return core::Fail(fmt::format("Discord route {}: {}", i, webhook.error().message));
    }
    auto same_id = std::find_if(routes.webhooks_.begin(), routes.webhooks_.end(),
                                [&](const DiscordWebhook& w) { return w.id() == webhook->id(); });
    std::size_t index = static_cast<std::size_t>(same_id - routes.webhooks_.begin());
    if (same_id == routes.webhooks_.end()) {
      routes.webhooks_.push_back(std::move(*webhook));
    } else if (same_id->ExecuteUrl() != webhook->ExecuteUrl()) {
      // Same webhook id, different token or host: one of them is wrong, and guessing which
      // would send alerts to a dead or foreign webhook.
      return core::Fail(
          fmt::format("Discord route {}: webhook {} is configured twice with different URLs", i,
                      webhook->destination()));
    }
    routes.filters_.push_back(Filter{index, spec.intervals, spec.min_severity});
  }
  return routes;
}

std::vector<std::string> AlertRoutes::DestinationsFor(const core::Candidate& candidate) const {
  std::vector<bool> matched(webhooks_.size(), false);
  for (const Filter& filter : filters_) {
    if (!filter.intervals.empty() && std::find(filter.intervals.begin(), filter.intervals.end(),
                                               candidate.interval) == filter.intervals.end()) {
      continue;
    }
    if (filter.min_severity && Rank(candidate.severity) < Rank(*filter.min_severity)) continue;
    matched[filter.webhook] = true;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < webhooks_.size(); ++i) {
    if (matched[i]) out.push_back(webhooks_[i].destination());
  }
  return out;
}

std::vector<std::string> OutboxDestinationsFor(const AlertRoutes& routes,
                                               const core::Candidate& candidate) {
  if (routes.empty()) return {std::string(kConsoleDestination)};
  return routes.DestinationsFor(candidate);
}

}  // namespace scanner::alerts
