#include "alerts/alert_store.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "alerts/episode.h"
#include "alerts/message_edit_store.h"

#include <fmt/format.h>

namespace scanner::alerts {
namespace {

constexpr int kMarketParameter = 9;  // "?9" in the market-scoped queries

// Delivery queries see only the store's own market (bound as ?9 where it appears), so a spot and
// a futures scanner sharing one database never send each other's alerts.

// The candidate's columns, in the order ReadCandidate expects them.
constexpr std::string_view kCandidateColumns =
    "a.market, a.symbol, a.interval, a.bar_open_time, a.bar_close_time, a.direction, a.severity, "
    "a.close, a.change_percent, a.atr_move, a.return_z, a.volume_z, a.quote_volume, "
    "a.quote_volume_24h, a.atr, a.atr_percent, a.confirmations";

// Statements, by index into AlertStore::statements_; kQuerySql below is in the same order.
enum Query : std::size_t {
  kInsertAlert,
  kFindByKey,
  kInsertDelivery,
  kDue,
  kNextAttempt,
  kMarkSent,
  kMarkRetry,
  kMarkFailed,
  kMarkDead,
  kDestinationDead,
  kGiveUpOld,
  kPendingCounts,
  kLastClose,
  kCountKept,
  kDeleteOld,
  kFindAlert,
  kDeliveriesOf,
  kEpisodeAlerts,
  kSetPlace,
  kMessageAlerts,
  kQueryCount,
};

constexpr std::string_view kSqlInsertAlert = R"sql(
INSERT INTO alerts (market, symbol, interval, bar_open_time, bar_close_time, direction, severity,
  close, change_percent, atr_move, return_z, volume_z, quote_volume, quote_volume_24h, atr,
  atr_percent, confirmations, created_at, episode_id, message_head_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
  ?20)
ON CONFLICT (market, symbol, interval, bar_close_time) DO NOTHING
RETURNING id)sql";
constexpr std::string_view kSqlFindByKey = R"sql(
SELECT id, COALESCE(episode_id, id) FROM alerts
WHERE market = ?1 AND symbol = ?2 AND interval = ?3 AND bar_close_time = ?4)sql";
constexpr std::string_view kSqlInsertDelivery = R"sql(
INSERT INTO deliveries (alert_id, destination, state, attempts, next_attempt_at, updated_at)
VALUES (?1, ?2, 'pending', 0, ?3, ?3)
ON CONFLICT (alert_id, destination) DO NOTHING)sql";
// The head's delivery to the same destination (h) of an alert shown in another alert's message;
// an alert waits while that delivery is pending and not yet due, so it never overtakes it.
constexpr std::string_view kJoinHead = R"sql(
LEFT JOIN deliveries h ON h.alert_id = a.message_head_id AND h.destination = d.destination
  AND h.alert_id <> d.alert_id)sql";
constexpr std::string_view kDueAt =
    "MAX(d.next_attempt_at, CASE WHEN h.state = 'pending' THEN h.next_attempt_at ELSE 0 END)";
// The earlier head (p) an escalating head refers to: its episode's latest head before it.
constexpr std::string_view kJoinEscalated = R"sql(
LEFT JOIN alerts p ON a.message_head_id = a.id AND a.episode_id <> a.id AND p.id = (
  SELECT MAX(x.id) FROM alerts x
  WHERE x.market = a.market AND x.symbol = a.symbol AND x.direction = a.direction
    AND x.episode_id = a.episode_id AND x.message_head_id = x.id AND x.id < a.id))sql";
// Column 4 on: the alert's place (head, p.id, p.interval, p.bar_close_time), as ReadPlace
// expects it.
constexpr std::string_view kPlaceColumns =
    "COALESCE(a.message_head_id, a.id), p.id, p.interval, p.bar_close_time";
constexpr std::string_view kSqlDue = R"sql(
SELECT d.alert_id, d.attempts, d.next_attempt_at, a.created_at, {place},
  COALESCE(a.episode_id, a.id), h.state, h.message_id,
  (SELECT COUNT(*) FROM deliveries m
   WHERE m.destination = d.destination AND m.message_id = h.message_id), {candidate}
