#pragma once
// Where SignalEngine remembers when it last alerted, so the cooldown holds across restarts:
// the alert store (alerts/) implements CooldownStore over its database; InMemoryCooldownStore
// serves tests and replays.

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

  // Called by SignalEngine exactly once for every candidate it emits, before OnClosedBar
  // returns it.
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
