#include "alerts/outcome_store.h"

#include <charconv>

#include <fmt/format.h>

namespace scanner::alerts {
namespace {

constexpr std::string_view kSqlSave = R"sql(
INSERT INTO alert_outcomes (alert_id, horizons, returns, mfe_percent, mae_percent, last_bar, hole,
  complete_at, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (alert_id) DO UPDATE SET horizons = excluded.horizons, returns = excluded.returns,
  mfe_percent = excluded.mfe_percent, mae_percent = excluded.mae_percent,
  last_bar = excluded.last_bar, hole = excluded.hole, complete_at = excluded.complete_at,
  updated_at = excluded.updated_at
WHERE alert_outcomes.complete_at IS NULL)sql";

// The outcome columns, in the order ReadProgress expects them from `first`.
constexpr std::string_view kSqlOpen = R"sql(
SELECT o.alert_id, o.horizons, o.returns, o.mfe_percent, o.mae_percent, o.last_bar, o.hole,
  o.complete_at
FROM alert_outcomes o JOIN alerts a ON a.id = o.alert_id
WHERE o.complete_at IS NULL AND a.market = ?1 ORDER BY o.alert_id)sql";
constexpr std::string_view kSqlUnmeasured = R"sql(
SELECT a.id FROM alerts a LEFT JOIN alert_outcomes o ON o.alert_id = a.id
WHERE o.alert_id IS NULL AND a.market = ?1 AND a.bar_close_time >= ?2 ORDER BY a.id)sql";
constexpr std::string_view kSqlFind = R"sql(
SELECT o.alert_id, o.horizons, o.returns, o.mfe_percent, o.mae_percent, o.last_bar, o.hole,
  o.complete_at
FROM alert_outcomes o WHERE o.alert_id = ?1)sql";
constexpr std::string_view kSqlSince = R"sql(
SELECT a.id, o.horizons, o.returns, o.mfe_percent, o.mae_percent, o.last_bar, o.hole,
  o.complete_at, a.message_head_id IS NULL OR a.message_head_id = a.id
FROM alerts a LEFT JOIN alert_outcomes o ON o.alert_id = a.id
WHERE a.market = ?1 AND a.bar_close_time >= ?2 ORDER BY a.id)sql";

using storage::ScopedReset;

std::optional<double> OptionalDouble(const storage::Statement& row, int column) {
  if (row.ColumnIsNull(column)) return std::nullopt;
  return row.ColumnDouble(column);
}

// Columns 1..7 of the queries above.
core::Result<core::OutcomeProgress> ReadProgress(const storage::Statement& row) {
  auto horizons = ParseHorizons(row.ColumnText(1));
  if (!horizons) return std::unexpected(horizons.error());
  auto returns = ParseReturns(row.ColumnText(2), horizons->size());
  if (!returns) return std::unexpected(returns.error());
  core::OutcomeProgress progress;
  progress.outcome.horizons = std::move(*horizons);
  progress.outcome.returns_percent = std::move(*returns);
  progress.outcome.mfe_percent = OptionalDouble(row, 3);
  progress.outcome.mae_percent = OptionalDouble(row, 4);
  progress.last_bar = static_cast<int>(row.ColumnInt(5));
  progress.hole = row.ColumnInt(6) != 0;
  progress.outcome.complete = !row.ColumnIsNull(7);
  return progress;
}

void BindOptional(storage::Statement& statement, int index, std::optional<double> value) {
  if (value) {
    statement.Bind(index, *value);
  } else {
    statement.BindNull(index);
  }
}

}  // namespace

std::string FormatHorizons(const std::vector<int>& horizons) {
  return fmt::format("{}", fmt::join(horizons, ","));
}

std::string FormatReturns(const std::vector<std::optional<double>>& returns) {
  std::string out;
  for (std::size_t i = 0; i < returns.size(); ++i) {
    if (i > 0) out += ',';
    if (returns[i]) out += fmt::format("{}", *returns[i]);
  }
  return out;
}

core::Result<std::vector<int>> ParseHorizons(std::string_view text) {
  std::vector<int> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view field = text.substr(0, comma);
    int value = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error != std::errc() || end != field.data() + field.size() || value <= 0) {
      return core::Fail(fmt::format("alert_outcomes: bad horizons '{}'", text));
    }
    out.push_back(value);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return out;
}

