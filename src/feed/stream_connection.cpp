#include "feed/stream_connection.h"

#include <algorithm>
#include <utility>

namespace scanner::feed {

StreamConnection::StreamConnection(std::size_t index, const StreamConnectionContext& context,
                                   const StreamConnectionOptions& options, std::uint64_t seed)
    : index_(index),
      context_(context),
      options_(options),
      backoff_(options.reconnect_backoff, seed),
      rotation_backoff_(options.reconnect_backoff, seed ^ 0x9e3779b97f4a7c15ULL) {}

StreamConnection::~StreamConnection() { Stop(); }

void StreamConnection::SetStreams(std::vector<std::string> streams) {
  streams_ = std::move(streams);
  if (streams_.empty()) return;  // Service() closes the links
  if (active_) active_->SetStreams(streams_);
  if (standby_) standby_->SetStreams(streams_);
}

void StreamConnection::Stop() {
  stopped_ = true;
  if (standby_) Retire(standby_, /*graceful=*/true);
  if (active_) Retire(active_, /*graceful=*/true);
}

bool StreamConnection::TakeResumed() { return std::exchange(resumed_, false); }

std::string StreamConnection::Name(const char* role) const {
  std::string name = "#";
  name.append(std::to_string(index_));
  name.push_back('.');
  name.append(std::to_string(link_serial_));
  name.push_back(' ');
  name.append(role);
  return name;
}

StreamConnectionStats StreamConnection::stats() const {
  StreamConnectionStats stats = stats_;
  for (const StreamLink* link : {active_.get(), standby_.get()}) {
    if (link == nullptr) continue;
    stats.control_messages += link->counters().control_messages;
    stats.control_errors += link->counters().control_errors;
    stats.refused_subscribes += link->counters().refused_subscribes;
    stats.resubscribes += link->counters().resubscribes;
    stats.pongs += link->pongs();
  }
  return stats;
}

const std::map<std::string, core::Millis>& StreamConnection::UnsubscribedStreams() const {
  static const std::map<std::string, core::Millis> kNone;
  return active_ ? active_->refused() : kNone;
}

std::unique_ptr<StreamLink> StreamConnection::OpenLink(core::Millis now, const char* role) {
  context_.throttle->RecordAttempt(now);
  ++stats_.connect_attempts;
  ++link_serial_;
  auto link = StreamLink::Open(context_.executor, context_.tls, *context_.clock, context_.logger,
                               options_.link, streams_, parser_, context_.sink, Name(role));
  if (!link) {
    context_.logger->error("stream #{}: cannot open a connection: {}", index_,
                           link.error().message);
    return nullptr;
  }
  context_.logger->info("stream #{}: opening {} ({} streams)", index_, role, streams_.size());
  return std::move(*link);
}

void StreamConnection::Retire(std::unique_ptr<StreamLink>& link, bool graceful) {
  stats_.control_messages += link->counters().control_messages;
  stats_.control_errors += link->counters().control_errors;
  stats_.refused_subscribes += link->counters().refused_subscribes;
  stats_.resubscribes += link->counters().resubscribes;
  stats_.pongs += link->pongs();
  if (graceful) {
    link->Close();
  } else {
    link->Stop();
  }
  link.reset();
}

void StreamConnection::LoseActive(core::Millis now, const std::string& why) {
  context_.logger->warn("stream #{}: connection lost ({}){}", index_, why,
                        standby_ ? "; the standby takes over" : "");
  Retire(active_, /*graceful=*/false);
  active_ready_ = false;
  notice_counted_ = false;
  interrupted_ = true;
  if (standby_) {
    active_ = std::move(standby_);
    standby_ready_at_.reset();
    return;
  }
  reconnect_at_ = now + backoff_.NextDelay();
}

void StreamConnection::DropStandby(core::Millis now, const char* why) {
  context_.logger->warn("stream #{}: rotation failed ({}); retrying later", index_, why);
  Retire(standby_, /*graceful=*/false);
  standby_ready_at_.reset();
  ++stats_.rotation_failures;
  rotation_retry_at_ = now + rotation_backoff_.NextDelay();
}

core::Millis StreamConnection::Service(core::Millis now) {
  if (stopped_) return Watchdog::kNever;

  // Links that ended, went silent or stopped answering.
  if (standby_ && standby_->closed()) DropStandby(now, "closed");
  if (standby_ && (standby_->Stale(now) || standby_->ReplyOverdue(now))) {
    DropStandby(now, "no data or no reply");
  }
  if (active_ && active_->closed()) {
    ++stats_.disconnects;
    std::string why = "closed: ";
    why.append(active_->close_info().message);
    LoseActive(now, why);
  } else if (active_ && active_->Stale(now)) {
    ++stats_.watchdog_trips;
    LoseActive(now, "no data for stale_after");
  } else if (active_ && active_->ReplyOverdue(now)) {
    ++stats_.reply_timeouts;
    LoseActive(now, "a control request got no reply");
  }

  if (streams_.empty()) {
    if (standby_) Retire(standby_, /*graceful=*/true);
    if (active_) Retire(active_, /*graceful=*/true);
    standby_ready_at_.reset();
    active_ready_ = false;
    return Watchdog::kNever;
  }

  core::Millis next = Watchdog::kNever;
  ConnectThrottle& throttle = *context_.throttle;

  // A new active link after a loss (or the first one).
  if (!active_) {
    const core::Millis at = std::max(reconnect_at_, throttle.NextAttemptTime(now));
    if (at <= now) {
      const bool replacing = interrupted_;
      active_ = OpenLink(now, replacing ? "reconnect" : "link");
      if (!active_) {
        reconnect_at_ = now + backoff_.NextDelay();
        next = std::min(next, reconnect_at_);
      } else if (replacing) {
        ++stats_.reconnects;
      }
    } else {
      next = std::min(next, at);
    }
  }

  // The active link delivers again: the next loss starts the backoff afresh, and a hole since
  // the last loss is reported once.
  if (active_ && !active_ready_ && active_->ready()) {
    active_ready_ = true;
    backoff_.Reset();
    if (std::exchange(interrupted_, false)) resumed_ = true;
  }

  // Rotation: before the connection's age limit, or now on a serverShutdown notice.
  if (active_ && active_->streaming() && !standby_) {
    const bool notice = active_->shutdown_notice();
    if (notice && !notice_counted_) {
      notice_counted_ = true;
      ++stats_.shutdown_notices;
    }
    const core::Millis due = notice ? now : active_->connected_at() + options_.max_connection_age;
    const core::Millis at = std::max({due, rotation_retry_at_, throttle.NextAttemptTime(now)});
    if (at <= now) {
      standby_ = OpenLink(now, notice ? "replacement after serverShutdown" : "rotation");
      standby_opened_at_ = now;
      standby_ready_at_.reset();
      if (!standby_) {
        ++stats_.rotation_failures;
        rotation_retry_at_ = now + rotation_backoff_.NextDelay();
        next = std::min(next, rotation_retry_at_);
      }
    } else {
      next = std::min(next, at);
    }
  }
  if (standby_ && standby_->ready() && !standby_ready_at_) standby_ready_at_ = now;
  if (standby_) {
    if (standby_ready_at_ && now < *standby_ready_at_ + options_.rotation_overlap) {
      next = std::min(next, *standby_ready_at_ + options_.rotation_overlap);
    } else if (standby_ready_at_) {
      context_.logger->info("stream #{}: switched to {}", index_, standby_->name());
      Retire(active_, /*graceful=*/true);
      active_ = std::move(standby_);
      active_ready_ = true;
      notice_counted_ = false;
      ++stats_.rotations;
      rotation_backoff_.Reset();
      backoff_.Reset();
      if (std::exchange(interrupted_, false)) resumed_ = true;
    } else if (now - standby_opened_at_ >= options_.rotation_timeout) {
      DropStandby(now, "not ready within rotation_timeout");
      next = std::min(next, rotation_retry_at_);
    } else {
      next = std::min(next, standby_opened_at_ + options_.rotation_timeout);
    }
  }

  for (StreamLink* link : {active_.get(), standby_.get()}) {
    if (link == nullptr) continue;
    next = std::min({next, link->Service(now), link->WatchdogDeadline()});
  }
  return next;
}

}  // namespace scanner::feed
