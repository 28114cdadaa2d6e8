#include "alerts/alert_format.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "alerts/discord_text.h"

namespace scanner::alerts {
namespace {

constexpr std::string_view kNotAvailable = "n/a";

// "+2.1 %": outcome figures carry one decimal and a spaced unit, unlike the alert's own.
std::string OutcomePercent(double percent) {
  if (!std::isfinite(percent)) return std::string(kNotAvailable);
  return fmt::format("{:+.1f} %", percent);
}

}  // namespace

std::string FormatPrice(double price) {
  if (!std::isfinite(price)) return std::string(kNotAvailable);
  double magnitude = std::fabs(price);
  if (magnitude == 0) return "0";
  int decimals = 4;
  if (magnitude >= 1000) {
    decimals = 2;
  } else if (magnitude < 1) {
    decimals = std::clamp(3 - static_cast<int>(std::floor(std::log10(magnitude))), 4, 12);
  }
  return fmt::format("{:.{}f}", price, decimals);
}

std::string FormatSignedPercent(double percent) {
  if (!std::isfinite(percent)) return std::string(kNotAvailable);
  return fmt::format("{:+.2f}%", percent);
}

std::string FormatPercent(double percent) {
  if (!std::isfinite(percent)) return std::string(kNotAvailable);
  return fmt::format("{:.2f}%", percent);
}

std::string FormatSigned(double value) {
  if (!std::isfinite(value)) return std::string(kNotAvailable);
  return fmt::format("{:+.2f}", value);
}

std::string FormatCompact(double value) {
  if (!std::isfinite(value)) return std::string(kNotAvailable);
  double magnitude = std::fabs(value);
  if (magnitude >= 1e9) return fmt::format("{:.2f}B", value / 1e9);
  if (magnitude >= 1e6) return fmt::format("{:.2f}M", value / 1e6);
  if (magnitude >= 1e3) return fmt::format("{:.2f}K", value / 1e3);
  return fmt::format("{:.0f}", value);
}

std::string FormatConfirmations(const std::vector<core::Interval>& confirmations) {
  if (confirmations.empty()) return "none";
  std::string out;
  for (core::Interval interval : confirmations) {
    if (!out.empty()) out += ", ";
    out += interval.Name();
  }
  return out;
}

core::Millis DisplayCloseTime(const core::Candidate& candidate) {
  return DisplayCloseTime(candidate.bar_close_time);
}

core::Millis DisplayCloseTime(core::Millis close) {
  return ((close % 1000) + 1000) % 1000 == 999 ? close + 1 : close;
}

std::string FormatClockUtc(core::Millis time) {
  // "2024-03-10T12:05:00.000Z": hours and minutes sit at a fixed place.
  return core::FormatIsoUtc(time).substr(11, 5) + " UTC";
}

bool IsLate(const core::Candidate& candidate, core::Millis now) {
  const core::Interval interval = candidate.interval;
  return now > interval.BarCloseFor(interval.AddBars(candidate.bar_close_time, 2));
}

std::string FormatOutcomeLine(const core::Outcome& outcome) {
  std::optional<std::size_t> last;
  for (std::size_t i = 0; i < outcome.horizons.size() && i < outcome.returns_percent.size(); ++i) {
    if (outcome.returns_percent[i] && (!last || outcome.horizons[i] > outcome.horizons[*last])) {
      last = i;
    }
  }
  if (!last) return {};
  const int horizon = outcome.horizons[*last];
  std::string line = fmt::format("after {} bar{}: {}", horizon, horizon == 1 ? "" : "s",
                                 OutcomePercent(*outcome.returns_percent[*last]));
  std::string extremes;
  if (outcome.mfe_percent) extremes = "best " + OutcomePercent(*outcome.mfe_percent);
  if (outcome.mae_percent) {
    if (!extremes.empty()) extremes += ", ";
    extremes += "worst " + OutcomePercent(*outcome.mae_percent);
  }
  if (!extremes.empty()) line += " (" + extremes + ")";
  return line;
}

std::string FormatAlertLine(const core::Candidate& c, bool late) {
  std::string confirmations;
  for (core::Interval interval : c.confirmations) {
    if (!confirmations.empty()) confirmations += ',';
    confirmations += interval.Name();
  }
  if (confirmations.empty()) confirmations = "none";
  return fmt::format(
      "{} {} {} {} {} {} price={} change={} move={}ATR return_z={} volume_z={} bar_qv={} "
      "qv24h={} atr={} confirm={} {}{}",
      core::FormatIsoUtc(DisplayCloseTime(c)), c.direction == core::Direction::kUp ? "▲" : "▼",
      DisplayText(c.symbol), c.interval.Name(), core::DirectionName(c.direction),
      core::SeverityName(c.severity), FormatPrice(c.close), FormatSignedPercent(c.change_percent),
      FormatSigned(c.atr_move), FormatSigned(c.return_z), FormatSigned(c.volume_z),
      FormatCompact(c.quote_volume), FormatCompact(c.quote_volume_24h),
      FormatPercent(c.atr_percent), confirmations, core::MarketName(c.market), late ? " LATE" : "");
}

std::string FormatOutcomeTerminalLine(const core::Candidate& c, const core::Outcome& outcome) {
  const auto percent = [](const std::optional<double>& value) {
    return value ? FormatSignedPercent(*value) : std::string("n/a");
  };
  std::string returns;
  for (std::size_t i = 0; i < outcome.horizons.size(); ++i) {
    if (i > 0) returns += ", ";
    returns += fmt::format("{} after {}", percent(outcome.ReturnAt(outcome.horizons[i])),
                           outcome.horizons[i]);
  }
  return fmt::format(
      "{} {} {} {}: {} bars; best {} worst {} {}", core::FormatIsoUtc(DisplayCloseTime(c)),
      DisplayText(c.symbol), c.interval.Name(), core::DirectionName(c.direction), returns,
      percent(outcome.mfe_percent), percent(outcome.mae_percent), core::MarketName(c.market));
}

}  // namespace scanner::alerts
