#pragma once
// What an alert's chart is drawn from, cut from its series' window at the moment it is raised:
// the last `bars` closed bars up to and including the alert's bar (fewer when the window holds
// fewer), the ATR the move was measured in and min_atr_move for the band.

#include <cstddef>
#include <optional>

#include "core/candidate.h"
#include "core/chart_spec.h"
#include "market/bar_window.h"

namespace scanner::app {

struct ChartShape {
  std::size_t bars = 60;
  double band_atrs = 0;  // signals.min_atr_move
  int width = 800;
  int height = 450;
};

// nullopt when the window does not hold the alert's bar (it cannot: the pipeline takes it while
// the window ends there; a window that lost it has nothing to show).
std::optional<core::ChartSpec> ChartSpecFromWindow(const market::BarWindow& window,
                                                   const core::Candidate& alert,
                                                   const ChartShape& shape);

}  // namespace scanner::app
