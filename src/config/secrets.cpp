#include "config/secrets.h"

#include <algorithm>
#include <string_view>

namespace scanner::config {
namespace {

// The segment after ".../webhooks/<id>/", or "" when the URL has none.
std::string_view WebhookToken(std::string_view url) {
  std::size_t hooks = url.find("/webhooks/");
  if (hooks == std::string_view::npos) return {};
  std::string_view rest = url.substr(hooks + 10);
  std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return {};
  rest = rest.substr(slash + 1);
  return rest.substr(0, rest.find_first_of("/?#"));
}

void AddSecret(std::vector<std::string>& secrets, const std::string& url) {
  if (url.empty()) return;
  for (std::string_view secret : {std::string_view(url), WebhookToken(url)}) {
    if (!secret.empty() && std::ranges::find(secrets, secret) == secrets.end()) {
      secrets.emplace_back(secret);
    }
  }
}

}  // namespace

std::vector<std::string> CollectSecrets(const Config& config) {
  std::vector<std::string> secrets;
  for (const std::string& url : config.alerts.discord.webhook_urls) AddSecret(secrets, url);
  for (const DiscordRoute& route : config.alerts.discord.routes) {
    AddSecret(secrets, route.webhook_url);
  }
  return secrets;
}

}  // namespace scanner::config
