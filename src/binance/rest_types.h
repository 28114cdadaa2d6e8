#pragma once
// Plain values decoded from Binance's REST answers. Klines and 24h tickers decode into
// core::Bar and core::Ticker24h; these are the rest. Other modules (universe/) use these types
// without depending on the parser or the client.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/types.h"

namespace scanner::binance {

// One entry of exchangeInfo.symbols, reduced to what the scanner uses.
struct SymbolInfo {
  core::Symbol symbol;
  // spot: TRADING, BREAK, HALT, ...; usdm: TRADING, SETTLING, PENDING_TRADING, ...
  std::string status;
  std::string base_asset;
  std::string quote_asset;
  bool spot_trading_allowed = false;  // spot: isSpotTradingAllowed; false on usdm
  std::string contract_type;          // usdm: PERPETUAL, CURRENT_QUARTER, "" ...; empty on spot

  friend bool operator==(const SymbolInfo&, const SymbolInfo&) = default;
};

// One entry of exchangeInfo.rateLimits.
struct RateLimit {
  std::string type;      // REQUEST_WEIGHT, ORDERS, RAW_REQUESTS
  std::string interval;  // SECOND, MINUTE, DAY
  int interval_num = 0;
  int limit = 0;

  friend bool operator==(const RateLimit&, const RateLimit&) = default;
};

struct ExchangeInfo {
  std::vector<SymbolInfo> symbols;
  std::vector<RateLimit> rate_limits;

  // The REQUEST_WEIGHT limit per one minute, when exchangeInfo states it.
  std::optional<int> RequestWeightPerMinute() const {
    for (const RateLimit& limit : rate_limits) {
      if (limit.type == "REQUEST_WEIGHT" && limit.interval == "MINUTE" && limit.interval_num == 1) {
        return limit.limit;
      }
    }
    return std::nullopt;
  }
};

// Rows of a list answer left out for one reason ("missing quoteVolume", "not an object",
// "symbol: expected string"): how many, and the first one.
struct SkippedRows {
  std::string kind;
  std::size_t count = 0;
  std::size_t first_index = 0;  // position in the answer's array
  std::string first_symbol;     // empty when the row had none

  friend bool operator==(const SkippedRows&, const SkippedRows&) = default;
};

// ticker/24hr for every symbol: the usable rows, in the order received, and the others.
struct Tickers24h {
  std::vector<core::Ticker24h> tickers;
  std::vector<SkippedRows> skipped;  // one entry per kind, in order of first appearance
};

// The rows of all kinds in `skipped`.
inline std::size_t CountSkipped(const std::vector<SkippedRows>& skipped) {
  std::size_t count = 0;
  for (const SkippedRows& rows : skipped) count += rows.count;
  return count;
}

// What the universe is selected from: exchangeInfo and every symbol's 24 h ticker, fetched
// together (RestClient::GetMarketSnapshot).
struct MarketSnapshot {
  ExchangeInfo exchange_info;
  std::vector<core::Ticker24h> tickers;
  std::vector<SkippedRows> skipped_tickers;  // ticker/24hr rows that could not be used
  core::Millis fetched_at = 0;               // when the tickers arrived
};

// A Binance error body: {"code": -1121, "msg": "Invalid symbol."}.
struct BinanceError {
  int code = 0;
  std::string msg;
  // Binance refuses the caller's country ("Service unavailable from a restricted location",
  // usually with HTTP 451 or 403). Retrying cannot help; the operator must act.
  bool restricted_location = false;
};

}  // namespace scanner::binance
