#pragma once
// ConnectThrottle: paces new WebSocket connection attempts for the whole pool. Binance allows
// at most 300 connection attempts per 5 minutes per IP; the pool stays far below by spacing
// attempts at least `min_interval` apart and allowing at most `max_per_window` in any `window`.
// Reconnects, rotations and new shards all go through the same throttle, so a shared outage
// cannot turn into a reconnect storm however many connections drop at once.
//
// Pure and clock-driven. Not thread-safe.

#include <cstdint>
#include <deque>

#include "core/time.h"

namespace scanner::feed {

struct ConnectThrottleOptions {
  core::Millis min_interval = 1 * core::kSecond;
  int max_per_window = 60;  // Binance: 300
  core::Millis window = 5 * core::kMinute;
};

class ConnectThrottle {
 public:
  explicit ConnectThrottle(ConnectThrottleOptions options);

  bool CanAttempt(core::Millis now) const { return NextAttemptTime(now) <= now; }
  // The earliest time >= now at which an attempt is allowed.
  core::Millis NextAttemptTime(core::Millis now) const;
  // An attempt made at `now`.
  void RecordAttempt(core::Millis now);

  std::uint64_t attempts() const { return attempts_; }
  const ConnectThrottleOptions& options() const { return options_; }

 private:
  ConnectThrottleOptions options_;
  std::deque<core::Millis> times_;  // attempts within the last window, oldest first
  std::uint64_t attempts_ = 0;
};

}  // namespace scanner::feed
