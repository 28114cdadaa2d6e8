#include "net/http_date.h"

#include <fmt/format.h>

#include <array>
#include <chrono>

namespace scanner::net {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year;
using std::chrono::year_month_day;

// Indexed by std::chrono::weekday::c_encoding() (Sunday = 0) and month - 1.
constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// "Sun, 06 Nov 1994 08:49:37 GMT"
constexpr std::string_view kShape = "Www, DD Mmm YYYY HH:MM:SS GMT";

std::optional<int> Digits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

template <std::size_t N>
std::optional<unsigned> IndexOf(const std::array<std::string_view, N>& names,
                                std::string_view name) {
  for (unsigned i = 0; i < N; ++i) {
    if (names[i] == name) return i;
  }
  return std::nullopt;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<core::Millis> ParseHttpDate(std::string_view text) {
  text = Trim(text);
  if (text.size() != kShape.size()) return std::nullopt;
  // The separators, at the places the shape has them.
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const char expected = kShape[i];
    if ((expected == ',' || expected == ' ' || expected == ':') && text[i] != expected) {
      return std::nullopt;
    }
  }
  if (text.substr(26) != "GMT") return std::nullopt;
  const std::optional<unsigned> day_name = IndexOf(kDays, text.substr(0, 3));
  const std::optional<unsigned> month_index = IndexOf(kMonths, text.substr(8, 3));
  const std::optional<int> day_number = Digits(text.substr(5, 2));
  const std::optional<int> year_number = Digits(text.substr(12, 4));
  const std::optional<int> hours = Digits(text.substr(17, 2));
  const std::optional<int> minutes = Digits(text.substr(20, 2));
  const std::optional<int> seconds = Digits(text.substr(23, 2));
  if (!day_name || !month_index || !day_number || !year_number || !hours || !minutes || !seconds) {
    return std::nullopt;
  }
  if (*hours > 23 || *minutes > 59 || *seconds > 60) return std::nullopt;
  const year_month_day date{year{*year_number}, month{*month_index + 1},
                            day{static_cast<unsigned>(*day_number)}};
  if (!date.ok()) return std::nullopt;
  const sys_days days{date};
  if (weekday{days}.c_encoding() != *day_name) return std::nullopt;
  const int second = *seconds == 60 ? 59 : *seconds;
  const core::Millis epoch_days = days.time_since_epoch().count();
  return ((epoch_days * 24 + *hours) * 60 + *minutes) * core::kMinute + second * core::kSecond;
}

std::string FormatHttpDate(core::Millis epoch_ms) {
  // Floor, also before 1970: a date never runs ahead of the time it stands for.
  core::Millis seconds = epoch_ms / core::kSecond;
  if (epoch_ms % core::kSecond < 0) --seconds;
  core::Millis days = seconds / 86400;
  core::Millis in_day = seconds % 86400;
  if (in_day < 0) {
    in_day += 86400;
    --days;
  }
  const sys_days date_days{std::chrono::days{days}};
  const year_month_day date{date_days};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
                     kDays[weekday{date_days}.c_encoding()], static_cast<unsigned>(date.day()),
                     kMonths[static_cast<unsigned>(date.month()) - 1],
                     static_cast<int>(date.year()), in_day / 3600, in_day / 60 % 60, in_day % 60);
}

}  // namespace scanner::net
