#include "app/closed_bar_pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "alerts/alert_format.h"

namespace scanner::app {
namespace {

constexpr core::Millis kFirstRetryDelay = core::kSecond;
constexpr core::Millis kMaxRetryDelay = 30 * core::kSecond;

}  // namespace

ClosedBarPipeline::ClosedBarPipeline(Dependencies dependencies)
    : engine_(*dependencies.engine),
      store_(dependencies.store),
      cooldown_(dependencies.cooldown),
      clock_(*dependencies.clock),
      logger_(std::move(dependencies.logger)),
      outcomes_(dependencies.outcomes),
      outcome_store_(dependencies.outcome_store) {}

BarFate ClosedBarPipeline::OnClosedBar(signals::SignalEngine::SeriesHandle series,
                                       const core::Symbol& symbol, core::Interval interval,
                                       const core::Bar& bar, market::BarOrigin origin) {
  if (outcomes_ != nullptr) ApplyOutcomes(outcomes_->OnClosedBar(symbol, interval, bar));
  return Take(engine_.OnClosedBar(series, bar), bar, origin);
}

BarFate ClosedBarPipeline::OnClosedBar(const core::Symbol& symbol, core::Interval interval,
                                       const core::Bar& bar, market::BarOrigin origin) {
  if (outcomes_ != nullptr) ApplyOutcomes(outcomes_->OnClosedBar(symbol, interval, bar));
  return Take(engine_.OnClosedBar(symbol, interval, bar), bar, origin);
}

void ClosedBarPipeline::OnOpenBar(const core::Symbol& symbol, core::Interval interval,
                                  const core::Bar& bar) {
  engine_.OnOpenBar(symbol, interval, bar);
}

BarFate ClosedBarPipeline::Take(std::optional<core::Candidate> candidate, const core::Bar& bar,
                                market::BarOrigin origin) {
  ++counters_.bars_evaluated;
  if (origin == market::BarOrigin::kWarmUp) ++counters_.warm_up_bars;
  if (cooldown_ != nullptr && cooldown_->error() && !cooldown_error_logged_) {
    // The cooldown then answers from memory only; alerts still go out, deduplicated by the key.
    if (logger_) {
      logger_->error("alert database read failed (cooldown from memory only): {}",
                     cooldown_->error()->message);
    }
    cooldown_error_logged_ = true;
    ++counters_.store_errors;
  }
  if (!candidate) return BarFate::kEvaluated;
  ++counters_.candidates;
  if (origin == market::BarOrigin::kWarmUp && bar.close_time < clock_.NowMs() - catch_up_) {
    ++counters_.warm_up_candidates_dropped;
    if (logger_) {
      SPDLOG_LOGGER_DEBUG(logger_, "warm-up move of {} {} closed at {} is older than catch_up",
                          candidate->symbol, candidate->interval.Name(),
                          core::FormatIsoUtc(bar.close_time));
    }
    return BarFate::kDropped;
  }
  return Keep(*candidate);
}

BarFate ClosedBarPipeline::Keep(const core::Candidate& candidate) {
  // Taken now, while the window still ends at the alert's bar; it goes wherever the alert goes.
  std::optional<core::ChartSpec> chart = chart_for_ ? chart_for_(candidate) : std::nullopt;
  if (auto storable = alerts::CheckCandidate(candidate); !storable) {
    // The engine never raises one; a retry could not store it either.
    ++counters_.candidates_refused;
    if (logger_) {
      logger_->error("alert for {} {} at {} refused: {}", candidate.symbol,
                     candidate.interval.Name(), core::FormatIsoUtc(candidate.bar_close_time),
                     storable.error().message);
    }
    return BarFate::kNotStorable;
  }
  engine_.cooldown_store().Record(candidate);
  if (store_ == nullptr) {
    ++counters_.alerts_inserted;
    const alerts::AlertId id = next_local_id_++;
    StartOutcome(id, candidate);
    Announce(candidate, KeptAlert{id, true, chart ? &*chart : nullptr});
    return BarFate::kAlerted;
  }
  // Alerts keep their order: while older ones wait for the database, a new one waits behind.
  if (unstored_.empty()) {
    if (const std::optional<alerts::InsertOutcome> stored = Store(candidate, chart)) {
      return *stored == alerts::InsertOutcome::kDuplicate ? BarFate::kAlreadyStored
                                                          : BarFate::kAlerted;
    }
  }
  if (unstored_.size() >= kMaxUnstored) {
    const core::Candidate& lost = unstored_.front().candidate;
    ++counters_.unstored_dropped;
    if (logger_) {
      logger_->critical(
          "alert LOST: the database has refused alerts for too long ({} waiting); dropped {} {} "
          "at {}",
          unstored_.size(), lost.symbol, lost.interval.Name(),
          core::FormatIsoUtc(lost.bar_close_time));
    }
    unstored_.pop_front();
  }
  if (unstored_.empty()) {
    retry_delay_ = kFirstRetryDelay;
    next_retry_at_ = clock_.NowMs() + retry_delay_;
  }
  unstored_.push_back(Unstored{candidate, std::move(chart)});
  return BarFate::kAlerted;
}

void ClosedBarPipeline::RetryUnstored(bool now) {
  if (unstored_.empty() || (!now && clock_.NowMs() < next_retry_at_)) return;
  while (!unstored_.empty()) {
    if (!Store(unstored_.front().candidate, unstored_.front().chart)) {
      retry_delay_ = std::min(retry_delay_ * 2, kMaxRetryDelay);
      next_retry_at_ = clock_.NowMs() + retry_delay_;
      return;
    }
    unstored_.pop_front();
  }
  if (logger_) logger_->info("alert database writable again; every waiting alert is stored");
}

std::optional<alerts::InsertOutcome> ClosedBarPipeline::Store(
    const core::Candidate& candidate, const std::optional<core::ChartSpec>& chart) {
  const std::vector<std::string> destinations =
      destinations_ ? destinations_(candidate) : std::vector<std::string>{};
  auto result = store_->Insert(candidate, destinations, chart ? &*chart : nullptr);
  if (!result) {
    ++counters_.store_errors;
    if (!store_error_logged_ && logger_) {
      // Once per outage: a locked database would otherwise log every bar.
      logger_->error("cannot store the alert for {} {} at {} (kept in memory, retried): {}",
                     candidate.symbol, candidate.interval.Name(),
                     core::FormatIsoUtc(candidate.bar_close_time), result.error().message);
    }
    store_error_logged_ = true;
    return std::nullopt;
  }
  store_error_logged_ = false;
  if (result->outcome == alerts::InsertOutcome::kDuplicate) {
    ++counters_.alerts_deduplicated;
    if (logger_) {
      SPDLOG_LOGGER_DEBUG(logger_, "alert for {} {} at {} already stored", candidate.symbol,
                          candidate.interval.Name(), core::FormatIsoUtc(candidate.bar_close_time));
    }
    return result->outcome;
  }
  ++counters_.alerts_inserted;
  StartOutcome(result->id, candidate);
  Announce(candidate, KeptAlert{result->id, result->posts_message, chart ? &*chart : nullptr});
  return result->outcome;
}

void ClosedBarPipeline::Announce(const core::Candidate& candidate, const KeptAlert& kept) {
  if (on_alert_) on_alert_(candidate, kept);
}

void ClosedBarPipeline::StartOutcome(alerts::AlertId id, const core::Candidate& candidate) {
  if (outcomes_ == nullptr || outcomes_->horizons().empty()) return;
  outcomes_->Track(id, candidate);
  measuring_[id] = candidate;
  // The row exists from now on, so a restart finds the alert even before its first bar.
  core::OutcomeProgress progress;
  progress.outcome.horizons = outcomes_->horizons();
  progress.outcome.returns_percent.resize(progress.outcome.horizons.size());
  SaveOutcome(id, progress);
}

core::Status ClosedBarPipeline::ResumeOutcomes() {
  if (outcomes_ == nullptr || outcome_store_ == nullptr || store_ == nullptr) return {};
  // Alerts of the last day without any outcome row are measured from the history too.
  const core::Millis now = clock_.NowMs();
  auto open = outcome_store_->OpenOutcomes(store_->market(), now - core::kDay);
  if (!open) {
    ++counters_.outcome_store_errors;
    return std::unexpected(open.error());
  }
  for (alerts::OpenOutcome& entry : *open) {
    auto stored = store_->FindAlert(entry.alert_id);
    if (!stored) {
      ++counters_.outcome_store_errors;
      return std::unexpected(stored.error());
    }
    if (!*stored) continue;
    measuring_[entry.alert_id] = (*stored)->candidate;
    if (std::optional<signals::OutcomeUpdate> done = outcomes_->Resume(
            entry.alert_id, (*stored)->candidate, std::move(entry.progress), now)) {
      ApplyOutcomes({*done});
    }
  }
  if (logger_ && !open->empty()) {
    logger_->info("resuming the outcomes of {} alert(s) from the previous run", open->size());
  }
  return {};
}

void ClosedBarPipeline::ExpireOutcomes(core::Millis now) {
  if (outcomes_ != nullptr) ApplyOutcomes(outcomes_->Expire(now));
}

void ClosedBarPipeline::ApplyOutcomes(const std::vector<signals::OutcomeUpdate>& updates) {
  for (const signals::OutcomeUpdate& update : updates) {
    SaveOutcome(update.alert_id, update.progress);
    if (!update.progress.outcome.complete) continue;
    ++counters_.outcomes_completed;
    auto found = measuring_.find(update.alert_id);
    if (found == measuring_.end()) continue;
    if (on_outcome_) on_outcome_(update.alert_id, found->second, update.progress.outcome);
    measuring_.erase(found);
  }
}

void ClosedBarPipeline::SaveOutcome(alerts::AlertId id, const core::OutcomeProgress& progress) {
  if (outcome_store_ == nullptr || store_ == nullptr) return;
  if (auto saved = outcome_store_->Save(id, progress); !saved) {
    ++counters_.outcome_store_errors;
    if (!outcome_error_logged_ && logger_) {
      logger_->error("cannot save the outcome of alert {} (kept in memory): {}", id,
                     saved.error().message);
    }
    outcome_error_logged_ = true;
    return;
  }
  outcome_error_logged_ = false;
}

}  // namespace scanner::app
