#pragma once
// OutcomeTracker: measures what happened after each alert (core/outcome.h) from the closed bars
// of its series, as they come -- live bars, gap-fill and warm-up bars alike, or a replay's file.
//
// Per tracked alert (on bar t) it remembers the last bar it has seen, in bars after t. A closed
// bar of the alert's series:
//   - that opens before the next expected bar is ignored (seen already: a resumed alert fed its
//     warm-up history again, or a duplicate);
//   - that opens later than the next expected bar means those bars are missing (a hole): their
//     horizons stay unmeasured, and MFE/MAE cannot be measured at all;
//   - that is the next expected bar extends the running extremes and, at a horizon, records the
//     return.
// Once bar t+max(H) is reached or skipped, the outcome is complete and the alert is forgotten.
// A series that stops (a symbol leaves the universe) would keep an alert open for ever: Expire
// completes, with what is known, every alert whose last horizon bar closed more than
// ExpiryGrace(interval) ago -- long enough for the REST gap-fill to bring back bars of an
// outage first.
//
// A restart resumes an alert from its stored progress (Resume), so bars are never counted
// twice and values already measured are kept.
//
// Pure and deterministic (no clock of its own: Expire takes the time). Not thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/candidate.h"
#include "core/outcome.h"
#include "core/types.h"

namespace scanner::signals {

using core::OutcomeProgress;

struct OutcomeUpdate {
  std::int64_t alert_id = 0;
  OutcomeProgress progress;  // progress.outcome.complete: final
};

class OutcomeTracker {
 public:
  // `horizons`: bars after the alert's, each > 0; sorted and deduplicated here. Empty: nothing
  // is tracked.
  explicit OutcomeTracker(std::vector<int> horizons);

  const std::vector<int>& horizons() const { return horizons_; }
  int max_horizon() const { return horizons_.empty() ? 0 : horizons_.back(); }

  // Starts measuring the outcome of `alert` (stored as `alert_id`).
  void Track(std::int64_t alert_id, const core::Candidate& alert);
  // Carries on from stored progress (after a restart, at `now`). The progress's horizons are
  // this tracker's from now on: a horizon added since is measured if its bar is still to come.
  // The alert does not expire before now + ExpiryGrace: the restart's warm-up history brings
  // its missed bars first. Returns the final outcome at once when nothing is left to measure
  // (the horizons were shortened since), and then does not track it.
  std::optional<OutcomeUpdate> Resume(std::int64_t alert_id, const core::Candidate& alert,
                                      OutcomeProgress progress, core::Millis now);

  // A closed bar of (symbol, interval): the alerts of that series it changed, in the order they
  // were tracked.
  std::vector<OutcomeUpdate> OnClosedBar(const core::Symbol& symbol, core::Interval interval,
                                         const core::Bar& bar);

  // Completes the alerts whose bars can no longer be expected at `now` (see above).
  std::vector<OutcomeUpdate> Expire(core::Millis now);
  // How long after its last horizon bar closed an alert waits for bars before Expire.
  static core::Millis ExpiryGrace(core::Interval interval);

  std::size_t open_alerts() const { return open_count_; }

 private:
  struct Open {
    std::int64_t alert_id = 0;
    double close = 0;  // C
    double sign = 1;   // d
    core::Millis alert_open_time = 0;
    core::Millis next_open = 0;  // the open time of bar t+last_bar+1
    core::Millis expires_at = 0;
    OutcomeProgress progress;
  };
  struct SeriesKey {
    core::Symbol symbol;
    core::Interval interval;
    friend bool operator==(const SeriesKey&, const SeriesKey&) = default;
  };
  struct SeriesKeyHash {
    std::size_t operator()(const SeriesKey& key) const;
  };

  // The alert's state, or nullopt when it cannot be measured (a close that is not positive).
  std::optional<Open> Make(std::int64_t alert_id, const core::Candidate& alert,
                           OutcomeProgress progress) const;
  void Add(const core::Candidate& alert, Open open);
  // Feeds one bar; true when `open` changed.
  bool Advance(Open& open, core::Interval interval, const core::Bar& bar) const;
  // Marks bars last_bar+1 .. `through` missing (clamped to the last horizon).
  void Skip(Open& open, core::Interval interval, int through) const;
  void CompleteIfDone(Open& open) const;

  std::vector<int> horizons_;
  std::unordered_map<SeriesKey, std::vector<Open>, SeriesKeyHash> series_;
  std::size_t open_count_ = 0;
};

}  // namespace scanner::signals
