#include "chart/chart_axes.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>

namespace scanner::chart {

namespace {

constexpr std::array<const char*, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// "1234567.5" -> "1,234,567.5"; the sign is kept in front.
std::string GroupThousands(const std::string& plain) {
  std::size_t start = (!plain.empty() && plain[0] == '-') ? 1 : 0;
  std::size_t dot = plain.find('.');
  if (dot == std::string::npos) dot = plain.size();
  std::string out = plain.substr(0, start);
  for (std::size_t i = start; i < dot; ++i) {
    out.push_back(plain[i]);
    const std::size_t left = dot - i - 1;
    if (left > 0 && left % 3 == 0) out.push_back(',');
  }
  out.append(plain, dot, std::string::npos);
  return out;
}

struct UtcParts {
  std::chrono::year_month_day date;
  std::int64_t ms_of_day = 0;
};

UtcParts SplitUtc(core::Millis time) {
  using namespace std::chrono;
  const sys_time<milliseconds> point{milliseconds(time)};
  const sys_days day = floor<days>(point);
  return {year_month_day(day), (point - day).count()};
}

std::string DayText(const std::chrono::year_month_day& date) {
  return fmt::format("{} {}", kMonthNames[static_cast<unsigned>(date.month()) - 1],
                     static_cast<unsigned>(date.day()));
}

// Intraday and day steps, in ms; a bar is labelled when its open time is a multiple (weeks:
// Mondays, as Binance's 1w bars open).
constexpr std::array<core::Millis, 24> kFixedSteps = {core::kSecond,
                                                      5 * core::kSecond,
                                                      15 * core::kSecond,
                                                      30 * core::kSecond,
                                                      core::kMinute,
                                                      2 * core::kMinute,
                                                      5 * core::kMinute,
                                                      10 * core::kMinute,
                                                      15 * core::kMinute,
                                                      30 * core::kMinute,
                                                      core::kHour,
                                                      2 * core::kHour,
                                                      3 * core::kHour,
                                                      4 * core::kHour,
                                                      6 * core::kHour,
                                                      12 * core::kHour,
                                                      core::kDay,
                                                      2 * core::kDay,
                                                      3 * core::kDay,
                                                      7 * core::kDay,
                                                      14 * core::kDay,
                                                      0,
                                                      0,
                                                      0};
constexpr std::array<int, 5> kMonthSteps = {1, 2, 3, 6, 12};
constexpr core::Millis kMondayOffset = 4 * core::kDay;  // 1970-01-01 was a Thursday

}  // namespace

PriceTicks NicePriceTicks(double low, double high, int target) {
  PriceTicks ticks;
  target = std::max(target, 2);
  const double raw = (high - low) / target;
  const double exponent = std::floor(std::log10(raw));
  const double power = std::pow(10.0, exponent);
  const double fraction = raw / power;
  double mantissa = 10;
  for (double candidate : {1.0, 2.0, 2.5, 5.0}) {
    if (fraction <= candidate) {
      mantissa = candidate;
      break;
    }
  }
  ticks.step = mantissa * power;
  ticks.decimals = std::max(0, -static_cast<int>(exponent) - (mantissa == 10 ? 1 : 0));
  if (mantissa == 2.5 && exponent <= 0) ticks.decimals += 1;
  ticks.decimals = std::min(ticks.decimals, 10);
  // Multiples of the step as integers times step: no accumulated error.
  const double first = std::ceil(low / ticks.step);
  const double last = std::floor(high / ticks.step);
  for (double k = first; k <= last && ticks.values.size() < 64; k += 1) {
    ticks.values.push_back(k * ticks.step);
  }
  return ticks;
}

std::string FormatPrice(double value, int decimals) {
  if (std::abs(value) < 0.5 * std::pow(10.0, -decimals)) value = 0;  // never "-0.00"
  return GroupThousands(fmt::format("{:.{}f}", value, decimals));
}

std::string FormatQuote(double value, int min_decimals) {
  const int magnitude = value > 0 ? static_cast<int>(std::floor(std::log10(value))) : 0;
  const int decimals = std::clamp(5 - magnitude, std::max(min_decimals, 0), 8);
  std::string text = fmt::format("{:.{}f}", value, std::max(decimals, min_decimals));
  const std::size_t dot = text.find('.');
  if (dot != std::string::npos) {
    const std::size_t keep = dot + 1 + static_cast<std::size_t>(std::max(min_decimals, 0));
    while (text.size() > keep && text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return GroupThousands(text);
}

std::string FormatMultiple(double value) {
  std::string text = fmt::format("{:.2f}", value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string FormatCompact(double value) {
  constexpr std::array<const char*, 5> kSuffixes = {"", "K", "M", "B", "T"};
  std::size_t suffix = 0;
  while (std::abs(value) >= 1000 && suffix + 1 < kSuffixes.size()) {
    value /= 1000;
    ++suffix;
  }
  const int decimals = std::abs(value) >= 100 || (suffix == 0 && value == std::round(value)) ? 0
                       : std::abs(value) >= 10                                               ? 1
                       : std::abs(value) >= 1 || suffix > 0                                  ? 1
                                                                                             : 2;
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text + kSuffixes[suffix];
}

std::vector<TimeLabel> MakeTimeLabels(std::span<const core::Bar> bars, core::Interval interval,
                                      double bar_spacing_px, double min_spacing_px) {
  std::vector<TimeLabel> labels;
  if (bars.empty() || bar_spacing_px <= 0) return labels;
  const core::Millis duration = interval.DurationMs();
  const double bars_apart = std::ceil(min_spacing_px / bar_spacing_px);
  const double wanted = bars_apart * static_cast<double>(duration);

  // The step: a multiple of the bar (so labels fall on bars), far enough apart; months beyond.
  core::Millis step = 0;
  for (core::Millis candidate : kFixedSteps) {
    if (candidate == 0) break;
    if (candidate >= duration && candidate % duration == 0 &&
        static_cast<double>(candidate) >= wanted) {
      step = candidate;
      break;
    }
  }
  int month_step = 0;
  if (step == 0) {
    const double months = wanted / static_cast<double>(30 * core::kDay);
    month_step = kMonthSteps.back();
    for (int candidate : kMonthSteps) {
      if (candidate >= months) {
        month_step = candidate;
        break;
      }
    }
  }
  const core::Millis offset = step == 7 * core::kDay || step == 14 * core::kDay ? kMondayOffset : 0;

  // A bar is labelled when it is the first of a new step (weekly or 3-day bars do not open on
  // month boundaries); the first bar only when it opens exactly on one.
  auto bucket = [&](core::Millis open) -> std::int64_t {
    if (month_step > 0) {
      const UtcParts parts = SplitUtc(open);
      const std::int64_t months = static_cast<int>(parts.date.year()) * 12LL +
                                  static_cast<unsigned>(parts.date.month()) - 1;
      return months / month_step;
    }
    const core::Millis shifted = open - offset;
    return shifted / step - (shifted % step < 0 ? 1 : 0);
  };
  auto on_boundary = [&](core::Millis open) {
    if (month_step > 0) {
      const UtcParts parts = SplitUtc(open);
      return parts.ms_of_day == 0 && static_cast<unsigned>(parts.date.day()) == 1 &&
             (static_cast<unsigned>(parts.date.month()) - 1) % static_cast<unsigned>(month_step) ==
                 0;
    }
    return (open - offset) % step == 0;
  };

  double last_x = -1e300;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const core::Millis open = bars[i].open_time;
    if (i == 0 ? !on_boundary(open) : bucket(open) == bucket(bars[i - 1].open_time)) continue;
    const UtcParts parts = SplitUtc(open);
    const unsigned month = static_cast<unsigned>(parts.date.month());
    const bool new_year = month == 1 && static_cast<unsigned>(parts.date.day()) == 1;
    std::string text;
    if (month_step > 0) {
      text = month == 1 ? fmt::format("{}", static_cast<int>(parts.date.year()))
                        : std::string(kMonthNames[month - 1]);
    } else if (step < core::kDay && parts.ms_of_day != 0) {
      const std::int64_t seconds = parts.ms_of_day / core::kSecond;
      text = step < core::kMinute
                 ? fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
                 : fmt::format("{:02}:{:02}", seconds / 3600, seconds / 60 % 60);
    } else if (new_year) {
      text = fmt::format("{}", static_cast<int>(parts.date.year()));
    } else {
      text = DayText(parts.date);
    }
    const double x = static_cast<double>(i) * bar_spacing_px;
    if (x - last_x < min_spacing_px) continue;
    last_x = x;
    labels.push_back({i, std::move(text)});
  }
  return labels;
}

std::string FormatUtcMinute(core::Millis time) {
  const UtcParts parts = SplitUtc(time);
  const std::int64_t seconds = parts.ms_of_day / core::kSecond;
  std::string text =
      fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", static_cast<int>(parts.date.year()),
                  static_cast<unsigned>(parts.date.month()),
                  static_cast<unsigned>(parts.date.day()), seconds / 3600, seconds / 60 % 60);
  if (seconds % 60 != 0) text += fmt::format(":{:02}", seconds % 60);
  return text + " UTC";
}

}  // namespace scanner::chart
