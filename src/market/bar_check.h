#pragma once
// Whether a kline is a bar at all: the checks every bar passes before it may reach a window or
// the signals, live (stream and REST) and in a replay alike. A bar that fails is refused whole:
// counted by kind and logged once per kind by the caller, never repaired or half-used.
//
//   kNotFinite       a price or volume is NaN or infinite
//   kNonPositive     low <= 0 (every price on Binance is positive)
//   kNegativeVolume  a base or quote volume below 0
//   kHighBelowBody   high < max(open, close)
//   kLowAboveBody    low > min(open, close)
//   kAbsurdRange     high > kMaxHighToLow x low: no real bar moves that much (Binance's price
//                    filters forbid it); one finite but absurd high (1e300) would otherwise
//                    inflate the ATR of its series for days
//   kOffInterval     the open time is not a bar boundary of the interval, or the close time is
//                    not that bar's close (Interval::BarCloseFor: calendar weeks and months)
//
// Pure functions; thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/interval.h"
#include "core/types.h"

namespace scanner::market {

enum class BarDefect : std::uint8_t {
  kNotFinite,
  kNonPositive,
  kNegativeVolume,
  kHighBelowBody,
  kLowAboveBody,
  kAbsurdRange,
  kOffInterval,
};
inline constexpr std::size_t kBarDefectCount = 7;

// Far above any real bar: a move of x1000 within one bar, on any interval up to a month.
inline constexpr double kMaxHighToLow = 1000.0;

// "not_finite", "non_positive", ...: stable names for logs and metrics labels.
std::string_view BarDefectName(BarDefect defect);

// The first defect of the prices and volumes, or nullopt.
std::optional<BarDefect> CheckBarValues(const core::Bar& bar);
// The first defect of `bar` as a bar of `interval` (values first, then times), or nullopt.
std::optional<BarDefect> CheckBar(const core::Bar& bar, core::Interval interval);

// Refused bars by defect, for counters.
using BarDefectCounts = std::array<std::uint64_t, kBarDefectCount>;

}  // namespace scanner::market
