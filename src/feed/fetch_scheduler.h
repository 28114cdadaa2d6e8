#pragma once
// FetchScheduler: spreads the gap filler's REST kline requests over time instead of bursting
// them into the weight limiter: at most `max_in_flight` at once, starts at least `spacing`
// apart, urgent requests (gap fills of live windows) before background ones (warm-up), first in
// first out within a priority. A request may wait for a time of its own (a retry delay).
//
// Keys are opaque to the scheduler (the gap filler's series ids); a key is queued at most once
// at a time (the caller's rule). Pure and clock-driven. Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <optional>

#include "core/time.h"

namespace scanner::feed {

class FetchScheduler {
 public:
  enum class Priority : std::uint8_t { kUrgent, kBackground };
  static constexpr core::Millis kNever = std::numeric_limits<core::Millis>::max();

  // `max_in_flight` >= 1 (raised), `spacing` >= 0.
  FetchScheduler(std::size_t max_in_flight, core::Millis spacing);

  // Queues `key` to start no earlier than `not_before` (0: as soon as allowed).
  void Enqueue(std::uint64_t key, Priority priority, core::Millis not_before = 0);
  // Drops a queued key (not one in flight); false when it was not queued.
  bool Remove(std::uint64_t key);
  // The next key allowed to start at `now`, counted in flight; nullopt when none may start.
  std::optional<std::uint64_t> Next(core::Millis now);
  // A started request completed.
  void Finished();

  // The earliest time Next() may return a key, assuming nothing changes; kNever when nothing
  // waits, or every slot is busy (Finished() changes that).
  core::Millis NextStartTime(core::Millis now) const;

  std::size_t queued() const { return urgent_.size() + background_.size() + delayed_.size(); }
  std::size_t in_flight() const { return in_flight_; }

 private:
  struct Delayed {
    std::uint64_t key;
    Priority priority;
  };
  void Promote(core::Millis now);

  std::size_t max_in_flight_;
  core::Millis spacing_;
  std::deque<std::uint64_t> urgent_;
  std::deque<std::uint64_t> background_;
  std::multimap<core::Millis, Delayed> delayed_;
  std::size_t in_flight_ = 0;
  std::optional<core::Millis> last_start_;
};

}  // namespace scanner::feed
