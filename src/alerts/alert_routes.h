#pragma once
// Which Discord webhooks receive which alerts. Built once from the configured webhooks:
// `alerts.discord.webhook_urls` (every alert) and `alerts.discord.routes` (alerts of some
// intervals and/or a minimum severity). A webhook named more than once gets an alert when any
// of its routes matches; it is still one destination.
//
// The secret URLs stay inside the DiscordWebhook values; everything this class returns to
// callers (DestinationsFor, errors) names webhooks by their non-secret destination id
// ("discord:<webhook id>") or by route position only.
//
// An immutable value once built: thread-compatible.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "alerts/discord_webhook.h"
#include "core/candidate.h"
#include "core/error.h"
#include "core/interval.h"

namespace scanner::alerts {

// One configured route. An empty `intervals` means every interval; no `min_severity` means
// every severity (kNormal includes kStrong).
struct WebhookRouteSpec {
  std::string webhook_url;  // secret
  std::vector<core::Interval> intervals;
  std::optional<core::Severity> min_severity;
};

class AlertRoutes {
 public:
  // Parses every URL (DiscordWebhook::Parse). Fails on an unparsable URL (naming the route's
  // position, never the URL) and on one webhook id given with two different tokens.
  static core::Result<AlertRoutes> Build(std::span<const WebhookRouteSpec> specs);

  // The destination ids ("discord:<id>") whose routes match `candidate`, in configuration
  // order, each once. Empty when nothing matches (or nothing is configured).
  std::vector<std::string> DestinationsFor(const core::Candidate& candidate) const;

  // One per distinct webhook, in configuration order.
  const std::vector<DiscordWebhook>& webhooks() const { return webhooks_; }
  bool empty() const { return webhooks_.empty(); }

 private:
  struct Filter {
    std::size_t webhook = 0;  // index into webhooks_
    std::vector<core::Interval> intervals;
    std::optional<core::Severity> min_severity;
  };

  std::vector<DiscordWebhook> webhooks_;
  std::vector<Filter> filters_;
};

// Where the outbox stores an alert for delivery: the webhooks whose routes match it, or the
// console destination when no webhook is configured at all (so nothing is ever lost silently).
std::vector<std::string> OutboxDestinationsFor(const AlertRoutes& routes,
                                               const core::Candidate& candidate);

}  // namespace scanner::alerts
