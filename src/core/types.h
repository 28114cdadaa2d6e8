#pragma once
// Plain market values shared by every module: symbols, bars, 24h tickers, move direction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace scanner::core {

// Binance's symbol name as the exchange spells it (upper case, e.g. "BTCUSDT"; may be
// non-ASCII UTF-8). Stream names use the lower-case form.
using Symbol = std::string;

// One kline. A bar is identified by its open time; `closed` is final once true.
struct Bar {
  Millis open_time = 0;
  Millis close_time = 0;  // Binance's: open_time + duration - 1
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  double volume = 0;        // base asset
  double quote_volume = 0;  // quote asset
  std::int64_t trades = 0;
  bool closed = false;

  friend bool operator==(const Bar&, const Bar&) = default;
};

// The rolling 24 h statistics of one symbol, from REST ticker/24hr or a ticker stream.
struct Ticker24h {
  Symbol symbol;
  Millis event_time = 0;
  double last_price = 0;
  double open_price = 0;
  double high_price = 0;
  double low_price = 0;
  double base_volume = 0;
  double quote_volume = 0;
  // Percent change over 24 h; mini tickers carry no such field, so it is derived from open/last.
  double price_change_percent = 0;
};

enum class Direction { kUp, kDown };

inline std::string_view DirectionName(Direction direction) {
  return direction == Direction::kUp ? "up" : "down";
}

inline std::optional<Direction> ParseDirection(std::string_view name) {
  if (name == "up") return Direction::kUp;
  if (name == "down") return Direction::kDown;
  return std::nullopt;
}

}  // namespace scanner::core
