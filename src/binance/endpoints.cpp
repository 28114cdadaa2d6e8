#include "binance/endpoints.h"

#include <fmt/format.h>

namespace scanner::binance {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void AppendPercentEncoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
}

}  // namespace

std::string_view EndpointName(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kExchangeInfo:
      return "exchangeInfo";
    case Endpoint::kTicker24hAll:
      return "ticker/24hr";
    case Endpoint::kKlines:
      return "klines";
  }
  return "unknown";
}

std::string_view EndpointPath(core::Market market, Endpoint endpoint) {
  const bool spot = market == core::Market::kSpot;
  switch (endpoint) {
    case Endpoint::kExchangeInfo:
      return spot ? "/api/v3/exchangeInfo" : "/fapi/v1/exchangeInfo";
    case Endpoint::kTicker24hAll:
      return spot ? "/api/v3/ticker/24hr" : "/fapi/v1/ticker/24hr";
    case Endpoint::kKlines:
      return spot ? "/api/v3/klines" : "/fapi/v1/klines";
  }
  return "";
}

int MaxKlinesLimit(core::Market market) { return market == core::Market::kSpot ? 1000 : 1500; }

int RequestWeight(core::Market market, Endpoint endpoint, int klines_limit) {
  const bool spot = market == core::Market::kSpot;
  switch (endpoint) {
    case Endpoint::kExchangeInfo:
      return spot ? 20 : 1;
    case Endpoint::kTicker24hAll:
      return spot ? 80 : 40;
    case Endpoint::kKlines: {
      if (spot) return 2;
      const int limit = klines_limit <= 0 ? kDefaultKlinesLimit : klines_limit;
      if (limit < 100) return 1;
      if (limit < 500) return 2;
      if (limit <= 1000) return 5;
      return 10;
    }
  }
  return 0;
}

int DefaultWeightLimitPerMinute(core::Market market) {
  return market == core::Market::kSpot ? 6000 : 2400;
}

std::string_view DefaultRestUrl(core::Market market) {
  return market == core::Market::kSpot ? "https://api.binance.com" : "https://fapi.binance.com";
}

std::optional<std::string> ValidateKlinesQuery(core::Market market, const KlinesQuery& query) {
  if (query.symbol.empty()) return "klines: symbol is empty";
  if (query.limit < 0 || query.limit > MaxKlinesLimit(market)) {
    return fmt::format("klines: limit {} outside [1, {}] for {}", query.limit,
                       MaxKlinesLimit(market), core::MarketName(market));
  }
  if (market == core::Market::kUsdm && query.interval.Name() == "1s") {
    return "klines: interval 1s does not exist on usdm";
  }
  if (query.start_time && query.end_time && *query.start_time > *query.end_time) {
    return fmt::format("klines: startTime {} is after endTime {}", *query.start_time,
                       *query.end_time);
  }
  return std::nullopt;
}

std::string KlinesTarget(core::Market market, const KlinesQuery& query) {
  std::string target(EndpointPath(market, Endpoint::kKlines));
  target += "?symbol=";
  AppendPercentEncoded(target, query.symbol);
  target += "&interval=";
  target += query.interval.Name();
  if (query.start_time) target += fmt::format("&startTime={}", *query.start_time);
  if (query.end_time) target += fmt::format("&endTime={}", *query.end_time);
  if (query.limit > 0) target += fmt::format("&limit={}", query.limit);
  return target;
}

}  // namespace scanner::binance
