#pragma once
// What changed between two universes of one market: the symbols to subscribe and to drop.
// Pure; thread-safe.

#include <vector>

#include "core/types.h"
#include "universe/universe.h"

namespace scanner::universe {

struct UniverseDiff {
  std::vector<core::Symbol> added;    // in `after`, not in `before`; sorted by name
  std::vector<core::Symbol> removed;  // in `before`, not in `after`; sorted by name

  bool empty() const { return added.empty() && removed.empty(); }
  friend bool operator==(const UniverseDiff&, const UniverseDiff&) = default;
};

// Rank changes alone are not a change: the streams subscribed depend only on the names.
UniverseDiff DiffUniverses(const Universe& before, const Universe& after);

}  // namespace scanner::universe
