#pragma once
// The alert record and its outbox, on the scanner's SQLite database (tables `alerts` and
// `deliveries`, storage/schema.cpp).
//
// Exactly-once, as far as the protocol allows:
//   - Insert stores the alert under UNIQUE (market, symbol, interval, bar_close_time) together
//     with one `pending` delivery per destination, in one transaction, before anything is sent.
//     A second insert of the same key changes nothing and reports kDuplicate: it is counted,
//     never sent.
//   - Senders take DueDeliveries, send, then Mark* the outcome. Every Mark* only moves rows that
//     are still pending, so a late or repeated outcome cannot undo a final state.
//   - The one window for a resend is a crash (or a lost response) between Discord storing the
//     message and MarkSent committing: that batch is pending on restart and is sent again. It is
//     as small as a webhook allows (Discord has no idempotency key); MarkSent is one short
//     transaction issued as soon as the response arrives. The database runs with
//     synchronous=NORMAL in WAL mode, which is durable against process crashes (kill -9).
//   - State lives in the file only, so pending deliveries resume after a restart as they are.
//
// Markets: one database may serve a spot and a futures scanner at once. The key and the
// cooldown include the market, and a store sees the deliveries of its own market only (the
// market given to Open), so neither process ever sends the other's alerts.
//
// Retention: DeleteOlderThan removes alerts created before a cutoff together with their
// deliveries, except alerts that still have a pending delivery: the outbox never drops an alert
// it has not finished with. Pending rows end by themselves: sent, dead, or given up once the
// alert is older than alerts.discord.give_up_after (GiveUpPendingOlderThan; the same holds for
// the rows of a destination that is no longer configured, which otherwise wait for it to come
// back). Keep retention longer than the signal cooldown, which LastAlertCloseTime reads from
// here.
//
// Episodes and messages: Insert places each alert in an episode (alerts/episode.h) in the same
// transaction. A DueDelivery says where its alert is shown: in its own message, or in its
// message head's (then it is due only once the head's delivery to the same destination is due
// or settled, so it never overtakes its head). MarkSent records the Discord message id; the
// alerts a message shows are MessageAlerts. Outcome edits of sent messages have their own
// outbox, edits() (message_edit_store.h), filled by RequestOutcomeEdit.
//
// Destinations are non-secret ids ("discord:<webhook id>", "console"): Insert refuses anything
// that looks like a URL, so a webhook token cannot reach the file by mistake.
//
// Not thread-safe: one event-loop thread. The Database and the Clock must outlive the store;
// the store owns its prepared statements (prepared once in Open, reused for every call).

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert_chart_store.h"
#include "core/candidate.h"
#include "core/chart_spec.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/market.h"
#include "storage/database.h"

namespace scanner::alerts {

using AlertId = std::int64_t;

enum class InsertOutcome { kInserted, kDuplicate };

struct InsertResult {
  InsertOutcome outcome = InsertOutcome::kInserted;
  AlertId id = 0;  // the new alert's id; for kDuplicate the id of the alert already stored
  // kInserted: whether the alert posts a message of its own (it starts an episode or escalates
  // one) rather than being added to an earlier alert's message. false for kDuplicate.
  bool posts_message = true;
  // The episode the alert belongs to: the id of its first alert (its own id if it starts one).
  // kDuplicate: the stored alert's episode.
  AlertId episode_id = 0;
};

// Whether Insert can store `candidate` at all (every number finite, a symbol): a refusal here
// is final, unlike a database error, which a retry may overcome.
core::Status CheckCandidate(const core::Candidate& candidate);

enum class DeliveryState { kPending, kSent, kFailed, kDead };
std::string_view DeliveryStateName(DeliveryState state);

// An earlier alert another one refers to: the head an escalating alert escalates.
struct AlertRef {
  AlertId id = 0;
  core::Interval interval;
  core::Millis bar_close_time = 0;
};

// How an alert is shown on Discord (alerts/episode.h).
struct MessagePlace {
  AlertId message_head_id = 0;        // whose message shows it; its own id: it posts its own
  std::optional<AlertRef> escalates;  // set on a head that escalates an earlier head
};

// One pending delivery that is due, with the alert it carries.
struct DueDelivery {
  AlertId alert_id = 0;
  int attempts = 0;  // requests that already carried it
  core::Millis next_attempt_at = 0;
  core::Millis created_at = 0;
  core::Candidate candidate;
  MessagePlace place;
  AlertId episode_id = 0;
  // For an alert shown in another alert's message: that head's delivery to the same
  // destination, if it has one (it may have been routed elsewhere only).
  std::optional<DeliveryState> head_state;
  std::string head_message_id;  // the head's Discord message, once sent and known
  int head_message_alerts = 0;  // alerts that message shows now

