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

  // Nominal length: exact from 1s to 1w, 30 days for 1M. For rates, tolerances and page sizes;
  // never for bar times (a month has 28 to 31 days): use the functions below for those.
  Millis DurationMs() const;

  // Bar boundaries as Binance draws them in UTC: up to 3d, multiples of the length since the
  // epoch; 1w, every Monday 00:00 (the epoch was a Thursday); 1M, the 1st of every month 00:00.
  // Times and results must fit in Millis with a bar to spare (about +-292 million years).

  // The open time of the bar that contains `time`.
  Millis BarOpenFor(Millis time) const;

  // The open time of the bar `bars` bars after the one that contains `time` (before it when
  // negative; 0 gives BarOpenFor(time)).
  Millis AddBars(Millis time, std::int64_t bars) const;

  // The open time of the bar after the one that contains `time`.
  Millis NextOpen(Millis time) const { return AddBars(time, 1); }

  // The close time of the bar that contains `time`: the next bar's open - 1 ms, as Binance
  // writes it (2024-02-29T23:59:59.999Z for the 1M bar opened 2024-02-01).
  Millis BarCloseFor(Millis time) const { return NextOpen(time) - 1; }

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
