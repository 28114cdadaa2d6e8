#pragma once
// The axes' numbers and words: round price ticks and price text adapted to the magnitude (from
// BTC's 60,000 to a 0.00001234 coin), and UTC time labels on bar boundaries. Pure functions.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/interval.h"
#include "core/types.h"

namespace scanner::chart {

struct PriceTicks {
  double step = 0;             // 1, 2, 2.5 or 5 times a power of ten
  int decimals = 0;            // what the step needs, e.g. 0.0025 -> 4
  std::vector<double> values;  // multiples of step within [low, high], ascending
};

// Round ticks over [low, high] (low < high), about `target` of them (at least 2 wanted).
PriceTicks NicePriceTicks(double low, double high, int target);

// `value` with `decimals` decimals and thousands separators: 60250 -> "60,250", 0.0000125 with 7
// -> "0.0000125".
std::string FormatPrice(double value, int decimals);

// A bar's price as a trader reads it: at most 6 significant digits and 8 decimals, trailing
// zeros dropped but never below `min_decimals`: 6412.46 -> "6,412.46", 0.00141192 ->
// "0.00141192".
std::string FormatQuote(double value, int min_decimals);

// A multiple like band_atrs: 1.5 -> "1.5", 2 -> "2", 1.25 -> "1.25".
std::string FormatMultiple(double value);

// A volume in few characters: 950 -> "950", 12345 -> "12.3K", 4.2e6 -> "4.2M", 0.5 -> "0.5".
std::string FormatCompact(double value);

struct TimeLabel {
  std::size_t bar = 0;  // index of the bar the label stands under
  std::string text;     // "21:30", "Jun 18", "2019", ...
};

// Labels at round UTC times (every 15 minutes, 1 hour, 1 day, ...), the step chosen so that
// labels are at least `min_spacing_px` apart when bars are `bar_spacing_px` apart. Intraday
// steps print HH:MM (HH:MM:SS under a minute), except at midnight where the date is printed;
// day steps print dates, month steps month names (the year in January).
std::vector<TimeLabel> MakeTimeLabels(std::span<const core::Bar> bars, core::Interval interval,
                                      double bar_spacing_px, double min_spacing_px);

// "2018-06-18 21:30 UTC" (seconds added when not zero).
std::string FormatUtcMinute(core::Millis time);

}  // namespace scanner::chart
