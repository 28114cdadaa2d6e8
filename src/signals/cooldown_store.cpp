#include "signals/cooldown_store.h"

namespace scanner::signals {
namespace {

std::size_t DirectionIndex(core::Direction direction) {
  return direction == core::Direction::kUp ? 0 : 1;
}

}  // namespace

std::optional<core::Millis> InMemoryCooldownStore::LastAlertCloseTime(
    const core::Symbol& symbol, core::Interval interval, core::Direction direction) const {
  auto it = last_.find(symbol);
  if (it == last_.end()) return std::nullopt;
  return it->second[interval.Index()][DirectionIndex(direction)];
}

void InMemoryCooldownStore::Record(const core::Candidate& candidate) {
  std::optional<core::Millis>& slot =
      last_[candidate.symbol][candidate.interval.Index()][DirectionIndex(candidate.direction)];
  if (!slot || *slot < candidate.bar_close_time) slot = candidate.bar_close_time;
}

}  // namespace scanner::signals
