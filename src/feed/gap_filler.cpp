#include "feed/gap_filler.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace scanner::feed {
namespace {

constexpr core::Millis kWarningInterval = 10 * core::kSecond;

}  // namespace

KlinesFetch KlinesFetchFrom(binance::RestClient& client) {
  return [&client](binance::KlinesQuery query, KlinesDone done) {
    client.GetKlines(std::move(query),
                     [done = std::move(done)](binance::RestResult<std::vector<core::Bar>> bars) {
                       if (bars) {
                         done(std::move(*bars));
                       } else {
                         done(std::unexpected(bars.error().ToError()));
                       }
                     });
  };
}

GapFiller::GapFiller(market::WindowSet& windows, KlinesFetch fetch, core::WakeUpTimer& timer,
                     const core::Clock& clock, GapFillerOptions options,
                     GapFillerCallbacks callbacks, std::shared_ptr<spdlog::logger> logger)
    : windows_(windows),
      fetch_(std::move(fetch)),
      timer_(timer),
      clock_(clock),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      logger_(std::move(logger)),
      scheduler_(options_.max_in_flight, options_.request_spacing),
      self_(std::make_shared<GapFiller*>(this)) {
  position_.fill(-1);
  const auto intervals = windows_.Intervals();
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    position_[intervals[i].Index()] = static_cast<int>(i);
  }
}

GapFiller::~GapFiller() {
  Stop();
  self_.reset();
}

void GapFiller::Stop() {
  stopped_ = true;
  timer_.Cancel();
}

bool GapFiller::IsWarm(std::string_view symbol, core::Interval interval) const {
  const auto found = symbols_.find(symbol);
  const int index = position_[interval.Index()];
  if (found == symbols_.end() || index < 0) return false;
  return found->second->series[static_cast<std::size_t>(index)].warm;
}

// ---- symbols ---------------------------------------------------------------------------------

bool GapFiller::AddSymbol(std::string_view symbol) {
  if (emitting_) {
    logger_->error("gap filler: AddSymbol({}) from a bar callback refused", symbol);
    return false;
  }
  if (symbols_.contains(symbol) || !windows_.AddSymbol(symbol)) return false;
  auto entry = std::make_unique<Entry>();
  entry->symbol = std::string(symbol);
  entry->id = next_id_++;
  const auto intervals = windows_.Intervals();
  entry->series.reserve(intervals.size());
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    Series series(intervals[i], windows_.Find(symbol, intervals[i]),
                  core::Backoff(options_.retry, options_.seed + entry->id * 31 + i));
    if (options_.warm_up_bars == 0) {
      series.warm = true;
      ++stats_.series_warm;
    } else {
      series.queued = true;
      series.warming = true;
      scheduler_.Enqueue(KeyOf(*entry, i), FetchScheduler::Priority::kBackground);
    }
    entry->series.push_back(std::move(series));
  }
  entry->warm = options_.warm_up_bars == 0;
  stats_.series += intervals.size();
  by_id_.emplace(entry->id, entry.get());
  symbols_.emplace(entry->symbol, std::move(entry));
  if (!stopped_) Pump(clock_.NowMs());
  return true;
}

bool GapFiller::RemoveSymbol(std::string_view symbol) {
  if (emitting_) {
    logger_->error("gap filler: RemoveSymbol({}) from a bar callback refused", symbol);
    return false;
  }
  const auto found = symbols_.find(symbol);
  if (found == symbols_.end()) return false;
  Entry& entry = *found->second;
  for (std::size_t i = 0; i < entry.series.size(); ++i) {
    const Series& series = entry.series[i];
    if (series.queued) scheduler_.Remove(KeyOf(entry, i));  // in flight: ignored on completion
    if (series.warm) --stats_.series_warm;
  }
  stats_.series -= entry.series.size();
  by_id_.erase(entry.id);
  windows_.RemoveSymbol(symbol);
  symbols_.erase(found);
  return true;
}

