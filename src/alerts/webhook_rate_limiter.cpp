#include "alerts/webhook_rate_limiter.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace scanner::alerts {

WebhookRateLimiter::WebhookRateLimiter(WebhookRateLimiterOptions options)
    : options_(std::move(options)) {
  std::erase_if(options_.windows,
                [](const PacingWindow& w) { return w.max_requests < 1 || w.length < 1; });
  for (const PacingWindow& window : options_.windows) {
    longest_window_ = std::max(longest_window_, window.length);
  }
}

core::Millis WebhookRateLimiter::NextSendTime(core::Millis now) const {
  core::Millis at = std::max(now, blocked_until_);
  if (remaining_ && *remaining_ <= 0 && reset_at_ > at) at = reset_at_;
  // Each window may push `at` later, which can only fill other windows less, so a pass in which
  // nothing moves is final; every move lands on a recorded send time + length, so this ends.
  bool moved = true;
  while (moved) {
    moved = false;
    for (const PacingWindow& window : options_.windows) {
      // Sends s with s > at - length are inside the window ending at `at`.
      auto first_inside = std::upper_bound(sends_.begin(), sends_.end(), at - window.length);
      auto inside = std::distance(first_inside, sends_.end());
      if (inside < window.max_requests) continue;
      // Wait until enough of the oldest have left for one more to fit.
      core::Millis free_at = *(first_inside + (inside - window.max_requests)) + window.length;
      if (free_at > at) {
        at = free_at;
        moved = true;
      }
    }
  }
  return at;
}

void WebhookRateLimiter::OnRequestSent(core::Millis now) {
  Forget(now);
  // Keep sends_ sorted even if a caller's clock steps back.
  sends_.insert(std::upper_bound(sends_.begin(), sends_.end(), now), now);
  if (remaining_ && now < reset_at_) {
    *remaining_ = std::max(0, *remaining_ - 1);
  } else {
    remaining_.reset();
  }
}

void WebhookRateLimiter::OnResponse(core::Millis now, const WebhookVerdict& verdict) {
  malformed_ += static_cast<std::uint64_t>(std::max(0, verdict.malformed));
  const RateLimitHeaders& headers = verdict.rate_limit;
  if (!headers.bucket.empty() && headers.bucket != bucket_) {
    bucket_ = headers.bucket;
    remaining_.reset();  // counts of another bucket say nothing about this one
  }
  if (headers.remaining && headers.reset_after) {
    remaining_ = *headers.remaining;
    reset_at_ = now + *headers.reset_after;
  }
  if (verdict.outcome == WebhookOutcome::kRateLimited) {
    ++rate_limited_;
    BlockUntil(now + verdict.retry_after.value_or(kDefaultRateLimitWait));
  }
}

void WebhookRateLimiter::BlockUntil(core::Millis until) {
  blocked_until_ = std::max(blocked_until_, until);
}

void WebhookRateLimiter::Forget(core::Millis now) {
  while (!sends_.empty() && sends_.front() <= now - longest_window_) sends_.pop_front();
}

}  // namespace scanner::alerts
