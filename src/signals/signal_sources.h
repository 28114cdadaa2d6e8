#pragma once
// What SignalEngine asks the rest of the scanner while it evaluates a closed bar. Both are
// called on the engine's thread, synchronously, at most once per interval per evaluated bar.

#include <optional>

#include "core/interval.h"
#include "core/time.h"
#include "core/types.h"

namespace scanner::signals {

// The rolling 24 h quote volume of a symbol (from the ticker stream or REST ticker/24hr).
class QuoteVolumeSource {
 public:
  virtual ~QuoteVolumeSource() = default;
  // nullopt while unknown (no ticker seen yet).
  virtual std::optional<double> QuoteVolume24h(const core::Symbol& symbol) const = 0;
};

// The way the bar that is current for (symbol, interval) at `as_of` moves: up when its close
// is above its open, down when below. The current bar is the newest one that had opened by
// `as_of` -- the open (forming) one, or a recent closed one -- never a bar that opened after
// it (the bar being confirmed may be a gap-filled one, behind the confirming series). nullopt
// for a flat bar, an unknown series, no such bar among the recent ones, or a bar too old to be
// current (it closed more than one interval before `as_of`, e.g. the stream for it stalled).
class ConfirmationSource {
 public:
  virtual ~ConfirmationSource() = default;
  virtual std::optional<core::Direction> LatestMove(const core::Symbol& symbol,
                                                    core::Interval interval,
                                                    core::Millis as_of) const = 0;
};

}  // namespace scanner::signals
