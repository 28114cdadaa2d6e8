#pragma once
// Synthetic bar series and the kline file rows that carry them.

#include <algorithm>
#include <cstdint>
#include <string>

#include "core/interval.h"
#include "core/time.h"
#include "core/types.h"

namespace scanner::support {

// A calm, deterministic series: closes wander within +-0.2 around `level`, quote volume around
// 100k; `Spike` bars jump and trade ten times the volume. Each call returns the next bar.
class SeriesMaker {
 public:
  SeriesMaker(core::Millis start, core::Interval interval, double level = 100)
      : next_open_(start), interval_(interval), level_(level), close_(level) {}

  core::Bar Calm() { return Make(level_ + 0.1 * static_cast<double>((count_ * 7) % 5) - 0.2, 1); }
  // A move of `jump` from the last close, on ten times the usual volume.
  core::Bar Spike(double jump) { return Make(close_ + jump, 10); }
  // Leaves `bars` bars out: the next bar opens that much later.
  void Skip(int bars) { next_open_ += bars * interval_.DurationMs(); }
  // Moves the calm level (the next Calm bars wander around it).
  void SetLevel(double level) { level_ = level; }

 private:
  core::Bar Make(double close, double volume_factor) {
    core::Bar bar;
    bar.open_time = next_open_;
    bar.close_time = next_open_ + interval_.DurationMs() - 1;
    bar.open = close_;
    bar.close = close;
    bar.high = std::max(bar.open, bar.close) + 0.05;
    bar.low = std::min(bar.open, bar.close) - 0.05;
    bar.volume = volume_factor * (1000 + 10 * static_cast<double>((count_ * 3) % 7));
    bar.quote_volume = bar.volume * close;
    bar.trades = 10;
    bar.closed = true;
    next_open_ += interval_.DurationMs();
    close_ = close;
    ++count_;
    return bar;
  }

  core::Millis next_open_;
  core::Interval interval_;
  double level_;
  double close_;
  int count_ = 0;
};

// Binance's 12-column row for `bar` (timestamps multiplied by `scale`: 1 ms, 1000 µs).
inline std::string BinanceRow(const core::Bar& bar, std::int64_t scale = 1) {
  return std::to_string(bar.open_time * scale) + "," + std::to_string(bar.open) + "," +
         std::to_string(bar.high) + "," + std::to_string(bar.low) + "," +
         std::to_string(bar.close) + "," + std::to_string(bar.volume) + "," +
         std::to_string(bar.close_time * scale) + "," + std::to_string(bar.quote_volume) + "," +
         std::to_string(bar.trades) + ",0,0,0\n";
}

// The simple layout with a quote_volume column.
inline std::string SimpleRow(const core::Bar& bar) {
  return std::to_string(bar.open_time) + "," + std::to_string(bar.open) + "," +
         std::to_string(bar.high) + "," + std::to_string(bar.low) + "," +
         std::to_string(bar.close) + "," + std::to_string(bar.volume) + "," +
         std::to_string(bar.quote_volume) + "\n";
}

}  // namespace scanner::support
