#include "alerts/webhook_rate_limiter.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/clock.h"

namespace scanner::alerts {
namespace {

using core::kSecond;
using core::Millis;

constexpr Millis kStart = 1'700'000'000'000;

WebhookVerdict Sent(std::vector<std::pair<std::string, std::string>> headers) {
  return ClassifyWebhookResponse(WebhookResponse{204, std::move(headers), ""});
}

// Sends as fast as the limiter allows, `count` times; the send times.
std::vector<Millis> Burst(WebhookRateLimiter& limiter, core::FakeClock& clock, int count) {
  std::vector<Millis> sends;
  for (int i = 0; i < count; ++i) {
    Millis at = limiter.NextSendTime(clock.NowMs());
    EXPECT_GE(at, clock.NowMs());
    clock.Set(at);
    limiter.OnRequestSent(clock.NowMs());
    sends.push_back(clock.NowMs());
  }
  return sends;
}

// The most sends inside any window (t - length, t].
int MostInAnyWindow(const std::vector<Millis>& sends, Millis length) {
  int most = 0;
  for (std::size_t end = 0; end < sends.size(); ++end) {
    int inside = 0;
    for (std::size_t i = 0; i <= end; ++i) inside += sends[i] > sends[end] - length ? 1 : 0;
    most = std::max(most, inside);
  }
  return most;
}

TEST(WebhookRateLimiter, BurstStaysUnderEveryPacingWindow) {
  core::FakeClock clock(kStart);
  WebhookRateLimiter limiter;  // defaults: 4 per 2 s, 25 per minute
  std::vector<Millis> sends = Burst(limiter, clock, 120);
  EXPECT_EQ(MostInAnyWindow(sends, 2 * kSecond), 4);
  EXPECT_EQ(MostInAnyWindow(sends, core::kMinute), 25);
  // Not slower than needed either: the first four go at once, the fifth when the first expires.
  EXPECT_EQ(sends[3], kStart);
  EXPECT_EQ(sends[4], kStart + 2 * kSecond);
  // 120 sends at 25 a minute take four full minutes and a bit.
  EXPECT_GE(sends.back() - sends.front(), 4 * core::kMinute);
  EXPECT_LT(sends.back() - sends.front(), 5 * core::kMinute);
}

TEST(WebhookRateLimiter, ConfigurableWindows) {
  core::FakeClock clock(kStart);
  WebhookRateLimiter limiter({.windows = {{2, kSecond}, {0, kSecond}, {3, -5}}});
  std::vector<Millis> sends = Burst(limiter, clock, 10);
  EXPECT_EQ(MostInAnyWindow(sends, kSecond), 2);
  EXPECT_EQ(sends, (std::vector<Millis>{kStart, kStart, kStart + 1000, kStart + 1000, kStart + 2000,
                                        kStart + 2000, kStart + 3000, kStart + 3000, kStart + 4000,
                                        kStart + 4000}));
}

TEST(WebhookRateLimiter, IdleTimeRefillsTheWindow) {
  core::FakeClock clock(kStart);
  WebhookRateLimiter limiter({.windows = {{4, 2 * kSecond}}});
  Burst(limiter, clock, 4);
  EXPECT_EQ(limiter.NextSendTime(clock.NowMs()), kStart + 2 * kSecond);
  clock.Advance(10 * kSecond);
  EXPECT_EQ(limiter.NextSendTime(clock.NowMs()), clock.NowMs());
}

TEST(WebhookRateLimiter, RemainingZeroWaitsForResetAfter) {
  core::FakeClock clock(kStart);
  WebhookRateLimiter limiter({.windows = {}});
  limiter.OnRequestSent(clock.NowMs());
  limiter.OnResponse(clock.NowMs(), Sent({{"X-RateLimit-Remaining", "0"},
                                          {"X-RateLimit-Reset-After", "1.5"},
                                          {"X-RateLimit-Bucket", "b1"}}));
  EXPECT_EQ(limiter.bucket(), "b1");
  EXPECT_EQ(limiter.NextSendTime(clock.NowMs()), kStart + 1500);
  clock.Advance(1500);
  EXPECT_EQ(limiter.NextSendTime(clock.NowMs()), clock.NowMs());
}

TEST(WebhookRateLimiter, RemainingCountsDownWithRequestsInFlight) {
  core::FakeClock clock(kStart);
  WebhookRateLimiter limiter({.windows = {}});
  limiter.OnResponse(clock.NowMs(),
                     Sent({{"X-RateLimit-Remaining", "2"}, {"X-RateLimit-Reset-After", "2"}}));
  limiter.OnRequestSent(clock.NowMs());
  EXPECT_EQ(limiter.NextSendTime(clock.NowMs()), clock.NowMs());
  limiter.OnRequestSent(clock.NowMs());
  EXPECT_EQ(limiter.NextSendTime(clock.NowMs()), kStart + 2000);  // none left until the reset
}

TEST(WebhookRateLimiter, ANewBucketForgetsTheOldCount) {
  core::FakeClock clock(kStart);
  WebhookRateLimiter limiter({.windows = {}});
  limiter.OnResponse(clock.NowMs(), Sent({{"X-RateLimit-Remaining", "0"},
                                          {"X-RateLimit-Reset-After", "5"},
                                          {"X-RateLimit-Bucket", "old"}}));
  EXPECT_EQ(limiter.NextSendTime(clock.NowMs()), kStart + 5000);
  limiter.OnResponse(clock.NowMs(), Sent({{"X-RateLimit-Bucket", "new"}}));
  EXPECT_EQ(limiter.bucket(), "new");
  EXPECT_EQ(limiter.NextSendTime(clock.NowMs()), kStart);
}

TEST(WebhookRateLimiter, A429BlocksForRetryAfter) {
  core::FakeClock clock(kStart);
  WebhookRateLimiter limiter;
  limiter.OnRequestSent(clock.NowMs());
  clock.Advance(100);
  limiter.OnResponse(clock.NowMs(), ClassifyWebhookResponse(WebhookResponse{
                                        429, {}, R"({"retry_after": 3.25, "global": false})"}));
  EXPECT_EQ(limiter.rate_limited(), 1u);
  EXPECT_EQ(limiter.NextSendTime(clock.NowMs()), kStart + 100 + 3250);
  // A shorter block later does not shorten it.
  limiter.BlockUntil(kStart + 200);
  EXPECT_EQ(limiter.NextSendTime(clock.NowMs()), kStart + 3350);
  limiter.BlockUntil(kStart + 9000);  // e.g. a global 429 seen on another webhook
  EXPECT_EQ(limiter.NextSendTime(clock.NowMs()), kStart + 9000);
}

TEST(WebhookRateLimiter, StormOf429sNeverLetsARequestThroughEarly) {
  core::FakeClock clock(kStart);
  WebhookRateLimiter limiter;
  Millis blocked_until = 0;
  for (int i = 0; i < 50; ++i) {
    Millis at = limiter.NextSendTime(clock.NowMs());
    EXPECT_GE(at, blocked_until);
    clock.Set(at);
    limiter.OnRequestSent(clock.NowMs());
    clock.Advance(37);  // the response takes a while
    double seconds = 0.1 * (i % 7 + 1);
    limiter.OnResponse(clock.NowMs(),
                       ClassifyWebhookResponse(WebhookResponse{
                           429, {}, "{\"retry_after\": " + std::to_string(seconds) + "}"}));
    blocked_until = clock.NowMs() + static_cast<Millis>(seconds * 1000 + 0.5);
  }
  EXPECT_EQ(limiter.rate_limited(), 50u);
}

TEST(WebhookRateLimiter, MalformedHeadersAreCountedAndHarmless) {
  core::FakeClock clock(kStart);
  WebhookRateLimiter limiter({.windows = {}});
  limiter.OnResponse(clock.NowMs(),
                     Sent({{"X-RateLimit-Remaining", "zero"}, {"X-RateLimit-Reset-After", "-1"}}));
  limiter.OnResponse(clock.NowMs(),
                     Sent({{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset-After", "1e300"}}));
  EXPECT_EQ(limiter.malformed(), 3u);
  // The absurd reset is clamped, never an overflow or a negative time.
  Millis next = limiter.NextSendTime(clock.NowMs());
  EXPECT_GE(next, clock.NowMs());
  EXPECT_LE(next, clock.NowMs() + kMaxRateLimitWait);
}

}  // namespace
}  // namespace scanner::alerts
