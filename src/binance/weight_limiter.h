#pragma once
// Keeps our REST request weight under a fraction (default 80 %) of Binance's per-minute limit.
//
// Binance counts weight per IP in fixed one-minute windows that reset at each UTC minute
// boundary (X-MBX-USED-WEIGHT-1M). The limiter mirrors that: it charges each call's weight to
// the current window before the call is sent, refuses calls that would push the window past the
// budget, and adopts the server's count when a response reports more than we charged (another
// process on the same IP, or calls we did not see). A 429 or 418 blocks every call until its
// Retry-After has passed.
//
// Pure and clock-driven: every method takes `now` (ms since the epoch, from core::Clock); nothing
// waits or sleeps. Not thread-safe: owned by the REST client on the scanner's io_context thread.

#include <cstdint>
#include <limits>
#include <optional>

#include "core/time.h"

namespace scanner::binance {

struct WeightLimiterStats {
  std::int64_t weight_acquired = 0;  // total weight charged by TryAcquire, all windows
  std::int64_t refusals = 0;         // TryAcquire calls that returned false
  std::int64_t responses_429 = 0;
  std::int64_t responses_418 = 0;
  core::Millis banned_until = 0;  // calls are refused before this time; 0 = never banned
};

class WeightLimiter {
 public:
  static constexpr double kDefaultBudgetFraction = 0.8;
  // NextAvailableTime's answer for a weight that can never fit the budget.
  static constexpr core::Millis kNever = std::numeric_limits<core::Millis>::max();
  // Ban lengths assumed when a 429 / 418 response carries no Retry-After: a 429 lasts until the
  // window resets; a 418 at least Binance's shortest IP ban (2 minutes).
  static constexpr core::Millis kDefaultBanWithoutRetryAfter = 2 * core::kMinute;

  // `limit_per_minute`: Binance's REQUEST_WEIGHT per minute (DefaultWeightLimitPerMinute until
  // exchangeInfo is known). `budget_fraction` is clamped to [0.01, 1].
  explicit WeightLimiter(int limit_per_minute, double budget_fraction = kDefaultBudgetFraction);

  // Adopts the live limit from exchangeInfo.rateLimits. Weight already charged stays charged.
  void SetLimitPerMinute(int limit_per_minute);

  int limit_per_minute() const { return limit_per_minute_; }
  // floor(limit * fraction): the most weight we let ourselves use in one window.
  int budget() const { return budget_; }
  // True when a call of `weight` can fit an empty window at all.
  bool Fits(int weight) const { return weight >= 0 && weight <= budget_; }

  // Charges `weight` to now's window and returns true when not banned and the window stays
  // within budget; otherwise charges nothing and returns false.
  bool TryAcquire(int weight, core::Millis now);

  // The earliest time >= now at which TryAcquire(weight, ·) would succeed, assuming no other
  // charges meanwhile; kNever when !Fits(weight).
  core::Millis NextAvailableTime(int weight, core::Millis now) const;

  // X-MBX-USED-WEIGHT-1M of a response received at `now`: the window's count becomes the larger
  // of ours and the server's. (A response that straddles a minute boundary is charged to the new
  // window: too cautious by one response, never too bold.)
  void OnUsedWeightHeader(std::int64_t used_weight, core::Millis now);

  // A 429 or 418 response received at `now`, with its Retry-After (nullopt when absent).
  // Blocks all calls until now + retry_after (never shortening a longer ban already in force)
  // and counts the response. Returns false, changing nothing, for any other status.
  bool OnBan(int http_status, std::optional<core::Millis> retry_after, core::Millis now);

  bool IsBanned(core::Millis now) const { return now < stats_.banned_until; }
  // The weight charged to now's window (0 once a new window has begun).
  std::int64_t UsedWeight(core::Millis now) const;
  const WeightLimiterStats& stats() const { return stats_; }

  // The start of the one-minute window containing `time`.
  static core::Millis WindowStart(core::Millis time);

 private:
  // Starts a new window when `now` has passed the current one.
  void Roll(core::Millis now);

  int limit_per_minute_;
  double budget_fraction_;
  int budget_;
  core::Millis window_start_ = std::numeric_limits<core::Millis>::min();
  std::int64_t used_ = 0;  // weight charged to window_start_'s window
  WeightLimiterStats stats_;
};

}  // namespace scanner::binance