FROM deliveries d JOIN alerts a ON a.id = d.alert_id {head} {escalated}
WHERE d.destination = ?1 AND d.state = 'pending' AND a.market = ?9 AND {due_at} <= ?2
ORDER BY d.alert_id LIMIT ?3)sql";
constexpr std::string_view kSqlNextAttempt = R"sql(
SELECT MIN({due_at}) FROM deliveries d JOIN alerts a ON a.id = d.alert_id {head}
WHERE d.destination = ?1 AND d.state = 'pending' AND a.market = ?9)sql";
// Bindings of every per-row update: ?1 alert id, ?2 destination, ?3 now, then its own.
constexpr std::string_view kSqlMarkSent = R"sql(
UPDATE deliveries SET state = 'sent', attempts = attempts + 1, sent_at = ?3, updated_at = ?3,
  last_error = NULL, message_id = ?4, chart_file = ?5
WHERE alert_id = ?1 AND destination = ?2 AND state = 'pending')sql";
constexpr std::string_view kSqlMarkRetry = R"sql(
UPDATE deliveries SET attempts = attempts + 1, updated_at = ?3, last_error = ?4,
  next_attempt_at = ?5
WHERE alert_id = ?1 AND destination = ?2 AND state = 'pending')sql";
constexpr std::string_view kSqlMarkFailed = R"sql(
UPDATE deliveries SET state = 'failed', attempts = attempts + 1, updated_at = ?3, last_error = ?4
WHERE alert_id = ?1 AND destination = ?2 AND state = 'pending')sql";
constexpr std::string_view kSqlMarkDead = R"sql(
UPDATE deliveries SET state = 'dead', attempts = attempts + 1, updated_at = ?3, last_error = ?4
WHERE alert_id = ?1 AND destination = ?2 AND state = 'pending')sql";
// ?1 destination, ?2 reason, ?3 now.
constexpr std::string_view kSqlDestinationDead = R"sql(
UPDATE deliveries SET state = 'dead', updated_at = ?3, last_error = ?2
WHERE destination = ?1 AND state = 'pending'
  AND alert_id IN (SELECT id FROM alerts WHERE market = ?9))sql";
// ?1 cutoff (alert created_at), ?2 reason, ?3 now.
constexpr std::string_view kSqlGiveUpOld = R"sql(
UPDATE deliveries SET state = 'failed', updated_at = ?3, last_error = ?2
WHERE state = 'pending'
  AND alert_id IN (SELECT id FROM alerts WHERE market = ?9 AND created_at < ?1))sql";
constexpr std::string_view kSqlPendingCounts = R"sql(
SELECT d.destination, COUNT(*) FROM deliveries d JOIN alerts a ON a.id = d.alert_id
WHERE d.state = 'pending' AND a.market = ?9
GROUP BY d.destination ORDER BY d.destination)sql";
constexpr std::string_view kSqlLastClose = R"sql(
SELECT MAX(bar_close_time) FROM alerts
WHERE market = ?1 AND symbol = ?2 AND interval = ?3 AND direction = ?4)sql";
constexpr std::string_view kSqlCountKept = R"sql(
SELECT COUNT(*) FROM alerts a WHERE a.created_at < ?1 AND EXISTS (
  SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.state = 'pending'))sql";
constexpr std::string_view kSqlDeleteOld = R"sql(
DELETE FROM alerts WHERE created_at < ?1 AND NOT EXISTS (
  SELECT 1 FROM deliveries d WHERE d.alert_id = alerts.id AND d.state = 'pending'))sql";
constexpr std::string_view kSqlFindAlert = R"sql(
SELECT a.id, a.created_at, COALESCE(a.episode_id, a.id), COALESCE(a.message_head_id, a.id),
  {candidate}
