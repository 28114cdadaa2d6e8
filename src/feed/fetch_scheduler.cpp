#include "feed/fetch_scheduler.h"

#include <algorithm>

namespace scanner::feed {

FetchScheduler::FetchScheduler(std::size_t max_in_flight, core::Millis spacing)
    : max_in_flight_(std::max<std::size_t>(max_in_flight, 1)),
      spacing_(std::max<core::Millis>(spacing, 0)) {}

void FetchScheduler::Enqueue(std::uint64_t key, Priority priority, core::Millis not_before) {
  if (not_before > 0) {
    // Kept aside until due; Promote() moves it to its queue then.
    delayed_.emplace(not_before, Delayed{key, priority});
    return;
  }
  (priority == Priority::kUrgent ? urgent_ : background_).push_back(key);
}

bool FetchScheduler::Remove(std::uint64_t key) {
  for (auto* queue : {&urgent_, &background_}) {
    auto found = std::find(queue->begin(), queue->end(), key);
    if (found != queue->end()) {
      queue->erase(found);
      return true;
    }
  }
  for (auto it = delayed_.begin(); it != delayed_.end(); ++it) {
    if (it->second.key == key) {
      delayed_.erase(it);
      return true;
    }
  }
  return false;
}

void FetchScheduler::Promote(core::Millis now) {
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    const Delayed due = delayed_.begin()->second;
    delayed_.erase(delayed_.begin());
    (due.priority == Priority::kUrgent ? urgent_ : background_).push_back(due.key);
  }
}

std::optional<std::uint64_t> FetchScheduler::Next(core::Millis now) {
  if (in_flight_ >= max_in_flight_) return std::nullopt;
  if (last_start_ && now < *last_start_ + spacing_) return std::nullopt;
  Promote(now);
  std::deque<std::uint64_t>* queue = !urgent_.empty() ? &urgent_ : &background_;
  if (queue->empty()) return std::nullopt;
  const std::uint64_t key = queue->front();
  queue->pop_front();
  ++in_flight_;
  last_start_ = now;
  return key;
}

void FetchScheduler::Finished() {
  if (in_flight_ > 0) --in_flight_;
}

core::Millis FetchScheduler::NextStartTime(core::Millis now) const {
  if (in_flight_ >= max_in_flight_) return kNever;
  core::Millis at = kNever;
  if (!urgent_.empty() || !background_.empty()) {
    at = now;
  } else if (!delayed_.empty()) {
    at = std::max(now, delayed_.begin()->first);
  }
  if (at != kNever && last_start_) at = std::max(at, *last_start_ + spacing_);
  return at;
}

}  // namespace scanner::feed
