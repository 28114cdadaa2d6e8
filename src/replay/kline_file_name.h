#pragma once
// The names data.binance.vision gives its kline files, e.g. "BTCUSDT-1m-2024-03-10.zip" (daily)
// or "BTCUSDT-1mo-2024-03.csv" (monthly; the 1M interval is spelled "1mo" in file names).
// Pure functions; thread-safe.

#include <optional>
#include <string_view>

#include "core/interval.h"
#include "core/types.h"

namespace scanner::replay {

struct KlineFileName {
  core::Symbol symbol;
  core::Interval interval;

  friend bool operator==(const KlineFileName&, const KlineFileName&) = default;
};

// An interval as the replay command accepts it: Binance's names ("1s" ... "1M", case-sensitive)
// and "1mo", the monthly files' spelling of "1M".
std::optional<core::Interval> ParseReplayInterval(std::string_view name);

// SYMBOL-INTERVAL-YYYY-MM[-DD].(csv|zip) (extension in any case; directories ignored). The
// symbol is everything before the interval, so it may itself contain '-'. nullopt for any other
// name.
std::optional<KlineFileName> ParseKlineFileName(std::string_view path);

}  // namespace scanner::replay