FROM alerts a WHERE a.id = ?1)sql";
constexpr std::string_view kSqlDeliveriesOf = R"sql(
SELECT destination, state, attempts, next_attempt_at, last_error, sent_at, updated_at, message_id,
  chart_file
FROM deliveries WHERE alert_id = ?1 ORDER BY destination)sql";
// The alerts of the episodes of (?1 market, ?2 symbol, ?3 direction) that reach ?4 (the new
// alert's bar open) or later: a superset of what PlaceInEpisode needs (episode.h).
constexpr std::string_view kSqlEpisodeAlerts = R"sql(
SELECT a.id, COALESCE(a.episode_id, a.id), COALESCE(a.message_head_id, a.id), {candidate}
FROM alerts a
WHERE a.market = ?1 AND a.symbol = ?2 AND a.direction = ?3 AND COALESCE(a.episode_id, a.id) IN (
  SELECT COALESCE(e.episode_id, e.id) FROM alerts e
  WHERE e.market = ?1 AND e.symbol = ?2 AND e.direction = ?3 AND e.bar_close_time >= ?4)
ORDER BY a.id)sql";
// A new alert that starts an episode or posts its own message names itself.
constexpr std::string_view kSqlSetPlace = R"sql(
UPDATE alerts SET episode_id = COALESCE(episode_id, id),
  message_head_id = COALESCE(message_head_id, id)
WHERE id = ?1)sql";
constexpr std::string_view kSqlMessageAlerts = R"sql(
SELECT a.id, COALESCE(d.sent_at, d.updated_at), d.chart_file, NULL, {place}, {candidate}
FROM deliveries d JOIN alerts a ON a.id = d.alert_id {escalated}
WHERE d.destination = ?1 AND d.message_id = ?2 AND d.state = 'sent'
ORDER BY a.id)sql";

constexpr std::string_view kQuerySql[kQueryCount] = {
    kSqlInsertAlert, kSqlFindByKey,     kSqlInsertDelivery, kSqlDue,       kSqlNextAttempt,
    kSqlMarkSent,    kSqlMarkRetry,     kSqlMarkFailed,     kSqlMarkDead,  kSqlDestinationDead,
    kSqlGiveUpOld,   kSqlPendingCounts, kSqlLastClose,      kSqlCountKept, kSqlDeleteOld,
    kSqlFindAlert,   kSqlDeliveriesOf,  kSqlEpisodeAlerts,  kSqlSetPlace,  kSqlMessageAlerts,
};

using storage::ScopedReset;

std::optional<core::Severity> ParseSeverity(std::string_view name) {
  if (name == "normal") return core::Severity::kNormal;
  if (name == "strong") return core::Severity::kStrong;
  return std::nullopt;
}

std::optional<DeliveryState> ParseDeliveryState(std::string_view name) {
  for (DeliveryState state : {DeliveryState::kPending, DeliveryState::kSent, DeliveryState::kFailed,
                              DeliveryState::kDead}) {
    if (DeliveryStateName(state) == name) return state;
  }
  return std::nullopt;
}

std::string JoinConfirmations(const std::vector<core::Interval>& confirmations) {
  std::string out;
  for (core::Interval interval : confirmations) {
    if (!out.empty()) out += ',';
    out += interval.Name();
  }
  return out;
}

