#include "alerts/alert_embed.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "alerts/alert_format.h"
#include "payload_checks.h"
#include "support/candidates.h"

namespace scanner::alerts {
namespace {

using support::I;
using support::SampleAlert;

std::string Field(const DiscordEmbed& embed, std::string_view name) {
  for (const EmbedField& field : embed.fields) {
    if (field.name == name) return field.value;
  }
  return "<missing>";
}

// The context of a plain alert: late or not, with the assets of its trade link.
AlertEmbedContext Context(bool late, std::string_view base = "", std::string_view quote = "") {
  AlertEmbedContext context;
  context.late = late;
  context.base_asset = base;
  context.quote_asset = quote;
  return context;
}

TEST(AlertEmbed, ShowsEveryNumberOfTheCandidate) {
  DiscordEmbed embed = AlertEmbed(SampleAlert(), Context(false, "BTC", "USDT"));
  EXPECT_EQ(embed.title, "▲ BTCUSDT 5m up");
  EXPECT_EQ(embed.color, kColorUp);
  EXPECT_EQ(embed.url, "https://www.binance.com/en/trade/BTC_USDT?type=spot");
  EXPECT_EQ(embed.timestamp, "2024-03-10T12:05:00.000Z");
  EXPECT_EQ(embed.author_name, "Binance spot");
  EXPECT_EQ(embed.footer_text, "5m bar opened 2024-03-10T12:00:00.000Z");
  EXPECT_TRUE(embed.description.empty());
  EXPECT_EQ(Field(embed, "Price"), "64123.50");
  EXPECT_EQ(Field(embed, "Change"), "+3.42%");
  EXPECT_EQ(Field(embed, "Move"), "+3.10 ATR");
  EXPECT_EQ(Field(embed, "Return z"), "+4.20");
  EXPECT_EQ(Field(embed, "Volume z"), "+5.80");
  EXPECT_EQ(Field(embed, "ATR %"), "0.85%");
  EXPECT_EQ(Field(embed, "Bar quote volume"), "12.35M");
  EXPECT_EQ(Field(embed, "24h quote volume"), "1.25B");
  EXPECT_EQ(Field(embed, "Confirmations"), "15m, 1h");
  EXPECT_EQ(Field(embed, "Delivery"), "<missing>");
  EXPECT_EQ(embed.fields.size(), 9u);
}

TEST(AlertEmbed, DirectionAndSeverityChooseArrowAndColour) {
  core::Candidate c = SampleAlert();
  c.severity = core::Severity::kStrong;
  EXPECT_EQ(AlertEmbed(c, {}).title, "▲▲ BTCUSDT 5m up · strong");
  EXPECT_EQ(AlertEmbed(c, {}).color, kColorUpStrong);
  c.direction = core::Direction::kDown;
  EXPECT_EQ(AlertEmbed(c, {}).title, "▼▼ BTCUSDT 5m down · strong");
  EXPECT_EQ(AlertEmbed(c, {}).color, kColorDownStrong);
  c.severity = core::Severity::kNormal;
  EXPECT_EQ(AlertEmbed(c, {}).title, "▼ BTCUSDT 5m down");
  EXPECT_EQ(AlertEmbed(c, {}).color, kColorDown);
}

TEST(AlertEmbed, LateAlertsSayTheyAreLate) {
  DiscordEmbed embed = AlertEmbed(SampleAlert(), Context(true));
  EXPECT_NE(embed.description.find("Late"), std::string::npos);
  EXPECT_EQ(Field(embed, "Delivery"), "⚠ late");
}

TEST(AlertEmbed, LinksToTheRightBinancePage) {
  EXPECT_EQ(BinanceTradeUrl(core::Market::kSpot, "BTCUSDT", "", ""),
            "https://www.binance.com/en/trade/BTCUSDT");
  EXPECT_EQ(BinanceTradeUrl(core::Market::kSpot, "BTCUSDT", "BTC", ""),
            "https://www.binance.com/en/trade/BTCUSDT");
  EXPECT_EQ(BinanceTradeUrl(core::Market::kUsdm, "BTCUSDT", "BTC", "USDT"),
            "https://www.binance.com/en/futures/BTCUSDT");
  EXPECT_EQ(BinanceTradeUrl(core::Market::kSpot, "币安人生USDT", "币安人生", "USDT"),
            "https://www.binance.com/en/trade/%E5%B8%81%E5%AE%89%E4%BA%BA%E7%94%9F_USDT?type=spot");
  EXPECT_EQ(BinanceTradeUrl(core::Market::kUsdm, "A/../B?x", "", ""),
            "https://www.binance.com/en/futures/A%2F..%2FB%3Fx");
}

TEST(AlertEmbed, HostileSymbolCannotPingFormatOrLink) {
  core::Candidate c = SampleAlert("@everyone **PUMP** [free](https://evil.example) <@123> @here");
  DiscordEmbed embed = AlertEmbed(c, {});
  std::vector<DiscordEmbed> one = {embed};
  auto body = WebhookBody({"Momentum Scanner", ""}, "", one);
  ASSERT_TRUE(body);
  test_support::CheckBody(*body);
  std::string title(boost::json::parse(*body).at("embeds").at(0).at("title").as_string());
  EXPECT_EQ(title.find("@everyone"), std::string::npos) << title;
  EXPECT_EQ(title.find("@here"), std::string::npos) << title;
  EXPECT_NE(title.find("\\@\u200Beveryone"), std::string::npos) << title;
  EXPECT_EQ(title.find("<@"), std::string::npos);
  EXPECT_EQ(title.find("]("), std::string::npos);
  EXPECT_EQ(title.find("https://"), std::string::npos);
  EXPECT_NE(title.find("\\*\\*PUMP\\*\\*"), std::string::npos) << title;
}

TEST(AlertEmbed, NonAsciiAndBrokenSymbolsStayValid) {
  DiscordEmbed embed = AlertEmbed(SampleAlert("币安人生USDT"), {});
  EXPECT_EQ(embed.title, "▲ 币安人生USDT 5m up");
  DiscordEmbed broken = AlertEmbed(SampleAlert("BAD\xFF\nX"), {});
  EXPECT_EQ(broken.title, "▲ BAD\uFFFD\uFFFDX 5m up");
  std::vector<DiscordEmbed> one = {broken};
  auto body = WebhookBody({}, "", one);
  ASSERT_TRUE(body);
  test_support::CheckBody(*body);
}

TEST(AlertEmbed, AHugeSymbolIsTruncatedToTheTitleLimit) {
  DiscordEmbed embed = AlertEmbed(SampleAlert(std::string(1000, '*')), {});
  EXPECT_EQ(CodePointCount(embed.title), kMaxEmbedTitle);
  EXPECT_TRUE(embed.title.ends_with("\u2026"));
  EXPECT_LE(EmbedCharCount(embed), kMaxEmbedCharsPerMessage);
}

TEST(AlertEmbed, TenTypicalAlertsFitOneMessage) {
  std::vector<DiscordEmbed> embeds;
  for (int i = 0; i < 10; ++i)
    embeds.push_back(AlertEmbed(SampleAlert(), Context(true, "BTC", "USDT")));
  ASSERT_EQ(PackEmbeds(embeds).size(), 1u);
  auto body = WebhookBody({"Momentum Scanner", ""}, "", embeds);
  ASSERT_TRUE(body);
  EXPECT_LT(test_support::CheckBody(*body), kMaxEmbedCharsPerMessage);
}

TEST(AlertEmbed, ShowsOutcomeEscalationAndTheEpisodesLaterAlerts) {
  core::Candidate later =
      support::MakeCandidate("BTCUSDT", support::kSampleNoon + 15 * core::kMinute - 1, "15m");
  later.severity = core::Severity::kStrong;
  later.change_percent = 5.1;
  std::vector<JoinedAlert> joined{{&later, "after 20 bars: +2.1 %"}};
  AlertEmbedContext context = Context(false);
  context.outcome_line = "after 20 bars: +1.0 % (best +3.4 %)";
  context.escalates = EscalatedMove{I("1m"), support::kSampleNoon + 3 * core::kMinute - 1};
  context.joined = joined;
  DiscordEmbed embed = AlertEmbed(SampleAlert(), context);
  EXPECT_EQ(Field(embed, "Outcome"), "after 20 bars: +1.0 % (best +3.4 %)");
  EXPECT_EQ(embed.description, "Escalates the move alerted at 12:03 UTC on 1m.");
  EXPECT_EQ(Field(embed, "▲▲ 15m · strong"),
            "Change +5.10% · Move +3.10 ATR · Price 64123.50 · 12:15 UTC\nafter 20 bars: +2.1 %");
  // Without them, none of it.
  DiscordEmbed plain = AlertEmbed(SampleAlert(), Context(false));
  EXPECT_EQ(Field(plain, "Outcome"), "<missing>");
  EXPECT_EQ(plain.description, "");
  EXPECT_EQ(plain.fields.size(), 9u);
}

}  // namespace
}  // namespace scanner::alerts
