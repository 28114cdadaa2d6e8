#pragma once
// Keeps the universe of one market current: selects it from a market snapshot (exchangeInfo +
// 24 h tickers), caches it, refreshes it every refresh_interval and reports what changed.
//
// Start():
//   - a cached universe younger than refresh_interval is published at once and the next refresh
//     is due when it turns refresh_interval old;
//   - an older cached universe is published at once too and a refresh starts now, so a REST
//     outage at start does not stop scanning;
//   - without a cache a refresh starts now and nothing is published until it succeeds.
// Each successful refresh is saved to the cache and published with its diff against the
// previous universe (the first publication lists every symbol as added). A failed refresh keeps
// the current universe and is retried with backoff (never later than refresh_interval). A
// refresh that selects nothing while a non-empty universe is current is treated as a failure
// (a glitch must not unsubscribe every stream).
//
// Fetching is injected (the app wires RestClient::GetMarketSnapshot), so this module depends
// on binance's types only. Not thread-safe: runs on the io_context thread, like its
// callbacks. The timer, clock and cache must outlive the service; a fetch completing after the
// service is destroyed is ignored.

#include <spdlog/logger.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "binance/rest_types.h"
#include "core/wake_up_timer.h"
#include "config/config.h"
#include "core/backoff.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/market.h"
#include "universe/universe.h"
#include "universe/universe_cache.h"
#include "universe/universe_diff.h"
#include "universe/universe_selector.h"

namespace scanner::universe {

struct UniverseServiceStats {
  std::int64_t refreshes = 0;  // successful
  std::int64_t failed_refreshes = 0;
  std::string last_error;  // of the last failed refresh; empty after a success
  // ticker/24hr rows left out of the snapshots fetched (MarketSnapshot::skipped_tickers), summed.
  std::int64_t ticker_rows_skipped = 0;
};

class UniverseService {
 public:
  using FetchDone = std::function<void(core::Result<binance::MarketSnapshot>)>;
  // Starts one fetch; calls `done` exactly once, later (never inside the call).
  using Fetch = std::function<void(FetchDone done)>;
  // A new current universe and what changed since the previous one.
  using OnUpdate = std::function<void(const Universe& universe, const UniverseDiff& diff)>;

  // `cache` may be null (no persistence).
  UniverseService(config::UniverseConfig config, core::Market market, Fetch fetch,
                  UniverseCache* cache, core::WakeUpTimer& timer, const core::Clock& clock,
                  OnUpdate on_update, std::shared_ptr<spdlog::logger> logger,
                  core::BackoffPolicy retry = {.initial = 10 * core::kSecond,
                                               .max = 5 * core::kMinute,
                                               .multiplier = 2.0,
                                               .jitter = 0.5});
  UniverseService(const UniverseService&) = delete;
  UniverseService& operator=(const UniverseService&) = delete;
  ~UniverseService();

  void Start();
  // Cancels the timer; a fetch in flight is ignored when it completes. Idempotent.
  void Stop();
  // Starts a refresh now unless one is running.
  void RefreshNow();

  // The universe last published, if any.
  const std::optional<Universe>& current() const { return current_; }
  bool refreshing() const { return refreshing_; }
  const UniverseServiceStats& stats() const { return stats_; }

 private:
  void OnFetched(core::Result<binance::MarketSnapshot> snapshot);
  void Publish(Universe universe);
  void ScheduleRefresh(core::Millis at);

  UniverseSelector selector_;
  core::Market market_;
  core::Millis refresh_interval_;
  Fetch fetch_;
  UniverseCache* cache_;
  core::WakeUpTimer& timer_;
  const core::Clock& clock_;
  OnUpdate on_update_;
  std::shared_ptr<spdlog::logger> logger_;
  core::Backoff backoff_;
  std::optional<Universe> current_;
  bool refreshing_ = false;
  bool stopped_ = false;
  UniverseServiceStats stats_;
  // Held weakly by fetch callbacks: they do nothing once the service is gone.
  std::shared_ptr<UniverseService*> self_;
};

}  // namespace scanner::universe