core::Result<std::vector<core::Interval>> SplitConfirmations(std::string_view text) {
  std::vector<core::Interval> out;
  while (!text.empty()) {
    std::size_t comma = text.find(',');
    std::string_view name = text.substr(0, comma);
    auto interval = core::Interval::Parse(name);
    if (!interval) return core::Fail(fmt::format("unknown confirmation interval \"{}\"", name));
    out.push_back(*interval);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

core::Status CheckDestination(std::string_view destination) {
  if (destination.empty()) return core::Fail("empty alert destination id");
  // The message deliberately omits the value: it may be a secret webhook URL.
  if (destination.find("://") != std::string_view::npos ||
      destination.find("/webhooks/") != std::string_view::npos) {
    return core::Fail(
        "alert destination id looks like a URL; pass a non-secret id such as "
        "\"discord:<webhook id>\"");
  }
  return {};
}

// The 17 columns of kCandidateColumns, from column `first` of the current row.
core::Result<core::Candidate> ReadCandidate(const storage::Statement& row, int first) {
  core::Candidate c;
  auto market = core::ParseMarket(row.ColumnText(first));
  auto interval = core::Interval::Parse(row.ColumnText(first + 2));
  auto direction = core::ParseDirection(row.ColumnText(first + 5));
  auto severity = ParseSeverity(row.ColumnText(first + 6));
  auto confirmations = SplitConfirmations(row.ColumnText(first + 16));
  if (!market || !interval || !direction || !severity || !confirmations) {
    return core::Fail("alerts table holds a row this build cannot read");
  }
  c.market = *market;
  c.symbol = row.ColumnText(first + 1);
  c.interval = *interval;
  c.bar_open_time = row.ColumnInt(first + 3);
  c.bar_close_time = row.ColumnInt(first + 4);
  c.direction = *direction;
  c.severity = *severity;
  c.close = row.ColumnDouble(first + 7);
  c.change_percent = row.ColumnDouble(first + 8);
  c.atr_move = row.ColumnDouble(first + 9);
  c.return_z = row.ColumnDouble(first + 10);
  c.volume_z = row.ColumnDouble(first + 11);
  c.quote_volume = row.ColumnDouble(first + 12);
  c.quote_volume_24h = row.ColumnDouble(first + 13);
  c.atr = row.ColumnDouble(first + 14);
  c.atr_percent = row.ColumnDouble(first + 15);
  c.confirmations = std::move(*confirmations);
  return c;
}

// An alert's place from column `first` on (kPlaceColumns): head id, then the escalated head's
// id, interval and bar close time (NULL when it escalates nothing).
MessagePlace ReadPlace(const storage::Statement& row, int first) {
  MessagePlace place;
  place.message_head_id = row.ColumnInt(first);
  if (!row.ColumnIsNull(first + 1)) {
    auto interval = core::Interval::Parse(row.ColumnText(first + 2));
    if (interval) {
      place.escalates = AlertRef{row.ColumnInt(first + 1), *interval, row.ColumnInt(first + 3)};
    }
  }
  return place;
}

// Runs `statement` once per alert inside one transaction, binding ?1 alert id, ?2 destination,
// ?3 now, and whatever `bind_rest` adds (called with the statement, and the alert id if it takes
// one); the number of rows changed.
template <class BindRest>
core::Result<int> UpdateEach(storage::Database& db, storage::Statement& statement,
                             std::string_view destination, std::span<const AlertId> alerts,
                             core::Millis now, BindRest&& bind_rest) {
  if (alerts.empty()) return 0;
  int changed = 0;
  auto status = db.Transaction([&]() -> core::Status {
    for (AlertId id : alerts) {
      ScopedReset reset(statement);
      statement.Bind(1, id).Bind(2, destination).Bind(3, now);
      if constexpr (std::is_invocable_v<BindRest&, storage::Statement&, AlertId>) {
        bind_rest(statement, id);
      } else {
        bind_rest(statement);
      }
      if (auto run = statement.Run(); !run) return run;
      changed += db.ChangedRows();
    }
    return {};
  });
  if (!status) return std::unexpected(status.error());
  return changed;
}

}  // namespace

core::Status CheckCandidate(const core::Candidate& c) {
  for (double value : {c.close, c.change_percent, c.atr_move, c.return_z, c.volume_z,
                       c.quote_volume, c.quote_volume_24h, c.atr, c.atr_percent}) {
    if (!std::isfinite(value)) return core::Fail("alert candidate has a non-finite number");
  }
  if (c.symbol.empty()) return core::Fail("alert candidate has no symbol");
  return {};
}

std::string_view DeliveryStateName(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kSent:
      return "sent";
    case DeliveryState::kFailed:
      return "failed";
    case DeliveryState::kDead:
      return "dead";
  }
  return "pending";
}