void GapFiller::Rewarm(std::size_t warm_up_bars) {
  if (emitting_) {
    logger_->error("gap filler: Rewarm from a bar callback refused");
    return;
  }
  ++stats_.rewarms;
  options_.warm_up_bars = warm_up_bars;
  std::vector<core::Symbol> symbols;
  symbols.reserve(symbols_.size());
  for (const auto& [symbol, entry] : symbols_) symbols.push_back(symbol);
  for (const core::Symbol& symbol : symbols) RemoveSymbol(symbol);
  for (const core::Symbol& symbol : symbols) AddSymbol(symbol);
  logger_->info("gap filler: {} symbol(s) warm up again with {} bars per window", symbols.size(),
                warm_up_bars);
}

GapFiller::Series* GapFiller::Find(std::uint64_t key, Entry** entry) {
  const auto found = by_id_.find(key / 32);
  if (found == by_id_.end()) return nullptr;
  const std::size_t index = key % 32;
  if (index >= found->second->series.size()) return nullptr;
  *entry = found->second;
  return &found->second->series[index];
}

// ---- the window path -------------------------------------------------------------------------

market::ApplyOutcome GapFiller::Apply(Series& series, const core::Bar& bar,
                                      core::Millis update_time) {
  const market::ApplyOutcome outcome = series.window->Apply(bar, update_time);
  switch (outcome) {
    case market::ApplyOutcome::kDuplicate:
      ++stats_.duplicate_bars;
      break;
    case market::ApplyOutcome::kStale:
      ++stats_.stale_bars;
      break;
    case market::ApplyOutcome::kInvalid:
      ++stats_.invalid_bars;
      break;
    default:
      break;
  }
  return outcome;
}

void GapFiller::TakeFresh(Series& series, std::vector<core::Bar>& out) {
  if (!series.warm || !series.window->IsWhole()) return;
  const market::BarWindow& window = *series.window;
  std::size_t fresh = 0;
  while (fresh < window.Size() &&
         (!series.emitted || window.FromNewest(fresh).open_time > *series.emitted)) {
    ++fresh;
  }
  if (fresh == 0) return;
  for (std::size_t i = window.Size() - fresh; i < window.Size(); ++i) out.push_back(window[i]);
  series.emitted = out.back().open_time;
  stats_.closed_bars_emitted += fresh;
}

void GapFiller::Emit(const Entry& entry, core::Interval interval, const core::Bar& bar,
                     market::BarOrigin origin) {
  if (!callbacks_.on_closed_bar) return;
  emitting_ = true;
  callbacks_.on_closed_bar(entry.symbol, interval, bar, origin);
  emitting_ = false;
}

bool GapFiller::Refuse(const Entry& entry, const Series& series, const core::Bar& bar,
                       std::string_view source) {
  const std::optional<market::BarDefect> defect = market::CheckBar(bar, series.interval);
  if (!defect) return false;
  const auto index = static_cast<std::size_t>(*defect);
  ++stats_.refused_bars[index];
  if ((logged_defects_ & (1u << index)) == 0) {
    logged_defects_ |= 1u << index;
    logger_->warn(
        "{} kline refused ({}): {} {} opened {} closes {}, open {} high {} low {} close {} "
        "quote volume {}; further ones are only counted (scanner_bars_refused_total)",
        source, market::BarDefectName(*defect), entry.symbol, series.interval.Name(), bar.open_time,
        bar.close_time, bar.open, bar.high, bar.low, bar.close, bar.quote_volume);
  }
  return true;
}

void GapFiller::Release(const Entry& entry, Series& series, market::BarOrigin origin) {
  if (!entry.warm) return;
  // Copied first: the window must not be read while the consumer runs.
  std::vector<core::Bar> bars = std::move(scratch_);
  bars.clear();
  TakeFresh(series, bars);
  for (const core::Bar& bar : bars) Emit(entry, series.interval, bar, origin);
  scratch_ = std::move(bars);
}