  bool posts_own() const { return place.message_head_id == alert_id; }
};

// An alert a sent Discord message shows (MessageAlerts).
struct ShownAlert {
  AlertId id = 0;
  core::Candidate candidate;
  MessagePlace place;
  core::Millis sent_at = 0;
  std::string chart_file;  // the chart attached for it (deliveries.chart_file); empty: none
};

// The chart file attached to an alert's embed in the message that showed it (MarkSent).
struct AttachedChart {
  AlertId alert_id = 0;
  std::string file_name;
};

struct StoredAlert {
  AlertId id = 0;
  core::Millis created_at = 0;
  core::Candidate candidate;
  AlertId episode_id = 0;
  AlertId message_head_id = 0;
};

struct DeliveryRecord {
  std::string destination;
  DeliveryState state = DeliveryState::kPending;
  std::string message_id;  // Discord's message showing the alert; empty until known
  int attempts = 0;
  core::Millis next_attempt_at = 0;
  std::string last_error;
  std::optional<core::Millis> sent_at;
  core::Millis updated_at = 0;
  std::string chart_file;  // the chart attached to the message for this alert; empty: none
};

struct PendingCount {
  std::string destination;
  std::int64_t count = 0;
  friend bool operator==(const PendingCount&, const PendingCount&) = default;
};

struct RetentionResult {
  std::int64_t deleted = 0;       // alerts removed (their deliveries went with them)
  std::int64_t kept_pending = 0;  // alerts older than the cutoff kept for a pending delivery
};

// Since Open; deliveries are counted per row.
struct AlertStoreCounters {
  std::uint64_t inserted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t sent = 0;
  std::uint64_t failed = 0;
  std::uint64_t dead = 0;
  std::uint64_t retried = 0;
  std::uint64_t deleted = 0;
};

class MessageEditStore;
struct EpisodePlacement;

class AlertStore {
 public:
  // Prepares every statement against `db`, whose schema must include ScannerMigrations().
  // `market`: whose deliveries this store hands out and counts (see "Markets" above).
  static core::Result<std::unique_ptr<AlertStore>> Open(storage::Database& db,
                                                        const core::Clock& clock,
                                                        core::Market market);

  AlertStore(const AlertStore&) = delete;
  AlertStore& operator=(const AlertStore&) = delete;
  ~AlertStore();

  // Stores the alert (created_at = now), placed in its episode, and a pending delivery, due now,
  // per destination (repeats ignored), atomically. Refuses a candidate with a non-finite number
  // (SQLite would store NaN as NULL) and destinations that are empty or look like URLs.
  // With `chart`, what the alert's chart is drawn from is stored in the same transaction
  // (charts(); only for a new alert: a duplicate keeps the spec stored the first time).
  core::Result<InsertResult> Insert(const core::Candidate& candidate,
                                    std::span<const std::string> destinations,
                                    const core::ChartSpec* chart = nullptr);

  // Pending deliveries of `destination` with next_attempt_at <= now, oldest alert first, at most
  // `limit`. An alert shown in its head's message is due only when its head's delivery to
  // `destination` is not pending or is due too.
  core::Result<std::vector<DueDelivery>> DueDeliveries(std::string_view destination,
                                                       std::size_t limit);

  // The earliest time a pending delivery of `destination` becomes due (as DueDeliveries sees
  // it), if any: when the sender should look again.
  core::Result<std::optional<core::Millis>> NextAttemptTime(std::string_view destination);

