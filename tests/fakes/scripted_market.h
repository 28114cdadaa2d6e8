#pragma once
// ScriptedMarket: a deterministic Binance market for loopback tests. Every (symbol, interval,
// open time) has one final bar, computed from a hash (no state, no history to store), so the
// fake WebSocket server and the fake REST klines endpoint serve exactly the same bars and a test
// knows exactly what Binance would have delivered.
//
// - Bars are aligned like Binance's (open time a multiple of the interval's duration; 1s and 1m
//   bars are exact; 1M uses the nominal 30 days), close_time = open + duration - 1.
// - Prices and volumes are decimals with at most 4 and 3 fractional digits, written by Binance's
//   "%.8f"-style strings, so a parsed bar equals Bar() exactly.
// - PartialBar() is the bar as it stands before it closes (growing volume, moving close).
// - Frames and REST answers are in Binance's exact shapes (the combined-stream kline event, the
//   `!miniTicker@arr` / `!ticker@arr` arrays, the 12-field klines array).
//
// Immutable after construction: thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/interval.h"
#include "core/time.h"
#include "core/types.h"

namespace scanner::fakes {

class ScriptedMarket {
 public:
  // `symbols` in Binance's spelling ("BTCUSDT").
  explicit ScriptedMarket(std::vector<core::Symbol> symbols, std::uint64_t seed = 1);

  const std::vector<core::Symbol>& symbols() const { return symbols_; }
  bool Lists(std::string_view symbol) const;
  // The symbol for a stream's lower-case spelling ("btcusdt" -> "BTCUSDT"), if listed.
  std::optional<core::Symbol> FromStreamName(std::string_view lower) const;

  // The final (closed) bar opening at `open_time` (aligned down to the interval).
  core::Bar Bar(std::string_view symbol, core::Interval interval, core::Millis open_time) const;
  // The bar opening at `open_time` as it stands at `now` (open unless now > close_time).
  core::Bar PartialBar(std::string_view symbol, core::Interval interval, core::Millis open_time,
                       core::Millis now) const;
  // The closed bars with from <= open_time < to, oldest first.
  std::vector<core::Bar> ClosedBars(std::string_view symbol, core::Interval interval,
                                    core::Millis from, core::Millis to) const;

  // Binance's klines answer at `now` (a JSON array of 12-field arrays): with startTime the
  // oldest bars from there, else the newest up to endTime (or now); never a bar opening after
  // now; the last one may be open; at most `limit` (0: 500).
  std::string KlinesJson(std::string_view symbol, core::Interval interval,
                         std::optional<core::Millis> start_time,
                         std::optional<core::Millis> end_time, int limit, core::Millis now) const;

  // {"stream":"<sym>@kline_<i>","data":{"e":"kline",...}} as Binance sends it.
  static std::string KlineFrame(std::string_view symbol, core::Interval interval,
                                const core::Bar& bar, core::Millis event_time);
  // {"stream":"!miniTicker@arr","data":[...]} (spot) or !ticker@arr (full tickers, usdm, with
  // "st":1) for every listed symbol at `now`.
  std::string MiniTickerArrayFrame(core::Millis now) const;
  std::string TickerArrayFrame(core::Millis now) const;

 private:
  std::uint64_t Hash(std::string_view symbol, core::Interval interval, core::Millis open_time,
                     std::uint64_t salt) const;
  // A uniform value in [0, range) from the hash.
  std::int64_t Draw(std::string_view symbol, core::Interval interval, core::Millis open_time,
                    std::uint64_t salt, std::int64_t range) const;
  core::Millis Align(core::Interval interval, core::Millis time) const;

  std::vector<core::Symbol> symbols_;
  std::uint64_t seed_;
};

}  // namespace scanner::fakes
