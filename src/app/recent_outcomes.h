#pragma once
// RecentOutcomes: the complete outcomes of the alerts of the last `window` (by their bar's
// close), per interval, for /metrics: how the live alerts have been doing lately. Seeded at
// start from the database (so a restart does not empty the figures), fed as outcomes complete.
// Bounded: at most kMaxPerInterval outcomes per interval are kept (the newest).
//
// Not thread-safe: the event-loop thread.

#include <cstddef>
#include <deque>
#include <map>
#include <vector>

#include "app/outcome_statistics.h"
#include "core/candidate.h"
#include "core/interval.h"
#include "core/outcome.h"
#include "core/types.h"

namespace scanner::app {

class RecentOutcomes {
 public:
  static constexpr std::size_t kMaxPerInterval = 10'000;

  RecentOutcomes(std::vector<int> horizons, core::Millis window)
      : horizons_(std::move(horizons)), window_(window) {}

  void Add(const core::Candidate& alert, const core::Outcome& outcome);

  // Per interval, the figures of the outcomes whose alert's bar closed after now - window.
  std::map<core::Interval, OutcomeFigures> Figures(core::Millis now);

  const std::vector<int>& horizons() const { return horizons_; }
  core::Millis window() const { return window_; }

 private:
  struct Entry {
    core::Millis bar_close_time = 0;
    core::Outcome outcome;
  };

  std::vector<int> horizons_;
  core::Millis window_;
  std::map<core::Interval, std::deque<Entry>> by_interval_;
};

}  // namespace scanner::app
