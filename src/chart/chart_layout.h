#pragma once
// Where everything of a chart goes, in pixels: the price pane (candles, band, grid), the volume
// pane beneath it, the price axis on the right, the time axis below, the title row on top; and
// the mappings bar index -> x, price -> y, volume -> y. The renderer draws from it, tests check
// pixels with it.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chart/chart_axes.h"
#include "chart/chart_error.h"
#include "core/chart_spec.h"

namespace scanner::chart {

inline constexpr int kMinChartSide = 200;   // pixels
inline constexpr int kMaxChartSide = 4096;  // pixels

// An invalid_spec error when the spec cannot be drawn: no bars, more bars than half the width in
// pixels, a non-finite or non-positive price, a negative or non-finite volume, a non-finite or
// negative atr/band_atrs, a width or height outside [kMinChartSide, kMaxChartSide].
std::optional<ChartError> ValidateChartSpec(const core::ChartSpec& spec);

struct PixelRect {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
  double right() const { return x + width; }
  double bottom() const { return y + height; }
};

struct ChartLayout {
  int width = 0;
  int height = 0;
  double font_px = 0;        // axis text size; the title is larger
  double title_font_px = 0;  // symbol, interval and market

  PixelRect price_pane;   // candles, band, price grid
  PixelRect volume_pane;  // volume bars, same x as the price pane
  // The price labels' column (right of the panes) and the time labels' row (below them).
  double price_axis_x = 0;
  double time_axis_y = 0;

  std::size_t bar_count = 0;
  double bar_spacing = 0;  // pixels from one bar's centre to the next
  int body_width = 0;      // candle body width, pixels (odd when over 2, so the wick is centred)
  int wick_width = 1;

  double price_low = 0;   // price at the bottom of the price pane
  double price_high = 0;  // at its top
  double volume_max = 0;  // the largest volume, drawn at 90 % of the volume pane

  // The band: reference price (the previous close, or the single bar's open) ± half_width;
  // half_width 0 when the spec has no atr or band_atrs.
  double band_reference = 0;
  double band_half_width = 0;

  PriceTicks price_ticks;
  std::vector<TimeLabel> time_labels;

  // The centre of bar i, x in pixels (i < bar_count).
  double BarCenterX(std::size_t i) const;
  // The pixel column of bar i's wick and the centre of its body.
  int BarColumn(std::size_t i) const;
  // The first pixel column of bar i's body; the body spans body_width columns.
  int BodyLeft(std::size_t i) const { return BarColumn(i) - body_width / 2; }
  // y of a price (pixels; outside the pane for prices outside [price_low, price_high]).
  double PriceToY(double price) const;
  // y of the top of a volume bar; VolumeToY(0) is the pane's bottom.
  double VolumeToY(double volume) const;
};

// Measures the advance width of `text` at `font_px`, in pixels.
using TextWidth = std::function<double(std::string_view text, double font_px)>;

// The layout of a valid spec (ValidateChartSpec), with the right axis as wide as its widest
// label measured by `text_width`.
ChartLayout MakeChartLayout(const core::ChartSpec& spec, const TextWidth& text_width);

}  // namespace scanner::chart
