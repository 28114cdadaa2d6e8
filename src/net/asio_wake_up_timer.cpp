#include "net/asio_wake_up_timer.h"

#include <algorithm>
#include <chrono>

namespace scanner::net {

AsioWakeUpTimer::AsioWakeUpTimer(boost::asio::io_context& io_context, const core::Clock& clock)
    : timer_(io_context), clock_(clock) {}

AsioWakeUpTimer::~AsioWakeUpTimer() { Cancel(); }

void AsioWakeUpTimer::WakeAt(core::Millis at, std::function<void()> callback) {
  const unsigned long generation = ++*generation_;
  // Clamped so that a far-away time (a multi-day ban) cannot overflow the steady clock.
  const core::Millis delay = std::clamp<core::Millis>(at - clock_.NowMs(), 0, 365 * core::kDay);
  timer_.expires_after(std::chrono::milliseconds(delay));
  timer_.async_wait([weak = std::weak_ptr<unsigned long>(generation_), generation,
                     callback = std::move(callback)](const boost::system::error_code& error) {
    const std::shared_ptr<unsigned long> current = weak.lock();
    if (error || !current || *current != generation) return;
    callback();
  });
}

void AsioWakeUpTimer::Cancel() {
  ++*generation_;
  timer_.cancel();
}

}  // namespace scanner::net
