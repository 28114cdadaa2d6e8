#pragma once
// ClosedBarPipeline: the one path from a closed bar to a kept alert, shared by `run` and
// `replay` (they differ only in where bars come from and where alerts go):
//
//   closed bar --> signals::SignalEngine (cooldown read from the alert database)
//              --> origin policy (an old warm-up bar only primes the indicators)
//              --> alerts::AlertStore::Insert under UNIQUE (market, symbol, interval,
//                  bar_close_time) with one pending delivery per destination, and what its
//                  chart is drawn from (ChartFor: the window's last bars) in the same transaction
//              --> the cooldown memory, then on_alert (live: a log line and the dispatcher's
//                  Wake; replay: the output and the summary)
//
// Store first, always: a candidate is written to the outbox the moment it is raised, whatever
// the state of delivery (a dispatcher being replaced by a reload, or none at all); delivery only
// reads the outbox. A candidate starts the signal cooldown only once it is kept (stored, or
// waiting for a busy database, below); a dropped one never does.
//
// Which bars may alert, by where they came from (market::BarOrigin):
//   - stream bars and REST gap-fill bars: always (a bar that closed during an outage is a real
//     move; it is flagged late when it reaches Discord more than two bar lengths after its close);
//     a replay feeds every bar as a stream bar;
//   - warm-up bars: only when they closed at most `catch_up` before now. Older warm-up bars prime
//     the indicators, and a candidate they raise is dropped (counted). This lets a restart alert
//     the bars that closed while the scanner was down, while the database's UNIQUE key and the
//     cooldown (read from the same database) keep anything already alerted from going out twice.
//
// Database errors, one policy for both: a cooldown read that fails is answered from memory
// (counted, logged once); an insert the database refuses (another process holds the write lock,
// a full disk) does not lose the alert: it waits in a bounded list, in order, and
// RetryUnstored (the live service's 1 s tick; a replay's end) stores it once the database
// answers again, with capped backoff between attempts. This list is the only place an alert is
// ever held in memory, and only while the database cannot take it. The caller decides what an
// error means for it: the live service reports it on /healthz and goes on; a replay fails its
// exit code.
//
// Outcomes (with an OutcomeTracker): every closed bar, whatever its origin, first advances the
// outcomes of earlier alerts of its series; every new alert starts being measured the moment it
// is stored. Progress is saved with the alert (OutcomeStore) at every bar, so a restart resumes
// it (ResumeOutcomes) and the warm-up history, which repeats bars already counted, counts none
// twice. A complete outcome goes to on_outcome (live: the log, the outcome edit of the Discord
// message, the metrics; replay: the output). ExpireOutcomes completes the alerts whose series
// stopped (a symbol that left the universe), and a replay's end (end of data) completes the rest.
// An outcome the database refuses to save is kept in memory and saved with its next change;
// only a restart in between loses that progress (the bars are then missing: null values).
//
// Without a store (benchmarks), every candidate is new and the cooldown lives in the engine.
//
// Not thread-safe: one thread. The engine, cooldown, store, clock and logger must outlive the
// pipeline.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "alerts/alert_store.h"
#include "alerts/alert_store_cooldown.h"
#include "alerts/outcome_store.h"
#include "core/candidate.h"
#include "core/chart_spec.h"
#include "core/clock.h"
#include "core/outcome.h"
#include "market/bar_origin.h"
#include "signals/outcome_tracker.h"
#include "signals/signal_engine.h"

namespace spdlog {
class logger;
}

namespace scanner::app {

// What became of one closed bar. The pipeline answers the first five; the replay's windows,
// which see a bar before the pipeline does, the last three (ReplayDriver).
enum class BarFate : std::uint8_t {
  kEvaluated,      // raised nothing
  kAlerted,        // raised a new alert, kept (stored, or waiting for the database)
  kAlreadyStored,  // raised an alert the database already held (a restart or a second replay)
  kDropped,        // raised a candidate from a warm-up bar older than catch_up
  kNotStorable,    // raised a candidate no store could take (a non-finite number); logged
  kDuplicate,      // the window already held this bar, or a newer one: ignored
  kInvalid,        // the window refused it (it overlaps stored bars): ignored
  kRefused,        // no bar at all (market::CheckBar): ignored, counted by defect
};

struct ClosedBarCounters {
  std::uint64_t bars_evaluated = 0;              // closed bars handed to the signal engine
  std::uint64_t warm_up_bars = 0;                // of which warm-up bars
  std::uint64_t candidates = 0;                  // candidates the engine raised (any origin)
  std::uint64_t warm_up_candidates_dropped = 0;  // raised by warm-up bars older than catch_up
  std::uint64_t alerts_inserted = 0;             // new alerts stored (or kept without a store)
  std::uint64_t alerts_deduplicated = 0;         // the database already held the key
  std::uint64_t store_errors = 0;                // failed inserts (each retried) and cooldown reads
  std::uint64_t unstored_dropped = 0;            // lost: the wait list overflowed (logged loudly)
  std::uint64_t candidates_refused = 0;          // not storable at all (a non-finite number)
  std::uint64_t outcomes_completed = 0;          // alerts whose outcome is final
  std::uint64_t outcome_store_errors = 0;        // outcome saves and loads the database refused
};

class ClosedBarPipeline {
 public:
  // Alerts waiting for a database that refused them; beyond this the oldest is dropped.
  static constexpr std::size_t kMaxUnstored = 10'000;

  // The destinations of an alert (non-secret ids, as AlertStore::Insert takes them).
  using DestinationsFor = std::function<std::vector<std::string>(const core::Candidate&)>;

