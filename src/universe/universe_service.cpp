#include "universe/universe_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace scanner::universe {

UniverseService::UniverseService(config::UniverseConfig config, core::Market market, Fetch fetch,
                                 UniverseCache* cache, core::WakeUpTimer& timer,
                                 const core::Clock& clock, OnUpdate on_update,
                                 std::shared_ptr<spdlog::logger> logger, core::BackoffPolicy retry)
    : selector_(config, market),
      market_(market),
      refresh_interval_(std::max<core::Millis>(config.refresh_interval, core::kSecond)),
      fetch_(std::move(fetch)),
      cache_(cache),
      timer_(timer),
      clock_(clock),
      on_update_(std::move(on_update)),
      logger_(std::move(logger)),
      backoff_(retry, static_cast<std::uint64_t>(clock.NowMs())),
      self_(std::make_shared<UniverseService*>(this)) {}

UniverseService::~UniverseService() { Stop(); }

void UniverseService::Start() {
  stopped_ = false;
  const core::Millis now = clock_.NowMs();
  std::optional<CachedUniverse> cached;
  if (cache_ != nullptr) {
    auto loaded = cache_->Load(market_, now);
    if (!loaded) {
      if (logger_) logger_->warn("{}; fetching the universe from Binance", loaded.error().message);
    } else {
      cached = std::move(*loaded);
    }
  }
  if (!cached) {
    RefreshNow();
    return;
  }
  if (logger_) {
    logger_->info("{} universe: {} cached symbols, {} old ({})", core::MarketName(market_),
                  cached->universe.symbols.size(),
                  core::FormatDuration(std::max<core::Millis>(cached->age, 0)),
                  cached->fresh ? "fresh" : "stale, refreshing");
  }
  const bool fresh = cached->fresh;
  const core::Millis due = cached->universe.fetched_at + refresh_interval_;
  Publish(std::move(cached->universe));
  if (fresh) {
    ScheduleRefresh(due);
  } else {
    RefreshNow();
  }
}

void UniverseService::Stop() {
  stopped_ = true;
  timer_.Cancel();
}

void UniverseService::RefreshNow() {
  if (stopped_ || refreshing_) return;
  refreshing_ = true;
  timer_.Cancel();
  fetch_([self = std::weak_ptr<UniverseService*>(self_)](
             core::Result<binance::MarketSnapshot> snapshot) {
    if (auto service = self.lock()) (*service)->OnFetched(std::move(snapshot));
  });
}

void UniverseService::OnFetched(core::Result<binance::MarketSnapshot> snapshot) {
  refreshing_ = false;
  if (stopped_) return;
  const core::Millis now = clock_.NowMs();

  std::optional<std::string> failure;
  Universe universe;
  if (!snapshot) {
    failure = snapshot.error().message;
  } else {
    stats_.ticker_rows_skipped +=
        static_cast<std::int64_t>(binance::CountSkipped(snapshot->skipped_tickers));
    Selection selection = selector_.Select(snapshot->exchange_info.symbols, snapshot->tickers);
    universe.market = market_;
    universe.fetched_at = snapshot->fetched_at != 0 ? snapshot->fetched_at : now;
    universe.symbols = std::move(selection.symbols);
    if (universe.symbols.empty() && current_ && !current_->symbols.empty()) {
      failure = "the refresh selected no symbol at all; keeping the current universe";
    }
  }

  if (failure) {
    ++stats_.failed_refreshes;
    stats_.last_error = *failure;
    const core::Millis retry_at = std::min(now + backoff_.NextDelay(), now + refresh_interval_);
    if (logger_) {
      logger_->warn(
          "{} universe refresh failed: {}; {}; retrying at {}", core::MarketName(market_), *failure,
          current_ ? fmt::format("scanning the {} symbols of {}", current_->symbols.size(),
                                 core::FormatIsoUtc(current_->fetched_at))
                   : std::string("no universe yet"),
          core::FormatIsoUtc(retry_at));
    }
    ScheduleRefresh(retry_at);
    return;
  }

  ++stats_.refreshes;
  stats_.last_error.clear();
  backoff_.Reset();
  if (cache_ != nullptr) {
    if (auto saved = cache_->Save(universe); !saved && logger_) {
      logger_->warn("{}", saved.error().message);
    }
  }
  Publish(std::move(universe));
  ScheduleRefresh(now + refresh_interval_);
}

void UniverseService::Publish(Universe universe) {
  const UniverseDiff diff = DiffUniverses(current_ ? *current_ : Universe{}, universe);
  current_ = std::move(universe);
  if (logger_) {
    logger_->info("{} universe: {} symbols (+{} -{})", core::MarketName(market_),
                  current_->symbols.size(), diff.added.size(), diff.removed.size());
  }
  if (on_update_) on_update_(*current_, diff);
}

void UniverseService::ScheduleRefresh(core::Millis at) {
  if (stopped_) return;
  timer_.WakeAt(at, [this] { RefreshNow(); });
}

}  // namespace scanner::universe
