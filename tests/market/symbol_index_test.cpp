#include "market/symbol_index.h"

#include <map>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace scanner::market {
namespace {

TEST(SymbolIndex, InsertFindErase) {
  SymbolIndex index;
  EXPECT_FALSE(index.Find("BTCUSDT"));
  EXPECT_FALSE(index.Erase("BTCUSDT"));
  EXPECT_TRUE(index.Insert("BTCUSDT", 3));
  EXPECT_FALSE(index.Insert("BTCUSDT", 4));
  EXPECT_EQ(index.Find("BTCUSDT"), 3u);
  EXPECT_FALSE(index.Find("btcusdt"));
  EXPECT_FALSE(index.Find("BTCUSD"));
  EXPECT_TRUE(index.Insert("", 9));  // any bytes, even none
  EXPECT_EQ(index.Find(""), 9u);
  EXPECT_EQ(index.Size(), 2u);
  EXPECT_TRUE(index.Erase("BTCUSDT"));
  EXPECT_FALSE(index.Find("BTCUSDT"));
  EXPECT_EQ(index.Size(), 1u);
}

TEST(SymbolIndex, MatchesAMapUnderChurnForEveryLength) {
  std::mt19937 random(11);
  SymbolIndex index;
  std::map<std::string, std::size_t> reference;
  std::vector<std::string> names;
  for (int length = 0; length <= 40; ++length) {
    for (int k = 0; k < 12; ++k) {
      std::string name;
      for (int c = 0; c < length; ++c) name += static_cast<char>('A' + random() % 4);
      names.push_back(name);
    }
  }
  for (int step = 0; step < 20000; ++step) {
    const std::string& name = names[random() % names.size()];
    if (random() % 3 == 0) {
      EXPECT_EQ(index.Erase(name), reference.erase(name) == 1) << name;
    } else {
      const bool inserted = reference.emplace(name, step).second;
      EXPECT_EQ(index.Insert(name, static_cast<std::size_t>(step)), inserted) << name;
    }
    ASSERT_EQ(index.Size(), reference.size());
  }
  for (const std::string& name : names) {
    const auto found = reference.find(name);
    if (found == reference.end()) {
      EXPECT_FALSE(index.Find(name)) << name;
    } else {
      EXPECT_EQ(index.Find(name), found->second) << name;
    }
  }
}

TEST(SymbolIndex, HashReadsOnlyTheView) {
  // The same bytes hash alike wherever they sit, and the bytes around a view do not count.
  const std::string wide = "xxBTCUSDTxx";
  EXPECT_EQ(SymbolIndex::Hash(std::string_view(wide).substr(2, 7)), SymbolIndex::Hash("BTCUSDT"));
  EXPECT_NE(SymbolIndex::Hash("BTCUSDT"), SymbolIndex::Hash("BTCUSDC"));
  EXPECT_NE(SymbolIndex::Hash("A"), SymbolIndex::Hash("AA"));
}

}  // namespace
}  // namespace scanner::market
