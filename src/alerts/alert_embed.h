#pragma once
// What an alert looks like on Discord: one embed per candidate, built from its fields only.
// Pure functions; thread-safe.
//
//   ▲ BTCUSDT 5m up                                   (green; ▲▲ ... · strong in dark green;
//   Binance spot                        (author)        ▼ red / ▼▼ dark red for down moves)
//   Price 64123.50   Change +3.42%   Move +3.10 ATR
//   Return z +4.20   Volume z +5.80  ATR % 0.85%
//   Bar quote volume 12.35M   24h quote volume 1.25B   Confirmations 15m, 1h
//   Outcome: after 20 bars: +2.1 % (best +3.4 %, worst -0.6 %)      (once measured)
//   ▲ 15m: Change +5.10% · Move +3.20 ATR · Price 64500.00 · 12:15 UTC   (one field per alert of
//      the episode shown in this message: alerts/episode.h)
//   5m bar opened 2024-03-10T12:00:00.000Z  (footer)  · timestamp = bar close, link = trade page
// An alert that escalates an earlier one of its episode says so in its description:
//   "Escalates the move alerted at 12:03 UTC on 1m."

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "alerts/discord_payload.h"
#include "core/candidate.h"

namespace scanner::alerts {

inline constexpr std::uint32_t kColorUp = 0x2ECC71;
inline constexpr std::uint32_t kColorUpStrong = 0x1F8B4C;
inline constexpr std::uint32_t kColorDown = 0xE74C3C;
inline constexpr std::uint32_t kColorDownStrong = 0x992D22;

// The earlier alert an escalating alert refers to.
struct EscalatedMove {
  core::Interval interval;
  core::Millis bar_close_time = 0;
};

// A later alert of the same episode shown as a line of this embed.
struct JoinedAlert {
  const core::Candidate* candidate = nullptr;
  std::string outcome_line;  // FormatOutcomeLine; empty: not measured yet
};

// What the embed needs beyond the candidate. Base and quote assets come from the universe; an
// empty one means unknown (the link then names the bare symbol).
struct AlertEmbedContext {
  bool late = false;  // more than two bar lengths after close (IsLate in alert_format.h)
  std::string_view base_asset;
  std::string_view quote_asset;
  std::string outcome_line;  // FormatOutcomeLine; empty: not measured yet
  std::optional<EscalatedMove> escalates;
  std::span<const JoinedAlert> joined;
};

// The symbol's Binance page: spot https://www.binance.com/en/trade/<BASE>_<QUOTE>?type=spot
// (or .../trade/<SYMBOL> without base/quote), futures https://www.binance.com/en/futures/<SYMBOL>.
// Path parts are percent-encoded, so a non-ASCII or hostile symbol stays one path segment.
std::string BinanceTradeUrl(core::Market market, std::string_view symbol,
                            std::string_view base_asset, std::string_view quote_asset);

// The embed for one alert, already clamped to Discord's limits (ClampEmbed). The symbol is
// markdown-escaped (EscapeMarkdown): a symbol cannot ping, format or link.
DiscordEmbed AlertEmbed(const core::Candidate& candidate, const AlertEmbedContext& context);

}  // namespace scanner::alerts
