#pragma once
// Time as integer milliseconds since the Unix epoch, as Binance writes it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace scanner::core {

using Millis = std::int64_t;

inline constexpr Millis kSecond = 1000;
inline constexpr Millis kMinute = 60 * kSecond;
inline constexpr Millis kHour = 60 * kMinute;
inline constexpr Millis kDay = 24 * kHour;

// Parses "250ms", "90s", "5m", "1h", "7d" (one number, one unit). No unit is rejected so that
// "30" is never silently read as 30 ms.
std::optional<Millis> ParseDuration(std::string_view text);

// The shortest exact spelling ParseDuration reads back: 90000 -> "90s", 3600000 -> "1h".
std::string FormatDuration(Millis duration);

// ISO 8601 UTC with milliseconds, e.g. "2024-03-10T12:00:00.000Z".
std::string FormatIsoUtc(Millis epoch_ms);

}  // namespace scanner::core
