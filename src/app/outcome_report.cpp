#include "app/outcome_report.h"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

namespace scanner::app {
namespace {

using GroupKey = std::tuple<core::Interval, core::Direction, core::Severity>;

constexpr std::string_view kNone = "—";

std::optional<double> DaysOf(const SymbolDays& symbol_days, core::Interval interval) {
  const auto it = symbol_days.find(interval);
  if (it == symbol_days.end() || !std::isfinite(it->second) || it->second <= 0) return std::nullopt;
  return it->second;
}

std::optional<double> PerDay(std::size_t count, std::optional<double> days) {
  if (!days) return std::nullopt;
  return static_cast<double>(count) / *days;
}

ReportLine MakeLine(ReportLineKind kind, std::optional<core::Interval> interval,
                    std::optional<core::Direction> direction,
                    std::optional<core::Severity> severity, std::optional<double> days,
                    OutcomeFigures figures) {
  ReportLine line;
  line.kind = kind;
  line.interval = interval;
  line.direction = direction;
  line.severity = severity;
  line.symbol_days = days;
  line.alerts_per_symbol_day = PerDay(figures.alerts, days);
  line.messages_per_symbol_day = PerDay(figures.messages, days);
  line.figures = std::move(figures);
  return line;
}

// The total: its rates are the sums of the interval lines' (see ReportLine).
ReportLine TotalLine(const std::vector<ReportLine>& lines, std::optional<double> all_days,
                     OutcomeFigures figures) {
  ReportLine total;
  total.kind = ReportLineKind::kTotal;
  total.symbol_days = all_days;
  total.figures = std::move(figures);
  if (!all_days) return total;
  std::optional<double> alerts = 0.0;
  std::optional<double> messages = 0.0;
  for (const ReportLine& line : lines) {
    if (line.kind != ReportLineKind::kInterval) continue;
    if (!line.alerts_per_symbol_day) {
      alerts = messages = std::nullopt;
      break;
    }
    *alerts += *line.alerts_per_symbol_day;
    *messages += *line.messages_per_symbol_day;
  }
  total.alerts_per_symbol_day = alerts;
  total.messages_per_symbol_day = messages;
  return total;
}

// --- table ---------------------------------------------------------------------------------

std::string SignedOrNone(const std::optional<double>& percent) {
  return percent ? fmt::format("{:+.2f}", *percent) : std::string(kNone);
}

std::string RateOrNone(const std::optional<double>& rate) {
  return rate ? fmt::format("{:.3f}", *rate) : std::string(kNone);
}

std::string ShareOrNone(const std::optional<double>& share) {
  return share ? fmt::format("{:.1f}%", *share * 100) : std::string(kNone);
}

// The fixed columns, then one "ret@h (n)" column per horizon, then mfe, mae, pos@middle.
std::string TableRow(std::string_view interval, std::string_view direction,
                     std::string_view severity, std::string_view alerts, std::string_view messages,
                     std::string_view alerts_rate, std::string_view messages_rate,
                     const std::vector<std::string>& returns, std::string_view mfe,
                     std::string_view mae, std::string_view positive) {
  std::string row = fmt::format("{:<5} {:<4} {:<6} {:>7} {:>7} {:>9} {:>9}", interval, direction,
                                severity, alerts, messages, alerts_rate, messages_rate);
  for (const std::string& cell : returns) row += fmt::format(" {:>14}", cell);
  row += fmt::format(" {:>7} {:>7} {:>7}", mfe, mae, positive);
  return row;
}

void WriteTableLine(std::ostream& out, const ReportLine& line) {
  const OutcomeFigures& f = line.figures;
  std::vector<std::string> returns;
  for (const MeasuredMedian& r : f.returns) {
    returns.push_back(fmt::format("{} ({})", SignedOrNone(r.median), r.measured));
  }
  const bool total = line.kind == ReportLineKind::kTotal;
  out << TableRow(total ? "total" : line.interval->Name(),
                  line.direction ? core::DirectionName(*line.direction) : "all",
                  line.severity ? core::SeverityName(*line.severity) : "all",
                  fmt::format("{}", f.alerts), fmt::format("{}", f.messages),
                  RateOrNone(line.alerts_per_symbol_day), RateOrNone(line.messages_per_symbol_day),
                  returns, SignedOrNone(f.mfe.median), SignedOrNone(f.mae.median),
                  ShareOrNone(f.positive_share))
      << '\n';
}

// --- jsonl ---------------------------------------------------------------------------------

boost::json::value OrNull(const std::optional<double>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

boost::json::value Count(std::size_t count) {
  return boost::json::value(static_cast<std::uint64_t>(count));
}

}  // namespace

std::string_view ReportLineKindName(ReportLineKind kind) {
  switch (kind) {
    case ReportLineKind::kGroup:
      return "group";
    case ReportLineKind::kInterval:
      return "interval";
    case ReportLineKind::kTotal:
      return "total";
  }
  return "total";
}

OutcomeReport BuildOutcomeReport(std::span<const ReportRow> rows, std::span<const int> horizons,
                                 const SymbolDays& symbol_days) {
  OutcomeReport report;
  report.horizons.assign(horizons.begin(), horizons.end());
  if (!horizons.empty()) report.middle_horizon = horizons[horizons.size() / 2];

  // Interval orders by its index in Interval::All(), which is shortest first; the enums order
  // up before down and normal before strong: map order is the report's order.
  std::map<GroupKey, OutcomeTally> groups;
  std::map<core::Interval, OutcomeTally> intervals;
  OutcomeTally total(horizons);
  for (const ReportRow& row : rows) {
    const core::Candidate& c = row.candidate;
    groups.try_emplace(GroupKey{c.interval, c.direction, c.severity}, horizons)
        .first->second.Add(row.outcome, row.posts_message);
    intervals.try_emplace(c.interval, horizons).first->second.Add(row.outcome, row.posts_message);
    total.Add(row.outcome, row.posts_message);
  }

  auto group = groups.begin();
  for (const auto& [interval, tally] : intervals) {
    const std::optional<double> days = DaysOf(symbol_days, interval);
    for (; group != groups.end() && std::get<0>(group->first) == interval; ++group) {
      const auto& [key, group_tally] = *group;
      report.lines.push_back(MakeLine(ReportLineKind::kGroup, interval, std::get<1>(key),
                                      std::get<2>(key), days, group_tally.Figures()));
    }
    report.lines.push_back(MakeLine(ReportLineKind::kInterval, interval, std::nullopt, std::nullopt,
                                    days, tally.Figures()));
  }

  std::optional<double> all_days;
  for (const auto& [interval, days] : symbol_days) {
    if (DaysOf(symbol_days, interval)) all_days = all_days.value_or(0) + days;
  }
  report.lines.push_back(TotalLine(report.lines, all_days, total.Figures()));
  return report;
}

void WriteReportTable(std::ostream& out, const OutcomeReport& report) {
  std::vector<std::string> returns;
  for (int horizon : report.horizons) returns.push_back(fmt::format("ret@{} (n)", horizon));
  const std::string positive =
      report.middle_horizon ? fmt::format("pos@{}", *report.middle_horizon) : "pos";
  out << TableRow("int", "dir", "sev", "alerts", "msgs", "alerts/sd", "msgs/sd", returns, "mfe",
                  "mae", positive)
      << '\n';

  // BuildOutcomeReport always ends with the total; a default-constructed report has no lines.
  const ReportLine* total = report.lines.empty() ? nullptr : &report.lines.back();
  if (total == nullptr || total->figures.alerts == 0) {
    out << (total && total->symbol_days
                ? fmt::format("no alerts over {:.1f} symbol-days\n", *total->symbol_days)
                : std::string("no alerts\n"));
  }
  for (const ReportLine& line : report.lines) WriteTableLine(out, line);
  out << fmt::format(
      "ret, mfe, mae: medians in %, signed by direction (+ = the move carried on), (n) alerts "
      "measured; /sd: per symbol-day,\n"
      "the total's the sum over the intervals; {}: share of measured alerts with a positive "
      "return; —: no value\n",
      positive);
}

void WriteReportJsonl(std::ostream& out, const OutcomeReport& report) {
  for (const ReportLine& line : report.lines) {
    const OutcomeFigures& f = line.figures;
    boost::json::object returns;
    boost::json::object measured;
    for (std::size_t i = 0; i < report.horizons.size() && i < f.returns.size(); ++i) {
      const std::string key = std::to_string(report.horizons[i]);
      returns[key] = OrNull(f.returns[i].median);
      measured[key] = Count(f.returns[i].measured);
    }
    boost::json::object object;
    object["kind"] = ReportLineKindName(line.kind);
    object["interval"] =
        line.interval ? boost::json::value(line.interval->Name()) : boost::json::value(nullptr);
    object["direction"] = line.direction ? boost::json::value(core::DirectionName(*line.direction))
                                         : boost::json::value(nullptr);
    object["severity"] = line.severity ? boost::json::value(core::SeverityName(*line.severity))
                                       : boost::json::value(nullptr);
    object["alerts"] = Count(f.alerts);
    object["messages"] = Count(f.messages);
    object["symbol_days"] = OrNull(line.symbol_days);
    object["alerts_per_symbol_day"] = OrNull(line.alerts_per_symbol_day);
    object["messages_per_symbol_day"] = OrNull(line.messages_per_symbol_day);
    object["median_returns"] = std::move(returns);
    object["returns_measured"] = std::move(measured);
    object["median_mfe"] = OrNull(f.mfe.median);
    object["mfe_measured"] = Count(f.mfe.measured);
    object["median_mae"] = OrNull(f.mae.median);
    object["mae_measured"] = Count(f.mae.measured);
    object["middle_horizon"] = report.middle_horizon ? boost::json::value(*report.middle_horizon)
                                                     : boost::json::value(nullptr);
    object["positive_share"] = OrNull(f.positive_share);
    out << boost::json::serialize(object) << '\n';
  }
}

}  // namespace scanner::app