void GapFiller::ReleaseWarmUp(Entry& entry) {
  struct Released {
    core::Bar bar;
    core::Interval interval;
  };
  std::vector<Released> merged;
  std::vector<core::Bar> bars;
  for (Series& series : entry.series) {
    bars.clear();
    TakeFresh(series, bars);
    for (const core::Bar& bar : bars) merged.push_back(Released{bar, series.interval});
  }
  std::stable_sort(merged.begin(), merged.end(), [](const Released& a, const Released& b) {
    if (a.bar.close_time != b.bar.close_time) return a.bar.close_time < b.bar.close_time;
    return a.interval > b.interval;
  });
  for (const Released& released : merged) {
    Emit(entry, released.interval, released.bar, market::BarOrigin::kWarmUp);
  }
}

void GapFiller::OnStreamBar(std::string_view symbol, core::Interval interval, const core::Bar& bar,
                            core::Millis event_time) {
  const auto found = symbols_.find(symbol);
  const int index = position_[interval.Index()];
  if (found == symbols_.end() || index < 0) {
    ++stats_.unknown_series;
    return;
  }
  Entry& entry = *found->second;
  Series& series = entry.series[static_cast<std::size_t>(index)];
  if (Refuse(entry, series, bar, "stream")) return;
  if (!series.warm) {
    if (!bar.closed) {
      if (!series.buffered_open || bar.open_time >= series.buffered_open->open_time) {
        series.buffered_open = bar;
      }
    } else {
      if (series.buffered.size() >= std::max<std::size_t>(options_.max_buffered_bars, 1)) {
        series.buffered.erase(series.buffered.begin());
        ++stats_.buffer_overflows;
      }
      series.buffered.push_back(bar);
    }
    return;
  }
  const market::ApplyOutcome outcome = Apply(series, bar, event_time);
  if (outcome == market::ApplyOutcome::kGapDetected) ++stats_.gaps_detected;
  // An open bar is stored when it updates the forming bar, and also when it is the first sign
  // of missing bars (kGapDetected).
  const bool open_stored = !bar.closed && (outcome == market::ApplyOutcome::kOpenUpdated ||
                                           outcome == market::ApplyOutcome::kGapDetected);
  // Forming bars too wait for the symbol's warm-up: its history is evaluated as a replay would,
  // without one.
  if (open_stored && entry.warm && callbacks_.on_open_bar) {
    ++stats_.open_bars_emitted;
    emitting_ = true;
    callbacks_.on_open_bar(entry.symbol, series.interval, bar);
    emitting_ = false;
  }
  Release(entry, series, market::BarOrigin::kStream);
  if (!series.window->IsWhole()) {
    const core::Millis now = clock_.NowMs();
    CheckGap(entry, series, now);
    if (series.queued) Pump(now);
  }
}

// ---- deciding to fetch -----------------------------------------------------------------------

void GapFiller::CheckGap(const Entry& entry, Series& series, core::Millis now) {
  if (!series.warm || series.queued || series.in_flight) return;
  const std::optional<market::GapRange> gap = series.window->PendingGap();
  if (!gap) return;
  // A closed bar beyond the hole, or more than one bar missing: the stream skipped them and will
  // not send them. One bar missing before the open bar may still come (a late final message):
  // the expected-close check fetches it after stale_after.
  const bool skipped =
      series.window->HeldCount() > 0 || gap->to - gap->from > series.interval.DurationMs();
  if (skipped) RequestFill(entry, series, FillReason::kStreamGap, now);
}

void GapFiller::RequestFill(const Entry& entry, Series& series, FillReason reason,
                            core::Millis now) {
  if (stopped_ || !series.warm || series.queued || series.in_flight) return;
  switch (reason) {
    case FillReason::kStreamGap:
      ++stats_.stream_gap_fills;
      break;
    case FillReason::kResume:
      ++stats_.resume_fills;
      break;
    case FillReason::kLateBar:
      ++stats_.late_bar_fills;
      break;
  }
  series.queued = true;
  series.warming = false;
  series.progress = false;
  series.page_from = -1;
  const auto index = static_cast<std::size_t>(&series - entry.series.data());
  scheduler_.Enqueue(KeyOf(entry, index), FetchScheduler::Priority::kUrgent,
                     series.retry_at > now ? series.retry_at : 0);
}

