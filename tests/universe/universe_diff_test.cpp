#include "universe/universe_diff.h"

#include <gtest/gtest.h>

namespace scanner::universe {
namespace {

Universe Of(std::vector<std::string> names) {
  Universe universe;
  int rank = 0;
  for (std::string& name : names) {
    UniverseSymbol entry;
    entry.rank = ++rank;
    entry.symbol = std::move(name);
    universe.symbols.push_back(std::move(entry));
  }
  return universe;
}

using SymbolList = std::vector<core::Symbol>;

TEST(UniverseDiff, AddedAndRemovedAreSortedByName) {
  UniverseDiff diff = DiffUniverses(Of({"BTCUSDT", "ETHUSDT", "XRPUSDT", "ADAUSDT"}),
                                    Of({"SOLUSDT", "BTCUSDT", "DOGEUSDT", "ETHUSDT"}));
  EXPECT_EQ(diff.added, (SymbolList{"DOGEUSDT", "SOLUSDT"}));
  EXPECT_EQ(diff.removed, (SymbolList{"ADAUSDT", "XRPUSDT"}));
  EXPECT_FALSE(diff.empty());
}

TEST(UniverseDiff, RankChangesAloneAreNoChange) {
  UniverseDiff diff = DiffUniverses(Of({"BTCUSDT", "ETHUSDT"}), Of({"ETHUSDT", "BTCUSDT"}));
  EXPECT_TRUE(diff.empty());
}

TEST(UniverseDiff, FromEmptyEverythingIsAddedAndBack) {
  UniverseDiff first = DiffUniverses(Universe{}, Of({"ETHUSDT", "BTCUSDT"}));
  EXPECT_EQ(first.added, (SymbolList{"BTCUSDT", "ETHUSDT"}));
  EXPECT_TRUE(first.removed.empty());
  UniverseDiff last = DiffUniverses(Of({"ETHUSDT", "BTCUSDT"}), Universe{});
  EXPECT_TRUE(last.added.empty());
  EXPECT_EQ(last.removed, (SymbolList{"BTCUSDT", "ETHUSDT"}));
}

}  // namespace
}  // namespace scanner::universe
