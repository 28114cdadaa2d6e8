#pragma once
// The Discord webhook message model: embeds, Discord's documented limits, clamping to those
// limits, packing embeds into as few messages as the limits allow, and the JSON body (written
// with Boost.JSON so escaping is always right). Knows nothing about alerts (see alert_embed.h).
// Pure functions; thread-safe.
//
// Limits (BINANCE_DISCORD_FACTS.md): title 256, description 4096, <= 25 fields, field name 256,
// field value 1024, footer 2048, author 256, <= 6000 characters across all embeds of a message,
// content 2000, <= 10 embeds. Characters are Unicode code points. Over a limit Discord answers
// 400 and retrying cannot help, so every text is clamped before it is sent.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace scanner::alerts {

inline constexpr std::size_t kMaxEmbedTitle = 256;
inline constexpr std::size_t kMaxEmbedDescription = 4096;
inline constexpr std::size_t kMaxEmbedFields = 25;
inline constexpr std::size_t kMaxFieldName = 256;
inline constexpr std::size_t kMaxFieldValue = 1024;
inline constexpr std::size_t kMaxFooterText = 2048;
inline constexpr std::size_t kMaxAuthorName = 256;
inline constexpr std::size_t kMaxEmbedCharsPerMessage = 6000;
inline constexpr std::size_t kMaxContent = 2000;
inline constexpr std::size_t kMaxEmbedsPerMessage = 10;
// Discord's webhook name limit (1-80); not in the facts file, from Discord's webhook docs.
inline constexpr std::size_t kMaxUsername = 80;
// Discord refuses longer embed URLs (400) though its docs give no figure; counted in bytes here,
// which is never fewer than code points.
inline constexpr std::size_t kMaxEmbedUrl = 2048;

struct EmbedField {
  std::string name;
  std::string value;
  bool is_inline = true;
};

// Empty strings are left out of the JSON; color 0 is sent as is (Discord's "no color").
struct DiscordEmbed {
  std::string title;
  std::string description;
  std::string url;
  std::string timestamp;  // ISO 8601
  std::uint32_t color = 0;
  std::string author_name;
  std::vector<EmbedField> fields;
  std::string footer_text;
  // The embed's image, e.g. "attachment://<file name>" for a file of the message; empty: none.
  // Not counted against the 6000 characters; dropped when over kMaxEmbedUrl, like `url`.
  std::string image_url;
};

// The characters Discord counts against the 6000 per message: title, description, field names
// and values, footer text and author name, in code points.
std::size_t EmbedCharCount(const DiscordEmbed& embed);

// Makes `embed` acceptable on its own: every text valid UTF-8; every text within its limit
// (truncated with "…"); a URL over kMaxEmbedUrl dropped; at most 25 fields, none with an empty name
// or value (Discord rejects those; they become "-"); and at most 6000 counted characters, taken
// first from the description, then field values (last first), field names, footer, author and
// title.
void ClampEmbed(DiscordEmbed& embed);

// Consecutive runs [begin, end) of `embeds`, in order, each run one message: at most 10 embeds
// and at most 6000 counted characters. Greedy, which for order-preserving packing is also the
// fewest messages. An embed over 6000 on its own (not clamped) gets a run of its own, which
// WebhookBody then refuses.
struct MessageRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
  friend bool operator==(const MessageRange&, const MessageRange&) = default;
};
std::vector<MessageRange> PackEmbeds(std::span<const DiscordEmbed> embeds);

// Who the message appears to come from.
struct WebhookIdentity {
  std::string username;    // empty: the webhook's own name
  std::string avatar_url;  // empty: the webhook's own avatar
};

// Discord refuses webhook names that are empty-after-trim, longer than 80, or contain "discord"
// or "clyde" (any case); check a configured username once, at start.
core::Status CheckWebhookUsername(std::string_view username);

// A file uploaded with the message (multipart part "files[<id>]"), as the JSON lists it.
struct WebhookAttachment {
  std::size_t id = 0;
  std::string filename;
};

// The JSON body of one webhook message. Always carries "allowed_mentions": {"parse": []}.
// `content` is sanitized and clamped to 2000; the username to 80; embeds are clamped with
// ClampEmbed. `attachments`, when not empty, become "attachments": [{"id", "filename"}] (the
// payload_json of a multipart request; an edit that omits them keeps the message's files).
// Fails on an empty message, more than 10 embeds, or more than 6000 counted characters in total
// (pack with PackEmbeds first).
core::Result<std::string> WebhookBody(const WebhookIdentity& identity, std::string_view content,
                                      std::span<const DiscordEmbed> embeds,
                                      std::span<const WebhookAttachment> attachments = {});

}  // namespace scanner::alerts