void GapFiller::OnResumed(std::span<const core::Symbol> symbols) {
  const core::Millis now = clock_.NowMs();
  for (const core::Symbol& symbol : symbols) {
    const auto found = symbols_.find(symbol);
    if (found == symbols_.end()) continue;
    Entry& entry = *found->second;
    for (Series& series : entry.series) {
      const core::Bar* newest = series.window->NewestClosed();
      const bool missed =
          newest != nullptr && newest->close_time + series.interval.DurationMs() < now;
      if (missed || !series.window->IsWhole()) {
        RequestFill(entry, series, FillReason::kResume, now);
      }
    }
  }
  Pump(now);
}

void GapFiller::CheckExpected(core::Millis now) {
  next_check_ = FetchScheduler::kNever;
  for (auto& [symbol, entry] : symbols_) {
    for (Series& series : entry->series) {
      if (!series.warm || series.queued || series.in_flight) continue;
      const core::Bar* newest = series.window->NewestClosed();
      if (newest == nullptr) continue;
      // The next bar closes at newest close + duration; the stream had stale_after more.
      const core::Millis due =
          newest->close_time + series.interval.DurationMs() + options_.stale_after;
      if (now >= due) {
        RequestFill(*entry, series, FillReason::kLateBar, now);
      } else {
        next_check_ = std::min(next_check_, due);
      }
    }
  }
}

// ---- fetching --------------------------------------------------------------------------------

void GapFiller::Pump(core::Millis now) {
  if (stopped_) return;
  if (now >= next_check_) CheckExpected(now);
  while (const std::optional<std::uint64_t> key = scheduler_.Next(now)) StartFetch(*key, now);
  const core::Millis next = std::min(scheduler_.NextStartTime(now), next_check_);
  if (next == FetchScheduler::kNever) {
    timer_.Cancel();
    return;
  }
  timer_.WakeAt(std::max(next, now + 1), [weak = std::weak_ptr<GapFiller*>(self_)] {
    if (auto self = weak.lock()) (*self)->Pump((*self)->clock_.NowMs());
  });
}

void GapFiller::StartFetch(std::uint64_t key, core::Millis now) {
  Entry* entry = nullptr;
  Series* series = Find(key, &entry);
  if (series == nullptr) {
    scheduler_.Finished();
    return;
  }
  series->queued = false;
  series->in_flight = true;
  const core::Millis duration = series->interval.DurationMs();
  core::Millis from = series->page_from;
  if (from < 0 && series->warming) {
    from = series->interval.AddBars(now, -static_cast<std::int64_t>(options_.warm_up_bars));
  } else if (from < 0) {
    const core::Bar* newest = series->window->NewestClosed();
    from = newest != nullptr ? newest->close_time + 1 : series->interval.AddBars(now, -1);
  }
  // Bars opening in [from, now], plus one for a boundary crossed meanwhile.
  const core::Millis wanted = std::max<core::Millis>((now - from) / duration + 2, 1);
  const int limit =
      static_cast<int>(std::min<core::Millis>(wanted, binance::MaxKlinesLimit(options_.market)));
  binance::KlinesQuery query;
  query.symbol = entry->symbol;
  query.interval = series->interval;
  query.start_time = from;
  query.limit = limit;
  ++(series->warming ? stats_.warm_up_requests : stats_.gap_fill_requests);
  logger_->debug("gap filler: {} {} {} from {} (limit {})", series->warming ? "warm-up" : "fill",
                 entry->symbol, series->interval.Name(), from, limit);
  fetch_(std::move(query), [weak = std::weak_ptr<GapFiller*>(self_), key, limit,
                            from](core::Result<std::vector<core::Bar>> result) {
    if (auto self = weak.lock()) (*self)->OnFetched(key, limit, from, std::move(result));
  });
}

