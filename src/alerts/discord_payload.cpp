#include "alerts/discord_payload.h"

#include <algorithm>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "alerts/discord_text.h"

namespace scanner::alerts {
namespace {

// What replaces an empty field name or value (Discord rejects empty ones).
constexpr char kEmptyFieldText = '-';

void Clamp(std::string& text, std::size_t max) {
  text = TruncateCodePoints(SanitizeUtf8(text), max);
}

// Cuts up to `*excess` code points off `text`, keeping at least one (the ellipsis) if it had any.
void Shrink(std::string& text, std::size_t* excess) {
  if (*excess == 0) return;
  std::size_t length = CodePointCount(text);
  if (length <= 1) return;
  std::size_t target = length > *excess ? std::max<std::size_t>(1, length - *excess) : 1;
  text = TruncateCodePoints(text, target);
  *excess -= length - target;
}

bool ContainsIgnoringCase(std::string_view text, std::string_view word) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  auto it = std::search(text.begin(), text.end(), word.begin(), word.end(),
                        [&](char a, char b) { return lower(a) == lower(b); });
  return it != text.end();
}

boost::json::object EmbedJson(const DiscordEmbed& embed) {
  boost::json::object json;
  if (!embed.title.empty()) json["title"] = embed.title;
  if (!embed.description.empty()) json["description"] = embed.description;
  if (!embed.url.empty()) json["url"] = embed.url;
  if (!embed.timestamp.empty()) json["timestamp"] = embed.timestamp;
  json["color"] = embed.color;
  if (!embed.author_name.empty()) json["author"] = {{"name", embed.author_name}};
  if (!embed.fields.empty()) {
    boost::json::array fields;
    fields.reserve(embed.fields.size());
    for (const EmbedField& field : embed.fields) {
      fields.push_back({{"name", field.name}, {"value", field.value}, {"inline", field.is_inline}});
    }
    json["fields"] = std::move(fields);
  }
  if (!embed.footer_text.empty()) json["footer"] = {{"text", embed.footer_text}};
  if (!embed.image_url.empty()) json["image"] = {{"url", embed.image_url}};
  return json;
}

}  // namespace

std::size_t EmbedCharCount(const DiscordEmbed& embed) {
  std::size_t count = CodePointCount(embed.title) + CodePointCount(embed.description) +
                      CodePointCount(embed.footer_text) + CodePointCount(embed.author_name);
  for (const EmbedField& field : embed.fields) {
    count += CodePointCount(field.name) + CodePointCount(field.value);
  }
  return count;
}

void ClampEmbed(DiscordEmbed& embed) {
  Clamp(embed.title, kMaxEmbedTitle);
  Clamp(embed.description, kMaxEmbedDescription);
  Clamp(embed.footer_text, kMaxFooterText);
  Clamp(embed.author_name, kMaxAuthorName);
  embed.url = SanitizeUtf8(embed.url);
  // A cut URL would lead somewhere else: an over-long link is dropped, the embed still goes.
  if (embed.url.size() > kMaxEmbedUrl) embed.url.clear();
  embed.image_url = SanitizeUtf8(embed.image_url);
  if (embed.image_url.size() > kMaxEmbedUrl) embed.image_url.clear();
  embed.timestamp = SanitizeUtf8(embed.timestamp);
  if (embed.fields.size() > kMaxEmbedFields) embed.fields.resize(kMaxEmbedFields);
  for (EmbedField& field : embed.fields) {
    Clamp(field.name, kMaxFieldName);
    Clamp(field.value, kMaxFieldValue);
    // push_back, not assignment: GCC 12 reports a bogus -Wrestrict for assigning a literal here.
    if (field.name.empty()) field.name.push_back(kEmptyFieldText);
    if (field.value.empty()) field.value.push_back(kEmptyFieldText);
  }
  std::size_t total = EmbedCharCount(embed);
  if (total <= kMaxEmbedCharsPerMessage) return;
  std::size_t excess = total - kMaxEmbedCharsPerMessage;
  Shrink(embed.description, &excess);
  for (auto it = embed.fields.rbegin(); it != embed.fields.rend(); ++it) Shrink(it->value, &excess);
  for (auto it = embed.fields.rbegin(); it != embed.fields.rend(); ++it) Shrink(it->name, &excess);
  Shrink(embed.footer_text, &excess);
  Shrink(embed.author_name, &excess);
  Shrink(embed.title, &excess);
  // 25 fields of one character each plus four one-character texts cannot exceed 6000, so the
  // excess is gone here.
}

