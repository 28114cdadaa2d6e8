#pragma once
// StreamConnection: one connection slot of the stream pool -- a fixed set of streams (from the
// ConnectionPlanner) kept flowing over a succession of StreamLinks (a NEW WebSocket session for
// every reconnect or rotation).
//
// Decisions, all taken in Service(now) so they are driven by core::Clock:
// - Connect: when the slot has streams and no link, a link is opened once the reconnect backoff
//   has elapsed AND the pool-wide ConnectThrottle allows an attempt.
// - Loss: a link that closes, trips the no-data Watchdog (nothing for stale_after) or leaves a
//   control request unanswered for reply_timeout is dropped; the next link waits for a jittered
//   exponential delay (core::Backoff, capped), reset once a link delivers again. Other slots are
//   not touched. When the replacement is ready, TakeResumed() reports that the slot's data may
//   have a hole (the gap filler fetches it).
// - Rotation: at connected_at + max_connection_age, or at once on a serverShutdown notice, a
//   standby link with the same streams is opened; once it is ready (data flowing, every
//   SUBSCRIBE answered) and rotation_overlap has passed, it becomes the active link and the old
//   one is closed gracefully. Both deliver during the overlap (windows are idempotent), so no
//   bar is missed. A standby not ready within rotation_timeout is dropped and the rotation
//   retried after a backoff delay.
//   If the active link dies during a rotation, the standby takes over at once.
// - Refused SUBSCRIBEs are retried by the link itself (StreamLink::refused()); the slot reports
//   the active link's refused streams as unsubscribed, and never reconnects for them.
//
// Threading: the io_context thread only. The context (clock, throttle, sink, TLS context) must
// outlive the slot.

#include <spdlog/logger.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "binance/stream_parser.h"
#include "core/backoff.h"
#include "core/clock.h"
#include "feed/connect_throttle.h"
#include "feed/stream_link.h"

namespace scanner::feed {

struct StreamConnectionOptions {
  StreamLinkOptions link{};
  core::Millis max_connection_age = 23 * core::kHour;
  core::Millis rotation_timeout = 60 * core::kSecond;
  // Both links stay open this long after the standby is ready, so that a bar that closed just
  // before the standby subscribed still arrives on the old link (Binance pushes klines every
  // 2 s, 1 s for 1s bars).
  core::Millis rotation_overlap = 5 * core::kSecond;
  core::BackoffPolicy reconnect_backoff{
      .initial = 1 * core::kSecond, .max = 60 * core::kSecond, .multiplier = 2.0, .jitter = 0.5};
};

// What every slot of a pool shares. Everything must outlive the slots.
struct StreamConnectionContext {
  boost::asio::any_io_executor executor;
  boost::asio::ssl::context* tls = nullptr;
  const core::Clock* clock = nullptr;
  std::shared_ptr<spdlog::logger> logger;
  ConnectThrottle* throttle = nullptr;
  StreamLinkSink sink{};
};

struct StreamConnectionStats {
  std::uint64_t connect_attempts = 0;  // links opened (first connects, reconnects, rotations)
  std::uint64_t reconnects = 0;        // links opened to replace a lost one
  std::uint64_t disconnects = 0;       // active links lost (closed by the server or an error)
  std::uint64_t watchdog_trips = 0;
  std::uint64_t reply_timeouts = 0;
  std::uint64_t rotations = 0;          // completed switches to a standby link
  std::uint64_t rotation_failures = 0;  // standby links given up
  std::uint64_t shutdown_notices = 0;   // serverShutdown seen on an active link
  std::uint64_t control_messages = 0;   // SUBSCRIBE / UNSUBSCRIBE sent
  std::uint64_t control_errors = 0;
  std::uint64_t refused_subscribes = 0;  // SUBSCRIBE requests Binance refused
  std::uint64_t resubscribes = 0;        // SUBSCRIBE messages sent again after a refusal
  std::uint64_t pongs = 0;
};

class StreamConnection {
 public:
  StreamConnection(std::size_t index, const StreamConnectionContext& context,
                   const StreamConnectionOptions& options, std::uint64_t seed);
  StreamConnection(const StreamConnection&) = delete;
  StreamConnection& operator=(const StreamConnection&) = delete;
  ~StreamConnection();

  // The streams this slot carries from now on (the links follow with SUBSCRIBE/UNSUBSCRIBE; an
  // empty set closes them).
  void SetStreams(std::vector<std::string> streams);
  // Takes every decision due at `now`; returns the next time it needs a pass
  // (Watchdog::kNever: only when something changes).
  core::Millis Service(core::Millis now);
  // Closes every link gracefully; final (shutdown): Service() does nothing afterwards.
  void Stop();

  // True once after a link became ready following a loss.
  bool TakeResumed();

  std::size_t index() const { return index_; }
  const std::vector<std::string>& streams() const { return streams_; }
  bool open() const { return active_ && active_->streaming(); }
  bool rotating() const { return standby_ != nullptr; }
  StreamConnectionStats stats() const;
  // The slot's streams Binance refused on the active link and that are not subscribed since:
  // stream -> when first refused (on that link). Empty without an active link.
  const std::map<std::string, core::Millis>& UnsubscribedStreams() const;
  const binance::StreamParseStats& parse_stats() const { return parser_.Stats(); }

 private:
  std::unique_ptr<StreamLink> OpenLink(core::Millis now, const char* role);
  // The active link is gone (already closed or given up): the standby takes over if there is
  // one, otherwise a reconnect is scheduled.
  void LoseActive(core::Millis now, const std::string& why);
  void DropStandby(core::Millis now, const char* why);
  void Retire(std::unique_ptr<StreamLink>& link, bool graceful);
  std::string Name(const char* role) const;

  const std::size_t index_;
  const StreamConnectionContext& context_;
  const StreamConnectionOptions& options_;
  binance::StreamParser parser_;  // shared by the slot's links: frames are parsed one at a time
  core::Backoff backoff_;
  std::vector<std::string> streams_;
  std::unique_ptr<StreamLink> active_;
  std::unique_ptr<StreamLink> standby_;
  core::Backoff rotation_backoff_;
  core::Millis reconnect_at_ = 0;       // no new active link before
  core::Millis rotation_retry_at_ = 0;  // no new standby before
  core::Millis standby_opened_at_ = 0;
  std::optional<core::Millis> standby_ready_at_;
  bool interrupted_ = false;  // coverage had a hole since the last ready active link
  bool resumed_ = false;
  bool active_ready_ = false;    // the active link has been ready
  bool notice_counted_ = false;  // the active link's serverShutdown notice was counted
  bool stopped_ = false;
  std::uint64_t link_serial_ = 0;
  StreamConnectionStats stats_;  // of retired links and the slot's decisions
};

}  // namespace scanner::feed
