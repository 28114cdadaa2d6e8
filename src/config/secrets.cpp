#include "config/secrets.h"

#include "config/config_keys.h"

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
  // Every key described as secret (config_keys.h); today these are all webhook URLs.
  auto collect = [&secrets](const auto& key, const auto& s) {
    using S = std::remove_cvref_t<decltype(s)>;
    S& value = const_cast<S&>(s);
    std::visit(
        [&](const auto& field) {
          using F = std::decay_t<decltype(field)>;
          if constexpr (!std::is_same_v<F, ChoiceField<S>>) {
            const auto& v = field(value);
            using T = std::remove_cvref_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) {
              AddSecret(secrets, v);
            } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
              for (const std::string& item : v) AddSecret(secrets, item);
            }
          }
        },
        key.field);
  };
  for (const ConfigKey& key : ConfigKeys()) {
    if (key.secret) collect(key, config);
  }
  for (const DiscordRoute& route : config.alerts.discord.routes) {
    for (const RouteKey& key : RouteKeys()) {
      if (key.secret) collect(key, route);
    }
  }
  return secrets;
}

}  // namespace scanner::config
