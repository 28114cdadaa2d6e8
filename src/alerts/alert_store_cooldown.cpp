#include "alerts/alert_store_cooldown.h"

#include <algorithm>

namespace scanner::alerts {

std::optional<core::Millis> AlertStoreCooldown::LastAlertCloseTime(
    const core::Symbol& symbol, core::Interval interval, core::Direction direction) const {
  std::optional<core::Millis> stored;
  auto read = store_.LastAlertCloseTime(store_.market(), symbol, interval, direction);
  if (read) {
    stored = *read;
  } else if (!error_) {
    error_ = read.error();
  }
  const std::optional<core::Millis> recorded =
      recorded_.LastAlertCloseTime(symbol, interval, direction);
  if (!stored) return recorded;
  if (!recorded) return stored;
  return std::max(*stored, *recorded);
}

void AlertStoreCooldown::Record(const core::Candidate& candidate) { recorded_.Record(candidate); }

}  // namespace scanner::alerts
