#include "alerts/alert_chart.h"

#include <ctime>

#include <fmt/format.h>

namespace scanner::alerts {
namespace {

std::string FileNameSafe(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
    if (!safe) c = '_';
  }
  return out;
}

}  // namespace

std::string ChartFileName(const core::Candidate& alert) {
  // Binance's close time is the last millisecond of the bar: the close is one later.
  const core::Millis close = alert.bar_close_time + 1;
  std::time_t seconds = static_cast<std::time_t>(close / 1000);
  if (close % 1000 < 0) seconds -= 1;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{}-{}-{:04}{:02}{:02}T{:02}{:02}{:02}Z.png", FileNameSafe(alert.symbol),
                     FileNameSafe(alert.interval.Name()), tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace scanner::alerts
