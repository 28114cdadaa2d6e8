#include "alerts/alert_embed.h"

#include <fmt/format.h>

#include "alerts/alert_format.h"
#include "alerts/discord_text.h"

namespace scanner::alerts {
namespace {

std::uint32_t ColorOf(const core::Candidate& candidate) {
  bool strong = candidate.severity == core::Severity::kStrong;
  if (candidate.direction == core::Direction::kUp) return strong ? kColorUpStrong : kColorUp;
  return strong ? kColorDownStrong : kColorDown;
}

std::string TitleOf(const core::Candidate& candidate) {
  bool up = candidate.direction == core::Direction::kUp;
  bool strong = candidate.severity == core::Severity::kStrong;
  std::string_view arrow = up ? (strong ? "▲▲" : "▲") : (strong ? "▼▼" : "▼");
  return fmt::format("{} {} {} {}{}", arrow, EscapeMarkdown(candidate.symbol),
                     candidate.interval.Name(), core::DirectionName(candidate.direction),
                     strong ? " · strong" : "");
}

// One later alert of the episode: its interval and figures, and its outcome once measured.
EmbedField JoinedField(const JoinedAlert& joined) {
  const core::Candidate& c = *joined.candidate;
  const bool up = c.direction == core::Direction::kUp;
  const bool strong = c.severity == core::Severity::kStrong;
  std::string_view arrow = up ? (strong ? "▲▲" : "▲") : (strong ? "▼▼" : "▼");
  std::string value = fmt::format("Change {} · Move {} ATR · Price {} · {}",
                                  FormatSignedPercent(c.change_percent), FormatSigned(c.atr_move),
                                  FormatPrice(c.close), FormatClockUtc(DisplayCloseTime(c)));
  if (!joined.outcome_line.empty()) value += "\n" + joined.outcome_line;
  return {fmt::format("{} {}{}", arrow, c.interval.Name(), strong ? " · strong" : ""), value,
          false};
}

std::string_view MarketLabel(core::Market market) {
  return market == core::Market::kSpot ? "Binance spot" : "Binance USDⓈ-M futures";
}

}  // namespace

std::string BinanceTradeUrl(core::Market market, std::string_view symbol,
                            std::string_view base_asset, std::string_view quote_asset) {
  if (market == core::Market::kUsdm) {
    return "https://www.binance.com/en/futures/" + PercentEncode(symbol);
  }
  if (!base_asset.empty() && !quote_asset.empty()) {
    return fmt::format("https://www.binance.com/en/trade/{}_{}?type=spot",
                       PercentEncode(base_asset), PercentEncode(quote_asset));
  }
  return "https://www.binance.com/en/trade/" + PercentEncode(symbol);
}

DiscordEmbed AlertEmbed(const core::Candidate& c, const AlertEmbedContext& context) {
  DiscordEmbed embed;
  embed.title = TitleOf(c);
  if (context.escalates) {
    embed.description =
        fmt::format("Escalates the move alerted at {} on {}.",
                    FormatClockUtc(DisplayCloseTime(context.escalates->bar_close_time)),
                    context.escalates->interval.Name());
  }
  if (context.late) {
    if (!embed.description.empty()) embed.description += "\n";
    embed.description +=
        fmt::format("⚠ **Late**: sent more than two {} bars after the close.", c.interval.Name());
  }
  embed.url = BinanceTradeUrl(c.market, c.symbol, context.base_asset, context.quote_asset);
  embed.timestamp = core::FormatIsoUtc(DisplayCloseTime(c));
  embed.color = ColorOf(c);
  embed.author_name = std::string(MarketLabel(c.market));
  embed.fields = {
      {"Price", FormatPrice(c.close)},
      {"Change", FormatSignedPercent(c.change_percent)},
      {"Move", FormatSigned(c.atr_move) + " ATR"},
      {"Return z", FormatSigned(c.return_z)},
      {"Volume z", FormatSigned(c.volume_z)},
      {"ATR %", FormatPercent(c.atr_percent)},
      {"Bar quote volume", FormatCompact(c.quote_volume)},
      {"24h quote volume", FormatCompact(c.quote_volume_24h)},
      {"Confirmations", FormatConfirmations(c.confirmations)},
  };
  if (context.late) embed.fields.push_back({"Delivery", "⚠ late", true});
  if (!context.outcome_line.empty())
    embed.fields.push_back({"Outcome", context.outcome_line, false});
  for (const JoinedAlert& joined : context.joined) {
    if (joined.candidate != nullptr) embed.fields.push_back(JoinedField(joined));
  }
  embed.footer_text =
      fmt::format("{} bar opened {}", c.interval.Name(), core::FormatIsoUtc(c.bar_open_time));
  ClampEmbed(embed);
  return embed;
}

}  // namespace scanner::alerts
