// Proves "no allocation per bar": this test binary replaces the global operator new with one
// that counts, and the engine must not call it while it digests bars of known series.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>

#include "signals/signal_engine.h"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace scanner::signals {
namespace {

TEST(SignalEngineAllocation, NoAllocationPerBarOnceSeriesExist) {
  const core::Interval m5 = *core::Interval::Parse("5m");
  const core::Interval m15 = *core::Interval::Parse("15m");
  // Every filter passes except the cooldown, which holds every bar after the first alert in
  // each direction: so each bar runs the whole evaluation, store lookup included.
  SignalSettings settings;
  settings.windows = {.atr_period = 14, .zscore_window = 50, .momentum_lookback = 3};
  settings.min_atr_move = 0;
  settings.min_volume_z = -1e9;
  settings.SetMinChangePercent(m5, 0);  // the walk's moves are well under 5m's default 1.7 %
  settings.cooldown = 365 * core::kDay;
  settings.confirm_intervals = {m15};
  settings.filters.confirmations = false;  // still asked, for the candidate's list
  auto engine = SignalEngine::Create(settings, {});
  ASSERT_TRUE(engine);

  const core::Symbol symbols[] = {"AAAUSDT", "BBBUSDT", "A_SYMBOL_LONGER_THAN_SSO_USDT"};
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  double close[3] = {100, 100, 100};
  long candidates = 0;
  long counted = 0;
  for (int i = 0; i < 20'000; ++i) {
    if (i == 1'000) counted = allocations.load();
    for (int s = 0; s < 3; ++s) {
      core::Bar bar;
      bar.open_time = 1'700'000'100'000 + i * m5.DurationMs();
      bar.close_time = bar.open_time + m5.DurationMs() - 1;
      bar.open = close[s];
      bar.close = close[s] = std::max(1.0, close[s] + unit(rng) - 0.5);
      bar.high = std::max(bar.open, bar.close) + unit(rng);
      bar.low = std::min(bar.open, bar.close) - unit(rng);
      bar.quote_volume = 1000 * (1 + unit(rng));
      core::Bar open = bar;
      open.open_time += m15.DurationMs();
      open.close_time += m15.DurationMs();
      (*engine)->OnOpenBar(symbols[s], m15, open);
      if (auto candidate = (*engine)->OnClosedBar(symbols[s], m5, bar)) {
        ++candidates;
        (*engine)->cooldown_store().Record(*candidate);  // kept, as the pipeline keeps it
      }
    }
  }
  EXPECT_EQ(allocations.load() - counted, 0);
  EXPECT_EQ(candidates, 6);  // one per symbol and direction, all before bar 1000
  EXPECT_GT((*engine)->Counters().suppressed_cooldown, 3u * 19'000u);

  // The counter does see the engine allocate: a new series is allocated once.
  const long before_new_series = allocations.load();
  core::Bar bar;
  bar.open = bar.high = bar.low = bar.close = 1;
  (*engine)->OnClosedBar("CCCUSDT", m5, bar);
  EXPECT_GT(allocations.load(), before_new_series);
}

}  // namespace
}  // namespace scanner::signals
