#include "app/discord_settings_check.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>

#include "alerts/discord_payload.h"
#include "alerts/discord_webhook.h"
#include "net/tls_context.h"

namespace scanner::app {
namespace {

constexpr std::string_view kDiscord = "alerts.discord";

std::optional<std::string> WebhookUrlProblem(std::string_view url) {
  auto webhook = alerts::DiscordWebhook::Parse(url);
  if (webhook) return std::nullopt;
  return webhook.error().message;
}

// Everything but the shape of the webhook_urls entries, which the file reader checks where
// their position in the file is known.
void CheckRest(const config::DiscordConfig& discord, config::ProblemList& problems) {
  if (auto ok = alerts::CheckWebhookUsername(discord.username); !ok) {
    problems.Add(fmt::format("{}.username", kDiscord), ok.error().message);
  }
  for (std::size_t i = 0; i < discord.routes.size(); ++i) {
    const std::string& url = discord.routes[i].webhook_url;
    if (url.empty()) continue;  // "is required": the validator's
    if (auto problem = WebhookUrlProblem(url)) {
      problems.Add(fmt::format("{}.routes[{}].webhook_url", kDiscord, i), *problem);
    }
  }
  // One webhook id with two URLs (another token or host): at most one can be right, and the
  // dispatcher could not tell which to use.
  std::map<std::string, std::string> first_url;  // webhook id -> its URL as sent
  auto note = [&](const std::string& url, const std::string& path) {
    auto webhook = alerts::DiscordWebhook::Parse(url);
    if (!webhook) return;
    auto [seen, added] = first_url.emplace(webhook->id(), webhook->ExecuteUrl());
    if (!added && seen->second != webhook->ExecuteUrl()) {
      problems.Add(path, fmt::format("webhook {} is configured again with a different token",
                                     webhook->destination()));
    }
  };
  for (const std::string& url : discord.webhook_urls) {
    note(url, fmt::format("{}.webhook_urls", kDiscord));
  }
  for (std::size_t i = 0; i < discord.routes.size(); ++i) {
    note(discord.routes[i].webhook_url, fmt::format("{}.routes[{}].webhook_url", kDiscord, i));
  }
  if (!discord.ca_file.empty()) {
    if (auto tls = net::MakeClientTlsContext(discord.ca_file); !tls) {
      problems.Add(fmt::format("{}.ca_file", kDiscord), tls.error().message);
    }
  }
}

}  // namespace

config::ExtraChecks DiscordSettingsChecks() {
  config::ExtraChecks checks;
  checks.webhook_url = WebhookUrlProblem;
  checks.config = [](const config::Config& config, config::ProblemList& problems) {
    CheckRest(config.alerts.discord, problems);
  };
  return checks;
}

void CheckDiscordSettings(const config::DiscordConfig& discord, config::ProblemList& problems) {
  for (std::size_t i = 0; i < discord.webhook_urls.size(); ++i) {
    if (auto problem = WebhookUrlProblem(discord.webhook_urls[i])) {
      problems.Add(fmt::format("{}.webhook_urls[{}]", kDiscord, i), *problem);
    }
  }
  CheckRest(discord, problems);
}

}  // namespace scanner::app
