#pragma once
// The production core::WakeUpTimer: an Asio steady timer armed for `at - clock.NowMs()`. A
// wall-clock step while waiting shifts the wake-up by the step; callers re-check the clock when
// woken. The io_context and the clock must outlive it; destroying it cancels the pending wake-up.
// Not thread-safe: the io_context's thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>

#include "core/clock.h"
#include "core/time.h"
#include "core/wake_up_timer.h"

namespace scanner::net {

class AsioWakeUpTimer final : public core::WakeUpTimer {
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

}  // namespace scanner::net