core::Result<std::unique_ptr<AlertStore>> AlertStore::Open(storage::Database& db,
                                                           const core::Clock& clock,
                                                           core::Market market) {
  std::vector<storage::Statement> statements;
  statements.reserve(kQueryCount);
  for (std::string_view sql : kQuerySql) {
    // An enum value added without its SQL would otherwise prepare "" into a null statement.
    if (sql.empty()) return core::Fail("alert store: a query has no SQL");
    // Queries name shared parts ({candidate}: kCandidateColumns, ...) once, above.
    std::string text =
        sql.find('{') == std::string_view::npos
            ? std::string(sql)
            : fmt::format(fmt::runtime(sql), fmt::arg("candidate", kCandidateColumns),
                          fmt::arg("place", kPlaceColumns), fmt::arg("head", kJoinHead),
                          fmt::arg("due_at", kDueAt), fmt::arg("escalated", kJoinEscalated));
    auto statement = db.Prepare(text);
    if (!statement) return core::Fail("alert store: " + statement.error().message);
    statements.push_back(std::move(*statement));
  }
  auto edits = MessageEditStore::Open(db, clock, market);
  if (!edits) return std::unexpected(edits.error());
  auto charts = AlertChartStore::Open(db);
  if (!charts) return std::unexpected(charts.error());
  return std::unique_ptr<AlertStore>(new AlertStore(db, clock, market, std::move(statements),
                                                    std::move(*edits), std::move(*charts)));
}

AlertStore::AlertStore(storage::Database& db, const core::Clock& clock, core::Market market,
                       std::vector<storage::Statement> statements,
                       std::unique_ptr<MessageEditStore> edits,
                       std::unique_ptr<AlertChartStore> charts)
    : db_(db),
      clock_(clock),
      market_(market),
      statements_(std::move(statements)),
      edits_(std::move(edits)),
      charts_(std::move(charts)) {}

AlertStore::~AlertStore() = default;

storage::Statement& AlertStore::Scoped(std::size_t query) {
  storage::Statement& statement = statements_[query];
  statement.Bind(kMarketParameter, core::MarketName(market_));
  return statement;
}

