#pragma once
// AlertStoreCooldown: signals::CooldownStore over AlertStore, so the signal cooldown
// remembers the alerts of earlier runs (a restart, or a replay repeated with the same database).
//
// LastAlertCloseTime is the later of the alert database's answer (AlertStore::
// LastAlertCloseTime, for the store's market) and what Record was handed in this process.
// Record only remembers in memory: storing the alert is the caller's business, and it records
// only candidates it kept (cooldown_store.h). The memory covers a database that cannot be read
// and an alert waiting for a busy database, so the cooldown holds either way.
//
// A database error cannot be returned through CooldownStore: the lookup then answers from
// memory only and the error is kept; the owner checks error() after each bar it feeds and
// treats one as a failure of the run. The engine asks only for bars that passed every other
// filter, so the database is read about once per alert, not per bar.
//
// Not thread-safe: the event-loop thread. The AlertStore must outlive it.

#include <optional>

#include "alerts/alert_store.h"
#include "core/candidate.h"
#include "core/error.h"
#include "signals/cooldown_store.h"

namespace scanner::alerts {

class AlertStoreCooldown final : public signals::CooldownStore {
 public:
  explicit AlertStoreCooldown(AlertStore& store) : store_(store) {}

  std::optional<core::Millis> LastAlertCloseTime(const core::Symbol& symbol,
                                                 core::Interval interval,
                                                 core::Direction direction) const override;
  void Record(const core::Candidate& candidate) override;

  // The first database error met by LastAlertCloseTime, if any.
  const std::optional<core::Error>& error() const { return error_; }

 private:
  AlertStore& store_;
  signals::InMemoryCooldownStore recorded_;
  mutable std::optional<core::Error> error_;
};

}  // namespace scanner::alerts
