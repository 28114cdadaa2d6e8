#pragma once
// ChartSpec: everything one alert's chart is drawn from, and nothing else. The renderer
// (chart/) turns it into a PNG; the alert store keeps it with the alert, so a resend after a
// crash or a restart draws the same picture byte for byte (same binary, same spec).

#include <vector>

#include "core/interval.h"
#include "core/market.h"
#include "core/types.h"

namespace scanner::core {

struct ChartSpec {
  Market market = Market::kSpot;
  Symbol symbol;
  Interval interval;
  // Closed bars of the series, oldest first, consecutive; the last one is the alert's bar.
  std::vector<Bar> bars;
  // The ATR before the alert bar, and min_atr_move: the chart shades the band of
  // previous close ± band_atrs × atr, the move the bar had to leave to fire.
  double atr = 0;
  double band_atrs = 0;
  int width = 800;   // pixels
  int height = 450;  // pixels

  friend bool operator==(const ChartSpec&, const ChartSpec&) = default;
};

}  // namespace scanner::core
