#pragma once
// The outcome horizons (bars after an alert's) that `run` and `replay` measure.

#include <iterator>
#include <vector>

#include "config/config.h"
#include "signals/outcome_tracker.h"

namespace scanner::app {

inline std::vector<int> OutcomeHorizonsFromConfig(const config::Config&) {
  return {std::begin(signals::kDefaultOutcomeHorizons), std::end(signals::kDefaultOutcomeHorizons)};
}

}  // namespace scanner::app
