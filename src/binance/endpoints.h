#pragma once
// Binance's public REST endpoints per market: paths, request weights, limits and query strings.
// Pure functions over constants; thread-safe.
//
// Figures from BINANCE_DISCORD_FACTS.md (REST): spot weight limit 6000/min, futures 2400/min;
// the live limit is exchangeInfo.rateLimits (REQUEST_WEIGHT / MINUTE / 1) and replaces the
// default once known (see ExchangeInfo::RequestWeightPerMinute).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/interval.h"
#include "core/market.h"
#include "core/time.h"
#include "core/types.h"

namespace scanner::binance {

enum class Endpoint { kExchangeInfo, kTicker24hAll, kKlines };

// "exchangeInfo", "ticker/24hr", "klines": the name used in error messages.
std::string_view EndpointName(Endpoint endpoint);

// "/api/v3/exchangeInfo" (spot), "/fapi/v1/exchangeInfo" (usdm), ...
std::string_view EndpointPath(core::Market market, Endpoint endpoint);

// Binance's default klines limit when the request names none.
inline constexpr int kDefaultKlinesLimit = 500;

// The largest `limit` a klines request may ask for: 1000 spot, 1500 usdm.
int MaxKlinesLimit(core::Market market);

// The request weight of one call. `klines_limit` matters for usdm klines only (1 below 100,
// 2 below 500, 5 up to 1000, 10 above); 0 means "not given", i.e. kDefaultKlinesLimit.
int RequestWeight(core::Market market, Endpoint endpoint, int klines_limit = 0);

// The per-minute REQUEST_WEIGHT limit to assume until exchangeInfo says otherwise.
int DefaultWeightLimitPerMinute(core::Market market);

// "https://api.binance.com" or "https://fapi.binance.com".
std::string_view DefaultRestUrl(core::Market market);

struct KlinesQuery {
  core::Symbol symbol;
  core::Interval interval;
  std::optional<core::Millis> start_time;
  std::optional<core::Millis> end_time;
  int limit = 0;  // 0 = Binance's default (500)
};

// Checks a query against the market: a non-empty symbol, a limit in [0, MaxKlinesLimit], no
// "1s" on usdm, start <= end when both are given. Returns the reason when it is invalid.
std::optional<std::string> ValidateKlinesQuery(core::Market market, const KlinesQuery& query);

// The request target (path and query string), e.g.
// "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=1&endTime=2&limit=1000".
// Symbols are upper-case ASCII or UTF-8; every byte outside [A-Za-z0-9._~-] is percent-encoded.
std::string KlinesTarget(core::Market market, const KlinesQuery& query);

}  // namespace scanner::binance
