#include "feed/connect_throttle.h"

#include <algorithm>

namespace scanner::feed {

ConnectThrottle::ConnectThrottle(ConnectThrottleOptions options) : options_(options) {
  options_.min_interval = std::max<core::Millis>(options_.min_interval, 0);
  options_.max_per_window = std::max(options_.max_per_window, 1);
  options_.window = std::max<core::Millis>(options_.window, 1);
}

core::Millis ConnectThrottle::NextAttemptTime(core::Millis now) const {
  if (times_.empty()) return now;
  core::Millis next = std::max(now, times_.back() + options_.min_interval);
  // Attempts still inside the window that would end at `next`.
  const auto first = std::upper_bound(times_.begin(), times_.end(), next - options_.window);
  const auto in_window = times_.end() - first;
  if (in_window >= options_.max_per_window) {
    next = std::max(next, *(first + (in_window - options_.max_per_window)) + options_.window);
  }
  return next;
}

void ConnectThrottle::RecordAttempt(core::Millis now) {
  if (!times_.empty()) now = std::max(now, times_.back());
  times_.push_back(now);
  while (!times_.empty() && times_.front() <= now - options_.window) times_.pop_front();
  ++attempts_;
}

}  // namespace scanner::feed
