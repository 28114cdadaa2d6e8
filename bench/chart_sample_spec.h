#pragma once
// A chart spec cut from a real series the way an alert's is: the `count` bars ending at the bar
// that moved most in ATRs (Wilder's 14-bar ATR before it), for bench_chart and chart_samples.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "core/chart_spec.h"
#include "support/ohlcv_file.h"

namespace scanner::bench {

inline core::ChartSpec SpecAtBiggestMove(const std::vector<core::Bar>& bars, std::size_t count,
                                         double band_atrs = 1.5) {
  constexpr double kPeriod = 14;
  core::ChartSpec spec;
  spec.band_atrs = band_atrs;
  if (bars.size() < 2) return spec;
  double atr = bars[0].high - bars[0].low;
  double best = -1;
  std::size_t best_index = 1;
  double best_atr = atr;
  for (std::size_t i = 1; i < bars.size(); ++i) {
    const double previous_close = bars[i - 1].close;
    const double move = std::abs(bars[i].close - previous_close);
    if (i >= std::max<std::size_t>(count, 20) && atr > 0 && move / atr > best) {
      best = move / atr;
      best_index = i;
      best_atr = atr;
    }
    const double range =
        std::max({bars[i].high - bars[i].low, std::abs(bars[i].high - previous_close),
                  std::abs(bars[i].low - previous_close)});
    atr = (atr * (kPeriod - 1) + range) / kPeriod;
  }
  const std::size_t first = best_index + 1 >= count ? best_index + 1 - count : 0;
  spec.bars.assign(bars.begin() + static_cast<std::ptrdiff_t>(first),
                   bars.begin() + static_cast<std::ptrdiff_t>(best_index) + 1);
  spec.atr = best_atr;
  return spec;
}

}  // namespace scanner::bench
