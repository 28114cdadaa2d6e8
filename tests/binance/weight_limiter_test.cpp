#include "binance/weight_limiter.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "binance/endpoints.h"

namespace scanner::binance {
namespace {

using core::kMinute;
using core::kSecond;
using core::Millis;

// 2024-03-10T12:00:00Z: a minute boundary.
constexpr Millis kT0 = 1710072000000;

TEST(WeightLimiter, BudgetIsAFractionOfTheLimit) {
  WeightLimiter limiter(6000);
  EXPECT_EQ(limiter.budget(), 4800);
  WeightLimiter futures(2400, 0.5);
  EXPECT_EQ(futures.budget(), 1200);
  futures.SetLimitPerMinute(1000);
  EXPECT_EQ(futures.limit_per_minute(), 1000);
  EXPECT_EQ(futures.budget(), 500);
}

TEST(WeightLimiter, BurstStopsAtTheBudgetAndResumesNextMinute) {
  WeightLimiter limiter(6000);
  const int weight = RequestWeight(core::Market::kSpot, Endpoint::kTicker24hAll);  // 80
  int admitted = 0;
  for (int i = 0; i < 100; ++i) {
    if (limiter.TryAcquire(weight, kT0 + 10 * kSecond)) ++admitted;
  }
  EXPECT_EQ(admitted, 4800 / 80);
  EXPECT_EQ(limiter.UsedWeight(kT0 + 10 * kSecond), 4800);
  EXPECT_EQ(limiter.stats().refusals, 100 - admitted);
  EXPECT_FALSE(limiter.TryAcquire(1, kT0 + kMinute - 1));
  EXPECT_EQ(limiter.NextAvailableTime(weight, kT0 + 10 * kSecond), kT0 + kMinute);
  EXPECT_TRUE(limiter.TryAcquire(weight, kT0 + kMinute));
  EXPECT_EQ(limiter.UsedWeight(kT0 + kMinute), 80);
  EXPECT_EQ(limiter.stats().weight_acquired, 4800 + 80);
}

TEST(WeightLimiter, WindowsAreAlignedToUtcMinutesNotToTheFirstCall) {
  WeightLimiter limiter(100, 1.0);
  ASSERT_TRUE(limiter.TryAcquire(100, kT0 + 59 * kSecond));
  EXPECT_FALSE(limiter.TryAcquire(1, kT0 + 59'999));
  // A sliding window would wait until kT0 + 119 s; Binance's fixed window resets at kT0 + 60 s.
  EXPECT_TRUE(limiter.TryAcquire(100, kT0 + kMinute));
  EXPECT_EQ(WeightLimiter::WindowStart(kT0 + 61'234), kT0 + kMinute);
}

TEST(WeightLimiter, RandomBurstsNeverExceedTheBudgetInAnyWindow) {
  WeightLimiter limiter(2400);
  std::mt19937 random(12345);
  std::uniform_int_distribution<int> pick_weight(1, 40);
  std::uniform_int_distribution<int> pick_step(0, 900);
  std::map<Millis, std::int64_t> charged;  // window start -> weight admitted
  Millis now = kT0 + 123;
  int admitted = 0;
  for (int i = 0; i < 20000; ++i) {
    now += pick_step(random);
    const int weight = pick_weight(random);
    if (limiter.TryAcquire(weight, now)) {
      charged[WeightLimiter::WindowStart(now)] += weight;
      ++admitted;
    } else {
      // Refused only for want of budget, and NextAvailableTime says when it will fit.
      EXPECT_GT(limiter.UsedWeight(now) + weight, limiter.budget());
      EXPECT_EQ(limiter.NextAvailableTime(weight, now), WeightLimiter::WindowStart(now) + kMinute);
    }
  }
  EXPECT_GT(admitted, 1000);
  EXPECT_GT(charged.size(), 100u);
  for (const auto& [window, weight] : charged) EXPECT_LE(weight, 1920) << window;
}

TEST(WeightLimiter, ServerCountRaisesOursButNeverLowersIt) {
  WeightLimiter limiter(6000);
  ASSERT_TRUE(limiter.TryAcquire(20, kT0));
  limiter.OnUsedWeightHeader(4700, kT0 + 1);  // another process on our IP
  EXPECT_EQ(limiter.UsedWeight(kT0 + 1), 4700);
  EXPECT_TRUE(limiter.TryAcquire(100, kT0 + 2));
  EXPECT_FALSE(limiter.TryAcquire(1, kT0 + 3));
  limiter.OnUsedWeightHeader(10, kT0 + 4);  // stale or partial: ours is larger
  EXPECT_EQ(limiter.UsedWeight(kT0 + 4), 4800);
  // A header arriving in the next window starts that window's count.
  limiter.OnUsedWeightHeader(300, kT0 + kMinute + 5);
  EXPECT_EQ(limiter.UsedWeight(kT0 + kMinute + 5), 300);
}

TEST(WeightLimiter, Status429BlocksEveryCallUntilRetryAfter) {
  WeightLimiter limiter(6000);
  ASSERT_TRUE(limiter.OnBan(429, 30 * kSecond, kT0 + 10 * kSecond));
  EXPECT_EQ(limiter.stats().responses_429, 1);
  EXPECT_EQ(limiter.stats().banned_until, kT0 + 40 * kSecond);
  EXPECT_TRUE(limiter.IsBanned(kT0 + 39'999));
  EXPECT_FALSE(limiter.TryAcquire(1, kT0 + 39'999));
  EXPECT_EQ(limiter.NextAvailableTime(1, kT0 + 11 * kSecond), kT0 + 40 * kSecond);
  EXPECT_TRUE(limiter.TryAcquire(1, kT0 + 40 * kSecond));
}

TEST(WeightLimiter, Status429WithoutRetryAfterWaitsForTheNextWindow) {
  WeightLimiter limiter(6000);
  ASSERT_TRUE(limiter.OnBan(429, std::nullopt, kT0 + 45 * kSecond));
  EXPECT_EQ(limiter.stats().banned_until, kT0 + kMinute);
  EXPECT_FALSE(limiter.TryAcquire(1, kT0 + kMinute - 1));
  EXPECT_TRUE(limiter.TryAcquire(1, kT0 + kMinute));
}

TEST(WeightLimiter, Status418IsAnIpBanThatLaterResponsesCannotShorten) {
  WeightLimiter limiter(2400);
  ASSERT_TRUE(limiter.OnBan(418, 180 * kSecond, kT0));
  ASSERT_TRUE(limiter.OnBan(429, 5 * kSecond, kT0 + kSecond));
  EXPECT_EQ(limiter.stats().responses_418, 1);
  EXPECT_EQ(limiter.stats().responses_429, 1);
  EXPECT_EQ(limiter.stats().banned_until, kT0 + 180 * kSecond);
  EXPECT_FALSE(limiter.TryAcquire(1, kT0 + 179 * kSecond));
  EXPECT_EQ(limiter.NextAvailableTime(40, kT0 + 7 * kSecond), kT0 + 180 * kSecond);
  EXPECT_TRUE(limiter.TryAcquire(40, kT0 + 180 * kSecond));

  WeightLimiter no_header(2400);
  ASSERT_TRUE(no_header.OnBan(418, std::nullopt, kT0));
  EXPECT_EQ(no_header.stats().banned_until, kT0 + WeightLimiter::kDefaultBanWithoutRetryAfter);
}

TEST(WeightLimiter, BanEndingInAFullWindowWaitsForTheNextOne) {
  WeightLimiter limiter(100, 1.0);
  ASSERT_TRUE(limiter.TryAcquire(100, kT0));
  ASSERT_TRUE(limiter.OnBan(429, 10 * kSecond, kT0 + kSecond));
  EXPECT_EQ(limiter.NextAvailableTime(1, kT0 + kSecond), kT0 + kMinute);
}

TEST(WeightLimiter, OtherStatusesAreNotBans) {
  WeightLimiter limiter(6000);
  EXPECT_FALSE(limiter.OnBan(503, 10 * kSecond, kT0));
  EXPECT_FALSE(limiter.OnBan(403, std::nullopt, kT0));
  EXPECT_FALSE(limiter.IsBanned(kT0));
  EXPECT_EQ(limiter.stats().responses_429 + limiter.stats().responses_418, 0);
  EXPECT_TRUE(limiter.TryAcquire(20, kT0));
}

TEST(WeightLimiter, WeightAboveTheBudgetNeverFits) {
  WeightLimiter limiter(100);  // budget 80
  EXPECT_TRUE(limiter.Fits(80));
  EXPECT_FALSE(limiter.Fits(81));
  EXPECT_FALSE(limiter.TryAcquire(81, kT0));
  EXPECT_EQ(limiter.NextAvailableTime(81, kT0), WeightLimiter::kNever);
  EXPECT_EQ(limiter.UsedWeight(kT0), 0);
}

TEST(WeightLimiter, ClockSteppingBackKeepsTheCharges) {
  WeightLimiter limiter(100, 1.0);
  ASSERT_TRUE(limiter.TryAcquire(100, kT0 + kMinute));
  EXPECT_FALSE(limiter.TryAcquire(1, kT0 + 30 * kSecond));
}

}  // namespace
}  // namespace scanner::binance
