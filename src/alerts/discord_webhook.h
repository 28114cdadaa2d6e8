#pragma once
// A configured Discord webhook: its secret URL and the non-secret names used everywhere else.
// The URL (it carries the token) goes to the HTTP client and nowhere else; logs, errors,
// metrics and the database use `destination` ("discord:<webhook id>"). An immutable value:
// safe to copy and to share between threads.

#include <string>
#include <string_view>

#include "core/error.h"

namespace scanner::alerts {

class DiscordWebhook {
 public:
  // Accepts ".../webhooks/<numeric id>/<token>[/...][?query]" on any host and scheme (the real
  // https://discord.com/api[/v10]/webhooks/... and a loopback fake alike). Errors never repeat
  // the URL.
  static core::Result<DiscordWebhook> Parse(std::string_view url);

  // Secret. The URL to POST to, with "wait=true" added to its query (Discord then answers 200
  // with the message instead of 204, confirming it was stored).
  std::string ExecuteUrl() const;

  // Secret. The URL of Edit Webhook Message for `message_id` (a snowflake):
  // ".../webhooks/<id>/<token>/messages/<message_id>", keeping the configured query (thread_id)
  // and dropping any path after the token.
  std::string MessageUrl(std::string_view message_id) const;

  // Non-secret.
  const std::string& id() const { return id_; }
  const std::string& destination() const { return destination_; }

  // `text` with the URL and the token masked (core::RedactSecrets): for messages from lower
  // layers (the HTTP client may echo the URL in its errors) before they are logged or stored.
  std::string Redact(std::string_view text) const;

 private:
  DiscordWebhook() = default;
  std::string url_;
  std::string id_;
  std::string token_;
  std::string destination_;
};

}  // namespace scanner::alerts
