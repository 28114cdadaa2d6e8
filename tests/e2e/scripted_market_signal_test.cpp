// The premise of the end-to-end test, checked without a network: in calm mode, the
// ScriptedMarket's ordinary bars never reach the e2e thresholds (6 ATRs and a volume z-score of
// 3) while every planned move does, through the real SignalEngine.

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

#include "core/interval.h"
#include "fakes/scripted_market.h"
#include "signals/signal_engine.h"

namespace scanner::fakes {
namespace {

const core::Interval k1s = *core::Interval::Parse("1s");
constexpr core::Millis kStart = 1'700'000'000'000;

signals::SignalSettings E2eSettings() {
  signals::SignalSettings settings;
  settings.min_atr_move = 6;
  settings.min_volume_z = 3;
  settings.min_return_z = 0;
  settings.cooldown = core::kSecond;
  settings.filters.quote_volume_24h = false;
  return settings;
}

TEST(ScriptedMarketCalm, OrdinaryBarsStayInTheirBand) {
  ScriptedMarket market({"AAAUSDT", "BBBUSDT"}, ScriptedMarketOptions{7, true, {}});
  for (const core::Symbol& symbol : market.symbols()) {
    core::Bar previous = market.Bar(symbol, k1s, kStart);
    for (core::Millis t = kStart + 1000; t < kStart + 5000 * 1000; t += 1000) {
      const core::Bar bar = market.Bar(symbol, k1s, t);
      const double range = bar.high - bar.low;
      ASSERT_GE(range, 0.1 - 1e-9);
      ASSERT_LE(range, 0.3 + 1e-9);
      ASSERT_LT(std::fabs(bar.close - previous.close), 0.1);
      ASSERT_GE(bar.volume, 1000);
      ASSERT_LT(bar.volume, 1100);
      ASSERT_LE(bar.low, std::min(bar.open, bar.close));
      ASSERT_GE(bar.high, std::max(bar.open, bar.close));
      previous = bar;
    }
  }
}

TEST(ScriptedMarketCalm, OnlyPlannedMovesReachTheSignalThresholds) {
  MoveRule rule;
  rule.interval = k1s;
  rule.every = 30;
  rule.from = kStart + 200 * 1000;
  rule.until = kStart + 20'000 * 1000;
  ScriptedMarket market({"AAAUSDT", "BBBUSDT", "CCCUSDT"}, ScriptedMarketOptions{7, true, {rule}});
  // One explicit move too, in a stretch without rule moves.
  market.PlanMove("AAAUSDT", k1s, kStart + 20'100 * 1000, MoveDirection::kDown);
  auto engine = signals::SignalEngine::Create(E2eSettings(), {});
  ASSERT_TRUE(engine.has_value());
  for (const core::Symbol& symbol : market.symbols()) {
    std::set<core::Millis> planned;
    for (const PlannedMove& move :
         market.PlannedMoves(symbol, k1s, kStart, kStart + 20'200 * 1000)) {
      planned.insert(move.open_time);
    }
    ASSERT_GE(planned.size(), 600u);
    std::set<core::Millis> alerted;
    for (core::Millis t = kStart; t < kStart + 20'200 * 1000; t += 1000) {
      const core::Bar bar = market.Bar(symbol, k1s, t);
      if (auto candidate = (*engine)->OnClosedBar(symbol, k1s, bar)) {
        alerted.insert(candidate->bar_open_time);
        const std::optional<MoveDirection> direction = market.PlannedMoveAt(symbol, k1s, t);
        ASSERT_TRUE(direction.has_value()) << symbol << " alerted on an ordinary bar at " << t;
        EXPECT_EQ(candidate->direction == core::Direction::kUp, *direction == MoveDirection::kUp);
        EXPECT_GE(std::fabs(candidate->atr_move), 10);
      }
    }
    EXPECT_EQ(alerted, planned) << symbol;
  }
}

TEST(ScriptedMarket, DefaultBarsAreUnchangedWithoutPlannedMoves) {
  // The legacy generator (existing loopback tests) is untouched by rules on other symbols.
  MoveRule rule;
  rule.symbol = "BBBUSDT";
  rule.interval = k1s;
  rule.every = 2;
  const ScriptedMarket plain({"AAAUSDT", "BBBUSDT"}, 1);
  const ScriptedMarket planned({"AAAUSDT", "BBBUSDT"}, ScriptedMarketOptions{1, false, {rule}});
  for (core::Millis t = kStart; t < kStart + 100 * 1000; t += 1000) {
    EXPECT_EQ(plain.KlinesJson("AAAUSDT", k1s, t, std::nullopt, 1, t + 5000),
              planned.KlinesJson("AAAUSDT", k1s, t, std::nullopt, 1, t + 5000));
  }
  EXPECT_EQ(planned.PlannedMoves("BBBUSDT", k1s, kStart, kStart + 10 * 1000).size(), 5u);
}

}  // namespace
}  // namespace scanner::fakes
