#include "core/backoff.h"

#include <algorithm>
#include <cmath>

namespace scanner::core {

Backoff::Backoff(BackoffPolicy policy, std::uint64_t seed) : policy_(policy), random_(seed) {
  policy_.initial = std::max<Millis>(policy_.initial, 1);
  policy_.max = std::max(policy_.max, policy_.initial);
  policy_.multiplier = std::max(policy_.multiplier, 1.0);
  policy_.jitter = std::clamp(policy_.jitter, 0.0, 1.0);
}

Millis Backoff::NextDelay() {
  // Computed in double and capped before converting, so many attempts cannot overflow.
  double base = static_cast<double>(policy_.initial) * std::pow(policy_.multiplier, attempts_);
  base = std::min(base, static_cast<double>(policy_.max));
  if (attempts_ < 1'000'000) ++attempts_;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  double delay = base * (1.0 - policy_.jitter * unit(random_));
  return std::max<Millis>(1, static_cast<Millis>(std::llround(delay)));
}

}  // namespace scanner::core