void GapFiller::OnFetched(std::uint64_t key, int limit, core::Millis from,
                          core::Result<std::vector<core::Bar>> result) {
  scheduler_.Finished();
  if (stopped_) return;
  const core::Millis now = clock_.NowMs();
  Entry* entry = nullptr;
  Series* series = Find(key, &entry);
  if (series == nullptr) {  // the symbol left the universe meanwhile
    Pump(now);
    return;
  }
  series->in_flight = false;
  const auto priority =
      series->warming ? FetchScheduler::Priority::kBackground : FetchScheduler::Priority::kUrgent;
  if (!result) {
    ++stats_.failed_requests;
    series->retry_at = now + series->backoff.NextDelay();
    WarnRateLimited(fmt::format("gap filler: klines {} {}: {}", entry->symbol,
                                series->interval.Name(), result.error().message),
                    now);
    series->queued = true;
    series->page_from = from;  // the same page again
    scheduler_.Enqueue(key, priority, series->retry_at);
    Pump(now);
    return;
  }

  std::vector<core::Bar>& bars = *result;
  const std::size_t answered = bars.size();  // a full page means more may follow
  // Refused bars are dropped first: what is left is what Binance usably has.
  std::erase_if(bars, [&](const core::Bar& bar) { return Refuse(*entry, *series, bar, "REST"); });
  const auto first_closed =
      std::find_if(bars.begin(), bars.end(), [](const core::Bar& bar) { return bar.closed; });
  const core::Bar* newest = series->window->NewestClosed();
  if (!series->warming && first_closed != bars.end() && first_closed->open_time > from &&
      newest != nullptr && newest->close_time + 1 == from) {
    // Binance has no bar in [from, first): a hole nobody can fill. Start over after it.
    ++stats_.exchange_holes;
    logger_->info(
        "gap filler: {} {} has no bars from {} to {} on the exchange; the window "
        "restarts after the hole",
        entry->symbol, series->interval.Name(), from, first_closed->open_time);
    series->window->Clear();
  }
  std::optional<core::Millis> last_close;
  for (const core::Bar& bar : bars) {
    if (!bar.closed) continue;  // the forming bar: never stored as closed
    ++stats_.bars_fetched;
    if (market::ChangedWindow(Apply(*series, bar, now))) {
      ++stats_.bars_filled;
      series->progress = true;
    }
    last_close = bar.close_time;
  }

  const core::Millis duration = series->interval.DurationMs();
  const bool more =
      answered >= static_cast<std::size_t>(limit) && last_close && *last_close + duration < now;
  if (more) {
    series->queued = true;
    series->page_from = *last_close + 1;
    scheduler_.Enqueue(key, priority);
  } else if (series->warming) {
    FinishWarmUp(*entry, *series, now);
  } else {
    series->page_from = -1;
    if (series->progress) {
      series->backoff.Reset();
      series->retry_at = 0;
    } else {
      series->retry_at = now + series->backoff.NextDelay();
    }
    Release(*entry, *series, market::BarOrigin::kRest);
    CheckGap(*entry, *series, now);
  }
  next_check_ = std::min(next_check_, now);  // this window's expected bar is checked again
  Pump(now);
}

void GapFiller::FinishWarmUp(Entry& entry, Series& series, core::Millis now) {
  series.warm = true;
  series.warming = false;
  series.page_from = -1;
  series.backoff.Reset();
  ++stats_.series_warm;
  for (const core::Bar& bar : series.buffered) Apply(series, bar, now);
  series.buffered.clear();
  series.buffered.shrink_to_fit();
  if (series.buffered_open) Apply(series, *series.buffered_open, now);
  series.buffered_open.reset();
  if (!entry.warm && std::all_of(entry.series.begin(), entry.series.end(),
                                 [](const Series& s) { return s.warm; })) {
    entry.warm = true;
    ReleaseWarmUp(entry);
  }
  CheckGap(entry, series, now);
}

void GapFiller::WarnRateLimited(const std::string& message, core::Millis now) {
  if (last_warning_ms_ != 0 && now - last_warning_ms_ < kWarningInterval) {
    ++suppressed_warnings_;
    logger_->debug("{}", message);
    return;
  }
  if (suppressed_warnings_ > 0) {
    logger_->warn("{} ({} similar warnings suppressed)", message, suppressed_warnings_);
  } else {
    logger_->warn("{}", message);
  }
  last_warning_ms_ = now;
  suppressed_warnings_ = 0;
}

}  // namespace scanner::feed
