#pragma once
// What SignalEngine alerts on: window sizes, thresholds and filter switches. A plain value;
// SignalEngine takes a copy and may be handed a new one at any time (hot reload).

#include <array>
#include <cstddef>
#include <vector>

#include "core/error.h"
#include "core/interval.h"
#include "core/market.h"
#include "core/time.h"
#include "signals/series_indicators.h"

namespace scanner::signals {

enum class DirectionFilter { kUp, kDown, kBoth };

// Each filter can be switched off on its own (all are on by default). A switched-off filter
// passes every bar; its threshold still serves for reporting (severity uses min_atr_move).
struct FilterSwitches {
  bool atr_move = true;          // |m| >= min_atr_move
  bool min_change = true;        // |change_percent| >= the interval's min_change_percent
  bool volume_z = true;          // z_v >= min_volume_z
  bool return_z = true;          // z_r along the move >= min_return_z (0 passes every bar)
  bool quote_volume_24h = true;  // 24 h quote volume >= the universe minimum
  bool confirmations = true;     // every confirm_intervals bar moves the same way
  bool cooldown = true;          // no repeat alert within `cooldown`
  // On: every indicator (m, z_r, z_v) must be defined. Off: only m (it gives the direction)
  // and the indicators of the enabled z filters; an undefined z is then reported as 0.
  bool warm = true;

  friend bool operator==(const FilterSwitches&, const FilterSwitches&) = default;
};

// The materiality floor of `interval` when none is configured, in percent: 1 % times the cube
// root of the interval's length in minutes (a month counted as 30 days), rounded to one decimal:
// 1s 0.3, 1m 1.0, 5m 1.7, 15m 2.5, 1h 3.9, 4h 6.2, 1d 11.3, 1M 35.1. The one place of the rule:
// the configuration names only the floors that differ from it.
double DefaultMinChangePercent(core::Interval interval);

// DefaultMinChangePercent of every interval, by Interval::Index().
using MinChangeFloors = std::array<double, core::kIntervalCount>;
MinChangeFloors DefaultMinChangeFloors();

struct SignalSettings {
  core::Market market = core::Market::kSpot;  // copied into every candidate
  IndicatorWindows windows;
  double min_atr_move = 2.5;  // |m| threshold, in ATRs
  double min_volume_z = 3.0;  // z_v threshold (signed: above-average volume only)
  double min_return_z = 0.0;  // z_r threshold in the move's direction; 0 passes every bar
  DirectionFilter direction = DirectionFilter::kBoth;
  core::Millis cooldown = 30 * core::kMinute;     // per symbol, interval and direction
  std::vector<core::Interval> confirm_intervals;  // empty: no confirmation needed
  double strong_multiplier = 2.0;  // |m| >= strong_multiplier * min_atr_move -> kStrong
  // |change_percent| floor per interval, by Interval::Index(): a move large in ATRs on a quiet
  // series can still be too small in price to matter. 0 turns the floor off for its interval.
  MinChangeFloors min_change_percent = DefaultMinChangeFloors();
  FilterSwitches filters;

  double MinChangePercent(core::Interval interval) const {
    return min_change_percent[interval.Index()];
  }
  void SetMinChangePercent(core::Interval interval, double percent) {
    min_change_percent[interval.Index()] = percent;
  }

  friend bool operator==(const SignalSettings&, const SignalSettings&) = default;
};

// The largest window any indicator accepts (as TA-Lib's ATR period).
inline constexpr int kMaxWindow = 100'000;

// Checks ranges; the error names the offending key as it appears in the config file
// ("signals.atr_period ...").
core::Status ValidateSignalSettings(const SignalSettings& settings);

// Closed bars a window must hold for every indicator of `settings` to warm up (plus one spare):
// the window capacity and warm-up length of the live feed and of a replay.
std::size_t WindowCapacityFor(const SignalSettings& settings);

}  // namespace scanner::signals
