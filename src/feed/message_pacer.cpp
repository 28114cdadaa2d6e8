#include "feed/message_pacer.h"

#include <algorithm>

namespace scanner::feed {

MessagePacer::MessagePacer(int max_messages, core::Millis window)
    : max_messages_(std::max(max_messages, 1)), window_(std::max<core::Millis>(window, 1)) {}

void MessagePacer::Add(core::Millis at) {
  // Times are recorded in non-decreasing order; a clock step backwards is clamped so that the
  // queue stays sorted (and the message counts for at least as long as it should).
  if (!times_.empty()) at = std::max(at, times_.back());
  times_.push_back(at);
}

void MessagePacer::Trim(core::Millis now) {
  while (!times_.empty() && times_.front() <= now - window_) times_.pop_front();
}

void MessagePacer::RecordSent(core::Millis now) {
  Trim(now);
  Add(now);
  ++sent_;
}

void MessagePacer::ObservePongs(std::uint64_t pongs_total, core::Millis now) {
  if (pongs_total < pong_counter_) pong_counter_ = 0;  // a new session started from zero
  Trim(now);
  for (; pong_counter_ < pongs_total; ++pong_counter_) {
    Add(now);
    ++pongs_;
  }
}

int MessagePacer::InWindow(core::Millis now) const {
  const auto first = std::upper_bound(times_.begin(), times_.end(), now - window_);
  return static_cast<int>(times_.end() - first);
}

core::Millis MessagePacer::NextSendTime(core::Millis now) const {
  const int in_window = InWindow(now);
  if (in_window < max_messages_) return now;
  // The (in_window - max + 1)-th oldest message still counted must leave the window first.
  const auto first = times_.end() - in_window;
  return *(first + (in_window - max_messages_)) + window_;
}

}  // namespace scanner::feed
