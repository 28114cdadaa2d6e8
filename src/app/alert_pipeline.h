#pragma once
// AlertPipeline: the live scanner's path from a closed bar to the alert outbox --
// signals::SignalEngine (cooldown remembered in the alert database) and then
// alerts::AlertDispatcher::Submit, which stores the alert under UNIQUE (symbol, interval,
// bar_close_time) before anything is sent.
//
// Which bars may alert, by where they came from (binance::BarOrigin):
//   - stream bars and REST gap-fill bars: always (a bar that closed during an outage is a real
//     move; it is flagged late when it reaches Discord more than two bar lengths after its close);
//   - warm-up bars: only when they closed at most `catch_up` before now. Older warm-up bars prime
//     the indicators, and a candidate they raise is dropped (counted). This lets a restart alert
//     the bars that closed while the scanner was down, while the database's UNIQUE key and the
//     cooldown (read from the same database) keep anything already alerted from going out twice.
//
// While the dispatcher is being replaced (a routes reload), candidates wait in a small queue and
// are submitted, in order, to the next dispatcher handed to SetDispatcher.
//
// Not thread-safe: the event-loop thread. The engine, cooldown, dispatcher and clock must
// outlive the pipeline (or be replaced first).

#include <cstdint>
#include <memory>
#include <vector>

#include "alerts/alert_dispatcher.h"
#include "binance/gap_filler.h"
#include "core/candidate.h"
#include "core/clock.h"
#include "replay/alert_store_cooldown.h"
#include "signals/signal_engine.h"

namespace spdlog {
class logger;
}

namespace scanner::app {

struct AlertPipelineCounters {
  std::uint64_t bars_evaluated = 0;  // closed bars handed to the signal engine
  std::uint64_t warm_up_bars = 0;    // of which warm-up bars
  std::uint64_t candidates = 0;      // candidates the engine raised (any origin)
  std::uint64_t warm_up_candidates_dropped = 0;  // raised by warm-up bars older than catch_up
  std::uint64_t alerts_inserted = 0;
  std::uint64_t alerts_deduplicated = 0;  // the database already held the key
  std::uint64_t store_errors = 0;         // inserts (or cooldown reads) that failed
};

class AlertPipeline {
 public:
  AlertPipeline(signals::SignalEngine& engine, replay::AlertStoreCooldown& cooldown,
                const core::Clock& clock, core::Millis catch_up,
                std::shared_ptr<spdlog::logger> logger);
  AlertPipeline(const AlertPipeline&) = delete;
  AlertPipeline& operator=(const AlertPipeline&) = delete;

  // Null: hold candidates until a dispatcher is set again.
  void SetDispatcher(alerts::AlertDispatcher* dispatcher);
  void SetCatchUp(core::Millis catch_up) { catch_up_ = catch_up; }

  void OnClosedBar(const core::Symbol& symbol, core::Interval interval, const core::Bar& bar,
                   binance::BarOrigin origin);
  void OnOpenBar(const core::Symbol& symbol, core::Interval interval, const core::Bar& bar);

  const AlertPipelineCounters& counters() const { return counters_; }
  std::size_t held_candidates() const { return held_.size(); }

 private:
  void Submit(const core::Candidate& candidate);

  signals::SignalEngine& engine_;
  replay::AlertStoreCooldown& cooldown_;
  const core::Clock& clock_;
  core::Millis catch_up_;
  std::shared_ptr<spdlog::logger> logger_;
  alerts::AlertDispatcher* dispatcher_ = nullptr;
  std::vector<core::Candidate> held_;
  AlertPipelineCounters counters_;
  bool cooldown_error_logged_ = false;
};

}  // namespace scanner::app
