#include "alerts/message_edit_store.h"

namespace scanner::alerts {
namespace {

constexpr int kEditMarketParameter = 9;  // "?9" in the market-scoped queries

enum EditQuery : std::size_t {
  kEditRequest,
  kEditNextDue,
  kEditNextAttempt,
  kEditMarkDone,
  kEditMarkRetry,
  kEditMarkFailed,
  kEditFailDestination,
  kEditDeleteOrphans,
  kEditsOf,
  kEditRequestMissed,
  kEditQueryCount,
};

// A message belongs to the store's market when it shows an alert of that market (?9): the
// EXISTS clause of the market-scoped queries.
// ?1 alert id, ?2 now. An edit already pending keeps its place, backoff and first request
// time; a finished one starts over.
constexpr std::string_view kEditSqlRequest = R"sql(
INSERT INTO message_edits (destination, message_id, state, requests, attempts, next_attempt_at,
  requested_at, updated_at)
SELECT d.destination, d.message_id, 'pending', 1, 0, ?2, ?2, ?2
FROM deliveries d JOIN alerts a ON a.id = d.alert_id
WHERE d.alert_id = ?1 AND d.state = 'sent' AND d.message_id IS NOT NULL AND a.market = ?9
ON CONFLICT (destination, message_id) DO UPDATE SET
  requests = requests + 1,
  attempts = CASE WHEN state = 'pending' THEN attempts ELSE 0 END,
  next_attempt_at = CASE WHEN state = 'pending' THEN next_attempt_at
                         ELSE excluded.next_attempt_at END,
  requested_at = CASE WHEN state = 'pending' THEN requested_at ELSE excluded.requested_at END,
  last_error = CASE WHEN state = 'pending' THEN last_error ELSE NULL END,
  state = 'pending',
  updated_at = excluded.updated_at)sql";
constexpr std::string_view kEditSqlNextDue = R"sql(
SELECT e.message_id, e.attempts, e.requests, e.requested_at FROM message_edits e
WHERE e.destination = ?1 AND e.state = 'pending' AND e.next_attempt_at <= ?2
  AND EXISTS (SELECT 1 FROM deliveries d JOIN alerts a ON a.id = d.alert_id
              WHERE d.destination = e.destination AND d.message_id = e.message_id
                AND a.market = ?9)
ORDER BY e.requested_at, e.message_id LIMIT 1)sql";
constexpr std::string_view kEditSqlNextAttempt = R"sql(
SELECT MIN(e.next_attempt_at) FROM message_edits e
WHERE e.destination = ?1 AND e.state = 'pending'
  AND EXISTS (SELECT 1 FROM deliveries d JOIN alerts a ON a.id = d.alert_id
              WHERE d.destination = e.destination AND d.message_id = e.message_id
                AND a.market = ?9))sql";
// Bindings of the per-message updates: ?1 destination, ?2 message id, ?3 now, then their own.
constexpr std::string_view kEditSqlMarkDone = R"sql(
UPDATE message_edits SET attempts = attempts + 1, updated_at = ?3, last_error = NULL,
  state = CASE WHEN requests = ?4 THEN 'done' ELSE 'pending' END
WHERE destination = ?1 AND message_id = ?2 AND state = 'pending')sql";
constexpr std::string_view kEditSqlMarkRetry = R"sql(
UPDATE message_edits SET attempts = attempts + 1, updated_at = ?3, last_error = ?4,
  next_attempt_at = ?5
WHERE destination = ?1 AND message_id = ?2 AND state = 'pending')sql";
constexpr std::string_view kEditSqlMarkFailed = R"sql(
UPDATE message_edits SET state = 'failed', attempts = attempts + 1, updated_at = ?3,
  last_error = ?4
WHERE destination = ?1 AND message_id = ?2 AND state = 'pending')sql";
// ?1 destination, ?2 reason, ?3 now.
constexpr std::string_view kEditSqlFailDestination = R"sql(
UPDATE message_edits SET state = 'failed', updated_at = ?3, last_error = ?2
WHERE destination = ?1 AND state = 'pending'
  AND EXISTS (SELECT 1 FROM deliveries d JOIN alerts a ON a.id = d.alert_id
              WHERE d.destination = message_edits.destination
                AND d.message_id = message_edits.message_id AND a.market = ?9))sql";
constexpr std::string_view kEditSqlDeleteOrphans = R"sql(
DELETE FROM message_edits WHERE NOT EXISTS (
  SELECT 1 FROM deliveries d
  WHERE d.destination = message_edits.destination AND d.message_id = message_edits.message_id))sql";
