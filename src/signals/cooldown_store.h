#pragma once
// Where SignalEngine reads when it last alerted, so the cooldown holds across restarts: the alert
// store's adapter (AlertStoreCooldown) answers from the database; InMemoryCooldownStore serves
// tests and replays without one.
//
// Only an alert that was kept starts a cooldown: the engine never records its own candidates.
// Whoever takes a candidate (the closed-bar pipeline) calls Record once it has stored it (or
// queued it for a store that is busy), and not for a candidate it drops, such as a warm-up move
// older than signals.catch_up -- which must not silence a real move minutes later.

#include <array>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/candidate.h"
#include "core/interval.h"
#include "core/time.h"
#include "core/types.h"

namespace scanner::signals {

class CooldownStore {
 public:
  virtual ~CooldownStore() = default;

  // The bar close time of the latest alert recorded for (symbol, interval, direction).
  virtual std::optional<core::Millis> LastAlertCloseTime(const core::Symbol& symbol,
                                                         core::Interval interval,
                                                         core::Direction direction) const = 0;

  // A candidate that was kept (see above).
  virtual void Record(const core::Candidate& candidate) = 0;
};

// Keeps the latest alert close time per key in memory. Not thread-safe.
class InMemoryCooldownStore final : public CooldownStore {
 public:
  std::optional<core::Millis> LastAlertCloseTime(const core::Symbol& symbol,
                                                 core::Interval interval,
                                                 core::Direction direction) const override;
  // Keeps the later of the stored and the candidate's close time.
  void Record(const core::Candidate& candidate) override;

 private:
  // Per symbol, indexed by [interval][direction]; looking a symbol up copies nothing.
  using Slots = std::array<std::array<std::optional<core::Millis>, 2>, core::kIntervalCount>;
  std::unordered_map<std::string, Slots> last_;
};

}  // namespace scanner::signals
