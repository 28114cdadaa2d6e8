#pragma once
// The outcome report: what followed the alerts, per (interval, direction, severity) group, per
// interval and in total, and how often they fire per symbol-day (the figure thresholds are
// calibrated against: "at most 2 alerts per symbol-day summed over the intervals").
//   BuildOutcomeReport  aggregates (pure);
//   WriteReportTable    aligned columns for a terminal (under 130 columns with 3 horizons);
//   WriteReportJsonl    one JSON object per line: each group, interval and the total.
// Returns, MFE and MAE are in percent and already signed by direction (positive = the move
// carried on, see core/outcome.h). Pure functions; thread-safe.

#include <cstddef>
#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string_view>
#include <vector>

#include "app/outcome_statistics.h"
#include "core/candidate.h"
#include "core/interval.h"
#include "core/outcome.h"
#include "core/types.h"

namespace scanner::app {

// One alert as the report counts it.
struct ReportRow {
  core::Candidate candidate;
  std::optional<core::Outcome> outcome;  // nullopt: not tracked; counted, measured on nothing
  bool posts_message = true;             // false: shown by editing an earlier message
};

// Symbol-days observed per interval, the denominator of the rates: in a replay, the sum over the
// series of that interval of (bars evaluated * interval length) / 1 day.
using SymbolDays = std::map<core::Interval, double>;

enum class ReportLineKind { kGroup, kInterval, kTotal };

// "group", "interval", "total".
std::string_view ReportLineKindName(ReportLineKind kind);

struct ReportLine {
  ReportLineKind kind = ReportLineKind::kTotal;
  std::optional<core::Interval> interval;    // groups and intervals
  std::optional<core::Direction> direction;  // groups only
  std::optional<core::Severity> severity;    // groups only
  // The interval's symbol-days, nullopt when absent or not positive; for the total, the sum over
  // the intervals that have some (a symbol watched on two intervals counts twice).
  std::optional<double> symbol_days;
  // Per symbol-day: alerts (or messages) / symbol_days. For the total, the sum of the intervals'
  // rates: 0 without alerts if some interval has symbol-days; nullopt when an interval with
  // alerts has no symbol-days (the sum would be too low) or no interval has any.
  std::optional<double> alerts_per_symbol_day;
  std::optional<double> messages_per_symbol_day;
  OutcomeFigures figures;
};

struct OutcomeReport {
  std::vector<int> horizons;          // ascending, in bars
  std::optional<int> middle_horizon;  // horizons[size / 2], the one positive_share is about
  // Per interval, shortest first: its groups (up before down, normal before strong), then the
  // interval's line; the total last, always there.
  std::vector<ReportLine> lines;
};

// `horizons` ascending; a symbol-day figure that is not finite counts as absent.
OutcomeReport BuildOutcomeReport(std::span<const ReportRow> rows, std::span<const int> horizons,
                                 const SymbolDays& symbol_days);

// A header line, one line per group and interval, a total line, then two lines saying what the
// columns mean. Percentages are signed with 2 decimals ("+0.42"), the measured count follows each
// median return in parentheses, "—" stands for no value. Without alerts: "no alerts" and the
// total line.
void WriteReportTable(std::ostream& out, const OutcomeReport& report);

// One object per report line, in order, with null for every missing value; numbers as
// Boost.JSON writes them (0.1 as 1E-1, valid JSON):
// {"kind":"group","interval":"5m","direction":"up","severity":"normal","alerts":3,"messages":2,
//  "symbol_days":1.5,"alerts_per_symbol_day":2,"messages_per_symbol_day":1.33,
//  "median_returns":{"1":0.1,"5":null},"returns_measured":{"1":3,"5":0},
//  "median_mfe":0.8,"mfe_measured":3,"median_mae":-0.2,"mae_measured":3,
//  "middle_horizon":5,"positive_share":0.67}
// interval, direction and severity are null where the line spans them.
void WriteReportJsonl(std::ostream& out, const OutcomeReport& report);

}  // namespace scanner::app
