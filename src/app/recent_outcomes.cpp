#include "app/recent_outcomes.h"

namespace scanner::app {

void RecentOutcomes::Add(const core::Candidate& alert, const core::Outcome& outcome) {
  std::deque<Entry>& entries = by_interval_[alert.interval];
  entries.push_back(Entry{alert.bar_close_time, outcome});
  if (entries.size() > kMaxPerInterval) entries.pop_front();
}

std::map<core::Interval, OutcomeFigures> RecentOutcomes::Figures(core::Millis now) {
  std::map<core::Interval, OutcomeFigures> out;
  for (auto& [interval, entries] : by_interval_) {
    // Outcomes complete in roughly bar order, so the old ones sit at the front.
    while (!entries.empty() && entries.front().bar_close_time < now - window_) {
      entries.pop_front();
    }
    OutcomeTally tally(horizons_);
    for (const Entry& entry : entries) {
      if (entry.bar_close_time >= now - window_) tally.Add(entry.outcome, true);
    }
    out.emplace(interval, tally.Figures());
  }
  return out;
}

}  // namespace scanner::app
