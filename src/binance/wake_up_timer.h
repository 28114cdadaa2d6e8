#pragma once
// A single re-armable wake-up at an absolute time on the caller's core::Clock. Services that
// wait (the REST client for its weight budget, a ban or a retry; the universe refresh) ask a
// WakeUpTimer instead of arming Asio timers themselves, so tests drive them with a FakeClock and
// a manual timer (tests/fakes/manual_wake_up_timer.h) without sleeping.
//
// Contract of every implementation: at most one wake-up is pending; WakeAt replaces it; Cancel
// drops it; the callback runs on the io_context thread, never inside WakeAt or Cancel, and not at
// all once replaced or cancelled. Not thread-safe.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>

#include "core/clock.h"
#include "core/time.h"

namespace scanner::binance {

class WakeUpTimer {
 public:
  virtual ~WakeUpTimer() = default;
  // Calls `callback` once the clock reaches `at` (at once, posted, when `at` has passed).
  virtual void WakeAt(core::Millis at, std::function<void()> callback) = 0;
  virtual void Cancel() = 0;
};

// The production WakeUpTimer: an Asio steady timer armed for `at - clock.NowMs()`. A wall-clock
// step while waiting shifts the wake-up by the step; callers re-check the clock when woken.
// The io_context and the clock must outlive it; destroying it cancels the pending wake-up.
class AsioWakeUpTimer final : public WakeUpTimer {
 public:
  AsioWakeUpTimer(boost::asio::io_context& io_context, const core::Clock& clock);
  AsioWakeUpTimer(const AsioWakeUpTimer&) = delete;
  AsioWakeUpTimer& operator=(const AsioWakeUpTimer&) = delete;
  ~AsioWakeUpTimer() override;

  void WakeAt(core::Millis at, std::function<void()> callback) override;
  void Cancel() override;

 private:
  boost::asio::steady_timer timer_;
  const core::Clock& clock_;
  // Bumped by every WakeAt and Cancel: a completion whose generation is stale, or that outlived
  // the timer, does nothing (cancel() cannot stop a completion that is already queued). Shared
  // with the completion handlers, which hold it weakly.
  std::shared_ptr<unsigned long> generation_ = std::make_shared<unsigned long>(0);
};

}  // namespace scanner::binance
