#pragma once
// The outcomes of stored alerts (table `alert_outcomes`, schema v3): written as the alert's
// following bars close, read back after a restart to carry on, and by the report.
//
// A row exists from the moment an alert starts being measured (Save with no bar seen yet), so a
// restart finds every alert whose outcome is still open. While open the row holds the running
// state (core::OutcomeProgress); once complete, complete_at is set and the values are final.
//
// Numbers go to text columns with shortest round-trip formatting (horizons "1,5,20", returns
// "0.52,,1.3" where an empty field is a value not measured), so what is read back equals what
// was saved.
//
// Not thread-safe: the event-loop thread, beside the AlertStore on the same Database. The
// Database and the Clock must outlive the store.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert_store.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/market.h"
#include "core/outcome.h"
#include "storage/database.h"

namespace scanner::alerts {

// An alert whose outcome is not complete yet, with what has been measured.
struct OpenOutcome {
  AlertId alert_id = 0;
  core::OutcomeProgress progress;
};

// One alert with its outcome (nullopt: never measured, as alerts stored before version 3).
struct AlertWithOutcome {
  AlertId alert_id = 0;
  core::Candidate candidate;
  std::optional<core::Outcome> outcome;
  bool posts_message = true;  // false: shown in the message of an earlier alert of its move
};

class OutcomeStore {
 public:
  static core::Result<std::unique_ptr<OutcomeStore>> Open(storage::Database& db,
                                                          const core::Clock& clock);

  OutcomeStore(const OutcomeStore&) = delete;
  OutcomeStore& operator=(const OutcomeStore&) = delete;

  // Writes the alert's outcome state (insert or replace); a complete one records complete_at.
  // A complete outcome is final: a later Save of it changes nothing.
  core::Status Save(AlertId alert_id, const core::OutcomeProgress& progress);

  // The alerts of `market` whose outcome is still open, oldest first, then those whose bar
  // closed at or after `unmeasured_since` and that have no outcome row at all (stored just
  // before a crash, or before schema version 3), as not measured yet.
  core::Result<std::vector<OpenOutcome>> OpenOutcomes(core::Market market,
                                                      core::Millis unmeasured_since);

  // The stored outcome of one alert (complete or not); nullopt when it has none.
  core::Result<std::optional<core::OutcomeProgress>> Find(AlertId alert_id);

  // The alerts of `market` whose bar closed at or after `since`, oldest first, with outcomes.
  core::Result<std::vector<AlertWithOutcome>> AlertsSince(core::Market market, core::Millis since,
                                                          AlertStore& alerts);

 private:
  OutcomeStore(const core::Clock& clock, storage::Statement save, storage::Statement open,
               storage::Statement unmeasured, storage::Statement find, storage::Statement since);

  const core::Clock& clock_;
  storage::Statement save_;
  storage::Statement open_;
  storage::Statement unmeasured_;
  storage::Statement find_;
  storage::Statement since_;
};

// The text forms of the columns (exposed for tests).
std::string FormatHorizons(const std::vector<int>& horizons);
std::string FormatReturns(const std::vector<std::optional<double>>& returns);
core::Result<std::vector<int>> ParseHorizons(std::string_view text);
// `count` fields ("" is one unmeasured field when count is 1, none when 0).
core::Result<std::vector<std::optional<double>>> ParseReturns(std::string_view text,
                                                              std::size_t count);

}  // namespace scanner::alerts
