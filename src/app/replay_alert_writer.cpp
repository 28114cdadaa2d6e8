#include "app/replay_alert_writer.h"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "alerts/alert_format.h"
#include "alerts/discord_text.h"
#include "core/time.h"

namespace scanner::app {
namespace {

constexpr std::string_view kTableRow =
    "{:<24} {:<14} {:<3} {:<4} {:<6} {:>12} {:>8} {:>8} {:>8} {:>8} {:>9} {:>6} {:<8}";
constexpr std::string_view kOutcomeColumn = " {:>8}";

std::string AlertKey(const core::Candidate& c) {
  return fmt::format("{}|{}|{}", c.symbol, c.interval.Name(), c.bar_close_time);
}

boost::json::value OptionalNumber(const std::optional<double>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

std::string OptionalPercent(const std::optional<double>& value) {
  return value ? alerts::FormatSignedPercent(*value) : "-";
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name.empty() || name == "table") return OutputFormat::kTable;
  if (name == "jsonl") return OutputFormat::kJsonl;
  return std::nullopt;
}

std::string AlertJson(const core::Candidate& c, const std::optional<core::Outcome>& outcome,
                      std::string_view chart_path) {
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
  if (!chart_path.empty()) object["chart"] = chart_path;
  if (outcome) {
    boost::json::object returns;
    for (std::size_t i = 0; i < outcome->horizons.size(); ++i) {
      returns[std::to_string(outcome->horizons[i])] = OptionalNumber(
          i < outcome->returns_percent.size() ? outcome->returns_percent[i] : std::nullopt);
    }
    boost::json::object measured;
    measured["returns"] = std::move(returns);
    measured["mfe_percent"] = OptionalNumber(outcome->mfe_percent);
    measured["mae_percent"] = OptionalNumber(outcome->mae_percent);
    object["outcome"] = std::move(measured);
  }
  return boost::json::serialize(object);
}

void AlertWriter::Add(const core::Candidate& candidate, bool posts_message,
                      std::string chart_path) {
  row_of_[AlertKey(candidate)] = rows_.size();
  Row row{candidate, std::nullopt, posts_message, std::move(chart_path)};
  if (!horizons_.empty()) {
    // Until measured: every value null (the data may end before the first bar after it).
    row.outcome.emplace();
    row.outcome->horizons = horizons_;
    row.outcome->returns_percent.resize(horizons_.size());
  }
  rows_.push_back(std::move(row));
}

void AlertWriter::SetOutcome(const core::Candidate& alert, const core::Outcome& outcome) {
  auto found = row_of_.find(AlertKey(alert));
  if (found != row_of_.end()) rows_[found->second].outcome = outcome;
}

void AlertWriter::WriteAll() {
  WriteHeader();
  for (const Row& row : rows_) Write(row);
}

void AlertWriter::WriteHeader() {
  if (format_ != OutputFormat::kTable) return;
  out_ << fmt::format(kTableRow, "close (UTC)", "symbol", "int", "dir", "sev", "close", "change",
                      "move_atr", "return_z", "volume_z", "bar_qv", "atr%", "confirm");
  for (int horizon : horizons_) out_ << fmt::format(kOutcomeColumn, fmt::format("r@{}", horizon));
  if (!horizons_.empty())
    out_ << fmt::format(kOutcomeColumn, "mfe") << fmt::format(kOutcomeColumn, "mae");
  if (charts_) out_ << "  chart";
  out_ << '\n';
}

void AlertWriter::Write(const Row& row) {
  const core::Candidate& c = row.candidate;
  if (format_ == OutputFormat::kJsonl) {
    out_ << AlertJson(c, row.outcome, row.chart_path) << '\n';
    return;
  }
  out_ << fmt::format(
      kTableRow, core::FormatIsoUtc(alerts::DisplayCloseTime(c)), alerts::DisplayText(c.symbol),
      c.interval.Name(), core::DirectionName(c.direction), core::SeverityName(c.severity),
      alerts::FormatPrice(c.close), alerts::FormatSignedPercent(c.change_percent),
      alerts::FormatSigned(c.atr_move), alerts::FormatSigned(c.return_z),
      alerts::FormatSigned(c.volume_z), alerts::FormatCompact(c.quote_volume),
      alerts::FormatPercent(c.atr_percent), alerts::FormatConfirmations(c.confirmations));
  if (row.outcome) {
    for (int horizon : horizons_) {
      out_ << fmt::format(kOutcomeColumn, OptionalPercent(row.outcome->ReturnAt(horizon)));
    }
    out_ << fmt::format(kOutcomeColumn, OptionalPercent(row.outcome->mfe_percent))
         << fmt::format(kOutcomeColumn, OptionalPercent(row.outcome->mae_percent));
  }
  if (charts_) out_ << "  " << (row.chart_path.empty() ? "-" : row.chart_path);
  out_ << '\n';
}

}  // namespace scanner::app
