#pragma once
// A Binance kline interval ("1s" ... "1M"). A small value type: compare, hash, parse, format.

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "core/time.h"

namespace scanner::core {

class Interval {
 public:
  // The shortest interval ("1s"); exists so Interval can sit in aggregates. Prefer Parse().
  constexpr Interval() = default;

  // Every interval Binance serves, shortest first. "1s" exists on spot only.
  static std::span<const Interval> All();

  // Exact, case-sensitive: "1m" is a minute, "1M" a month.
  static std::optional<Interval> Parse(std::string_view name);

  std::string_view Name() const;

  // Nominal length. A month counts as 30 days: use the bar's own close time where it matters.
  Millis DurationMs() const;

  // The open time of the bar that contains `time` (calendar months are not aligned by this).
  Millis BarOpenFor(Millis time) const { return time - ((time % DurationMs()) + DurationMs()) % DurationMs(); }

  // Position in All(); stable, usable as an array index.
  std::size_t Index() const { return index_; }

  friend auto operator<=>(Interval, Interval) = default;

 private:
  constexpr explicit Interval(std::uint8_t index) : index_(index) {}
  std::uint8_t index_ = 0;
  friend struct IntervalTable;
};

inline constexpr std::size_t kIntervalCount = 16;

}  // namespace scanner::core

template <>
struct std::hash<scanner::core::Interval> {
  std::size_t operator()(scanner::core::Interval interval) const noexcept { return interval.Index(); }
};