core::Result<std::vector<std::optional<double>>> ParseReturns(std::string_view text,
                                                              std::size_t count) {
  std::vector<std::optional<double>> out;
  if (count == 0) {
    if (!text.empty()) return core::Fail(fmt::format("alert_outcomes: bad returns '{}'", text));
    return out;
  }
  for (;;) {
    const std::size_t comma = text.find(',');
    const std::string_view field = text.substr(0, comma);
    if (field.empty()) {
      out.emplace_back();
    } else {
      double value = 0;
      const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
      if (error != std::errc() || end != field.data() + field.size()) {
        return core::Fail(fmt::format("alert_outcomes: bad returns '{}'", text));
      }
      out.emplace_back(value);
    }
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  if (out.size() != count) {
    return core::Fail("alert_outcomes: returns and horizons differ in length");
  }
  return out;
}

core::Result<std::unique_ptr<OutcomeStore>> OutcomeStore::Open(storage::Database& db,
                                                               const core::Clock& clock) {
  auto save = db.Prepare(kSqlSave);
  auto open = db.Prepare(kSqlOpen);
  auto unmeasured = db.Prepare(kSqlUnmeasured);
  auto find = db.Prepare(kSqlFind);
  auto since = db.Prepare(kSqlSince);
  for (const auto* prepared : {&save, &open, &unmeasured, &find, &since}) {
    if (!*prepared) return core::Fail("outcome store: " + prepared->error().message);
  }
  return std::unique_ptr<OutcomeStore>(new OutcomeStore(clock, std::move(*save), std::move(*open),
                                                        std::move(*unmeasured), std::move(*find),
                                                        std::move(*since)));
}

OutcomeStore::OutcomeStore(const core::Clock& clock, storage::Statement save,
                           storage::Statement open, storage::Statement unmeasured,
                           storage::Statement find, storage::Statement since)
    : clock_(clock),
      save_(std::move(save)),
      open_(std::move(open)),
      unmeasured_(std::move(unmeasured)),
      find_(std::move(find)),
      since_(std::move(since)) {}

core::Status OutcomeStore::Save(AlertId alert_id, const core::OutcomeProgress& progress) {
  const core::Outcome& outcome = progress.outcome;
  const core::Millis now = clock_.NowMs();
  ScopedReset reset(save_);
  save_.Bind(1, alert_id)
      .Bind(2, FormatHorizons(outcome.horizons))
      .Bind(3, FormatReturns(outcome.returns_percent));
  BindOptional(save_, 4, outcome.mfe_percent);
  BindOptional(save_, 5, outcome.mae_percent);
  save_.Bind(6, static_cast<std::int64_t>(progress.last_bar))
      .Bind(7, static_cast<std::int64_t>(progress.hole ? 1 : 0));
  if (outcome.complete) {
    save_.Bind(8, now);
  } else {
    save_.BindNull(8);
  }
  save_.Bind(9, now);
  return save_.Run();
}

core::Result<std::vector<OpenOutcome>> OutcomeStore::OpenOutcomes(core::Market market,
                                                                  core::Millis unmeasured_since) {
  std::vector<OpenOutcome> out;
  {
    ScopedReset reset(open_);
    open_.Bind(1, core::MarketName(market));
    for (;;) {
      auto row = open_.Step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      auto progress = ReadProgress(open_);
      if (!progress) return std::unexpected(progress.error());
      out.push_back(OpenOutcome{open_.ColumnInt(0), std::move(*progress)});
    }
  }
  ScopedReset reset(unmeasured_);
  unmeasured_.Bind(1, core::MarketName(market)).Bind(2, unmeasured_since);
  for (;;) {
    auto row = unmeasured_.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    out.push_back(OpenOutcome{unmeasured_.ColumnInt(0), core::OutcomeProgress{}});
  }
  return out;
}

core::Result<std::optional<core::OutcomeProgress>> OutcomeStore::Find(AlertId alert_id) {
  ScopedReset reset(find_);
  find_.Bind(1, alert_id);
  auto row = find_.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<core::OutcomeProgress>();
  auto progress = ReadProgress(find_);
  if (!progress) return std::unexpected(progress.error());
  return std::optional<core::OutcomeProgress>(std::move(*progress));
}

core::Result<std::vector<AlertWithOutcome>> OutcomeStore::AlertsSince(core::Market market,
                                                                      core::Millis since,
                                                                      AlertStore& alerts) {
  ScopedReset reset(since_);
  since_.Bind(1, core::MarketName(market)).Bind(2, since);
  std::vector<AlertWithOutcome> out;
  for (;;) {
    auto row = since_.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    AlertWithOutcome entry;
    entry.alert_id = since_.ColumnInt(0);
    entry.posts_message = since_.ColumnInt(8) != 0;
    if (!since_.ColumnIsNull(1)) {
      auto progress = ReadProgress(since_);
      if (!progress) return std::unexpected(progress.error());
      entry.outcome = std::move(progress->outcome);
      // While open, mfe/mae hold the running extremes: not yet the excursions of the horizon.
      if (!entry.outcome->complete) {
        entry.outcome->mfe_percent.reset();
        entry.outcome->mae_percent.reset();
      }
    }
    auto stored = alerts.FindAlert(entry.alert_id);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) continue;  // deleted by retention in between
    entry.candidate = std::move((*stored)->candidate);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace scanner::alerts
