#include "alerts/discord_payload.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "alerts/discord_text.h"
#include "payload_checks.h"

namespace scanner::alerts {
namespace {

using test_support::CheckBody;

// `n` code points of a 3-byte character, so byte counts and code point counts differ.
std::string Euros(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += "\u20AC";
  return out;
}

boost::json::object OnlyEmbed(const std::string& body) {
  return boost::json::parse(body).at("embeds").as_array().at(0).as_object();
}

std::string Text(const boost::json::value& value) { return std::string(value.as_string()); }

std::string BodyOf(const DiscordEmbed& embed) {
  auto body = WebhookBody({"Momentum Scanner", ""}, "", std::span(&embed, 1));
  EXPECT_TRUE(body) << body.error().message;
  return body ? *body : std::string();
}

DiscordEmbed Sized(std::size_t description_chars) {
  DiscordEmbed embed;
  embed.title = std::string(1, 't');  // not = "t": GCC 12 at -O3 misreads that (-Wrestrict)
  embed.description = std::string(description_chars, 'd');
  return embed;
}

TEST(DiscordPayload, EveryBodyForbidsMentionParsing) {
  DiscordEmbed embed;
  embed.title = "@everyone <@123> <@&456>";
  std::string body = BodyOf(embed);
  CheckBody(body);
  EXPECT_NE(body.find(R"("allowed_mentions":{"parse":[]})"), std::string::npos);
  auto content_only = WebhookBody({}, "@here hello", {});
  ASSERT_TRUE(content_only);
  CheckBody(*content_only);
}

TEST(DiscordPayload, IdentityAndEmptyPartsAreLeftOut) {
  DiscordEmbed embed;
  embed.title = "x";
  auto plain = WebhookBody({}, "", std::span(&embed, 1));
  ASSERT_TRUE(plain);
  auto root = boost::json::parse(*plain).as_object();
  EXPECT_FALSE(root.contains("username"));
  EXPECT_FALSE(root.contains("avatar_url"));
  EXPECT_FALSE(root.contains("content"));
  EXPECT_FALSE(OnlyEmbed(*plain).contains("description"));
  auto named = WebhookBody({"Scanner", "https://example.com/a.png"}, "hi", std::span(&embed, 1));
  ASSERT_TRUE(named);
  root = boost::json::parse(*named).as_object();
  EXPECT_EQ(Text(root.at("username")), "Scanner");
  EXPECT_EQ(Text(root.at("avatar_url")), "https://example.com/a.png");
  EXPECT_EQ(Text(root.at("content")), "hi");
  EXPECT_FALSE(WebhookBody({}, "", {}));  // nothing to send
}

struct TextLimit {
  const char* name;
  std::size_t limit;
  std::string DiscordEmbed::*member;
};

TEST(DiscordPayload, EachTextAtItsLimitIsKeptAndOneOverIsTruncated) {
  const TextLimit limits[] = {{"title", kMaxEmbedTitle, &DiscordEmbed::title},
                              {"description", kMaxEmbedDescription, &DiscordEmbed::description},
                              {"footer", kMaxFooterText, &DiscordEmbed::footer_text},
                              {"author", kMaxAuthorName, &DiscordEmbed::author_name}};
  for (const TextLimit& limit : limits) {
    SCOPED_TRACE(limit.name);
    DiscordEmbed at;
    at.*limit.member = Euros(limit.limit);
    std::string body = BodyOf(at);
    CheckBody(body);
    auto embed = OnlyEmbed(body);
    auto read = [&](const boost::json::object& e) {
      if (std::string_view(limit.name) == "footer") return Text(e.at("footer").at("text"));
      if (std::string_view(limit.name) == "author") return Text(e.at("author").at("name"));
      return Text(e.at(limit.name));
    };
    EXPECT_EQ(read(embed), Euros(limit.limit));

    DiscordEmbed over;
    over.*limit.member = Euros(limit.limit + 1);
    body = BodyOf(over);
    CheckBody(body);
    std::string text = read(OnlyEmbed(body));
    EXPECT_EQ(CodePointCount(text), limit.limit);
    EXPECT_EQ(text, Euros(limit.limit - 1) + "\u2026");
  }
}

TEST(DiscordPayload, FieldNamesValuesAndCountAtAndOverLimits) {
  DiscordEmbed at;
  at.fields.push_back({Euros(kMaxFieldName), std::string(kMaxFieldValue, 'v'), false});
  auto fields = OnlyEmbed(BodyOf(at)).at("fields").as_array();
  EXPECT_EQ(Text(fields.at(0).at("name")), Euros(kMaxFieldName));
  EXPECT_EQ(Text(fields.at(0).at("value")).size(), kMaxFieldValue);
  EXPECT_FALSE(fields.at(0).at("inline").as_bool());

  DiscordEmbed over;
  over.fields.push_back({Euros(kMaxFieldName + 1), Euros(kMaxFieldValue + 1)});
  std::string body = BodyOf(over);
  CheckBody(body);
  fields = OnlyEmbed(body).at("fields").as_array();
  EXPECT_EQ(CodePointCount(Text(fields.at(0).at("name"))), kMaxFieldName);
  EXPECT_EQ(CodePointCount(Text(fields.at(0).at("value"))), kMaxFieldValue);
  EXPECT_TRUE(Text(fields.at(0).at("value")).ends_with("\u2026"));

  DiscordEmbed many;
  for (std::size_t i = 0; i < kMaxEmbedFields + 1; ++i) many.fields.push_back({"n", "v"});
  EXPECT_EQ(OnlyEmbed(BodyOf(many)).at("fields").as_array().size(), kMaxEmbedFields);
  many.fields.resize(kMaxEmbedFields);
  EXPECT_EQ(OnlyEmbed(BodyOf(many)).at("fields").as_array().size(), kMaxEmbedFields);

  DiscordEmbed empty;
  empty.fields.push_back({"", ""});
  CheckBody(BodyOf(empty));  // empty name/value would be a 400; they become "-"
}

TEST(DiscordPayload, OneEmbedAtSixThousandIsKeptAndOverIsCutToExactlySixThousand) {
  DiscordEmbed exact;
  exact.title = Euros(200);
  exact.description = Euros(kMaxEmbedDescription);
  exact.fields.push_back({"n", Euros(kMaxFieldValue)});
  exact.fields.push_back(
      {"m", Euros(kMaxEmbedCharsPerMessage - 200 - kMaxEmbedDescription - 1 - kMaxFieldValue - 1)});
  ASSERT_EQ(EmbedCharCount(exact), kMaxEmbedCharsPerMessage);
  std::string body = BodyOf(exact);
  EXPECT_EQ(CheckBody(body), kMaxEmbedCharsPerMessage);
  EXPECT_EQ(Text(OnlyEmbed(body).at("description")), Euros(kMaxEmbedDescription));

  DiscordEmbed huge;
  huge.title = Euros(kMaxEmbedTitle);
  huge.description = Euros(kMaxEmbedDescription);
  huge.footer_text = Euros(kMaxFooterText);
  huge.author_name = Euros(kMaxAuthorName);
  for (std::size_t i = 0; i < kMaxEmbedFields; ++i) {
    huge.fields.push_back({Euros(kMaxFieldName), Euros(kMaxFieldValue)});
  }
  DiscordEmbed clamped = huge;
  ClampEmbed(clamped);
  EXPECT_EQ(EmbedCharCount(clamped), kMaxEmbedCharsPerMessage);
  EXPECT_EQ(clamped.title, huge.title);  // cut from the description and fields first
  EXPECT_EQ(CheckBody(BodyOf(huge)), kMaxEmbedCharsPerMessage);
}

TEST(DiscordPayload, OverLongUrlIsDroppedNotCut) {
  DiscordEmbed at;
  at.title = "t";
  at.url = "https://www.binance.com/";
  at.url.append(kMaxEmbedUrl - at.url.size(), 'a');
  ASSERT_EQ(at.url.size(), kMaxEmbedUrl);
  DiscordEmbed over = at;
  over.url.push_back('a');
  ClampEmbed(at);
  ClampEmbed(over);
  EXPECT_EQ(at.url.size(), kMaxEmbedUrl);
  EXPECT_TRUE(over.url.empty());
  EXPECT_EQ(over.title, "t");
}

TEST(DiscordPayload, ContentAndUsernameLimits) {
  auto at = WebhookBody({}, Euros(kMaxContent), {});
  ASSERT_TRUE(at);
  EXPECT_EQ(Text(boost::json::parse(*at).at("content")), Euros(kMaxContent));
  auto over = WebhookBody({Euros(kMaxUsername + 5), ""}, Euros(kMaxContent + 1), {});
  ASSERT_TRUE(over);
  CheckBody(*over);
  auto root = boost::json::parse(*over);
  EXPECT_EQ(CodePointCount(Text(root.at("content"))), kMaxContent);
  EXPECT_EQ(CodePointCount(Text(root.at("username"))), kMaxUsername);
}

TEST(DiscordPayload, MessageLevelLimitsAreRefusedNotSent) {
  std::vector<DiscordEmbed> ten(kMaxEmbedsPerMessage, Sized(10));
  auto ok = WebhookBody({}, "", ten);
  ASSERT_TRUE(ok);
  CheckBody(*ok);
  std::vector<DiscordEmbed> eleven(kMaxEmbedsPerMessage + 1, Sized(10));
  auto too_many = WebhookBody({}, "", eleven);
  ASSERT_FALSE(too_many);
  EXPECT_NE(too_many.error().message.find("11 embeds"), std::string::npos);

  std::vector<DiscordEmbed> exact = {Sized(2999), Sized(2999)};  // 3000 + 3000 with titles
  auto at_limit = WebhookBody({}, "", exact);
  ASSERT_TRUE(at_limit);
  EXPECT_EQ(CheckBody(*at_limit), kMaxEmbedCharsPerMessage);
  std::vector<DiscordEmbed> heavy = {Sized(2999), Sized(3000)};
  EXPECT_FALSE(WebhookBody({}, "", heavy));
}

TEST(DiscordPayload, InvalidUtf8NeverReachesTheBody) {
  DiscordEmbed embed;
  embed.title = "bad \xC3\x28 title";
  embed.fields.push_back({"\xFF", "ok \xE2\x82"});
  std::string body = BodyOf(embed);
  CheckBody(body);  // strict UTF-8 parse
  EXPECT_EQ(Text(OnlyEmbed(body).at("title")), "bad \uFFFD( title");
}

TEST(PackEmbeds, TwentyThreeAlertsMakeThreeMessagesInOrder) {
  std::vector<DiscordEmbed> embeds;
  for (int i = 0; i < 23; ++i) {
    DiscordEmbed embed = Sized(300);
    embed.title = "alert " + std::to_string(i);
    embeds.push_back(embed);
  }
  auto ranges = PackEmbeds(embeds);
  ASSERT_EQ(ranges, (std::vector<MessageRange>{{0, 10}, {10, 20}, {20, 23}}));
  int next = 0;
  for (const MessageRange& range : ranges) {
    auto body = WebhookBody({}, "", std::span(embeds).subspan(range.begin, range.size()));
    ASSERT_TRUE(body) << body.error().message;
    CheckBody(*body);
    boost::json::value root = boost::json::parse(*body);
    for (const auto& embed : root.at("embeds").as_array()) {
      EXPECT_EQ(Text(embed.at("title")), "alert " + std::to_string(next++));
    }
  }
  EXPECT_EQ(next, 23);
}

TEST(PackEmbeds, CharacterBudgetSplitsMessagesAndNeverExceedsIt) {
  // 2500 each: two fit (5000), three do not (7500).
  std::vector<DiscordEmbed> big(7, Sized(2499));
  auto ranges = PackEmbeds(big);
  EXPECT_EQ(ranges, (std::vector<MessageRange>{{0, 2}, {2, 4}, {4, 6}, {6, 7}}));

  // Exactly 6000 still packs together.
  std::vector<DiscordEmbed> exact = {Sized(2999), Sized(2999), Sized(2999)};
  EXPECT_EQ(PackEmbeds(exact), (std::vector<MessageRange>{{0, 2}, {2, 3}}));

  // Mixed sizes: every message within both limits, all embeds covered once, in order.
  std::vector<DiscordEmbed> mixed;
  for (int i = 0; i < 60; ++i) mixed.push_back(Sized(static_cast<std::size_t>((i * 977) % 3000)));
  std::size_t expected_begin = 0;
  for (const MessageRange& range : PackEmbeds(mixed)) {
    EXPECT_EQ(range.begin, expected_begin);
    EXPECT_GE(range.size(), 1u);
    EXPECT_LE(range.size(), kMaxEmbedsPerMessage);
    std::size_t chars = 0;
    for (std::size_t i = range.begin; i < range.end; ++i) chars += EmbedCharCount(mixed[i]);
    EXPECT_LE(chars, kMaxEmbedCharsPerMessage);
    // Greedy: the next embed would not have fitted.
    if (range.end < mixed.size() && range.size() < kMaxEmbedsPerMessage) {
      EXPECT_GT(chars + EmbedCharCount(mixed[range.end]), kMaxEmbedCharsPerMessage);
    }
    expected_begin = range.end;
  }
  EXPECT_EQ(expected_begin, mixed.size());
  EXPECT_TRUE(PackEmbeds({}).empty());
}

TEST(WebhookUsername, DiscordRulesAreCheckedUpFront) {
  EXPECT_TRUE(CheckWebhookUsername("Momentum Scanner"));
  EXPECT_TRUE(CheckWebhookUsername(""));
  EXPECT_TRUE(CheckWebhookUsername(Euros(kMaxUsername)));
  EXPECT_FALSE(CheckWebhookUsername(Euros(kMaxUsername + 1)));
  EXPECT_FALSE(CheckWebhookUsername("My DISCORD alerts"));
  EXPECT_FALSE(CheckWebhookUsername("clyde"));
  EXPECT_FALSE(CheckWebhookUsername("   "));
}

}  // namespace
}  // namespace scanner::alerts
