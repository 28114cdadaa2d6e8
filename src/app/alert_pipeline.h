#pragma once
// AlertPipeline: the live scanner's path from a closed bar to the alert outbox --
// signals::SignalEngine (cooldown remembered in the alert database), then
// alerts::AlertStore::Insert under UNIQUE (market, symbol, interval, bar_close_time) with one
// pending delivery per destination (OutboxDestinationsFor the current routes), then
// `on_stored` so that delivery looks at the outbox.
//
// Store first, always: a candidate is written to the outbox the moment it is raised, whatever
// the state of delivery (a dispatcher being replaced by a reload, or none at all). Delivery only
// reads the outbox. A candidate starts the signal cooldown only once it is kept (stored, or
// waiting for a busy database, below); a dropped one never does.
//
// Which bars may alert, by where they came from (market::BarOrigin):
//   - stream bars and REST gap-fill bars: always (a bar that closed during an outage is a real
//     move; it is flagged late when it reaches Discord more than two bar lengths after its close);
//   - warm-up bars: only when they closed at most `catch_up` before now. Older warm-up bars prime
//     the indicators, and a candidate they raise is dropped (counted). This lets a restart alert
//     the bars that closed while the scanner was down, while the database's UNIQUE key and the
//     cooldown (read from the same database) keep anything already alerted from going out twice.
//
// A database that refuses the insert (another process holds the write lock, a full disk) does
// not lose the alert: it waits in a bounded list, in order, and RetryUnstored (the service's
// 1 s housekeeping tick) stores it once the database answers again, with capped backoff between
// attempts. This list is the only place an alert is ever held in memory, and only while the
// database cannot take it; unstored() shows it on /metrics.
//
// Not thread-safe: the event-loop thread. The engine, cooldown, store, clock and logger must
// outlive the pipeline.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>

#include "alerts/alert_routes.h"
#include "alerts/alert_store.h"
#include "feed/gap_filler.h"
#include "core/candidate.h"
#include "core/clock.h"
#include "alerts/alert_store_cooldown.h"
#include "signals/signal_engine.h"

namespace spdlog {
class logger;
}

namespace scanner::app {

struct AlertPipelineCounters {
  std::uint64_t bars_evaluated = 0;  // closed bars handed to the signal engine
  std::uint64_t warm_up_bars = 0;    // of which warm-up bars
  std::uint64_t candidates = 0;      // candidates the engine raised (any origin)
  std::uint64_t warm_up_candidates_dropped = 0;  // raised by warm-up bars older than catch_up
  std::uint64_t alerts_inserted = 0;
  std::uint64_t alerts_deduplicated = 0;  // the database already held the key
  std::uint64_t store_errors = 0;         // failed inserts (each retried) and cooldown reads
  std::uint64_t unstored_dropped = 0;     // lost: the wait list overflowed (logged loudly)
  std::uint64_t candidates_refused = 0;   // not storable at all (a non-finite number)
};

class AlertPipeline {
 public:
  // Alerts waiting for a database that refused them; beyond this the oldest is dropped.
  static constexpr std::size_t kMaxUnstored = 10'000;

  AlertPipeline(signals::SignalEngine& engine, alerts::AlertStoreCooldown& cooldown,
                alerts::AlertStore& store, alerts::AlertRoutes routes, const core::Clock& clock,
                core::Millis catch_up, std::shared_ptr<spdlog::logger> logger);
  AlertPipeline(const AlertPipeline&) = delete;
  AlertPipeline& operator=(const AlertPipeline&) = delete;

  // Called after every insert that stored a new alert (the dispatcher's Wake); may be empty.
  void SetOnStored(std::function<void()> on_stored) { on_stored_ = std::move(on_stored); }
  // The destinations of the alerts stored from now on (a reload of alerts.discord).
  void SetRoutes(alerts::AlertRoutes routes) { routes_ = std::move(routes); }
  void SetCatchUp(core::Millis catch_up) { catch_up_ = catch_up; }

  void OnClosedBar(const core::Symbol& symbol, core::Interval interval, const core::Bar& bar,
                   market::BarOrigin origin);
  void OnOpenBar(const core::Symbol& symbol, core::Interval interval, const core::Bar& bar);

  // Tries again to store the alerts the database refused, oldest first, once their backoff
  // delay has passed; stops at the first refusal.
  void RetryUnstored();

  const AlertPipelineCounters& counters() const { return counters_; }
  std::size_t unstored() const { return unstored_.size(); }

 private:
  // Stores, or queues for RetryUnstored; records the cooldown either way.
  void Keep(const core::Candidate& candidate);
  // One insert; false when the database refused it (logged once per outage).
  bool Store(const core::Candidate& candidate);

  signals::SignalEngine& engine_;
  alerts::AlertStoreCooldown& cooldown_;
  alerts::AlertStore& store_;
  alerts::AlertRoutes routes_;
  const core::Clock& clock_;
  core::Millis catch_up_;
  std::shared_ptr<spdlog::logger> logger_;
  std::function<void()> on_stored_;
  std::deque<core::Candidate> unstored_;
  core::Millis retry_delay_ = 0;
  core::Millis next_retry_at_ = 0;
  AlertPipelineCounters counters_;
  bool cooldown_error_logged_ = false;
  bool store_error_logged_ = false;
};

}  // namespace scanner::app
