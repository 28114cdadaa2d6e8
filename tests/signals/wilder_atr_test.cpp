#include "signals/wilder_atr.h"

#include <gtest/gtest.h>

namespace scanner::signals {
namespace {

TEST(TrueRange, TakesTheLargestOfTheThreeRanges) {
  EXPECT_DOUBLE_EQ(TrueRange(12, 10, 11), 2);  // inside bar: high - low
  EXPECT_DOUBLE_EQ(TrueRange(20, 18, 14), 6);  // gap up: high - previous close
  EXPECT_DOUBLE_EQ(TrueRange(13, 10, 19), 9);  // gap down: previous close - low
  EXPECT_DOUBLE_EQ(TrueRange(5, 5, 5), 0);     // flat
}

TEST(WilderAtr, FirstValueIsTheMeanOfTheFirstNTrueRanges) {
  WilderAtr atr(3);
  atr.Add(2);
  atr.Add(4);
  EXPECT_FALSE(atr.Value());
  atr.Add(9);
  ASSERT_TRUE(atr.Value());
  EXPECT_DOUBLE_EQ(*atr.Value(), 5);  // (2 + 4 + 9) / 3
  atr.Add(8);
  EXPECT_DOUBLE_EQ(*atr.Value(), 6);  // (5 * 2 + 8) / 3
  atr.Add(0);
  EXPECT_DOUBLE_EQ(*atr.Value(), 4);  // (6 * 2 + 0) / 3
}

TEST(WilderAtr, PeriodOneIsTheTrueRange) {
  WilderAtr atr(1);
  EXPECT_FALSE(atr.Value());
  atr.Add(3);
  EXPECT_DOUBLE_EQ(*atr.Value(), 3);
  atr.Add(7);
  EXPECT_DOUBLE_EQ(*atr.Value(), 7);
}

TEST(WilderAtr, FlatMarketGivesZeroNotUndefined) {
  WilderAtr atr(2);
  atr.Add(0);
  atr.Add(0);
  ASSERT_TRUE(atr.Value());
  EXPECT_EQ(*atr.Value(), 0);
}

TEST(WilderAtr, ResetStartsTheWarmUpAgain) {
  WilderAtr atr(2);
  atr.Add(1);
  atr.Add(3);
  ASSERT_TRUE(atr.Value());
  atr.Reset();
  EXPECT_FALSE(atr.Value());
  atr.Reset(1);
  EXPECT_EQ(atr.Period(), 1);
  atr.Add(4);
  EXPECT_DOUBLE_EQ(*atr.Value(), 4);
}

}  // namespace
}  // namespace scanner::signals
