#pragma once
// MessagePacer: keeps the messages one WebSocket connection sends to Binance under the
// per-connection limit (spot 5/s, USD-M futures 10/s), which counts EVERY frame the client
// sends: SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS and the pongs that answer server pings.
//
// Contract: within any `window` (1 s plus a safety margin for network jitter) the control
// messages recorded by RecordSent() plus the pongs observed through ObservePongs() never exceed
// `max_messages`, provided the caller sends only when CanSend() is true. Pongs are written by the
// WebSocket layer on its own, so they are counted when observed (the session's cumulative pong
// counter), which places them no earlier than they really went out. A pong sent but not yet
// observed is the only message the pacer cannot see: the configured maximum must therefore stay
// below Binance's limit (config validation enforces max_messages_per_second < the limit), and
// that difference absorbs it.
//
// Pure and clock-driven (times come from core::Clock); no allocation beyond a small queue of
// timestamps. Not thread-safe.

#include <cstdint>
#include <deque>

#include "core/time.h"

namespace scanner::feed {

class MessagePacer {
 public:
  // `max_messages` >= 1 and `window` >= 1 ms (smaller values are raised).
  MessagePacer(int max_messages, core::Millis window);

  // A control message sent at `now`.
  void RecordSent(core::Millis now);
  // The session's cumulative pong counter read at `now`; the pongs it gained since the last
  // observation count from `now`. A counter that went backwards (a new session) is rebased.
  void ObservePongs(std::uint64_t pongs_total, core::Millis now);

  // Messages counted in the window that ends at `now`.
  int InWindow(core::Millis now) const;
  bool CanSend(core::Millis now) const { return InWindow(now) < max_messages_; }
  // The earliest time >= now at which CanSend() holds, assuming nothing else is sent.
  core::Millis NextSendTime(core::Millis now) const;

  int max_messages() const { return max_messages_; }
  core::Millis window() const { return window_; }
  std::uint64_t sent() const { return sent_; }
  std::uint64_t pongs() const { return pongs_; }

 private:
  void Add(core::Millis at);
  void Trim(core::Millis now);

  int max_messages_;
  core::Millis window_;
  std::deque<core::Millis> times_;  // send times still inside a window, oldest first
  std::uint64_t pong_counter_ = 0;  // last value seen from the session
  std::uint64_t sent_ = 0;
  std::uint64_t pongs_ = 0;
};

}  // namespace scanner::feed
