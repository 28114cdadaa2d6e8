#include "signals/signal_engine.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace scanner::signals {
namespace {

// Closed bars per series kept for confirmations: enough for a series that was gap-filled a few
// bars behind the one it confirms (four hours of 1h bars, two of 15m).
constexpr std::size_t kConfirmHistory = 8;

// The way a bar moved, for confirmations.
std::optional<core::Direction> BarMove(const core::Bar& bar) {
  if (!std::isfinite(bar.open) || !std::isfinite(bar.close)) return std::nullopt;
  if (bar.close > bar.open) return core::Direction::kUp;
  if (bar.close < bar.open) return core::Direction::kDown;
  return std::nullopt;
}

bool DirectionAllowed(DirectionFilter filter, core::Direction direction) {
  switch (filter) {
    case DirectionFilter::kUp:
      return direction == core::Direction::kUp;
    case DirectionFilter::kDown:
      return direction == core::Direction::kDown;
    case DirectionFilter::kBoth:
      return true;
  }
  return false;
}

}  // namespace

struct SignalEngine::Series {
  Series(const core::Symbol& name, core::Interval period, const IndicatorWindows& windows)
      : symbol(name), interval(period), indicators(windows) {}

  core::Symbol symbol;  // for the filters that ask by name, on the rare bars that reach them
  core::Interval interval;
  SeriesIndicators indicators;
  // The last closed bar accepted (the idempotence and continuity reference).
  bool has_closed = false;
  core::Millis closed_open_time = 0;
  core::Millis closed_close_time = 0;
  std::optional<core::Direction> closed_move;
  // The last kConfirmHistory closed bars (the newest at `recent_next - 1`), for confirmations
  // of bars that closed before the newest one.
  struct Recent {
    core::Millis open_time = 0;
    core::Millis close_time = 0;
    std::optional<core::Direction> move;
  };
  std::array<Recent, kConfirmHistory> recent{};
  std::size_t recent_count = 0;
  std::size_t recent_next = 0;

  void Remember(core::Millis open_time, core::Millis close_time,
                std::optional<core::Direction> move) {
    recent[recent_next] = Recent{open_time, close_time, move};
    recent_next = (recent_next + 1) % kConfirmHistory;
    recent_count = std::min(recent_count + 1, kConfirmHistory);
  }
  // The latest open bar, meaningful only while newer than the last closed one.
  bool has_open = false;
  core::Millis open_open_time = 0;
  core::Millis open_close_time = 0;
  std::optional<core::Direction> open_move;
};

core::Result<std::unique_ptr<SignalEngine>> SignalEngine::Create(SignalSettings settings,
                                                                 Dependencies dependencies) {
  if (auto status = ValidateSignalSettings(settings); !status) {
    return std::unexpected(status.error());
  }
  return std::unique_ptr<SignalEngine>(new SignalEngine(std::move(settings), dependencies));
}

SignalEngine::SignalEngine(SignalSettings settings, Dependencies dependencies)
    : settings_(std::move(settings)),
      owned_cooldown_store_(
          dependencies.cooldown_store ? nullptr : std::make_unique<InMemoryCooldownStore>()),
      cooldown_store_(dependencies.cooldown_store ? dependencies.cooldown_store
                                                  : owned_cooldown_store_.get()),
      quote_volumes_(dependencies.quote_volumes),
      confirmations_(dependencies.confirmations ? dependencies.confirmations : this) {}

SignalEngine::~SignalEngine() = default;

SignalEngine::SeriesHandle SignalEngine::Resolve(const core::Symbol& symbol,
                                                 core::Interval interval) {
  return SeriesHandle(&FindOrCreate(symbol, interval));
}

std::optional<core::Candidate> SignalEngine::OnClosedBar(const core::Symbol& symbol,
                                                         core::Interval interval,
                                                         const core::Bar& bar) {
  return OnClosedBar(Resolve(symbol, interval), bar);
}

std::optional<core::Candidate> SignalEngine::OnClosedBar(SeriesHandle handle,
                                                         const core::Bar& bar) {
  Series& series = *handle.series_;
  if (series.has_closed && bar.open_time <= series.closed_open_time) {
    ++counters_.stale_bars;
    return std::nullopt;
  }
  if (series.has_closed && bar.open_time != series.closed_close_time + 1) {
    ++counters_.gaps;
    series.indicators.Reset();
  }
  series.has_closed = true;
  series.closed_open_time = bar.open_time;
  series.closed_close_time = bar.close_time;
  series.closed_move = BarMove(bar);

  if (!IsUsableBar(bar)) {
    ++counters_.unusable_bars;
    series.indicators.Reset();
    series.closed_move.reset();
    series.Remember(bar.open_time, bar.close_time, std::nullopt);
    return std::nullopt;
  }
  series.Remember(bar.open_time, bar.close_time, series.closed_move);
  const IndicatorValues& values = series.indicators.Update(bar);
  ++counters_.closed_bars_evaluated;
  return Evaluate(series, bar, values);
}

