#pragma once
// Test support for services that wait through a core::WakeUpTimer: a timer that fires only
// when the test's FakeClock reaches its time, and a loop driver that runs an io_context, fires
// due timers and, once everything is quiet, jumps the clock to the next wake-up. Tests thus
// cover minutes of back-off, bans and refresh intervals without sleeping.
// Single-threaded: everything runs on the test thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <optional>
#include <utility>

#include "core/wake_up_timer.h"
#include "core/clock.h"

namespace scanner::fakes {

class ManualWakeUpTimer final : public core::WakeUpTimer {
 public:
  explicit ManualWakeUpTimer(boost::asio::io_context& io_context) : io_context_(io_context) {}

  void WakeAt(core::Millis at, std::function<void()> callback) override {
    pending_ = Pending{at, std::move(callback)};
    ++armed_;
  }
  void Cancel() override { pending_.reset(); }

  std::optional<core::Millis> due() const {
    return pending_ ? std::optional<core::Millis>(pending_->at) : std::nullopt;
  }
  // How many times WakeAt was called.
  int armed() const { return armed_; }

  // Posts the callback when it is due at `now`; true when it did.
  bool FireIfDue(core::Millis now) {
    if (!pending_ || pending_->at > now) return false;
    std::function<void()> callback = std::move(pending_->callback);
    pending_.reset();
    boost::asio::post(io_context_, std::move(callback));
    return true;
  }

 private:
  struct Pending {
    core::Millis at;
    std::function<void()> callback;
  };
  boost::asio::io_context& io_context_;
  std::optional<Pending> pending_;
  int armed_ = 0;
};

// Runs `io_context` until `done()` holds. Ready handlers run first; then due timers fire; while
// `busy()` holds (requests on the wire), it waits for I/O; otherwise it sets `clock` to the
// earliest pending wake-up. Returns false, instead of hanging the suite, when nothing can move
// (no handler, no I/O for 30 s, no timer) or after `max_steps`.
inline bool DriveUntil(boost::asio::io_context& io_context, core::FakeClock& clock,
                       std::initializer_list<ManualWakeUpTimer*> timers,
                       const std::function<bool()>& done, const std::function<bool()>& busy,
                       int max_steps = 100000) {
  for (int step = 0; step < max_steps; ++step) {
    io_context.restart();
    io_context.poll();
    if (done()) return true;
    bool fired = false;
    for (ManualWakeUpTimer* timer : timers) fired = timer->FireIfDue(clock.NowMs()) || fired;
    if (fired) continue;
    if (busy()) {
      io_context.restart();
      if (io_context.run_one_for(std::chrono::seconds(30)) == 0) return false;
      continue;
    }
    std::optional<core::Millis> next;
    for (ManualWakeUpTimer* timer : timers) {
      if (auto due = timer->due(); due && (!next || *due < *next)) next = due;
    }
    if (!next) {
      // Nothing scheduled: perhaps I/O still on its way (a server's answer being written).
      io_context.restart();
      if (io_context.run_one_for(std::chrono::seconds(30)) == 0) return false;
      continue;
    }
    if (*next > clock.NowMs()) clock.Set(*next);
  }
  return false;
}

}  // namespace scanner::fakes
