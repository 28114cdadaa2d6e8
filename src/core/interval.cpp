#include "core/interval.h"

namespace scanner::core {

struct IntervalTable {
  struct Entry {
    std::string_view name;
    Millis duration;
  };
  static constexpr std::array<Entry, kIntervalCount> kEntries = {{
      {"1s", kSecond},     {"1m", kMinute},      {"3m", 3 * kMinute}, {"5m", 5 * kMinute},
      {"15m", 15 * kMinute}, {"30m", 30 * kMinute}, {"1h", kHour},     {"2h", 2 * kHour},
      {"4h", 4 * kHour},   {"6h", 6 * kHour},    {"8h", 8 * kHour},   {"12h", 12 * kHour},
      {"1d", kDay},        {"3d", 3 * kDay},     {"1w", 7 * kDay},    {"1M", 30 * kDay},
  }};
  static const std::array<Interval, kIntervalCount> kAll;
};

const std::array<Interval, kIntervalCount> IntervalTable::kAll = {
    Interval(0), Interval(1), Interval(2),  Interval(3),  Interval(4),  Interval(5),
    Interval(6), Interval(7), Interval(8),  Interval(9),  Interval(10), Interval(11),
    Interval(12), Interval(13), Interval(14), Interval(15)};

std::span<const Interval> Interval::All() { return IntervalTable::kAll; }

std::optional<Interval> Interval::Parse(std::string_view name) {
  for (std::size_t i = 0; i < kIntervalCount; ++i) {
    if (IntervalTable::kEntries[i].name == name) return IntervalTable::kAll[i];
  }
  return std::nullopt;
}

std::string_view Interval::Name() const { return IntervalTable::kEntries[index_].name; }

Millis Interval::DurationMs() const { return IntervalTable::kEntries[index_].duration; }

}  // namespace scanner::core
