#include "core/interval.h"

namespace scanner::core {
namespace {

// How an interval's bars are laid on the calendar.
enum class Alignment { kEpoch, kMonday, kMonth };

// The epoch (1970-01-01) was a Thursday: the Monday before it is 3 days earlier.
constexpr Millis kMondayOffset = 3 * kDay;

constexpr std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

constexpr std::int64_t FloorMod(std::int64_t a, std::int64_t b) { return a - FloorDiv(a, b) * b; }

// Days since the epoch of a proleptic Gregorian date, and back (H. Hinnant's days_from_civil
// and civil_from_days, exact for any int64 day count this class meets).
constexpr std::int64_t DaysFromCivil(std::int64_t year, std::int64_t month, std::int64_t day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = FloorDiv(year, 400);
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

struct YearMonth {
  std::int64_t year;
  std::int64_t month;  // 1..12
};

constexpr YearMonth CivilFromDays(std::int64_t days) {
  days += 719468;
  const std::int64_t era = FloorDiv(days, 146097);
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;  // March is 0
  const std::int64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month};
}

// Months since January 1970 of the month that contains `time`, and the first millisecond of a
// month so counted.
constexpr std::int64_t MonthIndex(Millis time) {
  const YearMonth civil = CivilFromDays(FloorDiv(time, kDay));
  return (civil.year - 1970) * 12 + (civil.month - 1);
}

constexpr Millis MonthStart(std::int64_t month_index) {
  const std::int64_t year = 1970 + FloorDiv(month_index, 12);
  const std::int64_t month = FloorMod(month_index, 12) + 1;
  return DaysFromCivil(year, month, 1) * kDay;
}

static_assert(MonthStart(0) == 0);
static_assert(MonthStart(MonthIndex(1'709'251'199'999)) == 1'706'745'600'000);  // Feb 2024
static_assert(MonthStart(-1) == -31 * kDay);                                    // Dec 1969

}  // namespace

struct IntervalTable {
  struct Entry {
    std::string_view name;
    Millis duration;
    Alignment alignment;
  };
  static constexpr std::array<Entry, kIntervalCount> kEntries = {{
      {"1s", kSecond, Alignment::kEpoch},
      {"1m", kMinute, Alignment::kEpoch},
      {"3m", 3 * kMinute, Alignment::kEpoch},
      {"5m", 5 * kMinute, Alignment::kEpoch},
      {"15m", 15 * kMinute, Alignment::kEpoch},
      {"30m", 30 * kMinute, Alignment::kEpoch},
      {"1h", kHour, Alignment::kEpoch},
      {"2h", 2 * kHour, Alignment::kEpoch},
      {"4h", 4 * kHour, Alignment::kEpoch},
      {"6h", 6 * kHour, Alignment::kEpoch},
      {"8h", 8 * kHour, Alignment::kEpoch},
      {"12h", 12 * kHour, Alignment::kEpoch},
      {"1d", kDay, Alignment::kEpoch},
      {"3d", 3 * kDay, Alignment::kEpoch},
      {"1w", 7 * kDay, Alignment::kMonday},
      {"1M", 30 * kDay, Alignment::kMonth},
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

Millis Interval::BarOpenFor(Millis time) const {
  const IntervalTable::Entry& entry = IntervalTable::kEntries[index_];
  switch (entry.alignment) {
    case Alignment::kEpoch:
      return time - FloorMod(time, entry.duration);
    case Alignment::kMonday:
      return time - FloorMod(time + kMondayOffset, entry.duration);
    case Alignment::kMonth:
      return MonthStart(MonthIndex(time));
  }
  return time;
}

Millis Interval::AddBars(Millis time, std::int64_t bars) const {
  const IntervalTable::Entry& entry = IntervalTable::kEntries[index_];
  if (entry.alignment == Alignment::kMonth) return MonthStart(MonthIndex(time) + bars);
  return BarOpenFor(time) + bars * entry.duration;
}

}  // namespace scanner::core
