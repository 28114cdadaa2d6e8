#include "core/backoff.h"

#include <gtest/gtest.h>

#include <set>

namespace scanner::core {
namespace {

TEST(Backoff, GrowsExponentiallyWithinJitterBounds) {
  Backoff backoff({.initial = 1000, .max = 60'000, .multiplier = 2.0, .jitter = 0.5}, 42);
  Millis base = 1000;
  for (int attempt = 0; attempt < 12; ++attempt) {
    Millis delay = backoff.NextDelay();
    EXPECT_GE(delay, base / 2) << attempt;
    EXPECT_LE(delay, base) << attempt;
    base = std::min<Millis>(base * 2, 60'000);
  }
  EXPECT_EQ(backoff.attempts(), 12);
}

TEST(Backoff, CapsAtMaxAndNeverOverflows) {
  Backoff backoff({.initial = 500, .max = 30'000, .multiplier = 3.0, .jitter = 0.0}, 1);
  Millis last = 0;
  for (int i = 0; i < 5000; ++i) last = backoff.NextDelay();
  EXPECT_EQ(last, 30'000);
}

TEST(Backoff, ResetStartsOver) {
  Backoff backoff({.initial = 1000, .max = 60'000, .multiplier = 2.0, .jitter = 0.0}, 7);
  backoff.NextDelay();
  backoff.NextDelay();
  EXPECT_EQ(backoff.NextDelay(), 4000);
  backoff.Reset();
  EXPECT_EQ(backoff.NextDelay(), 1000);
}

TEST(Backoff, SameSeedSameDelaysDifferentSeedsSpread) {
  BackoffPolicy policy{.initial = 1000, .max = 60'000, .multiplier = 2.0, .jitter = 1.0};
  Backoff a(policy, 99), b(policy, 99);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(a.NextDelay(), b.NextDelay());

  // Many connections failing together must not retry in lockstep.
  std::set<Millis> first_delays;
  for (std::uint64_t seed = 0; seed < 50; ++seed) first_delays.insert(Backoff(policy, seed).NextDelay());
  EXPECT_GT(first_delays.size(), 40u);
}

TEST(Backoff, NextAttemptAtUsesTheInjectedClock) {
  FakeClock clock(1'000'000);
  Backoff backoff({.initial = 2000, .max = 2000, .multiplier = 2.0, .jitter = 0.0}, 3);
  EXPECT_EQ(backoff.NextAttemptAt(clock), 1'002'000);
  clock.Advance(5000);
  EXPECT_EQ(backoff.NextAttemptAt(clock), 1'007'000);
}

}  // namespace
}  // namespace scanner::core