core::Result<InsertResult> AlertStore::Insert(const core::Candidate& c,
                                              std::span<const std::string> destinations,
                                              const core::ChartSpec* chart) {
  if (auto ok = CheckCandidate(c); !ok) return std::unexpected(ok.error());
  for (const std::string& destination : destinations) {
    if (auto ok = CheckDestination(destination); !ok) return std::unexpected(ok.error());
  }
  core::Millis now = clock_.NowMs();
  std::string confirmations = JoinConfirmations(c.confirmations);
  InsertResult result;
  auto status = db_.Transaction([&]() -> core::Status {
    // Read inside the transaction, so no other writer places an alert in between.
    auto placement = Place(c);
    if (!placement) return std::unexpected(placement.error());
    storage::Statement& insert = statements_[kInsertAlert];
    ScopedReset reset_insert(insert);
    insert.Bind(1, core::MarketName(c.market))
        .Bind(2, std::string_view(c.symbol))
        .Bind(3, c.interval.Name())
        .Bind(4, c.bar_open_time)
        .Bind(5, c.bar_close_time)
        .Bind(6, core::DirectionName(c.direction))
        .Bind(7, core::SeverityName(c.severity))
        .Bind(8, c.close)
        .Bind(9, c.change_percent)
        .Bind(10, c.atr_move)
        .Bind(11, c.return_z)
        .Bind(12, c.volume_z)
        .Bind(13, c.quote_volume)
        .Bind(14, c.quote_volume_24h)
        .Bind(15, c.atr)
        .Bind(16, c.atr_percent)
        .Bind(17, std::string_view(confirmations))
        .Bind(18, now);
    if (placement->episode_id != 0) insert.Bind(19, placement->episode_id);
    if (!placement->posts_message()) insert.Bind(20, placement->message_head_id);
    auto row = insert.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) {
      result.outcome = InsertOutcome::kDuplicate;
      result.posts_message = false;
      storage::Statement& find = statements_[kFindByKey];
      ScopedReset reset_find(find);
      find.Bind(1, core::MarketName(c.market))
          .Bind(2, std::string_view(c.symbol))
          .Bind(3, c.interval.Name())
          .Bind(4, c.bar_close_time);
      auto found = find.Step();
      if (!found) return std::unexpected(found.error());
      if (*found) {
        result.id = find.ColumnInt(0);
        result.episode_id = find.ColumnInt(1);
      }
      return {};
    }
    result.id = insert.ColumnInt(0);
    if (auto done = insert.Step(); !done) return std::unexpected(done.error());
    result.posts_message = placement->posts_message();
    result.episode_id = placement->episode_id != 0 ? placement->episode_id : result.id;
    if (placement->episode_id == 0 || placement->posts_message()) {
      storage::Statement& set_place = statements_[kSetPlace];
      ScopedReset reset_place(set_place);
      if (auto run = set_place.Bind(1, result.id).Run(); !run) return run;
    }
    storage::Statement& delivery = statements_[kInsertDelivery];
    for (const std::string& destination : destinations) {
      ScopedReset reset_delivery(delivery);
      delivery.Bind(1, result.id).Bind(2, std::string_view(destination)).Bind(3, now);
      if (auto run = delivery.Run(); !run) return run;
    }
    if (chart != nullptr) return charts_->Insert(result.id, *chart);
    return {};
  });
  if (!status) return std::unexpected(status.error());
  if (result.outcome == InsertOutcome::kInserted) {
    ++counters_.inserted;
  } else {
    ++counters_.duplicates;
  }
  return result;
}

core::Result<EpisodePlacement> AlertStore::Place(const core::Candidate& c) {
  storage::Statement& query = statements_[kEpisodeAlerts];
  ScopedReset reset(query);
  query.Bind(1, core::MarketName(c.market))
      .Bind(2, std::string_view(c.symbol))
      .Bind(3, core::DirectionName(c.direction))
      .Bind(4, c.bar_open_time);
  std::vector<EpisodeAlert> earlier;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto candidate = ReadCandidate(query, 3);
    if (!candidate) return std::unexpected(candidate.error());
    earlier.push_back(EpisodeAlert{query.ColumnInt(0), query.ColumnInt(1), query.ColumnInt(2),
                                   std::move(*candidate)});
  }
  return PlaceInEpisode(c, earlier);
}

core::Result<std::vector<DueDelivery>> AlertStore::DueDeliveries(std::string_view destination,
                                                                 std::size_t limit) {
  ScopedReset reset(statements_[kDue]);
  storage::Statement& due = Scoped(kDue);
  due.Bind(1, destination)
      .Bind(2, clock_.NowMs())
      .Bind(3, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
  std::vector<DueDelivery> out;
  for (;;) {
    auto row = due.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto candidate = ReadCandidate(due, 12);
    if (!candidate) return std::unexpected(candidate.error());
    DueDelivery delivery;
    delivery.alert_id = due.ColumnInt(0);
    delivery.attempts = static_cast<int>(due.ColumnInt(1));
    delivery.next_attempt_at = due.ColumnInt(2);
    delivery.created_at = due.ColumnInt(3);
    delivery.candidate = std::move(*candidate);
    delivery.place = ReadPlace(due, 4);
    delivery.episode_id = due.ColumnInt(8);
    if (!due.ColumnIsNull(9)) delivery.head_state = ParseDeliveryState(due.ColumnText(9));
    delivery.head_message_id = due.ColumnText(10);
    delivery.head_message_alerts = static_cast<int>(due.ColumnInt(11));
    out.push_back(std::move(delivery));
  }
  return out;
}

core::Result<std::vector<ShownAlert>> AlertStore::MessageAlerts(std::string_view destination,
                                                                std::string_view message_id) {
  storage::Statement& query = statements_[kMessageAlerts];
  ScopedReset reset(query);
  query.Bind(1, destination).Bind(2, message_id);
  std::vector<ShownAlert> out;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto candidate = ReadCandidate(query, 8);
    if (!candidate) return std::unexpected(candidate.error());
    out.push_back(ShownAlert{query.ColumnInt(0), std::move(*candidate), ReadPlace(query, 4),
                             query.ColumnInt(1), query.ColumnText(2)});
  }
  return out;
}

