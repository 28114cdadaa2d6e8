#pragma once
// The injectable source of wall-clock time. Every decision that depends on "now" (windows,
// backoff, cooldown, dedup, retention) asks a Clock, so tests drive time with FakeClock.

#include <atomic>

#include "core/time.h"

namespace scanner::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual Millis NowMs() const = 0;
};

// The system's real-time clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  Millis NowMs() const override;
};

// A clock that moves only when told to. Thread-safe, so a test thread may advance it while a
// service thread reads it.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Millis start = 0) : now_(start) {}
  Millis NowMs() const override { return now_.load(std::memory_order_acquire); }
  void Set(Millis now) { now_.store(now, std::memory_order_release); }
  void Advance(Millis delta) { now_.fetch_add(delta, std::memory_order_acq_rel); }

 private:
  std::atomic<Millis> now_;
};

}  // namespace scanner::core