void SignalEngine::OnOpenBar(const core::Symbol& symbol, core::Interval interval,
                             const core::Bar& bar) {
  Series& series = FindOrCreate(symbol, interval);
  if (series.has_closed && bar.open_time <= series.closed_open_time) return;
  if (series.has_open && bar.open_time < series.open_open_time) return;
  series.has_open = true;
  series.open_open_time = bar.open_time;
  series.open_close_time = bar.close_time;
  series.open_move = BarMove(bar);
  ++counters_.open_bars;
}

core::Status SignalEngine::UpdateSettings(SignalSettings settings) {
  if (auto status = ValidateSignalSettings(settings); !status) return status;
  if (settings.windows != settings_.windows) {
    // Every series starts afresh, its history included: the bars it already took may be fed
    // again (the service refetches the history for the new windows) and must not be ignored
    // as already seen.
    for (auto& [symbol, slots] : series_) {
      for (auto& series : slots) {
        if (series) *series = Series(series->symbol, series->interval, settings.windows);
      }
    }
  }
  settings_ = std::move(settings);
  return {};
}

const SeriesIndicators* SignalEngine::Indicators(const core::Symbol& symbol,
                                                 core::Interval interval) const {
  const Series* series = Find(symbol, interval);
  return series ? &series->indicators : nullptr;
}

std::optional<core::Direction> SignalEngine::LatestMove(const core::Symbol& symbol,
                                                        core::Interval interval,
                                                        core::Millis as_of) const {
  const Series* series = Find(symbol, interval);
  if (!series) return std::nullopt;
  // The bar that was current at `as_of`: the newest one that had opened by then. A bar opened
  // later is the future of the bar being confirmed (a gap-filled bar behind the stream).
  auto current = [&](core::Millis close_time,
                     std::optional<core::Direction> move) -> std::optional<core::Direction> {
    // Current means still open at `as_of`, or closed no more than one interval before it.
    if (close_time + interval.DurationMs() < as_of) return std::nullopt;
    return move;
  };
  const bool open_is_latest =
      series->has_open &&
      (!series->has_closed || series->open_open_time > series->closed_open_time);
  if (open_is_latest && series->open_open_time <= as_of) {
    return current(series->open_close_time, series->open_move);
  }
  for (std::size_t i = 0; i < series->recent_count; ++i) {
    const Series::Recent& bar =
        series->recent[(series->recent_next + kConfirmHistory - 1 - i) % kConfirmHistory];
    if (bar.open_time <= as_of) return current(bar.close_time, bar.move);
  }
  return std::nullopt;
}

std::size_t SignalEngine::WarmSeriesCount() const {
  std::size_t warm = 0;
  for (const auto& [symbol, slots] : series_) {
    for (const auto& series : slots) {
      if (!series) continue;
      const IndicatorValues& latest = series->indicators.Latest();
      if (latest.momentum && latest.return_z && latest.volume_z) ++warm;
    }
  }
  return warm;
}

std::size_t SignalEngine::RemoveSymbol(const core::Symbol& symbol) {
  auto it = series_.find(symbol);
  if (it == series_.end()) return 0;
  const std::size_t removed = static_cast<std::size_t>(std::count_if(
      it->second.begin(), it->second.end(), [](const auto& slot) { return slot != nullptr; }));
  series_.erase(it);
  series_count_ -= removed;
  return removed;
}

SignalEngine::Series& SignalEngine::FindOrCreate(const core::Symbol& symbol,
                                                 core::Interval interval) {
  // try_emplace copies the symbol only when it inserts.
  std::unique_ptr<Series>& slot = series_.try_emplace(symbol).first->second[interval.Index()];
  if (!slot) {
    slot = std::make_unique<Series>(symbol, interval, settings_.windows);
    ++series_count_;
  }
  return *slot;
}

const SignalEngine::Series* SignalEngine::Find(const core::Symbol& symbol,
                                               core::Interval interval) const {
  auto it = series_.find(symbol);
  if (it == series_.end()) return nullptr;
  return it->second[interval.Index()].get();
}

