#include "core/clock.h"

#include <gtest/gtest.h>

namespace scanner::core {
namespace {

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(100);
  EXPECT_EQ(clock.NowMs(), 100);
  clock.Advance(50);
  EXPECT_EQ(clock.NowMs(), 150);
  clock.Set(7);
  EXPECT_EQ(clock.NowMs(), 7);
}

TEST(SystemClock, IsWallTimeInMilliseconds) {
  SystemClock clock;
  // After 2020-01-01 and before 2100-01-01: epoch milliseconds, not seconds or micros.
  EXPECT_GT(clock.NowMs(), 1'577'836'800'000);
  EXPECT_LT(clock.NowMs(), 4'102'444'800'000);
}

}  // namespace
}  // namespace scanner::core
