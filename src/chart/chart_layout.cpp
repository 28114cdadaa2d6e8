#include "chart/chart_layout.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace scanner::chart {

namespace {

std::optional<ChartError> InvalidSpec(std::string message) {
  return ChartError{ChartFailure::kInvalidSpec, std::move(message)};
}

bool GoodPrice(double price) { return std::isfinite(price) && price > 0; }

}  // namespace

std::optional<ChartError> ValidateChartSpec(const core::ChartSpec& spec) {
  if (spec.width < kMinChartSide || spec.width > kMaxChartSide || spec.height < kMinChartSide ||
      spec.height > kMaxChartSide) {
    return InvalidSpec("size " + std::to_string(spec.width) + "x" + std::to_string(spec.height) +
                       " outside " + std::to_string(kMinChartSide) + ".." +
                       std::to_string(kMaxChartSide) + " pixels");
  }
  if (spec.bars.empty()) return InvalidSpec("no bars");
  if (spec.bars.size() > static_cast<std::size_t>(spec.width / 2)) {
    return InvalidSpec(std::to_string(spec.bars.size()) + " bars do not fit in " +
                       std::to_string(spec.width) + " pixels");
  }
  for (std::size_t i = 0; i < spec.bars.size(); ++i) {
    const core::Bar& bar = spec.bars[i];
    if (!GoodPrice(bar.open) || !GoodPrice(bar.high) || !GoodPrice(bar.low) ||
        !GoodPrice(bar.close)) {
      return InvalidSpec("bar " + std::to_string(i) + " has a non-finite or non-positive price");
    }
    if (!std::isfinite(bar.volume) || bar.volume < 0) {
      return InvalidSpec("bar " + std::to_string(i) + " has a negative or non-finite volume");
    }
  }
  if (!std::isfinite(spec.atr) || spec.atr < 0 || !std::isfinite(spec.band_atrs) ||
      spec.band_atrs < 0) {
    return InvalidSpec("atr and band_atrs must be finite and not negative");
  }
  return std::nullopt;
}

double ChartLayout::BarCenterX(std::size_t i) const {
  return price_pane.x + (static_cast<double>(i) + 0.5) * bar_spacing;
}

int ChartLayout::BarColumn(std::size_t i) const {
  return static_cast<int>(std::floor(BarCenterX(i)));
}

double ChartLayout::PriceToY(double price) const {
  return price_pane.y + (price_high - price) / (price_high - price_low) * price_pane.height;
}

double ChartLayout::VolumeToY(double volume) const {
  if (volume_max <= 0) return volume_pane.bottom();
  return volume_pane.bottom() - volume / volume_max * 0.9 * volume_pane.height;
}

ChartLayout MakeChartLayout(const core::ChartSpec& spec, const TextWidth& text_width) {
  ChartLayout layout;
  layout.width = spec.width;
  layout.height = spec.height;
  layout.bar_count = spec.bars.size();
  const double scale = std::min(spec.width / 800.0, spec.height / 450.0);
  layout.font_px = std::clamp(std::round(12 * scale), 9.0, 28.0);
  layout.title_font_px = std::round(layout.font_px * 1.3);

  // Vertical: title row, price pane, gap, volume pane, time axis.
  const double title_h = std::round(layout.title_font_px * 2.1);
  const double time_axis_h = std::round(layout.font_px * 2.0);
  const double gap = std::round(layout.font_px * 0.5);
  const double panes_h = spec.height - title_h - time_axis_h - gap;
  const double price_h = std::round(panes_h * 0.78);
  layout.price_pane.y = title_h;
  layout.price_pane.height = price_h;
  layout.volume_pane.y = title_h + price_h + gap;
  layout.volume_pane.height = panes_h - price_h;
  layout.time_axis_y = layout.volume_pane.bottom();

  // Prices: every bar's range and the band, with room above and below for the marker.
  double low = spec.bars.front().low;
  double high = spec.bars.front().high;
  double volume_max = 0;
  for (const core::Bar& bar : spec.bars) {
    low = std::min({low, bar.low, bar.open, bar.close});
    high = std::max({high, bar.high, bar.open, bar.close});
    volume_max = std::max(volume_max, bar.volume);
  }
  const std::size_t n = spec.bars.size();
  layout.band_reference = n >= 2 ? spec.bars[n - 2].close : spec.bars[0].open;
  layout.band_half_width = spec.atr * spec.band_atrs;
  if (layout.band_half_width > 0) {
    low = std::min(low, layout.band_reference - layout.band_half_width);
    high = std::max(high, layout.band_reference + layout.band_half_width);
  }
  if (high - low < high * 1e-9) {  // a flat series: show ±0.5 % around it
    low -= high * 0.005;
    high += high * 0.005;
  }
  const double pad = (high - low) * 0.08;
  layout.price_low = std::max(low - pad, low * 0.5);
  layout.price_high = high + pad;
  layout.volume_max = volume_max;

  const int tick_target = std::max(2, static_cast<int>(price_h / (layout.font_px * 2.6)));
  layout.price_ticks = NicePriceTicks(layout.price_low, layout.price_high, tick_target);

  // Horizontal: the axis is as wide as the widest label (ticks and the last close's tag).
  double label_w =
      text_width(FormatQuote(spec.bars.back().close, layout.price_ticks.decimals), layout.font_px);
  for (double value : layout.price_ticks.values) {
    label_w = std::max(label_w,
                       text_width(FormatPrice(value, layout.price_ticks.decimals), layout.font_px));
  }
  const double axis_w = std::ceil(label_w + layout.font_px * 1.6);
  const double left = std::round(layout.font_px * 0.8);
  layout.price_pane.x = left;
  layout.price_pane.width = spec.width - left - axis_w;
  layout.volume_pane.x = left;
  layout.volume_pane.width = layout.price_pane.width;
  layout.price_axis_x = layout.price_pane.right();

  layout.bar_spacing = layout.price_pane.width / static_cast<double>(n);
  int body = static_cast<int>(std::floor(layout.bar_spacing * 0.68));
  body = std::clamp(body, 1, static_cast<int>(std::round(40 * scale)));
  if (body > 2 && body % 2 == 0) body -= 1;
  layout.body_width = body;
  layout.wick_width = std::max(1, static_cast<int>(scale)) | 1;  // odd: centred on the column

  layout.time_labels =
      MakeTimeLabels(spec.bars, spec.interval, layout.bar_spacing, layout.font_px * 6.5);
  return layout;
}

}  // namespace scanner::chart
