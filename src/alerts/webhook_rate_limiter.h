#pragma once
// Paces requests to one Discord webhook. Two sources of limits combine; the later wins:
//   - our own pacing windows: at most `max_requests` in any window of `length` (defaults stay a
//     little under the commonly observed 5 requests / 2 s per webhook and 30 messages / minute
//     per channel, which are observed, not documented: hence configurable);
//   - what Discord says: X-RateLimit-Remaining 0 until X-RateLimit-Reset-After, per bucket, and
//     after a 429 nothing until retry_after has passed.
// Time is passed in (from a core::Clock by the caller), so tests drive it with FakeClock.
// Not thread-safe: one instance per webhook, used from the event-loop thread.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "alerts/discord_response.h"
#include "core/time.h"

namespace scanner::alerts {

struct PacingWindow {
  int max_requests = 4;
  core::Millis length = 2 * core::kSecond;
};

struct WebhookRateLimiterOptions {
  // Windows with max_requests < 1 or length < 1 are ignored.
  std::vector<PacingWindow> windows{{4, 2 * core::kSecond}, {25, core::kMinute}};
};

class WebhookRateLimiter {
 public:
  explicit WebhookRateLimiter(WebhookRateLimiterOptions options = {});

  // The earliest time >= now at which the next request may start.
  core::Millis NextSendTime(core::Millis now) const;

  // A request started at `now` (call it for every request, whatever its outcome will be).
  void OnRequestSent(core::Millis now);

  // The response to a request, received at `now`: adopts the bucket's Remaining/Reset-After and,
  // for a 429, blocks until now + retry_after. Malformed values were already replaced by safe
  // defaults in `verdict`; they are counted here.
  void OnResponse(core::Millis now, const WebhookVerdict& verdict);

  // No request before `until` (a global 429 seen on another webhook, or a caller's own pause).
  void BlockUntil(core::Millis until);

  const std::string& bucket() const { return bucket_; }
  std::uint64_t rate_limited() const { return rate_limited_; }
  std::uint64_t malformed() const { return malformed_; }

 private:
  void Forget(core::Millis now);

  WebhookRateLimiterOptions options_;
  core::Millis longest_window_ = 0;
  std::deque<core::Millis> sends_;  // start times within the longest window, oldest first
  core::Millis blocked_until_ = 0;
  std::optional<int> remaining_;  // Discord's count for the current bucket, until reset_at_
  core::Millis reset_at_ = 0;
  std::string bucket_;
  std::uint64_t rate_limited_ = 0;
  std::uint64_t malformed_ = 0;
};

}  // namespace scanner::alerts