  // Outcomes of one request that carried `alerts` to `destination`; each counts one attempt and
  // moves only rows that are still pending. One transaction per call. Return the rows moved.
  // `message_id`: Discord's id of the message that now shows them (empty: unknown). `charts`:
  // the chart file attached for each alert that had one (deliveries.chart_file, which joins and
  // outcome edits render as the embed's image); an alert not listed is recorded without one.
  core::Result<int> MarkSent(std::string_view destination, std::span<const AlertId> alerts,
                             std::string_view message_id = {},
                             std::span<const AttachedChart> charts = {});
  // Stays pending, due again at `next_attempt_at`, with `error` recorded.
  core::Result<int> MarkRetry(std::string_view destination, std::span<const AlertId> alerts,
                              core::Millis next_attempt_at, std::string_view error);
  // Final: the payload was refused (or the alert is too old to send); never sent again.
  core::Result<int> MarkFailed(std::string_view destination, std::span<const AlertId> alerts,
                               std::string_view reason);
  // Final: the webhook itself is gone (401/404).
  core::Result<int> MarkDead(std::string_view destination, std::span<const AlertId> alerts,
                             std::string_view reason);
  // Every pending delivery of `destination` becomes dead (no attempt counted): after a dead
  // webhook answer, the rest of its queue.
  core::Result<int> MarkDestinationDead(std::string_view destination, std::string_view reason);
  // Final: every pending delivery (any destination) of an alert created before `cutoff`
  // becomes failed with `reason`. Returns the rows moved.
  core::Result<int> GiveUpPendingOlderThan(core::Millis cutoff, std::string_view reason);

  // Pending deliveries per destination, by destination name.
  core::Result<std::vector<PendingCount>> PendingCounts();

  // The latest bar_close_time of an alert for (market, symbol, interval, direction): the signal
  // cooldown's memory, which survives restarts.
  core::Result<std::optional<core::Millis>> LastAlertCloseTime(core::Market market,
                                                               std::string_view symbol,
                                                               core::Interval interval,
                                                               core::Direction direction);

  // Retention; see the header comment.
  core::Result<RetentionResult> DeleteOlderThan(core::Millis cutoff);

  // The alerts message `message_id` shows at `destination` (sent deliveries carrying that id),
  // in alert order: what an edit renders again.
  core::Result<std::vector<ShownAlert>> MessageAlerts(std::string_view destination,
                                                      std::string_view message_id);

  // The alert's outcome is known: its sent messages need rendering again. Records one pending
  // edit per (destination, message) that shows the alert (message_edit_store.h); alerts not yet
  // sent need none (they render their outcome when sent). Returns the edits recorded or
  // renewed. Durable as soon as it returns; AlertDispatcher::RequestOutcomeEdit also wakes the
  // senders.
  core::Result<int> RequestOutcomeEdit(AlertId alert);
  MessageEditStore& edits() { return *edits_; }
  // The chart inputs of the alerts (alert_chart_store.h).
  AlertChartStore& charts() { return *charts_; }

  // Reads for health pages and tests.
  core::Result<std::optional<StoredAlert>> FindAlert(AlertId id);
  core::Result<std::vector<DeliveryRecord>> Deliveries(AlertId id);

  const AlertStoreCounters& counters() const { return counters_; }
  core::Market market() const { return market_; }

 private:
  AlertStore(storage::Database& db, const core::Clock& clock, core::Market market,
             std::vector<storage::Statement> statements, std::unique_ptr<MessageEditStore> edits,
             std::unique_ptr<AlertChartStore> charts);
  // The statement with the store's market bound, for the market-scoped queries.
  storage::Statement& Scoped(std::size_t query);
  // Where a new alert goes (episode.h), from the alerts stored so far.
  core::Result<EpisodePlacement> Place(const core::Candidate& candidate);

  storage::Database& db_;
  const core::Clock& clock_;
  core::Market market_;
  std::vector<storage::Statement> statements_;  // indexed by the Query enum of alert_store.cpp
  std::unique_ptr<MessageEditStore> edits_;
  std::unique_ptr<AlertChartStore> charts_;
  AlertStoreCounters counters_;
};

}  // namespace scanner::alerts