constexpr std::string_view kEditSqlEditsOf = R"sql(
SELECT destination, message_id, state, requests, attempts, next_attempt_at, last_error,
  requested_at, updated_at
FROM message_edits WHERE destination = ?1 ORDER BY message_id)sql";

// ?1 now, ?2 the oldest outcome completion to look at. A message sent before an alert it shows
// got its final outcome needs an edit; it was missed when no edit of it is pending and none has
// been finished (done or failed) since that outcome completed.
constexpr std::string_view kEditSqlRequestMissed = R"sql(
INSERT INTO message_edits (destination, message_id, state, requests, attempts, next_attempt_at,
  requested_at, updated_at)
SELECT DISTINCT d.destination, d.message_id, 'pending', 1, 0, ?1, ?1, ?1
FROM deliveries d JOIN alerts a ON a.id = d.alert_id
  JOIN alert_outcomes o ON o.alert_id = d.alert_id
WHERE a.market = ?9 AND d.state = 'sent' AND d.message_id IS NOT NULL
  AND o.complete_at IS NOT NULL AND o.complete_at >= ?2 AND d.sent_at < o.complete_at
  AND NOT EXISTS (SELECT 1 FROM message_edits e
                  WHERE e.destination = d.destination AND e.message_id = d.message_id
                    AND (e.state = 'pending' OR e.updated_at >= o.complete_at))
ON CONFLICT (destination, message_id) DO UPDATE SET
  requests = requests + 1, attempts = 0, next_attempt_at = excluded.next_attempt_at,
  requested_at = excluded.requested_at, last_error = NULL, state = 'pending',
  updated_at = excluded.updated_at)sql";

constexpr std::string_view kEditQuerySql[kEditQueryCount] = {
    kEditSqlRequest,   kEditSqlNextDue,       kEditSqlNextAttempt,     kEditSqlMarkDone,
    kEditSqlMarkRetry, kEditSqlMarkFailed,    kEditSqlFailDestination, kEditSqlDeleteOrphans,
    kEditSqlEditsOf,   kEditSqlRequestMissed,
};

std::optional<EditState> ParseEditState(std::string_view name) {
  for (EditState state : {EditState::kPending, EditState::kDone, EditState::kFailed}) {
    if (EditStateName(state) == name) return state;
  }
  return std::nullopt;
}

}  // namespace

std::string_view EditStateName(EditState state) {
  switch (state) {
    case EditState::kPending:
      return "pending";
    case EditState::kDone:
      return "done";
    case EditState::kFailed:
      return "failed";
  }
  return "pending";
}

core::Result<std::unique_ptr<MessageEditStore>> MessageEditStore::Open(storage::Database& db,
                                                                       const core::Clock& clock,
                                                                       core::Market market) {
  std::vector<storage::Statement> statements;
  statements.reserve(kEditQueryCount);
  for (std::string_view sql : kEditQuerySql) {
    if (sql.empty()) return core::Fail("message edit store: a query has no SQL");
    auto statement = db.Prepare(sql);
    if (!statement) return core::Fail("message edit store: " + statement.error().message);
    statements.push_back(std::move(*statement));
  }
  return std::unique_ptr<MessageEditStore>(
      new MessageEditStore(db, clock, market, std::move(statements)));
}

MessageEditStore::MessageEditStore(storage::Database& db, const core::Clock& clock,
                                   core::Market market, std::vector<storage::Statement> statements)
    : db_(db), clock_(clock), market_(market), statements_(std::move(statements)) {}

storage::Statement& MessageEditStore::Scoped(std::size_t query) {
  storage::Statement& statement = statements_[query];
  statement.Bind(kEditMarketParameter, core::MarketName(market_));
  return statement;
}

core::Result<int> MessageEditStore::RequestForAlert(std::int64_t alert_id) {
  int changed = 0;
  auto status = db_.Transaction([&]() -> core::Status {
    storage::ScopedReset reset(statements_[kEditRequest]);
    storage::Statement& request = Scoped(kEditRequest);
    request.Bind(1, alert_id).Bind(2, clock_.NowMs());
    if (auto run = request.Run(); !run) return run;
    changed = db_.ChangedRows();
    return {};
  });
  if (!status) return std::unexpected(status.error());
  return changed;
}

