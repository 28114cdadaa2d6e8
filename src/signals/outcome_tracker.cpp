#include "signals/outcome_tracker.h"

#include <algorithm>
#include <functional>

namespace scanner::signals {
namespace {

// The favourable and adverse excursions of `bar`, in percent of `close`, signed by `sign`.
double Excursion(double price, double close, double sign) {
  return sign * (price / close - 1) * 100;
}

}  // namespace

std::size_t OutcomeTracker::SeriesKeyHash::operator()(const SeriesKey& key) const {
  return std::hash<std::string>{}(key.symbol) * 31 +
         std::hash<std::string_view>{}(key.interval.Name());
}

OutcomeTracker::OutcomeTracker(std::vector<int> horizons) : horizons_(std::move(horizons)) {
  std::erase_if(horizons_, [](int h) { return h <= 0; });
  std::sort(horizons_.begin(), horizons_.end());
  horizons_.erase(std::unique(horizons_.begin(), horizons_.end()), horizons_.end());
}

core::Millis OutcomeTracker::ExpiryGrace(core::Interval interval) {
  // The gap filler refetches an outage's bars within minutes of the stream coming back; an
  // hour (or three bars of a long interval) is well past that.
  return std::max<core::Millis>(core::kHour, 3 * interval.DurationMs());
}

void OutcomeTracker::Track(std::int64_t alert_id, const core::Candidate& alert) {
  if (std::optional<Open> open = Make(alert_id, alert, OutcomeProgress{})) {
    Add(alert, std::move(*open));
  }
}

std::optional<OutcomeUpdate> OutcomeTracker::Resume(std::int64_t alert_id,
                                                    const core::Candidate& alert,
                                                    OutcomeProgress progress, core::Millis now) {
  std::optional<Open> open = Make(alert_id, alert, std::move(progress));
  if (!open) return std::nullopt;
  CompleteIfDone(*open);
  if (open->progress.outcome.complete) return OutcomeUpdate{alert_id, open->progress};
  open->expires_at = std::max(open->expires_at, now + ExpiryGrace(alert.interval));
  Add(alert, std::move(*open));
  return std::nullopt;
}

std::optional<OutcomeTracker::Open> OutcomeTracker::Make(std::int64_t alert_id,
                                                         const core::Candidate& alert,
                                                         OutcomeProgress progress) const {
  if (horizons_.empty() || !(alert.close > 0)) return std::nullopt;
  Open open;
  open.alert_id = alert_id;
  open.close = alert.close;
  open.sign = alert.direction == core::Direction::kUp ? 1.0 : -1.0;
  open.alert_open_time = alert.bar_open_time;
  // Values measured before, re-aligned to this tracker's horizons.
  core::Outcome outcome;
  outcome.horizons = horizons_;
  outcome.returns_percent.resize(horizons_.size());
  for (std::size_t i = 0; i < horizons_.size(); ++i) {
    outcome.returns_percent[i] = progress.outcome.ReturnAt(horizons_[i]);
  }
  outcome.mfe_percent = progress.outcome.mfe_percent;
  outcome.mae_percent = progress.outcome.mae_percent;
  progress.outcome = std::move(outcome);
  progress.last_bar = std::max(progress.last_bar, 0);
  open.next_open = alert.interval.AddBars(alert.bar_open_time, progress.last_bar + 1);
  open.expires_at = alert.interval.AddBars(alert.bar_open_time, max_horizon() + 1) - 1 +
                    ExpiryGrace(alert.interval);
  open.progress = std::move(progress);
  return open;
}

void OutcomeTracker::Add(const core::Candidate& alert, Open open) {
  series_[SeriesKey{alert.symbol, alert.interval}].push_back(std::move(open));
  ++open_count_;
}

std::vector<OutcomeUpdate> OutcomeTracker::OnClosedBar(const core::Symbol& symbol,
                                                       core::Interval interval,
                                                       const core::Bar& bar) {
  std::vector<OutcomeUpdate> updates;
  if (open_count_ == 0) return updates;
  auto found = series_.find(SeriesKey{symbol, interval});
  if (found == series_.end()) return updates;
  std::vector<Open>& alerts = found->second;
  for (Open& open : alerts) {
    if (Advance(open, interval, bar)) updates.push_back({open.alert_id, open.progress});
  }
  const std::size_t before = alerts.size();
  std::erase_if(alerts, [](const Open& open) { return open.progress.outcome.complete; });
  open_count_ -= before - alerts.size();
  if (alerts.empty()) series_.erase(found);
  return updates;
}

bool OutcomeTracker::Advance(Open& open, core::Interval interval, const core::Bar& bar) const {
  if (bar.open_time < open.next_open) return false;
  if (bar.open_time > open.next_open) {
    // Bars between the last one seen and this one never came.
    int missing_through = open.progress.last_bar;
    core::Millis next = open.next_open;
    while (next < bar.open_time && missing_through < max_horizon()) {
      ++missing_through;
      next = interval.NextOpen(next);
    }
    Skip(open, interval, missing_through);
    if (open.progress.outcome.complete || next != bar.open_time) {
      // Past the last horizon, or a bar off the series' grid: nothing more to measure from it.
      CompleteIfDone(open);
      return true;
    }
  }
  OutcomeProgress& progress = open.progress;
  core::Outcome& outcome = progress.outcome;
  ++progress.last_bar;
  open.next_open = interval.NextOpen(bar.open_time);
  const double favourable = Excursion(open.sign > 0 ? bar.high : bar.low, open.close, open.sign);
  const double adverse = Excursion(open.sign > 0 ? bar.low : bar.high, open.close, open.sign);
  outcome.mfe_percent = std::max(outcome.mfe_percent.value_or(favourable), favourable);
  outcome.mae_percent = std::min(outcome.mae_percent.value_or(adverse), adverse);
  for (std::size_t i = 0; i < horizons_.size(); ++i) {
    if (horizons_[i] == progress.last_bar) {
      outcome.returns_percent[i] = Excursion(bar.close, open.close, open.sign);
    }
  }
  CompleteIfDone(open);
  return true;
}

void OutcomeTracker::Skip(Open& open, core::Interval interval, int through) const {
  through = std::min(through, max_horizon());
  if (through <= open.progress.last_bar) return;
  open.progress.hole = true;
  open.progress.last_bar = through;
  open.next_open = interval.AddBars(open.alert_open_time, through + 1);
  CompleteIfDone(open);
}

void OutcomeTracker::CompleteIfDone(Open& open) const {
  OutcomeProgress& progress = open.progress;
  if (progress.last_bar < max_horizon()) return;
  progress.outcome.complete = true;
  if (progress.hole) {
    progress.outcome.mfe_percent.reset();
    progress.outcome.mae_percent.reset();
  }
}

std::vector<OutcomeUpdate> OutcomeTracker::Expire(core::Millis now) {
  std::vector<OutcomeUpdate> updates;
  for (auto it = series_.begin(); it != series_.end();) {
    std::vector<Open>& alerts = it->second;
    for (Open& open : alerts) {
      if (now < open.expires_at) continue;
      open.progress.hole = true;
      open.progress.last_bar = max_horizon();
      CompleteIfDone(open);
      updates.push_back({open.alert_id, open.progress});
    }
    const std::size_t before = alerts.size();
    std::erase_if(alerts, [](const Open& open) { return open.progress.outcome.complete; });
    open_count_ -= before - alerts.size();
    it = alerts.empty() ? series_.erase(it) : std::next(it);
  }
  return updates;
}

}  // namespace scanner::signals
