#include "binance/weight_limiter.h"

#include <algorithm>
#include <cmath>

namespace scanner::binance {
namespace {

int BudgetOf(int limit_per_minute, double fraction) {
  if (limit_per_minute <= 0) return 0;
  return static_cast<int>(std::floor(static_cast<double>(limit_per_minute) * fraction));
}

}  // namespace

WeightLimiter::WeightLimiter(int limit_per_minute, double budget_fraction)
    : limit_per_minute_(std::max(limit_per_minute, 0)),
      budget_fraction_(std::clamp(budget_fraction, 0.01, 1.0)),
      budget_(BudgetOf(limit_per_minute_, budget_fraction_)) {}

void WeightLimiter::SetLimitPerMinute(int limit_per_minute) {
  limit_per_minute_ = std::max(limit_per_minute, 0);
  budget_ = BudgetOf(limit_per_minute_, budget_fraction_);
}

core::Millis WeightLimiter::WindowStart(core::Millis time) {
  // Floor division, so that times before the epoch (only ever seen in tests) align too.
  core::Millis remainder = time % core::kMinute;
  if (remainder < 0) remainder += core::kMinute;
  return time - remainder;
}

void WeightLimiter::Roll(core::Millis now) {
  const core::Millis start = WindowStart(now);
  // A clock that steps back keeps the current window's charges: conservative.
  if (start > window_start_) {
    window_start_ = start;
    used_ = 0;
  }
}

bool WeightLimiter::TryAcquire(int weight, core::Millis now) {
  if (IsBanned(now) || !Fits(weight)) {
    ++stats_.refusals;
    return false;
  }
  Roll(now);
  if (used_ + weight > budget_) {
    ++stats_.refusals;
    return false;
  }
  used_ += weight;
  stats_.weight_acquired += weight;
  return true;
}

core::Millis WeightLimiter::NextAvailableTime(int weight, core::Millis now) const {
  if (!Fits(weight)) return kNever;
  const core::Millis at = std::max(now, stats_.banned_until);
  const std::int64_t used_at = WindowStart(at) > window_start_ ? 0 : used_;
  if (used_at + weight <= budget_) return at;
  return WindowStart(at) + core::kMinute;
}

void WeightLimiter::OnUsedWeightHeader(std::int64_t used_weight, core::Millis now) {
  Roll(now);
  used_ = std::max(used_, used_weight);
}

bool WeightLimiter::OnBan(int http_status, std::optional<core::Millis> retry_after,
                          core::Millis now) {
  core::Millis until = 0;
  if (http_status == 429) {
    ++stats_.responses_429;
    until = retry_after ? now + std::max<core::Millis>(*retry_after, 0)
                        : WindowStart(now) + core::kMinute;
  } else if (http_status == 418) {
    ++stats_.responses_418;
    until = now +
            (retry_after ? std::max<core::Millis>(*retry_after, 0) : kDefaultBanWithoutRetryAfter);
  } else {
    return false;
  }
  stats_.banned_until = std::max(stats_.banned_until, until);
  return true;
}

std::int64_t WeightLimiter::UsedWeight(core::Millis now) const {
  return WindowStart(now) > window_start_ ? 0 : used_;
}

}  // namespace scanner::binance