core::Result<int> AlertStore::RequestOutcomeEdit(AlertId alert) {
  return edits_->RequestForAlert(alert);
}

core::Result<std::optional<core::Millis>> AlertStore::NextAttemptTime(
    std::string_view destination) {
  ScopedReset reset(statements_[kNextAttempt]);
  storage::Statement& next = Scoped(kNextAttempt);
  next.Bind(1, destination);
  auto row = next.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row || next.ColumnIsNull(0)) return std::optional<core::Millis>();
  return std::optional<core::Millis>(next.ColumnInt(0));
}

core::Result<int> AlertStore::MarkSent(std::string_view destination,
                                       std::span<const AlertId> alerts, std::string_view message_id,
                                       std::span<const AttachedChart> charts) {
  auto changed = UpdateEach(db_, statements_[kMarkSent], destination, alerts, clock_.NowMs(),
                            [&](storage::Statement& s, AlertId id) {
                              if (message_id.empty()) {
                                s.BindNull(4);
                              } else {
                                s.Bind(4, message_id);
                              }
                              auto chart = std::find_if(
                                  charts.begin(), charts.end(),
                                  [&](const AttachedChart& c) { return c.alert_id == id; });
                              if (chart == charts.end() || chart->file_name.empty()) {
                                s.BindNull(5);
                              } else {
                                s.Bind(5, std::string_view(chart->file_name));
                              }
                            });
  if (changed) counters_.sent += static_cast<std::uint64_t>(*changed);
  return changed;
}

core::Result<int> AlertStore::MarkRetry(std::string_view destination,
                                        std::span<const AlertId> alerts,
                                        core::Millis next_attempt_at, std::string_view error) {
  auto changed =
      UpdateEach(db_, statements_[kMarkRetry], destination, alerts, clock_.NowMs(),
                 [&](storage::Statement& s) { s.Bind(4, error).Bind(5, next_attempt_at); });
  if (changed) counters_.retried += static_cast<std::uint64_t>(*changed);
  return changed;
}

core::Result<int> AlertStore::MarkFailed(std::string_view destination,
                                         std::span<const AlertId> alerts, std::string_view reason) {
  auto changed = UpdateEach(db_, statements_[kMarkFailed], destination, alerts, clock_.NowMs(),
                            [&](storage::Statement& s) { s.Bind(4, reason); });
  if (changed) counters_.failed += static_cast<std::uint64_t>(*changed);
  return changed;
}

core::Result<int> AlertStore::MarkDead(std::string_view destination,
                                       std::span<const AlertId> alerts, std::string_view reason) {
  auto changed = UpdateEach(db_, statements_[kMarkDead], destination, alerts, clock_.NowMs(),
                            [&](storage::Statement& s) { s.Bind(4, reason); });
  if (changed) counters_.dead += static_cast<std::uint64_t>(*changed);
  return changed;
}

core::Result<int> AlertStore::MarkDestinationDead(std::string_view destination,
                                                  std::string_view reason) {
  ScopedReset reset(statements_[kDestinationDead]);
  storage::Statement& update = Scoped(kDestinationDead);
  update.Bind(1, destination).Bind(2, reason).Bind(3, clock_.NowMs());
  if (auto run = update.Run(); !run) return std::unexpected(run.error());
  int changed = db_.ChangedRows();
  counters_.dead += static_cast<std::uint64_t>(changed);
  return changed;
}

