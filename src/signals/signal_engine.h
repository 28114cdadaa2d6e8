#pragma once
// Turns closed bars into momentum candidates. Owns the indicator state of every
// (symbol, interval) series it is fed and applies the filters of SignalSettings:
//
//   warm        m, z_r and z_v defined (FilterSwitches::warm relaxes this to what is used)
//   absurd      m, z_r or z_v beyond +-kMaxAbsScore: numbers no market produces (a quote
//               volume of 1e300 against calm ones) never reach the database or Discord
//   atr_move    |m| >= min_atr_move; m == 0 has no direction and never alerts
//   min_change  |change_percent| >= MinChangePercent(the bar's interval): a move of many ATRs
//               on a quiet series can still be too small in price to matter; 0 turns it off.
//               After atr_move, so that atr_move counts what it counted before the floor came
//               and min_change counts exactly the moves the floor takes away
//   direction   sign of m matches `direction` (kBoth passes both)
//   volume_z    z_v >= min_volume_z
//   return_z    z_r in the alert's direction >= min_return_z (z_r for up, -z_r for down), so a
//               bar that moved against the lookback's move never alerts; 0 turns it off
//   quote_volume_24h  24 h quote volume >= MinQuoteVolume24h(); an unknown 24 h volume (no
//               ticker yet) passes only while that minimum is <= 0, so a fresh symbol cannot
//               alert on a guess
//   confirmations     every confirm_intervals series moves the same way (ConfirmationSource)
//   cooldown    no earlier alert for this symbol, interval and direction whose bar closed less
//               than `cooldown` before this bar's close (CooldownStore; older bars count as
//               inside the cooldown, so a replay after a restart does not alert again)
//
// Bars: a closed bar whose open time is not after the last closed bar of its series changes
// nothing (duplicates and re-deliveries are ignored). A closed bar is contiguous when its open
// time is the previous bar's close time + 1; any other (later) open time is a hole, and the
// series warms up again from that bar, so data with holes never produces a move across them.
// The live path fills gaps before feeding, so this fires only on real holes. Open bars only
// feed confirmations and are never alerted.
//
// Hot reload: UpdateSettings applies thresholds (the min_change floors included), switches,
// direction, cooldown and confirmation intervals to the next bar. A change of atr_period,
// zscore_window or momentum_lookback resets every series completely (the windows are re-allocated,
// and the bars it took are forgotten): the caller feeds the history again (the service refetches it
// over REST), or each series warms up over its next bars.
//
// Cost: O(1) indicator work per bar, plus one hash lookup of the symbol when fed by name (a
// SeriesHandle, resolved once, spares it); memory is allocated only when a new series appears,
// on a window-size reload, and for the candidate itself.
//
// Not thread-safe: feed it from one thread (the pipeline's). The dependencies handed to Create
// must outlive the engine and are called on that thread.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/candidate.h"
#include "core/error.h"
#include "core/interval.h"
#include "core/types.h"
#include "signals/cooldown_store.h"
#include "signals/series_indicators.h"
#include "signals/signal_settings.h"
#include "signals/signal_sources.h"

namespace scanner::signals {

// Plain counters for metrics, monotonically increasing. Every evaluated closed bar ends up in
// exactly one of `candidates`, `not_warm` or a `suppressed_*` counter (the first filter that
// stopped it, in the order listed), so they sum to `closed_bars_evaluated`.
struct SignalCounters {
  std::uint64_t closed_bars_evaluated = 0;
  std::uint64_t stale_bars = 0;     // closed bars ignored: open time not after the last one
  std::uint64_t gaps = 0;           // holes that restarted a series' warm-up
  std::uint64_t unusable_bars = 0;  // non-finite or non-positive values; restarted the warm-up
  std::uint64_t open_bars = 0;      // open-bar updates kept for confirmations
  std::uint64_t candidates = 0;
  std::uint64_t not_warm = 0;
  std::uint64_t suppressed_absurd = 0;  // scores no market produces (|value| > kMaxAbsScore)
  std::uint64_t suppressed_atr_move = 0;
  std::uint64_t suppressed_min_change = 0;
  std::uint64_t suppressed_direction = 0;
  std::uint64_t suppressed_volume_z = 0;
  std::uint64_t suppressed_return_z = 0;
  std::uint64_t suppressed_quote_volume_24h = 0;
  std::uint64_t suppressed_confirmations = 0;
  std::uint64_t suppressed_cooldown = 0;

  friend bool operator==(const SignalCounters&, const SignalCounters&) = default;
};

// Beyond any real move or z-score (a z of a million needs a bar a million standard deviations
// out); see "absurd" above.
inline constexpr double kMaxAbsScore = 1e6;

class SignalEngine final : public ConfirmationSource {
 private:
  struct Series;

 public:
  // One (symbol, interval) series, resolved once (Resolve) and fed without a lookup. Valid until
  // RemoveSymbol drops its symbol (a window-size reload resets series in place). A
  // default-constructed handle is null and must not be fed.
  class SeriesHandle {
   public:
    SeriesHandle() = default;
    explicit operator bool() const { return series_ != nullptr; }

