#include "app/chart_spec_from_window.h"

namespace scanner::app {

std::optional<core::ChartSpec> ChartSpecFromWindow(const market::BarWindow& window,
                                                   const core::Candidate& alert,
                                                   const ChartShape& shape) {
  // The window may already hold bars after the alert's (a gap fill releases several at once):
  // the chart ends at the alert's bar, as the reader saw it fire.
  std::size_t from_newest = 0;
  while (from_newest < window.Size() &&
         window.FromNewest(from_newest).open_time > alert.bar_open_time) {
    ++from_newest;
  }
  if (from_newest == window.Size() ||
      window.FromNewest(from_newest).open_time != alert.bar_open_time) {
    return std::nullopt;
  }
  const std::size_t available = window.Size() - from_newest;
  const std::size_t count = std::min(shape.bars, available);
  core::ChartSpec spec;
  spec.market = alert.market;
  spec.symbol = alert.symbol;
  spec.interval = alert.interval;
  spec.bars.reserve(count);
  for (std::size_t i = count; i-- > 0;) spec.bars.push_back(window.FromNewest(from_newest + i));
  spec.atr = alert.atr;
  spec.band_atrs = shape.band_atrs;
  spec.width = shape.width;
  spec.height = shape.height;
  return spec;
}

}  // namespace scanner::app
