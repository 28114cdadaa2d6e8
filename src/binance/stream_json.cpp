#include "binance/stream_json.h"

#include <algorithm>
#include <array>

namespace scanner::binance::stream_internal {
namespace {

struct EventName {
  std::string_view name;
  Event event;
};
// The events the scanner consumes first; the rest are Binance market streams it skips.
constexpr std::array<EventName, 16> kEventNames = {{
    {"kline", Event::kKline},
    {"24hrMiniTicker", Event::kMiniTicker},
    {"24hrTicker", Event::kTicker},
    {"serverShutdown", Event::kShutdown},
    {"depthUpdate", Event::kIgnored},
    {"aggTrade", Event::kIgnored},
    {"trade", Event::kIgnored},
    {"bookTicker", Event::kIgnored},
    {"markPriceUpdate", Event::kIgnored},
    {"forceOrder", Event::kIgnored},
    {"continuous_kline", Event::kIgnored},
    {"indexPriceUpdate", Event::kIgnored},
    {"compositeIndex", Event::kIgnored},
    {"contractInfo", Event::kIgnored},
    {"assetIndexUpdate", Event::kIgnored},
    {"avgPrice", Event::kIgnored},
}};

}  // namespace

Event EventOf(od::raw_json_string raw) {
  for (const EventName& entry : kEventNames) {
    if (raw.unsafe_is_equal(entry.name)) return entry.event;
  }
  // Rolling-window tickers: "1hTicker", "4hTicker", "1dTicker", ...
  const char* text = raw.raw();
  const std::size_t length = std::strcspn(text, "\"");
  if (length > 6 && std::string_view(text + length - 6, 6) == "Ticker") return Event::kIgnored;
  return Event::kUnknown;
}

// "<symbol>@<type>[@<option>]" or "!<type>[@arr]" -> what its events are.
Event StreamEvent(std::string_view name) {
  // Names are short: plain loops beat memchr calls here.
  std::string_view type;
  if (!name.empty() && name.front() == '!') {
    type = name.substr(1);
  } else {
    const auto at = std::ranges::find(name, '@');
    if (at == name.end() || at == name.begin()) return Event::kUnknown;
    type = std::string_view(at + 1, name.end());
  }
  type = std::string_view(type.begin(), std::ranges::find(type, '@'));
  if (type.starts_with("kline_")) return Event::kKline;
  if (type == "ticker") return Event::kTicker;
  if (type == "miniTicker") return Event::kMiniTicker;
  if (type == "serverShutdown") return Event::kShutdown;
  constexpr std::array<std::string_view, 9> kIgnoredExact = {
      "aggTrade",  "trade",          "bookTicker",   "forceOrder", "avgPrice",
      "markPrice", "compositeIndex", "contractInfo", "assetIndex"};
  constexpr std::array<std::string_view, 6> kIgnoredPrefix = {
      "depth", "ticker_", "continuousKline_", "indexPrice", "markPriceKline_", "indexPriceKline_"};
  if (std::ranges::find(kIgnoredExact, type) != kIgnoredExact.end()) return Event::kIgnored;
  for (std::string_view prefix : kIgnoredPrefix) {
    if (type.starts_with(prefix)) return Event::kIgnored;
  }
  return Event::kUnknown;
}

Fault ReadDecimalSlow(od::value& value, double& out) {
  if (value.get_double_in_string().get(out) == SUCCESS) return Fault::kNone;
  return Classify(value, od::json_type::string);
}

Fault Classify(od::value& value, od::json_type expected) {
  od::json_type type;
  if (value.type().get(type) != SUCCESS) return Fault::kInvalidJson;
  return type == expected ? Fault::kBadNumber : Fault::kWrongType;
}

}  // namespace scanner::binance::stream_internal
