#pragma once
// Watchdog: the no-data detector of one stream connection. An open socket that delivers nothing
// is the common silent failure (a stalled server, a half-open TCP connection, or a futures URL
// without the /market route, which completes the handshake and then sends no klines). Market
// data resets the watchdog; pings, pongs and control replies do not.
//
// Pure and clock-driven. Not thread-safe.

#include <limits>

#include "core/time.h"

namespace scanner::feed {

class Watchdog {
 public:
  static constexpr core::Millis kNever = std::numeric_limits<core::Millis>::max();

  explicit Watchdog(core::Millis stale_after) : stale_after_(stale_after) {}

  // The connection opened at `now`: silence is measured from here.
  void Arm(core::Millis now) {
    armed_ = true;
    last_ = now;
  }
  // Market data arrived at `now`.
  void Feed(core::Millis now) {
    if (now > last_) last_ = now;
  }
  void Disarm() { armed_ = false; }

  bool armed() const { return armed_; }
  // Nothing for stale_after while armed.
  bool Tripped(core::Millis now) const { return armed_ && now - last_ >= stale_after_; }
  // When it trips if nothing arrives; kNever when disarmed.
  core::Millis Deadline() const { return armed_ ? last_ + stale_after_ : kNever; }
  core::Millis last_data() const { return last_; }

 private:
  core::Millis stale_after_;
  core::Millis last_ = 0;
  bool armed_ = false;
};

}  // namespace scanner::feed
