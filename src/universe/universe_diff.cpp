#include "universe/universe_diff.h"

#include <algorithm>
#include <iterator>

namespace scanner::universe {
namespace {

std::vector<core::Symbol> SortedNames(const Universe& universe) {
  std::vector<core::Symbol> names;
  names.reserve(universe.symbols.size());
  for (const UniverseSymbol& entry : universe.symbols) names.push_back(entry.symbol);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

UniverseDiff DiffUniverses(const Universe& before, const Universe& after) {
  const std::vector<core::Symbol> old_names = SortedNames(before);
  const std::vector<core::Symbol> new_names = SortedNames(after);
  UniverseDiff diff;
  std::set_difference(new_names.begin(), new_names.end(), old_names.begin(), old_names.end(),
                      std::back_inserter(diff.added));
  std::set_difference(old_names.begin(), old_names.end(), new_names.begin(), new_names.end(),
                      std::back_inserter(diff.removed));
  return diff;
}

}  // namespace scanner::universe