  struct Dependencies {
    signals::SignalEngine* engine = nullptr;         // required
    alerts::AlertStore* store = nullptr;             // null: nothing is stored
    alerts::AlertStoreCooldown* cooldown = nullptr;  // the engine's, over `store`; with a store
    const core::Clock* clock = nullptr;              // required
    std::shared_ptr<spdlog::logger> logger;          // null: nothing is logged
    signals::OutcomeTracker* outcomes = nullptr;     // null: no outcome is measured
    alerts::OutcomeStore* outcome_store = nullptr;   // with outcomes and a store: progress saved
  };

  // A new alert as stored: its id, and whether it posts a message of its own or joins the
  // message of an earlier alert of its episode (alerts::InsertResult).
  struct KeptAlert {
    alerts::AlertId id = 0;
    bool posts_message = true;
    // What its chart is drawn from (stored with it), if charts are on; valid during the call.
    const core::ChartSpec* chart = nullptr;
  };
  using OnAlert = std::function<void(const core::Candidate&, const KeptAlert&)>;

  // An alert whose outcome became final, with the id it is stored under (without a store, a
  // number the pipeline gave it).
  // What the chart of an alert is drawn from, taken when the alert is raised (its window then
  // ends at its bar); nullopt: no chart (charts off, or too few bars).
  using ChartFor = std::function<std::optional<core::ChartSpec>(const core::Candidate&)>;

  using OnOutcome =
      std::function<void(alerts::AlertId id, const core::Candidate& alert, const core::Outcome&)>;

  explicit ClosedBarPipeline(Dependencies dependencies);
  ClosedBarPipeline(const ClosedBarPipeline&) = delete;
  ClosedBarPipeline& operator=(const ClosedBarPipeline&) = delete;

  // Where new alerts are stored for delivery (empty: nowhere, as a replay without --send).
  void SetDestinations(DestinationsFor destinations) { destinations_ = std::move(destinations); }
  // Called with every new alert once it is stored (without a store: once raised); may be empty.
  void SetOnAlert(OnAlert on_alert) { on_alert_ = std::move(on_alert); }
  void SetCatchUp(core::Millis catch_up) { catch_up_ = catch_up; }
  void SetOnOutcome(OnOutcome on_outcome) { on_outcome_ = std::move(on_outcome); }
  // Each new alert's chart is stored with it (AlertStore::Insert) and shown to on_alert.
  void SetChartFor(ChartFor chart_for) { chart_for_ = std::move(chart_for); }

  // `series` must be the engine's series of (symbol, interval): a replay resolves it once.
  BarFate OnClosedBar(signals::SignalEngine::SeriesHandle series, const core::Symbol& symbol,
                      core::Interval interval, const core::Bar& bar, market::BarOrigin origin);
  // Resolves the series (one hash lookup), then the above.
  BarFate OnClosedBar(const core::Symbol& symbol, core::Interval interval, const core::Bar& bar,
                      market::BarOrigin origin);
  void OnOpenBar(const core::Symbol& symbol, core::Interval interval, const core::Bar& bar);

  // Tries again to store the alerts the database refused, oldest first, once their backoff
  // delay has passed (at once with `now`); stops at the first refusal.
  void RetryUnstored(bool now = false);

  // Carries on measuring the outcomes a previous run left open (the store's market). Call once,
  // before the first bar.
  core::Status ResumeOutcomes();
  // Completes, with what is known, the outcomes whose bars can no longer come by `now`
  // (OutcomeTracker::Expire); a replay's end passes the end of time.
  void ExpireOutcomes(core::Millis now);
  std::size_t open_outcomes() const { return measuring_.size(); }

  const ClosedBarCounters& counters() const { return counters_; }
  std::size_t unstored() const { return unstored_.size(); }
  signals::SignalEngine& engine() { return engine_; }
  const signals::SignalEngine& engine() const { return engine_; }

 private:
  BarFate Take(std::optional<core::Candidate> candidate, const core::Bar& bar,
               market::BarOrigin origin);
  // Stores, or queues for RetryUnstored; records the cooldown either way.
  BarFate Keep(const core::Candidate& candidate);
  // One insert; nullopt when the database refused it (logged once per outage).
  std::optional<alerts::InsertOutcome> Store(const core::Candidate& candidate,
                                             const std::optional<core::ChartSpec>& chart);
  void Announce(const core::Candidate& candidate, const KeptAlert& kept);
  void StartOutcome(alerts::AlertId id, const core::Candidate& candidate);
  void ApplyOutcomes(const std::vector<signals::OutcomeUpdate>& updates);
  void SaveOutcome(alerts::AlertId id, const core::OutcomeProgress& progress);

  signals::SignalEngine& engine_;
  alerts::AlertStore* store_;
  alerts::AlertStoreCooldown* cooldown_;
  const core::Clock& clock_;
  std::shared_ptr<spdlog::logger> logger_;
  DestinationsFor destinations_;
  OnAlert on_alert_;
  signals::OutcomeTracker* outcomes_;
  alerts::OutcomeStore* outcome_store_;
  OnOutcome on_outcome_;
  ChartFor chart_for_;
  // The alerts being measured, by id (the tracker knows only ids).
  std::unordered_map<alerts::AlertId, core::Candidate> measuring_;
  alerts::AlertId next_local_id_ = 1;  // ids without a store
  core::Millis catch_up_ = 0;
  // An alert the database refused, with its chart, waiting for RetryUnstored.
  struct Unstored {
    core::Candidate candidate;
    std::optional<core::ChartSpec> chart;
  };
  std::deque<Unstored> unstored_;
  core::Millis retry_delay_ = 0;
  core::Millis next_retry_at_ = 0;
  ClosedBarCounters counters_;
  bool cooldown_error_logged_ = false;
  bool store_error_logged_ = false;
  bool outcome_error_logged_ = false;
};

}  // namespace scanner::app