   private:
    friend class SignalEngine;
    explicit SeriesHandle(Series* series) : series_(series) {}
    Series* series_ = nullptr;
  };

  struct Dependencies {
    // Null: the engine keeps an InMemoryCooldownStore of its own (tests, replay); the caller
    // records kept candidates in it through cooldown_store().
    CooldownStore* cooldown_store = nullptr;
    // Null: every symbol's 24 h volume is unknown.
    const QuoteVolumeSource* quote_volumes = nullptr;
    // Null: the engine answers from the bars it is fed (LatestMove below).
    const ConfirmationSource* confirmations = nullptr;
  };

  // Fails when the settings are out of range (ValidateSignalSettings).
  static core::Result<std::unique_ptr<SignalEngine>> Create(SignalSettings settings,
                                                            Dependencies dependencies);

  SignalEngine(const SignalEngine&) = delete;
  SignalEngine& operator=(const SignalEngine&) = delete;
  ~SignalEngine() override;

  // The series of (symbol, interval), created (allocating) on first use.
  SeriesHandle Resolve(const core::Symbol& symbol, core::Interval interval);

  // Folds a closed bar into its series and returns the candidate it raises, if any. The engine
  // does not record it in the CooldownStore: the caller does, once the candidate is kept
  // (cooldown_store.h). `bar.closed` is not consulted.
  std::optional<core::Candidate> OnClosedBar(SeriesHandle series, const core::Bar& bar);
  // Resolve, then the above.
  std::optional<core::Candidate> OnClosedBar(const core::Symbol& symbol, core::Interval interval,
                                             const core::Bar& bar);

  // Drops every series of `symbol`, for a symbol the universe no longer holds: a service that
  // runs for months then holds the series of its universe, not of every symbol it ever saw.
  // Handles to them become invalid; if the symbol comes back, its series start afresh. Returns
  // how many series were dropped.
  std::size_t RemoveSymbol(const core::Symbol& symbol);

  // Keeps the latest open (forming) bar of a series for confirmations; never alerts. Updates
  // older than the kept one, or for a bar already closed, are ignored.
  void OnOpenBar(const core::Symbol& symbol, core::Interval interval, const core::Bar& bar);

  // Replaces the settings (see "Hot reload" above). On error the old settings stay.
  core::Status UpdateSettings(SignalSettings settings);
  const SignalSettings& Settings() const { return settings_; }

  // The universe's current minimum 24 h quote volume (UniverseConfig::min_quote_volume_24h);
  // 0 until set.
  void SetMinQuoteVolume24h(double minimum) { min_quote_volume_24h_ = minimum; }
  double MinQuoteVolume24h() const { return min_quote_volume_24h_; }

  const SignalCounters& Counters() const { return counters_; }
  // The cooldown memory the engine reads (its own or the one it was given), for the caller to
  // Record kept candidates in.
  CooldownStore& cooldown_store() { return *cooldown_store_; }
  std::size_t SeriesCount() const { return series_count_; }
  // Series whose every indicator is defined (an alert is possible on their next bar). Walks
  // every series: for status pages, not per bar.
  std::size_t WarmSeriesCount() const;
  // The indicator state of a series, or null if it was never fed.
  const SeriesIndicators* Indicators(const core::Symbol& symbol, core::Interval interval) const;

  // ConfirmationSource over the bars fed to this engine.
  std::optional<core::Direction> LatestMove(const core::Symbol& symbol, core::Interval interval,
                                            core::Millis as_of) const override;

 private:
  using SeriesSlots = std::array<std::unique_ptr<Series>, core::kIntervalCount>;

  SignalEngine(SignalSettings settings, Dependencies dependencies);

  Series& FindOrCreate(const core::Symbol& symbol, core::Interval interval);
  const Series* Find(const core::Symbol& symbol, core::Interval interval) const;
  // The filters on the bar's own indicators: the hot path, which stops nearly every bar.
  std::optional<core::Candidate> Evaluate(const Series& series, const core::Bar& bar,
                                          const IndicatorValues& values);
  // The rest (24 h volume, confirmations, cooldown) and the candidate, for the bars that pass
  // those; apart so that the hot path stays small.
  std::optional<core::Candidate> EvaluateRest(const Series& series, const core::Bar& bar,
                                              const IndicatorValues& values,
                                              core::Direction direction);

  SignalSettings settings_;
  std::unique_ptr<InMemoryCooldownStore> owned_cooldown_store_;
  CooldownStore* cooldown_store_;
  const QuoteVolumeSource* quote_volumes_;
  const ConfirmationSource* confirmations_;
  double min_quote_volume_24h_ = 0;
  std::unordered_map<std::string, SeriesSlots> series_;
  std::size_t series_count_ = 0;
  SignalCounters counters_;
};

}  // namespace scanner::signals
