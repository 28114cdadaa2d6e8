#pragma once
// A single re-armable wake-up at an absolute time on the caller's core::Clock. Services that
// wait (the REST client for its weight budget, a ban or a retry; the universe refresh; the feed's
// pool and gap filler) ask a WakeUpTimer instead of arming Asio timers themselves, so tests drive
// them with a FakeClock and a manual timer (tests/fakes/manual_wake_up_timer.h) without sleeping.
// The production one is net::AsioWakeUpTimer.
//
// Contract of every implementation: at most one wake-up is pending; WakeAt replaces it; Cancel
// drops it; the callback runs on the owner's event-loop thread, never inside WakeAt or Cancel,
// and not at all once replaced or cancelled. Not thread-safe.

#include <functional>

#include "core/time.h"

namespace scanner::core {

class WakeUpTimer {
 public:
  virtual ~WakeUpTimer() = default;
  // Calls `callback` once the clock reaches `at` (at once, posted, when `at` has passed).
  virtual void WakeAt(Millis at, std::function<void()> callback) = 0;
  virtual void Cancel() = 0;
};

}  // namespace scanner::core