core::Result<int> AlertStore::GiveUpPendingOlderThan(core::Millis cutoff, std::string_view reason) {
  ScopedReset reset(statements_[kGiveUpOld]);
  storage::Statement& update = Scoped(kGiveUpOld);
  update.Bind(1, cutoff).Bind(2, reason).Bind(3, clock_.NowMs());
  if (auto run = update.Run(); !run) return std::unexpected(run.error());
  const int changed = db_.ChangedRows();
  counters_.failed += static_cast<std::uint64_t>(changed);
  return changed;
}

core::Result<std::vector<PendingCount>> AlertStore::PendingCounts() {
  ScopedReset reset(statements_[kPendingCounts]);
  storage::Statement& query = Scoped(kPendingCounts);
  std::vector<PendingCount> out;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.push_back(PendingCount{query.ColumnText(0), query.ColumnInt(1)});
  }
  return out;
}

core::Result<std::optional<core::Millis>> AlertStore::LastAlertCloseTime(
    core::Market market, std::string_view symbol, core::Interval interval,
    core::Direction direction) {
  storage::Statement& query = statements_[kLastClose];
  ScopedReset reset(query);
  query.Bind(1, core::MarketName(market))
      .Bind(2, symbol)
      .Bind(3, interval.Name())
      .Bind(4, core::DirectionName(direction));
  auto row = query.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row || query.ColumnIsNull(0)) return std::optional<core::Millis>();
  return std::optional<core::Millis>(query.ColumnInt(0));
}

core::Result<RetentionResult> AlertStore::DeleteOlderThan(core::Millis cutoff) {
  RetentionResult result;
  auto status = db_.Transaction([&]() -> core::Status {
    storage::Statement& count = statements_[kCountKept];
    {
      ScopedReset reset(count);
      count.Bind(1, cutoff);
      auto row = count.Step();
      if (!row) return std::unexpected(row.error());
      if (*row) result.kept_pending = count.ColumnInt(0);
    }
    storage::Statement& remove = statements_[kDeleteOld];
    ScopedReset reset(remove);
    remove.Bind(1, cutoff);
    if (auto run = remove.Run(); !run) return run;
    result.deleted = db_.ChangedRows();
    // Edits of messages no delivery shows any more have nothing left to render.
    if (auto orphans = edits_->DeleteOrphans(); !orphans) return std::unexpected(orphans.error());
    return {};
  });
  if (!status) return std::unexpected(status.error());
  counters_.deleted += static_cast<std::uint64_t>(result.deleted);
  return result;
}

core::Result<std::optional<StoredAlert>> AlertStore::FindAlert(AlertId id) {
  storage::Statement& query = statements_[kFindAlert];
  ScopedReset reset(query);
  query.Bind(1, id);
  auto row = query.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<StoredAlert>();
  auto candidate = ReadCandidate(query, 4);
  if (!candidate) return std::unexpected(candidate.error());
  return std::optional<StoredAlert>(StoredAlert{query.ColumnInt(0), query.ColumnInt(1),
                                                std::move(*candidate), query.ColumnInt(2),
                                                query.ColumnInt(3)});
}

core::Result<std::vector<DeliveryRecord>> AlertStore::Deliveries(AlertId id) {
  storage::Statement& query = statements_[kDeliveriesOf];
  ScopedReset reset(query);
  query.Bind(1, id);
  std::vector<DeliveryRecord> out;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto state = ParseDeliveryState(query.ColumnText(1));
    if (!state) return core::Fail("deliveries table holds a state this build cannot read");
    DeliveryRecord record;
    record.destination = query.ColumnText(0);
    record.state = *state;
    record.attempts = static_cast<int>(query.ColumnInt(2));
    record.next_attempt_at = query.ColumnInt(3);
    record.last_error = query.ColumnText(4);
    if (!query.ColumnIsNull(5)) record.sent_at = query.ColumnInt(5);
    record.updated_at = query.ColumnInt(6);
    record.message_id = query.ColumnText(7);
    record.chart_file = query.ColumnText(8);
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace scanner::alerts