std::vector<MessageRange> PackEmbeds(std::span<const DiscordEmbed> embeds) {
  std::vector<MessageRange> ranges;
  MessageRange current;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < embeds.size(); ++i) {
    std::size_t count = EmbedCharCount(embeds[i]);
    bool fits = current.size() < kMaxEmbedsPerMessage && chars + count <= kMaxEmbedCharsPerMessage;
    if (current.size() > 0 && !fits) {
      ranges.push_back(current);
      current = MessageRange{i, i};
      chars = 0;
    }
    current.end = i + 1;
    chars += count;
  }
  if (current.size() > 0) ranges.push_back(current);
  return ranges;
}

core::Status CheckWebhookUsername(std::string_view username) {
  if (username.empty()) return {};  // the webhook's own name
  if (username.find_first_not_of(" \t") == std::string_view::npos) {
    return core::Fail("webhook username is blank");
  }
  if (CodePointCount(username) > kMaxUsername) {
    return core::Fail(fmt::format("webhook username is longer than {} characters", kMaxUsername));
  }
  for (std::string_view banned : {"discord", "clyde"}) {
    if (ContainsIgnoringCase(username, banned)) {
      return core::Fail(fmt::format("Discord refuses webhook usernames containing \"{}\"", banned));
    }
  }
  return {};
}

core::Result<std::string> WebhookBody(const WebhookIdentity& identity, std::string_view content,
                                      std::span<const DiscordEmbed> embeds,
                                      std::span<const WebhookAttachment> attachments) {
  if (embeds.size() > kMaxEmbedsPerMessage) {
    return core::Fail(fmt::format("{} embeds exceed Discord's {} per message", embeds.size(),
                                  kMaxEmbedsPerMessage));
  }
  if (content.empty() && embeds.empty()) {
    return core::Fail("a webhook message needs content or embeds");
  }
  boost::json::object root;
  if (!identity.username.empty()) {
    root["username"] = TruncateCodePoints(SanitizeUtf8(identity.username), kMaxUsername);
  }
  if (!identity.avatar_url.empty()) root["avatar_url"] = SanitizeUtf8(identity.avatar_url);
  if (!content.empty()) root["content"] = TruncateCodePoints(SanitizeUtf8(content), kMaxContent);
  root["allowed_mentions"] = {{"parse", boost::json::array()}};
  boost::json::array embeds_json;
  embeds_json.reserve(embeds.size());
  std::size_t total = 0;
  for (const DiscordEmbed& embed : embeds) {
    DiscordEmbed clamped = embed;
    ClampEmbed(clamped);
    total += EmbedCharCount(clamped);
    embeds_json.push_back(EmbedJson(clamped));
  }
  if (total > kMaxEmbedCharsPerMessage) {
    return core::Fail(fmt::format("embeds carry {} characters, over Discord's {} per message",
                                  total, kMaxEmbedCharsPerMessage));
  }
  if (!embeds_json.empty()) root["embeds"] = std::move(embeds_json);
  if (!attachments.empty()) {
    boost::json::array attachments_json;
    attachments_json.reserve(attachments.size());
    for (const WebhookAttachment& attachment : attachments) {
      attachments_json.push_back(
          {{"id", attachment.id}, {"filename", SanitizeUtf8(attachment.filename)}});
    }
    root["attachments"] = std::move(attachments_json);
  }
  return boost::json::serialize(root);
}

}  // namespace scanner::alerts
