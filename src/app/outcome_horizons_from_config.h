#pragma once
// The outcome horizons (bars after an alert's) that `run`, `replay` and `report` measure.

#include <algorithm>
#include <vector>

#include "config/config.h"

namespace scanner::app {

// Ascending, as every reader of them expects (the middle horizon is the middle one by length).
inline std::vector<int> OutcomeHorizonsFromConfig(const config::Config& config) {
  std::vector<int> horizons = config.alerts.outcome.horizons;
  std::sort(horizons.begin(), horizons.end());
  return horizons;
}

}  // namespace scanner::app
