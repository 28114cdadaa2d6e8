#pragma once
// Candidates as the signal engine emits them, for tests that store, route, format or deliver
// alerts.

#include <string>
#include <string_view>
#include <utility>

#include "core/candidate.h"
#include "support/intervals.h"

namespace scanner::support {

// A move of `symbol` on the `interval` bar that closes at `close_time` (its open time follows
// from the interval): spot, normal severity, no confirmations, and plausible figures -- close
// 64123.5, change +3.4189 %, 3.1 ATR, return z 4.2, volume z 5.8, bar quote volume 12 345 678,
// 24 h quote volume 1.25 B, ATR 545 (0.85 %). `kDown` negates the signed figures. Tests set the
// fields they are about on the result.
inline core::Candidate MakeCandidate(std::string symbol, core::Millis close_time,
                                     std::string_view interval = "5m",
                                     core::Direction direction = core::Direction::kUp) {
  const double sign = direction == core::Direction::kUp ? 1 : -1;
  core::Candidate c;
  c.symbol = std::move(symbol);
  c.interval = I(interval);
  c.bar_open_time = close_time + 1 - c.interval.DurationMs();
  c.bar_close_time = close_time;
  c.direction = direction;
  c.close = 64123.5;
  c.change_percent = sign * 3.4189;
  c.atr_move = sign * 3.1;
  c.return_z = sign * 4.2;
  c.volume_z = 5.8;
  c.quote_volume = 12'345'678;
  c.quote_volume_24h = 1'250'000'000;
  c.atr = 545;
  c.atr_percent = 0.85;
  return c;
}

// 2024-03-10T12:00:00Z: the noon the formatting tests print times against.
inline constexpr core::Millis kSampleNoon = 1'710'072'000'000;

// The alert the formatting tests render: MakeCandidate's 5m move closing at 12:04:59.999,
// confirmed on 15m and 1h.
inline core::Candidate SampleAlert(std::string symbol = "BTCUSDT") {
  core::Candidate c = MakeCandidate(std::move(symbol), kSampleNoon + 5 * core::kMinute - 1);
  c.confirmations = {I("15m"), I("1h")};
  return c;
}

}  // namespace scanner::support
