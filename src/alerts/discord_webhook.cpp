#include "alerts/discord_webhook.h"

#include <algorithm>

#include "core/redact.h"

namespace scanner::alerts {
namespace {

constexpr std::string_view kWebhooksSegment = "/webhooks/";

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

core::Result<DiscordWebhook> DiscordWebhook::Parse(std::string_view url) {
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    return core::Fail("Discord webhook URL must start with https:// (or http:// for a local test)");
  }
  std::size_t segment = url.find(kWebhooksSegment);
  if (segment == std::string_view::npos) {
    return core::Fail("Discord webhook URL has no /webhooks/<id>/<token> path");
  }
  std::string_view rest = url.substr(segment + kWebhooksSegment.size());
  rest = rest.substr(0, rest.find_first_of("?#"));
  std::size_t slash = rest.find('/');
  std::string_view id = rest.substr(0, slash);
  std::string_view token =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  token = token.substr(0, token.find('/'));
  if (!IsDigits(id)) return core::Fail("Discord webhook URL: the webhook id is not numeric");
  if (token.empty()) return core::Fail("Discord webhook URL has no token");
  DiscordWebhook webhook;
  webhook.url_ = std::string(url);
  webhook.id_ = std::string(id);
  webhook.token_ = std::string(token);
  webhook.destination_ = "discord:" + webhook.id_;
  return webhook;
}

std::string DiscordWebhook::ExecuteUrl() const {
  std::string_view url = url_;
  std::string_view fragmentless = url.substr(0, url.find('#'));
  std::string out(fragmentless);
  out += fragmentless.find('?') == std::string_view::npos ? "?wait=true" : "&wait=true";
  return out;
}

std::string DiscordWebhook::MessageUrl(std::string_view message_id) const {
  std::string_view url = url_;
  url = url.substr(0, url.find('#'));
  const std::size_t query_at = url.find('?');
  std::string_view query = query_at == std::string_view::npos ? "" : url.substr(query_at);
  // Parse checked that the token follows "/webhooks/<id>/".
  const std::size_t token_at =
      url.find(kWebhooksSegment) + kWebhooksSegment.size() + id_.size() + 1;
  std::string out(url.substr(0, token_at + token_.size()));
  out += "/messages/";
  out += message_id;
  out += query;
  return out;
}

std::string DiscordWebhook::Redact(std::string_view text) const {
  const std::string secrets[] = {url_, token_};
  return core::RedactSecrets(text, secrets);
}

}  // namespace scanner::alerts
