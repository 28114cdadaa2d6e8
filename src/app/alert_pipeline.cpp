#include "app/alert_pipeline.h"

#include <spdlog/spdlog.h>

#include "alerts/alert_format.h"

namespace scanner::app {

AlertPipeline::AlertPipeline(signals::SignalEngine& engine, replay::AlertStoreCooldown& cooldown,
                             const core::Clock& clock, core::Millis catch_up,
                             std::shared_ptr<spdlog::logger> logger)
    : engine_(engine),
      cooldown_(cooldown),
      clock_(clock),
      catch_up_(catch_up),
      logger_(std::move(logger)) {}

void AlertPipeline::SetDispatcher(alerts::AlertDispatcher* dispatcher) {
  dispatcher_ = dispatcher;
  if (dispatcher_ == nullptr) return;
  std::vector<core::Candidate> held = std::move(held_);
  held_.clear();
  for (const core::Candidate& candidate : held) Submit(candidate);
}

void AlertPipeline::OnClosedBar(const core::Symbol& symbol, core::Interval interval,
                                const core::Bar& bar, binance::BarOrigin origin) {
  ++counters_.bars_evaluated;
  if (origin == binance::BarOrigin::kWarmUp) ++counters_.warm_up_bars;
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
  if (origin == binance::BarOrigin::kWarmUp && bar.close_time < clock_.NowMs() - catch_up_) {
    ++counters_.warm_up_candidates_dropped;
    SPDLOG_LOGGER_DEBUG(logger_, "warm-up move of {} {} closed at {} is older than catch_up",
                        symbol, interval.Name(), core::FormatIsoUtc(bar.close_time));
    return;
  }
  Submit(*candidate);
}

void AlertPipeline::OnOpenBar(const core::Symbol& symbol, core::Interval interval,
                              const core::Bar& bar) {
  engine_.OnOpenBar(symbol, interval, bar);
}

void AlertPipeline::Submit(const core::Candidate& candidate) {
  if (dispatcher_ == nullptr) {
    held_.push_back(candidate);
    return;
  }
  auto result = dispatcher_->Submit(candidate);
  if (!result) {
    // Not stored, so not sent: the bar will not come again. Loud, because it is a lost alert.
    ++counters_.store_errors;
    logger_->error("could not store the alert for {} {} at {}: {}", candidate.symbol,
                   candidate.interval.Name(), core::FormatIsoUtc(candidate.bar_close_time),
                   result.error().message);
    return;
  }
  if (result->outcome == alerts::InsertOutcome::kDuplicate) {
    ++counters_.alerts_deduplicated;
    SPDLOG_LOGGER_DEBUG(logger_, "alert for {} {} at {} already stored", candidate.symbol,
                        candidate.interval.Name(), core::FormatIsoUtc(candidate.bar_close_time));
    return;
  }
  ++counters_.alerts_inserted;
  logger_->info("alert: {}", alerts::FormatAlertLine(candidate,
                                                     alerts::IsLate(candidate, clock_.NowMs())));
}

}  // namespace scanner::app
