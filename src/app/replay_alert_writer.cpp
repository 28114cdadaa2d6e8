#include "app/replay_alert_writer.h"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "alerts/alert_format.h"
#include "alerts/discord_text.h"
#include "core/time.h"

namespace scanner::app {
namespace {

constexpr std::string_view kTableRow =
    "{:<24} {:<14} {:<3} {:<4} {:<6} {:>12} {:>8} {:>8} {:>8} {:>8} {:>9} {:>6} {}";

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name.empty() || name == "table") return OutputFormat::kTable;
  if (name == "jsonl") return OutputFormat::kJsonl;
  return std::nullopt;
}

std::string AlertJson(const core::Candidate& c) {
  boost::json::array confirmations;
  for (core::Interval interval : c.confirmations) confirmations.emplace_back(interval.Name());
  boost::json::object object;
  object["market"] = core::MarketName(c.market);
  object["symbol"] = c.symbol;
  object["interval"] = c.interval.Name();
  object["open_time"] = c.bar_open_time;
  object["close_time"] = c.bar_close_time;
  object["time"] = core::FormatIsoUtc(alerts::DisplayCloseTime(c));
  object["direction"] = core::DirectionName(c.direction);
  object["severity"] = core::SeverityName(c.severity);
  object["close"] = c.close;
  object["change_percent"] = c.change_percent;
  object["atr_move"] = c.atr_move;
  object["return_z"] = c.return_z;
  object["volume_z"] = c.volume_z;
  object["quote_volume"] = c.quote_volume;
  object["quote_volume_24h"] = c.quote_volume_24h;
  object["atr"] = c.atr;
  object["atr_percent"] = c.atr_percent;
  object["confirmations"] = std::move(confirmations);
  return boost::json::serialize(object);
}

void AlertWriter::WriteHeader() {
  if (format_ != OutputFormat::kTable) return;
  out_ << fmt::format(kTableRow, "close (UTC)", "symbol", "int", "dir", "sev", "close", "change",
                      "move_atr", "return_z", "volume_z", "bar_qv", "atr%", "confirm")
       << '\n';
}

void AlertWriter::Write(const core::Candidate& c) {
  if (format_ == OutputFormat::kJsonl) {
    out_ << AlertJson(c) << '\n';
    return;
  }
  out_ << fmt::format(kTableRow, core::FormatIsoUtc(alerts::DisplayCloseTime(c)),
                      alerts::DisplayText(c.symbol), c.interval.Name(),
                      core::DirectionName(c.direction), core::SeverityName(c.severity),
                      alerts::FormatPrice(c.close), alerts::FormatSignedPercent(c.change_percent),
                      alerts::FormatSigned(c.atr_move), alerts::FormatSigned(c.return_z),
                      alerts::FormatSigned(c.volume_z), alerts::FormatCompact(c.quote_volume),
                      alerts::FormatPercent(c.atr_percent),
                      alerts::FormatConfirmations(c.confirmations))
       << '\n';
}

}  // namespace scanner::app
