#include "core/time.h"

#include <charconv>
#include <ctime>

#include <fmt/format.h>

namespace scanner::core {
namespace {

struct Unit {
  std::string_view suffix;
  Millis factor;
};

// Longest suffix first so that "ms" is not read as "m" followed by garbage.
constexpr Unit kUnits[] = {{"ms", 1}, {"s", kSecond}, {"m", kMinute},
                           {"h", kHour}, {"d", kDay}, {"w", 7 * kDay}};

}  // namespace

std::optional<Millis> ParseDuration(std::string_view text) {
  for (const Unit& unit : kUnits) {
    if (text.size() <= unit.suffix.size() || !text.ends_with(unit.suffix)) continue;
    std::string_view number = text.substr(0, text.size() - unit.suffix.size());
    Millis value = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size() || value < 0) return std::nullopt;
    if (value > INT64_MAX / unit.factor) return std::nullopt;
    return value * unit.factor;
  }
  return std::nullopt;
}

std::string FormatDuration(Millis duration) {
  for (auto it = std::rbegin(kUnits); it != std::rend(kUnits); ++it) {
    if (it->factor == 7 * kDay) continue;  // weeks read oddly in configs; days are clearer
    if (duration != 0 && duration % it->factor == 0) {
      return fmt::format("{}{}", duration / it->factor, it->suffix);
    }
  }
  return fmt::format("{}ms", duration);
}

std::string FormatIsoUtc(Millis epoch_ms) {
  std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  Millis millis = epoch_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

}  // namespace scanner::core
