#pragma once
// The scanner's health, as /healthz reports it: a pure judgement over a snapshot of the
// service's state (HealthInputs), plus OutboxWatch, which remembers how long each destination's
// pending deliveries have waited without a send.
//
// Unhealthy (HTTP 503) when any of:
//   - no universe yet (start-up has not fetched or loaded one);
//   - stream connections are planned and none is open;
//   - no market data for longer than stale_after (the common silent failure);
//   - the REST API has banned us (429/418) and the ban is still running;
//   - a Discord webhook is dead (Discord answered 401/404 with "unknown webhook" or "invalid
//     webhook token": deleted, or its token revoked);
//   - a destination has had pending deliveries for longer than `outbox_stall_after` without a
//     single successful send (the outbox is not draining);
//   - alerts are waiting for the database, which refuses to store them (locked, disk full);
//   - some market windows have not been warm for longer than `warm_up_grace` (their series are
//     blind: the REST warm-up, at start or after a reload of the indicator windows, does not
//     get through); while it is shorter, and for signal series still warming up, a note;
//   - a planned stream Binance refused to SUBSCRIBE has stayed unsubscribed for longer than
//     `unsubscribed_grace` (the scanner is blind on it; within the grace, while the retries may
//     still get it through, it is a note).
// Pending deliveries of a destination that is not configured now (orphaned) are a note: they
// wait for that webhook to come back and are given up after alerts.discord.give_up_after.
// Some connections down while others stream is reported as a note, not a failure: reconnecting
// one connection is routine and must not flap the container's health.
//
// Secrets: destinations are named by their non-secret ids only.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "alerts/alert_store.h"
#include "core/time.h"

namespace scanner::app {

struct HealthInputs {
  core::Millis now = 0;
  core::Millis started_at = 0;
  bool universe_known = false;
  std::size_t universe_symbols = 0;
  std::string universe_error;  // last failed refresh, "" after a success
  std::size_t connections_planned = 0;
  std::size_t connections_open = 0;
  // Planned streams Binance refused to SUBSCRIBE (being retried): how many, some names, and
  // when the longest-refused one was first refused (0: none).
  std::size_t streams_unsubscribed = 0;
  std::vector<std::string> unsubscribed_streams;
  core::Millis unsubscribed_since = 0;
  core::Millis unsubscribed_grace = 60 * core::kSecond;
  core::Millis last_market_data_at = 0;  // 0: none yet
  core::Millis stale_after = 90 * core::kSecond;
  std::size_t series = 0;          // market windows
  std::size_t series_warm = 0;     // ... warmed up over REST
  core::Millis warming_since = 0;  // since when some window has not been warm (0: all are)
  core::Millis warm_up_grace = 10 * core::kMinute;
  std::size_t signal_series = 0;       // the signal engine's series
  std::size_t signal_series_warm = 0;  // ... whose indicators are all defined
  core::Millis rest_banned_until = 0;
  std::vector<std::string> dead_destinations;
  std::vector<std::string> stalled_destinations;  // from OutboxWatch
  std::int64_t pending_deliveries = 0;            // of configured destinations
  // Pending rows of destinations not configured now: they wait for the webhook to come back.
  std::vector<alerts::PendingCount> orphaned_deliveries;
  std::size_t unstored_alerts = 0;  // alerts waiting for a database that refused them
  double event_loop_lag_seconds = 0;
};

struct HealthReport {
  bool healthy = false;
  std::vector<std::string> problems;  // why unhealthy; empty when healthy
  std::vector<std::string> notes;     // worth knowing, not failures
  std::string json;                   // the /healthz body
};

HealthReport JudgeHealth(const HealthInputs& inputs);

// Remembers, per destination, since when it has had pending deliveries and how many sends
// happened since; a destination whose queue has waited longer than `stall_after` with no send
// is stalled.
class OutboxWatch {
 public:
  explicit OutboxWatch(core::Millis stall_after = 5 * core::kMinute) : stall_after_(stall_after) {}

  // `pending`: the store's pending counts now; `total_sent`: deliveries sent so far (any
  // destination; a send anywhere shows the loop is alive, per-destination sends are not kept).
  void Observe(const std::vector<alerts::PendingCount>& pending, std::uint64_t total_sent,
               core::Millis now);
  std::vector<std::string> Stalled(core::Millis now) const;
  std::int64_t TotalPending() const { return total_pending_; }

 private:
  struct Waiting {
    core::Millis since = 0;
    std::uint64_t sent_at_since = 0;
  };
  core::Millis stall_after_;
  std::map<std::string, Waiting> waiting_;
  std::int64_t total_pending_ = 0;
};

}  // namespace scanner::app
