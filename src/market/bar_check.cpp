#include "market/bar_check.h"

#include <algorithm>
#include <cmath>

namespace scanner::market {

std::string_view BarDefectName(BarDefect defect) {
  switch (defect) {
    case BarDefect::kNotFinite:
      return "not_finite";
    case BarDefect::kNonPositive:
      return "non_positive";
    case BarDefect::kNegativeVolume:
      return "negative_volume";
    case BarDefect::kHighBelowBody:
      return "high_below_body";
    case BarDefect::kLowAboveBody:
      return "low_above_body";
    case BarDefect::kAbsurdRange:
      return "absurd_range";
    case BarDefect::kOffInterval:
      return "off_interval";
  }
  return "unknown";
}

std::optional<BarDefect> CheckBarValues(const core::Bar& bar) {
  for (double value : {bar.open, bar.high, bar.low, bar.close, bar.volume, bar.quote_volume}) {
    if (!std::isfinite(value)) return BarDefect::kNotFinite;
  }
  if (bar.volume < 0 || bar.quote_volume < 0) return BarDefect::kNegativeVolume;
  if (bar.high < std::max(bar.open, bar.close)) return BarDefect::kHighBelowBody;
  if (bar.low > std::min(bar.open, bar.close)) return BarDefect::kLowAboveBody;
  // After the two above, low <= open, close <= high: low > 0 makes every price positive.
  if (!(bar.low > 0)) return BarDefect::kNonPositive;
  if (bar.high > kMaxHighToLow * bar.low) return BarDefect::kAbsurdRange;
  return std::nullopt;
}

std::optional<BarDefect> CheckBar(const core::Bar& bar, core::Interval interval) {
  if (auto defect = CheckBarValues(bar)) return defect;
  if (interval.BarOpenFor(bar.open_time) != bar.open_time ||
      interval.BarCloseFor(bar.open_time) != bar.close_time) {
    return BarDefect::kOffInterval;
  }
  return std::nullopt;
}

}  // namespace scanner::market
