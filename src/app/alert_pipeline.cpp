#include "app/alert_pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "alerts/alert_format.h"

namespace scanner::app {
namespace {

constexpr core::Millis kFirstRetryDelay = core::kSecond;
constexpr core::Millis kMaxRetryDelay = 30 * core::kSecond;

}  // namespace

AlertPipeline::AlertPipeline(signals::SignalEngine& engine, alerts::AlertStoreCooldown& cooldown,
                             alerts::AlertStore& store, alerts::AlertRoutes routes,
                             const core::Clock& clock, core::Millis catch_up,
                             std::shared_ptr<spdlog::logger> logger)
    : engine_(engine),
      cooldown_(cooldown),
      store_(store),
      routes_(std::move(routes)),
      clock_(clock),
      catch_up_(catch_up),
      logger_(std::move(logger)) {}

void AlertPipeline::OnClosedBar(const core::Symbol& symbol, core::Interval interval,
                                const core::Bar& bar, market::BarOrigin origin) {
  ++counters_.bars_evaluated;
  if (origin == market::BarOrigin::kWarmUp) ++counters_.warm_up_bars;
  std::optional<core::Candidate> candidate = engine_.OnClosedBar(symbol, interval, bar);
  if (cooldown_.error() && !cooldown_error_logged_) {
    // The cooldown then answers from memory only; alerts still go out, deduplicated by the key.
    logger_->error("alert database read failed (cooldown from memory only): {}",
                   cooldown_.error()->message);
    cooldown_error_logged_ = true;
    ++counters_.store_errors;
  }
  if (!candidate) return;
  ++counters_.candidates;
  if (origin == market::BarOrigin::kWarmUp && bar.close_time < clock_.NowMs() - catch_up_) {
    ++counters_.warm_up_candidates_dropped;
    SPDLOG_LOGGER_DEBUG(logger_, "warm-up move of {} {} closed at {} is older than catch_up",
                        symbol, interval.Name(), core::FormatIsoUtc(bar.close_time));
    return;
  }
  Keep(*candidate);
}

void AlertPipeline::OnOpenBar(const core::Symbol& symbol, core::Interval interval,
                              const core::Bar& bar) {
  engine_.OnOpenBar(symbol, interval, bar);
}

void AlertPipeline::Keep(const core::Candidate& candidate) {
  if (auto storable = alerts::CheckCandidate(candidate); !storable) {
    // The engine never raises one; a retry could not store it either.
    ++counters_.candidates_refused;
    logger_->error("alert for {} {} at {} refused: {}", candidate.symbol,
                   candidate.interval.Name(), core::FormatIsoUtc(candidate.bar_close_time),
                   storable.error().message);
    return;
  }
  cooldown_.Record(candidate);
  // Alerts keep their order: while older ones wait for the database, a new one waits behind.
  if (unstored_.empty() && Store(candidate)) return;
  if (unstored_.size() >= kMaxUnstored) {
    const core::Candidate& lost = unstored_.front();
    ++counters_.unstored_dropped;
    logger_->critical("alert LOST: the database has refused alerts for too long ({} waiting); "
                      "dropped {} {} at {}",
                      unstored_.size(), lost.symbol, lost.interval.Name(),
                      core::FormatIsoUtc(lost.bar_close_time));
    unstored_.pop_front();
  }
  if (unstored_.empty()) {
    retry_delay_ = kFirstRetryDelay;
    next_retry_at_ = clock_.NowMs() + retry_delay_;
  }
  unstored_.push_back(candidate);
}

void AlertPipeline::RetryUnstored() {
  if (unstored_.empty() || clock_.NowMs() < next_retry_at_) return;
  while (!unstored_.empty()) {
    if (!Store(unstored_.front())) {
      retry_delay_ = std::min(retry_delay_ * 2, kMaxRetryDelay);
      next_retry_at_ = clock_.NowMs() + retry_delay_;
      return;
    }
    unstored_.pop_front();
  }
  logger_->info("alert database writable again; every waiting alert is stored");
}

bool AlertPipeline::Store(const core::Candidate& candidate) {
  auto result = store_.Insert(candidate, alerts::OutboxDestinationsFor(routes_, candidate));
  if (!result) {
    ++counters_.store_errors;
    if (!store_error_logged_) {
      // Once per outage: a locked database would otherwise log every bar.
      logger_->error("cannot store the alert for {} {} at {} (kept in memory, retried): {}",
                     candidate.symbol, candidate.interval.Name(),
                     core::FormatIsoUtc(candidate.bar_close_time), result.error().message);
      store_error_logged_ = true;
    }
    return false;
  }
  store_error_logged_ = false;
  if (result->outcome == alerts::InsertOutcome::kDuplicate) {
    ++counters_.alerts_deduplicated;
    SPDLOG_LOGGER_DEBUG(logger_, "alert for {} {} at {} already stored", candidate.symbol,
                        candidate.interval.Name(), core::FormatIsoUtc(candidate.bar_close_time));
    return true;
  }
  ++counters_.alerts_inserted;
  logger_->info("alert: {}", alerts::FormatAlertLine(candidate,
                                                     alerts::IsLate(candidate, clock_.NowMs())));
  if (on_stored_) on_stored_();
  return true;
}

}  // namespace scanner::app
