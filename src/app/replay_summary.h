#pragma once
// ReplaySummary: the closing report of a replay, for people: what was read (per file), what the
// signal filters did with it (useful when tuning thresholds), the alerts by symbol, interval
// and direction, and every problem with its file and line (IssueLog, capped per file).
// Not thread-safe.

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <tuple>

#include "app/replay_driver.h"
#include "core/candidate.h"
#include "replay/bar_merger.h"
#include "replay/issue_log.h"

namespace scanner::app {

class ReplaySummary {
 public:
  // Counts one new alert.
  void CountAlert(const core::Candidate& candidate);

  std::uint64_t alerts() const { return total_alerts_; }

  // The report, several lines, each ending in '\n'. `database` says where alerts were stored.
  void Write(std::ostream& out, const replay::BarMerger& merger, const ReplayDriver& driver,
             const replay::IssueLog& issues, const std::string& database) const;

 private:
  using AlertKey = std::tuple<core::Symbol, core::Interval, core::Direction>;
  std::map<AlertKey, std::uint64_t> alerts_;
  std::uint64_t total_alerts_ = 0;
};

}  // namespace scanner::app
