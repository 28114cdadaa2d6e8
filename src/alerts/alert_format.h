#pragma once
// How an alert's numbers read, shared by the Discord embed and the console line: prices with
// enough significant digits for sub-cent coins, signed percentages and z-scores, compact volumes
// (K/M/B). Non-finite numbers read "n/a". Pure functions; thread-safe.

#include <string>
#include <vector>

#include "core/candidate.h"
#include "core/interval.h"
#include "core/outcome.h"
#include "core/time.h"

namespace scanner::alerts {

// 2 decimals from 1000 up, 4 from 1 up, else 4 significant digits: "64123.50", "1.2345",
// "0.00001234".
std::string FormatPrice(double price);

// Always signed: "+3.42%", "-0.50%".
std::string FormatSignedPercent(double percent);

// Unsigned percentage with 2 decimals: "0.85%".
std::string FormatPercent(double percent);

// Signed with 2 decimals: "+4.20", "-3.10".
std::string FormatSigned(double value);

// Compact magnitude: "845", "12.35K", "12.35M", "1.25B".
std::string FormatCompact(double value);

// "15m, 1h", or "none".
std::string FormatConfirmations(const std::vector<core::Interval>& confirmations);

// The bar's end as people read it: Binance close times are open + length - 1 ms (…:59.999), so
// a close time ending in 999 ms is shown as the next whole second (the bar boundary).
core::Millis DisplayCloseTime(const core::Candidate& candidate);
core::Millis DisplayCloseTime(core::Millis bar_close_time);

// The time of day of `time` in UTC, to the minute: "12:05 UTC".
std::string FormatClockUtc(core::Millis time);

// An alert is late when `now` is past the close of the second bar after the alert's bar: two bar
// lengths after its close, counted in calendar months for 1M.
bool IsLate(const core::Candidate& candidate, core::Millis now);

// An alert's measured outcome in one line: the return at the largest horizon that has a value,
// then the best and worst excursion (MFE, MAE) when known, each signed with one decimal, e.g.
// "after 20 bars: +2.1 % (best +3.4 %, worst -0.6 %)", "after 1 bar: -0.3 %". Minus signs are
// ASCII hyphens like every other figure of this file. Empty when no horizon has a value.
std::string FormatOutcomeLine(const core::Outcome& outcome);

// One line for a terminal, no trailing newline, e.g.
// "2024-03-10T12:05:00.000Z ▲ BTCUSDT 5m up normal price=64123.50 change=+3.42% move=+3.10ATR
//  return_z=+4.20 volume_z=+5.80 bar_qv=12.35M qv24h=1.25B atr=0.85% confirm=15m,1h spot"
// with " LATE" appended when `late`. The symbol is DisplayText-cleaned (no control characters).
std::string FormatAlertLine(const core::Candidate& candidate, bool late);

// The outcome of an alert for a terminal, no trailing newline, e.g.
// "2024-03-10T12:05:00.000Z BTCUSDT 5m up: +0.12% after 1, +0.80% after 5, +2.10% after 20 bars;
//  best +3.40% worst -0.60% spot" ("n/a" for a value not measured).
std::string FormatOutcomeTerminalLine(const core::Candidate& candidate,
                                      const core::Outcome& outcome);

}  // namespace scanner::alerts