std::optional<core::Candidate> SignalEngine::Evaluate(const Series& series, const core::Bar& bar,
                                                      const IndicatorValues& values) {
  const FilterSwitches& filters = settings_.filters;
  const bool need_volume_z = filters.warm || filters.volume_z;
  const bool need_return_z = filters.warm || filters.return_z;
  if (!values.momentum || !values.atr_before || !values.change_percent ||
      (need_volume_z && !values.volume_z) || (need_return_z && !values.return_z)) {
    ++counters_.not_warm;
    return std::nullopt;
  }

  const double move = *values.momentum;
  if (!(std::fabs(move) <= kMaxAbsScore) ||
      !(std::fabs(values.return_z.value_or(0)) <= kMaxAbsScore) ||
      !(std::fabs(values.volume_z.value_or(0)) <= kMaxAbsScore)) {
    ++counters_.suppressed_absurd;
    return std::nullopt;
  }
  if (move == 0 || (filters.atr_move && std::fabs(move) < settings_.min_atr_move)) {
    ++counters_.suppressed_atr_move;
    return std::nullopt;
  }
  const double min_change = settings_.MinChangePercent(series.interval);
  if (filters.min_change && min_change > 0 && std::fabs(*values.change_percent) < min_change) {
    ++counters_.suppressed_min_change;
    return std::nullopt;
  }
  const core::Direction direction = move > 0 ? core::Direction::kUp : core::Direction::kDown;
  if (!DirectionAllowed(settings_.direction, direction)) {
    ++counters_.suppressed_direction;
    return std::nullopt;
  }

  const double volume_z = values.volume_z.value_or(0);
  if (filters.volume_z && volume_z < settings_.min_volume_z) {
    ++counters_.suppressed_volume_z;
    return std::nullopt;
  }
  const double return_z = values.return_z.value_or(0);
  // The bar's own return must go the alert's way: with a lookback of several bars, a crash bar
  // can close a move that is still "up" over the lookback. A threshold of 0 is the filter off.
  const double return_z_along = direction == core::Direction::kUp ? return_z : -return_z;
  if (filters.return_z && settings_.min_return_z > 0 && return_z_along < settings_.min_return_z) {
    ++counters_.suppressed_return_z;
    return std::nullopt;
  }
  return EvaluateRest(series, bar, values, direction);
}

std::optional<core::Candidate> SignalEngine::EvaluateRest(const Series& series,
                                                          const core::Bar& bar,
                                                          const IndicatorValues& values,
                                                          core::Direction direction) {
  const core::Symbol& symbol = series.symbol;
  const core::Interval interval = series.interval;
  const FilterSwitches& filters = settings_.filters;
  const double move = *values.momentum;
  const double volume_z = values.volume_z.value_or(0);
  const double return_z = values.return_z.value_or(0);

  // Plain values rather than an optional: GCC 12 warns (falsely) that one may be read
  // uninitialised.
  double volume_24h = 0;
  bool volume_24h_known = false;
  if (quote_volumes_) {
    if (const std::optional<double> known = quote_volumes_->QuoteVolume24h(symbol)) {
      volume_24h = *known;
      volume_24h_known = true;
    }
  }
  if (filters.quote_volume_24h) {
    const bool passes =
        volume_24h_known ? volume_24h >= min_quote_volume_24h_ : min_quote_volume_24h_ <= 0;
    if (!passes) {
      ++counters_.suppressed_quote_volume_24h;
      return std::nullopt;
    }
  }

  // Which confirm_intervals agree, as a mask over Interval::Index(), so nothing allocates
  // unless a candidate is raised.
  std::uint32_t agreed = 0;
  bool all_agree = true;
  for (core::Interval confirm : settings_.confirm_intervals) {
    if (confirmations_->LatestMove(symbol, confirm, bar.close_time) == direction) {
      agreed |= std::uint32_t{1} << confirm.Index();
    } else {
      all_agree = false;
    }
  }
  if (filters.confirmations && !all_agree) {
    ++counters_.suppressed_confirmations;
    return std::nullopt;
  }

  if (filters.cooldown) {
    const std::optional<core::Millis> last =
        cooldown_store_->LastAlertCloseTime(symbol, interval, direction);
    if (last && bar.close_time - *last < settings_.cooldown) {
      ++counters_.suppressed_cooldown;
      return std::nullopt;
    }
  }

  core::Candidate candidate;
  candidate.market = settings_.market;
  candidate.symbol = symbol;
  candidate.interval = interval;
  candidate.bar_open_time = bar.open_time;
  candidate.bar_close_time = bar.close_time;
  candidate.direction = direction;
  candidate.severity = std::fabs(move) >= settings_.strong_multiplier * settings_.min_atr_move
                           ? core::Severity::kStrong
                           : core::Severity::kNormal;
  candidate.close = bar.close;
  candidate.change_percent = *values.change_percent;
  candidate.atr_move = move;
  candidate.return_z = return_z;
  candidate.volume_z = volume_z;
  candidate.quote_volume = bar.quote_volume;
  candidate.quote_volume_24h = volume_24h;
  candidate.atr = *values.atr_before;
  candidate.atr_percent = *values.atr_before / bar.close * 100;
  for (core::Interval confirm : settings_.confirm_intervals) {
    const std::uint32_t bit = std::uint32_t{1} << confirm.Index();
    if (agreed & bit) {
      candidate.confirmations.push_back(confirm);
      agreed &= ~bit;  // list a repeated interval once
    }
  }
  ++counters_.candidates;
  return candidate;
}

}  // namespace scanner::signals
