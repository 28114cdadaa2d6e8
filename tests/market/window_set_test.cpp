#include "market/window_set.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/interval.h"
#include "core/types.h"

namespace scanner::market {
namespace {

core::Interval Iv(std::string_view name) { return *core::Interval::Parse(name); }

core::Bar ClosedMinute(core::Millis open_time) {
  core::Bar bar;
  bar.open_time = open_time;
  bar.close_time = open_time + core::kMinute - 1;
  bar.closed = true;
  return bar;
}

TEST(WindowSet, AddFindAndRemoveSymbols) {
  const std::vector<core::Interval> intervals = {Iv("1m"), Iv("5m"), Iv("1m")};
  WindowSet windows(intervals, 50);
  EXPECT_EQ(windows.Intervals().size(), 2u);  // the duplicate 1m is ignored
  EXPECT_TRUE(windows.AddSymbol("BTCUSDT"));
  EXPECT_FALSE(windows.AddSymbol("BTCUSDT"));
  EXPECT_TRUE(windows.AddSymbol("ETHUSDT"));
  EXPECT_EQ(windows.SymbolCount(), 2u);

  BarWindow* btc_1m = windows.Find("BTCUSDT", Iv("1m"));
  ASSERT_NE(btc_1m, nullptr);
  EXPECT_EQ(btc_1m->Capacity(), 50u);
  EXPECT_NE(btc_1m, windows.Find("BTCUSDT", Iv("5m")));
  EXPECT_NE(btc_1m, windows.Find("ETHUSDT", Iv("1m")));
  EXPECT_EQ(windows.Find("BTCUSDT", Iv("1h")), nullptr);  // interval not configured
  EXPECT_EQ(windows.Find("XRPUSDT", Iv("1m")), nullptr);
  EXPECT_EQ(windows.Find("btcusdt", Iv("1m")), nullptr);  // exact spelling

  EXPECT_EQ(windows.Apply("BTCUSDT", Iv("1m"), ClosedMinute(0), 7), ApplyOutcome::kAppended);
  EXPECT_EQ(btc_1m->Size(), 1u);
  EXPECT_EQ(btc_1m->LastUpdateMs(), 7);
  EXPECT_FALSE(windows.Apply("XRPUSDT", Iv("1m"), ClosedMinute(0)).has_value());

  // Adding more symbols does not move existing windows.
  for (int i = 0; i < 100; ++i) windows.AddSymbol("SYM" + std::to_string(i));
  EXPECT_EQ(windows.Find("BTCUSDT", Iv("1m")), btc_1m);
  EXPECT_EQ(btc_1m->Size(), 1u);

  EXPECT_TRUE(windows.RemoveSymbol("BTCUSDT"));
  EXPECT_FALSE(windows.RemoveSymbol("BTCUSDT"));
  EXPECT_FALSE(windows.Contains("BTCUSDT"));
  EXPECT_EQ(windows.Find("BTCUSDT", Iv("1m")), nullptr);
  EXPECT_EQ(windows.SymbolCount(), 101u);

  // A symbol that comes back starts with empty windows.
  EXPECT_TRUE(windows.AddSymbol("BTCUSDT"));
  ASSERT_NE(windows.Find("BTCUSDT", Iv("1m")), nullptr);
  EXPECT_TRUE(windows.Find("BTCUSDT", Iv("1m"))->Empty());
}

TEST(WindowSet, ForEachVisitsEveryWindowOnce) {
  const std::vector<core::Interval> intervals = {Iv("1m"), Iv("15m")};
  WindowSet windows(intervals, 10);
  windows.AddSymbol("AAA");
  windows.AddSymbol("BBB");
  windows.AddSymbol("CCC");
  windows.RemoveSymbol("BBB");
  std::set<std::pair<std::string, std::string>> seen;
  windows.ForEach([&](std::string_view symbol, core::Interval interval, BarWindow& window) {
    EXPECT_EQ(&window, windows.Find(symbol, interval));
    seen.emplace(std::string(symbol), std::string(interval.Name()));
  });
  const std::set<std::pair<std::string, std::string>> expected = {
      {"AAA", "1m"}, {"AAA", "15m"}, {"CCC", "1m"}, {"CCC", "15m"}};
  EXPECT_EQ(seen, expected);
}

TEST(WindowSet, NonAsciiSymbolsAreKeyedByTheirBytes) {
  const std::vector<core::Interval> intervals = {Iv("1m")};
  WindowSet windows(intervals, 5);
  const std::string symbol = "\xE5\xB8\x81\xE5\xAE\x89USDT";  // "币安USDT"
  EXPECT_TRUE(windows.AddSymbol(symbol));
  EXPECT_NE(windows.Find(symbol, Iv("1m")), nullptr);
  EXPECT_EQ(windows.Find("USDT", Iv("1m")), nullptr);
}

}  // namespace
}  // namespace scanner::market
