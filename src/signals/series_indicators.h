#pragma once
// The incremental indicators of one (symbol, interval) series of closed bars: true range,
// Wilder ATR, momentum in ATRs and the z-scores of the log return and the quote volume.
//
// For bar t (counted from 1 since the last reset), N = atr_period, W = zscore_window,
// k = momentum_lookback:
//   TR_t   = max(high_t - low_t, |high_t - close_{t-1}|, |low_t - close_{t-1}|)    from bar 2
//   ATR_t  = mean(TR_2..TR_{N+1}) on bar N + 1, then (ATR_{t-1} (N - 1) + TR_t) / N
//   m_t    = (close_t - close_{t-k}) / ATR_{t-1}                      from bar max(N + 2, k + 1)
//   r_t    = ln(close_t / close_{t-1}),  z_r = (r_t - mean) / stdev of r_{t-W}..r_{t-1}
//                                                                           from bar W + 2
//   z_v    = (qv_t - mean) / stdev of qv_{t-W}..qv_{t-1}                    from bar W + 1
// with the population stdev. ATR_{t-1} and the windows exclude bar t, so a spike does not
// dilute its own measure. A value is undefined (nullopt) until its window is full, when its
// divisor is zero (a flat ATR, a window of equal values) and whenever it would not be finite.
//
// O(1) per bar; storage is allocated in the constructor and Reset(IndicatorWindows) only.
// Not thread-safe: one owner (SignalEngine) mutates it.

#include <cmath>
#include <cstddef>
#include <optional>

#include "core/types.h"
#include "market/bar_check.h"
#include "signals/ring_buffer.h"
#include "signals/rolling_stats.h"
#include "signals/wilder_atr.h"

namespace scanner::signals {

// The window sizes; SignalSettings validation bounds them (each at least 1, W at least 2).
struct IndicatorWindows {
  int atr_period = 14;        // N
  int zscore_window = 50;     // W
  int momentum_lookback = 1;  // k

  friend bool operator==(const IndicatorWindows&, const IndicatorWindows&) = default;
};

// The indicators of one closed bar.
struct IndicatorValues {
  std::optional<double> true_range;      // TR_t
  std::optional<double> atr;             // ATR_t, including this bar
  std::optional<double> atr_before;      // ATR_{t-1}, the momentum normaliser
  std::optional<double> momentum;        // m_t
  std::optional<double> change_percent;  // (close_t / close_{t-k} - 1) * 100
  std::optional<double> log_return;      // r_t
  std::optional<double> return_z;        // z_r
  std::optional<double> volume_z;        // z_v
  double close = 0;
  double quote_volume = 0;

  friend bool operator==(const IndicatorValues&, const IndicatorValues&) = default;
};

// A bar the indicators can use: one market::CheckBarValues finds nothing wrong with (finite,
// positive and consistent prices, no absurd range, no negative volume). The feed refuses such
// bars already; this keeps them out of the ATR whoever feeds the engine.
inline bool IsUsableBar(const core::Bar& bar) { return !market::CheckBarValues(bar); }

class SeriesIndicators {
 public:
  explicit SeriesIndicators(IndicatorWindows windows);

  // Folds closed bar t in and returns its indicators (valid until the next call). The caller
  // guarantees that `bar` directly follows the previous one; SignalEngine checks continuity and
  // order. An unusable bar (see IsUsableBar) resets the series and yields nothing defined.
  const IndicatorValues& Update(const core::Bar& bar);

  // The values of the last Update (all undefined after a reset).
  const IndicatorValues& Latest() const { return latest_; }

  // Bars folded in since the last reset.
  std::size_t BarsSeen() const { return bars_; }
  const IndicatorWindows& Windows() const { return windows_; }

  // Forgets the history (the series warms up again); keeps the window sizes.
  void Reset();
  // Forgets the history and changes the window sizes (allocates).
  void Reset(const IndicatorWindows& windows);

 private:
  IndicatorWindows windows_;
  WilderAtr atr_;
  RingBuffer<double> closes_;  // the last k closes before the current bar
  RollingStats returns_;       // the last W log returns
  RollingStats volumes_;       // the last W quote volumes
  IndicatorValues latest_;
  std::size_t bars_ = 0;
};

}  // namespace scanner::signals
