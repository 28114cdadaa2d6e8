#pragma once
// The outcome horizons (bars after an alert's) that `run`, `replay` and `report` measure.

#include <vector>

#include "config/config.h"

namespace scanner::app {

inline std::vector<int> OutcomeHorizonsFromConfig(const config::Config& config) {
  return config.alerts.outcome.horizons;
}

}  // namespace scanner::app
