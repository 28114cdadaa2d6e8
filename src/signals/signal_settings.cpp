#include "signals/signal_settings.h"

#include <algorithm>

#include <cmath>
#include <string>

namespace scanner::signals {
namespace {

core::Status CheckWindow(const char* key, int value, int minimum) {
  if (value < minimum || value > kMaxWindow) {
    return core::Fail(std::string("signals.") + key + " must be between " +
                      std::to_string(minimum) + " and " + std::to_string(kMaxWindow) + ", got " +
                      std::to_string(value));
  }
  return {};
}

core::Status CheckThreshold(const char* key, double value, bool allow_negative) {
  if (!std::isfinite(value) || (!allow_negative && value < 0)) {
    return core::Fail(std::string("signals.") + key + " must be a finite" +
                      (allow_negative ? "" : ", non-negative") + " number");
  }
  return {};
}

}  // namespace

double DefaultMinChangePercent(core::Interval interval) {
  const double minutes = static_cast<double>(interval.DurationMs()) / core::kMinute;
  return std::round(std::cbrt(minutes) * 10) / 10;
}

MinChangeFloors DefaultMinChangeFloors() {
  // Built once: SignalSettings copies it on every construction.
  static const MinChangeFloors floors = [] {
    MinChangeFloors all{};
    for (core::Interval interval : core::Interval::All()) {
      all[interval.Index()] = DefaultMinChangePercent(interval);
    }
    return all;
  }();
  return floors;
}

core::Status ValidateSignalSettings(const SignalSettings& settings) {
  const IndicatorWindows& windows = settings.windows;
  if (auto status = CheckWindow("atr_period", windows.atr_period, 1); !status) return status;
  // A population stdev over a single value is always zero.
  if (auto status = CheckWindow("zscore_window", windows.zscore_window, 2); !status) return status;
  if (auto status = CheckWindow("momentum_lookback", windows.momentum_lookback, 1); !status) {
    return status;
  }
  if (auto status = CheckThreshold("min_atr_move", settings.min_atr_move, false); !status) {
    return status;
  }
  if (auto status = CheckThreshold("min_volume_z", settings.min_volume_z, true); !status) {
    return status;
  }
  if (auto status = CheckThreshold("min_return_z", settings.min_return_z, false); !status) {
    return status;
  }
  if (auto status = CheckThreshold("strong_multiplier", settings.strong_multiplier, false);
      !status) {
    return status;
  }
  for (core::Interval interval : core::Interval::All()) {
    const double floor = settings.MinChangePercent(interval);
    if (!std::isfinite(floor) || floor < 0) {
      return core::Fail(std::string("signals.min_change_percent.") + std::string(interval.Name()) +
                        " must be a finite, non-negative number");
    }
  }
  if (settings.cooldown < 0) return core::Fail("signals.cooldown must not be negative");
  return {};
}

std::size_t WindowCapacityFor(const signals::SignalSettings& settings) {
  const signals::IndicatorWindows& w = settings.windows;
  // ATR needs N + 1 bars, the return z-score W + 2, momentum k + 1; one spare bar.
  const int bars = std::max({w.atr_period + 1, w.zscore_window + 2, w.momentum_lookback + 1}) + 1;
  return static_cast<std::size_t>(std::max(bars, 2));
}

}  // namespace scanner::signals