core::Result<int> MessageEditStore::RequestMissedOutcomeEdits(core::Millis completed_since) {
  int changed = 0;
  auto status = db_.Transaction([&]() -> core::Status {
    storage::ScopedReset reset(statements_[kEditRequestMissed]);
    storage::Statement& request = Scoped(kEditRequestMissed);
    request.Bind(1, clock_.NowMs()).Bind(2, completed_since);
    if (auto run = request.Run(); !run) return run;
    changed = db_.ChangedRows();
    return {};
  });
  if (!status) return std::unexpected(status.error());
  return changed;
}

core::Result<std::optional<DueEdit>> MessageEditStore::NextDue(std::string_view destination) {
  storage::ScopedReset reset(statements_[kEditNextDue]);
  storage::Statement& query = Scoped(kEditNextDue);
  query.Bind(1, destination).Bind(2, clock_.NowMs());
  auto row = query.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<DueEdit>();
  return std::optional<DueEdit>(DueEdit{query.ColumnText(0), static_cast<int>(query.ColumnInt(1)),
                                        query.ColumnInt(2), query.ColumnInt(3)});
}

core::Result<std::optional<core::Millis>> MessageEditStore::NextAttemptTime(
    std::string_view destination) {
  storage::ScopedReset reset(statements_[kEditNextAttempt]);
  storage::Statement& query = Scoped(kEditNextAttempt);
  query.Bind(1, destination);
  auto row = query.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row || query.ColumnIsNull(0)) return std::optional<core::Millis>();
  return std::optional<core::Millis>(query.ColumnInt(0));
}

core::Result<int> MessageEditStore::RunUpdate(
    std::size_t query, std::string_view destination, std::string_view message_id,
    const std::function<void(storage::Statement&)>& bind_rest) {
  storage::Statement& update = statements_[query];
  storage::ScopedReset reset(update);
  update.Bind(1, destination).Bind(2, message_id).Bind(3, clock_.NowMs());
  bind_rest(update);
  if (auto run = update.Run(); !run) return std::unexpected(run.error());
  return db_.ChangedRows();
}

core::Result<int> MessageEditStore::MarkDone(std::string_view destination,
                                             std::string_view message_id, std::int64_t requests) {
  return RunUpdate(kEditMarkDone, destination, message_id,
                   [&](storage::Statement& s) { s.Bind(4, requests); });
}

core::Result<int> MessageEditStore::MarkRetry(std::string_view destination,
                                              std::string_view message_id,
                                              core::Millis next_attempt_at,
                                              std::string_view error) {
  return RunUpdate(kEditMarkRetry, destination, message_id,
                   [&](storage::Statement& s) { s.Bind(4, error).Bind(5, next_attempt_at); });
}

core::Result<int> MessageEditStore::MarkFailed(std::string_view destination,
                                               std::string_view message_id,
                                               std::string_view reason) {
  return RunUpdate(kEditMarkFailed, destination, message_id,
                   [&](storage::Statement& s) { s.Bind(4, reason); });
}

core::Result<int> MessageEditStore::FailDestination(std::string_view destination,
                                                    std::string_view reason) {
  storage::ScopedReset reset(statements_[kEditFailDestination]);
  storage::Statement& update = Scoped(kEditFailDestination);
  update.Bind(1, destination).Bind(2, reason).Bind(3, clock_.NowMs());
  if (auto run = update.Run(); !run) return std::unexpected(run.error());
  return db_.ChangedRows();
}

core::Result<int> MessageEditStore::DeleteOrphans() {
  storage::Statement& remove = statements_[kEditDeleteOrphans];
  storage::ScopedReset reset(remove);
  if (auto run = remove.Run(); !run) return std::unexpected(run.error());
  return db_.ChangedRows();
}

core::Result<std::vector<EditRecord>> MessageEditStore::Edits(std::string_view destination) {
  storage::Statement& query = statements_[kEditsOf];
  storage::ScopedReset reset(query);
  query.Bind(1, destination);
  std::vector<EditRecord> out;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto state = ParseEditState(query.ColumnText(2));
    if (!state) return core::Fail("message_edits holds a state this build cannot read");
    EditRecord record;
    record.destination = query.ColumnText(0);
    record.message_id = query.ColumnText(1);
    record.state = *state;
    record.requests = query.ColumnInt(3);
    record.attempts = static_cast<int>(query.ColumnInt(4));
    record.next_attempt_at = query.ColumnInt(5);
    record.last_error = query.ColumnText(6);
    record.requested_at = query.ColumnInt(7);
    record.updated_at = query.ColumnInt(8);
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace scanner::alerts
