#pragma once
// Test helper: measures a webhook body the way Discord validates it.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "alerts/discord_payload.h"
#include "alerts/discord_text.h"

namespace scanner::alerts::test_support {

inline std::size_t Chars(const boost::json::value& value) {
  return CodePointCount(std::string_view(value.as_string()));
}

// Parses `body` (strict UTF-8) and checks every Discord limit and the mention policy; returns
// the characters counted against the 6000 per message.
inline std::size_t CheckBody(const std::string& body) {
  boost::json::error_code ec;
  boost::json::value root = boost::json::parse(body, ec);
  EXPECT_FALSE(ec) << "body is not valid JSON/UTF-8: " << ec.message();
  if (ec) return 0;
  const auto& message = root.as_object();
  // Mentions are never parsed: exactly {"parse": []}.
  EXPECT_TRUE(message.contains("allowed_mentions"));
  if (message.contains("allowed_mentions")) {
    EXPECT_EQ(boost::json::serialize(message.at("allowed_mentions")), R"({"parse":[]})");
  }
  if (message.contains("content")) {
    EXPECT_LE(Chars(message.at("content")), kMaxContent);
  }
  if (message.contains("username")) {
    EXPECT_LE(Chars(message.at("username")), kMaxUsername);
  }
  std::size_t total = 0;
  if (!message.contains("embeds")) return total;
  const auto& embeds = message.at("embeds").as_array();
  EXPECT_LE(embeds.size(), kMaxEmbedsPerMessage);
  for (const auto& value : embeds) {
    const auto& embed = value.as_object();
    if (embed.contains("title")) {
      EXPECT_LE(Chars(embed.at("title")), kMaxEmbedTitle);
      total += Chars(embed.at("title"));
    }
    if (embed.contains("description")) {
      EXPECT_LE(Chars(embed.at("description")), kMaxEmbedDescription);
      total += Chars(embed.at("description"));
    }
    if (embed.contains("author")) {
      EXPECT_LE(Chars(embed.at("author").at("name")), kMaxAuthorName);
      total += Chars(embed.at("author").at("name"));
    }
    if (embed.contains("footer")) {
      EXPECT_LE(Chars(embed.at("footer").at("text")), kMaxFooterText);
      total += Chars(embed.at("footer").at("text"));
    }
    if (embed.contains("fields")) {
      const auto& fields = embed.at("fields").as_array();
      EXPECT_LE(fields.size(), kMaxEmbedFields);
      for (const auto& field : fields) {
        std::size_t name = Chars(field.at("name"));
        std::size_t text = Chars(field.at("value"));
        EXPECT_GE(name, 1u);
        EXPECT_GE(text, 1u);
        EXPECT_LE(name, kMaxFieldName);
        EXPECT_LE(text, kMaxFieldValue);
        total += name + text;
      }
    }
  }
  EXPECT_LE(total, kMaxEmbedCharsPerMessage);
  return total;
}

}  // namespace scanner::alerts::test_support
