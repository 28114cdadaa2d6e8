#pragma once
// ScriptedMarket: a deterministic Binance market for loopback tests. Every (symbol, interval,
// open time) has one final bar, computed from a hash (no state, no history to store), so the
// fake WebSocket server and the fake REST klines endpoint serve exactly the same bars and a test
// knows exactly what Binance would have delivered.
//
// - Bars open where Binance's do (Interval::BarOpenFor: weeks on Monday) and last the nominal
//   duration, close_time = open + duration - 1; exact up to 1w, while 1M is stepped by 30 days
//   (no test serves calendar months from this fake).
// - Prices and volumes are decimals with at most 4 and 3 fractional digits, written by Binance's
//   "%.8f"-style strings, so a parsed bar equals Bar() exactly.
// - PartialBar() is the bar as it stands before it closes (growing volume, moving close).
// - Frames and REST answers are in Binance's exact shapes (the combined-stream kline event, the
//   `!miniTicker@arr` / `!ticker@arr` arrays, the 12-field klines array).
//
// Calm mode and planned moves (ScriptedMarketOptions), for end-to-end signal tests:
// - Calm: every ordinary bar of a symbol stays within a narrow band around the symbol's level:
//   open and close in [level, level + 0.1), high >= max(open, close) + 0.05, low <= min - 0.05,
//   each extension below 0.1; volume uniform in [1000, 1100). Hence every true range is at
//   least 0.1 and at most 0.3, |close - previous close| < 0.1 (a momentum of at most 1 ATR) and
//   an ordinary bar's quote-volume z-score stays near or below sqrt(3) (it can never reach ~3).
// - A planned move (PlanMove, or a MoveRule matching the bar) replaces the bar: its close is
//   level + 0.05 +/- kPlannedMoveSize (3.6, i.e. at least 12 ATRs of any calm series) and its
//   volume is 20 times the ordinary mid-band volume. The bar after a move is ordinary again (a
//   large return with ordinary volume, which a volume filter rejects).
// - Without calm mode (the default constructor), bars are as before: free drift per bar, wide
//   volumes; planned moves still apply, but their size in ATRs is then not guaranteed.
//
// Thread-safety: every const method is thread-safe; PlanMove may be called from any thread at
// any time (planned moves are guarded by a mutex; a bar already served is not changed back).

#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/interval.h"
#include "core/time.h"
#include "core/types.h"

namespace scanner::fakes {

enum class MoveDirection { kUp, kDown };

// "Every `every`-th bar of `symbol` (all symbols when empty) on `interval`, between `from`
// (inclusive) and `until` (exclusive) open times, is a planned move". The phase within the
// period and the direction are drawn per (symbol, bar) from the hash, so symbols do not move
// together; a rule without `every` (0) matches nothing.
struct MoveRule {
  core::Symbol symbol;
  core::Interval interval;
  std::int64_t every = 0;
  core::Millis from = 0;
  core::Millis until = std::numeric_limits<core::Millis>::max();
};

struct ScriptedMarketOptions {
  std::uint64_t seed = 1;
  bool calm = false;
  std::vector<MoveRule> move_rules;
};

// One planned move: the bar of (symbol, interval) opening at open_time.
struct PlannedMove {
  core::Symbol symbol;
  core::Interval interval;
  core::Millis open_time = 0;
  MoveDirection direction = MoveDirection::kUp;
};

class ScriptedMarket {
 public:
  // The size of a planned move, in price units (see the header comment).
  static constexpr double kPlannedMoveSize = 3.6;

  // `symbols` in Binance's spelling ("BTCUSDT").
  explicit ScriptedMarket(std::vector<core::Symbol> symbols, std::uint64_t seed = 1);
  ScriptedMarket(std::vector<core::Symbol> symbols, ScriptedMarketOptions options);

  // Makes the bar of (symbol, interval) opening at `open_time` a planned move.
  void PlanMove(std::string_view symbol, core::Interval interval, core::Millis open_time,
                MoveDirection direction);
  // The planned move of that bar (PlanMove first, then the rules), if any.
  std::optional<MoveDirection> PlannedMoveAt(std::string_view symbol, core::Interval interval,
                                             core::Millis open_time) const;
  // Every planned move of (symbol, interval) opening in [from, to), oldest first.
  std::vector<PlannedMove> PlannedMoves(std::string_view symbol, core::Interval interval,
                                        core::Millis from, core::Millis to) const;

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

  core::Bar CalmBar(std::string_view symbol, core::Interval interval, core::Millis open_time) const;

  std::vector<core::Symbol> symbols_;
  std::uint64_t seed_;
  bool calm_ = false;
  std::vector<MoveRule> rules_;
  mutable std::mutex planned_mutex_;  // guards planned_
  std::map<std::tuple<core::Symbol, std::size_t, core::Millis>, MoveDirection> planned_;
};

}  // namespace scanner::fakes
