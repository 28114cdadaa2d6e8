#include "app/outcome_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/candidates.h"
#include "support/intervals.h"

namespace scanner::app {
namespace {

using core::Direction;
using core::Severity;
using support::I;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kHorizons[] = {1, 5, 20};

ReportRow Row(std::string_view interval, Direction direction, Severity severity = Severity::kNormal,
              bool posts_message = true) {
  ReportRow row;
  row.candidate = support::MakeCandidate("BTCUSDT", support::kSampleNoon - 1, interval, direction);
  row.candidate.severity = severity;
  row.posts_message = posts_message;
  return row;
}

ReportRow WithOutcome(ReportRow row, std::vector<std::optional<double>> returns,
                      std::optional<double> mfe, std::optional<double> mae) {
  core::Outcome outcome;
  outcome.horizons = {1, 5, 20};
  outcome.returns_percent = std::move(returns);
  outcome.mfe_percent = mfe;
  outcome.mae_percent = mae;
  row.outcome = std::move(outcome);
  return row;
}

// "5m up normal", "1h all all", "total".
std::string Describe(const ReportLine& line) {
  if (line.kind == ReportLineKind::kTotal) return "total";
  return std::string(line.interval->Name()) + " " +
         std::string(line.direction ? core::DirectionName(*line.direction) : "all") + " " +
         std::string(line.severity ? core::SeverityName(*line.severity) : "all");
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Table(const OutcomeReport& report) {
  std::ostringstream out;
  WriteReportTable(out, report);
  return out.str();
}

std::string Jsonl(const OutcomeReport& report) {
  std::ostringstream out;
  WriteReportJsonl(out, report);
  return out.str();
}

TEST(OutcomeReport, GroupsByIntervalThenUpBeforeDownThenNormalBeforeStrong) {
  const std::vector<ReportRow> rows = {
      Row("1h", Direction::kDown, Severity::kStrong),
      Row("5m", Direction::kDown),
      Row("5m", Direction::kUp, Severity::kStrong),
      Row("1m", Direction::kDown),
      Row("5m", Direction::kUp),
      Row("5m", Direction::kDown, Severity::kStrong),
      Row("5m", Direction::kUp),
  };
  const OutcomeReport report = BuildOutcomeReport(rows, kHorizons, {});

  std::vector<std::string> order;
  std::vector<std::size_t> alerts;
  for (const ReportLine& line : report.lines) {
    order.push_back(Describe(line));
    alerts.push_back(line.figures.alerts);
  }
  EXPECT_THAT(order, ::testing::ElementsAre("1m down normal", "1m all all", "5m up normal",
                                            "5m up strong", "5m down normal", "5m down strong",
                                            "5m all all", "1h down strong", "1h all all", "total"));
  EXPECT_THAT(alerts, ::testing::ElementsAre(1u, 1u, 2u, 1u, 1u, 1u, 5u, 1u, 1u, 7u));
  EXPECT_EQ(report.lines[1].kind, ReportLineKind::kInterval);
  EXPECT_EQ(report.lines[0].kind, ReportLineKind::kGroup);
  EXPECT_EQ(report.middle_horizon, 5);
}

TEST(OutcomeReport, MediansArePerGroupIntervalAndTotal) {
  const std::vector<ReportRow> rows = {
      WithOutcome(Row("5m", Direction::kUp), {1.0, 2.0, std::nullopt}, 4.0, -1.0),
      WithOutcome(Row("5m", Direction::kUp), {3.0, -1.0, std::nullopt}, 2.0, -3.0),
      WithOutcome(Row("5m", Direction::kDown), {-2.0, 5.0, 7.0}, 6.0, -0.5),
      Row("1h", Direction::kUp),
  };
  const OutcomeReport report = BuildOutcomeReport(rows, kHorizons, {});
  ASSERT_EQ(report.lines.size(), 6u);  // 5m up, 5m down, 5m, 1h up, 1h, total

  const OutcomeFigures& up = report.lines[0].figures;
  EXPECT_EQ(up.returns[0].median, 2.0);
  EXPECT_EQ(up.returns[1].median, 0.5);
  EXPECT_EQ(up.returns[2].median, std::nullopt);
  EXPECT_EQ(up.mfe.median, 3.0);
  EXPECT_EQ(up.mae.median, -2.0);
  EXPECT_EQ(up.positive_share, 0.5);

  const OutcomeFigures& five = report.lines[2].figures;
  EXPECT_EQ(five.returns[0].median, 1.0);  // {-2, 1, 3}
  EXPECT_EQ(five.returns[1].median, 2.0);  // {-1, 2, 5}
  EXPECT_EQ(five.returns[2].median, 7.0);

  const OutcomeFigures& total = report.lines.back().figures;
  EXPECT_EQ(total.alerts, 4u);
  EXPECT_EQ(total.returns[0].measured, 3u);  // the 1h alert has no outcome
  EXPECT_EQ(total.returns[1].median, 2.0);
  ASSERT_TRUE(total.positive_share.has_value());
  EXPECT_DOUBLE_EQ(*total.positive_share, 2.0 / 3.0);
}

TEST(OutcomeReport, RatesArePerSymbolDayOfTheIntervalAndTheTotalSumsTheIntervals) {
  const std::vector<ReportRow> rows = {
      Row("1m", Direction::kUp),
      Row("1m", Direction::kUp, Severity::kNormal, false),
      Row("1m", Direction::kDown, Severity::kNormal, false),
      Row("5m", Direction::kUp),
      Row("5m", Direction::kUp, Severity::kNormal, false),
  };
  const SymbolDays days = {{I("1m"), 10.0}, {I("5m"), 4.0}, {I("1h"), 2.0}};
  const OutcomeReport report = BuildOutcomeReport(rows, kHorizons, days);
  // 1m up, 1m down, 1m, 5m up, 5m, total.
  ASSERT_EQ(report.lines.size(), 6u);

  const ReportLine& one_up = report.lines[0];
  EXPECT_EQ(one_up.figures.alerts, 2u);
  EXPECT_EQ(one_up.figures.messages, 1u);
  EXPECT_DOUBLE_EQ(*one_up.alerts_per_symbol_day, 0.2);
  EXPECT_DOUBLE_EQ(*one_up.messages_per_symbol_day, 0.1);
  EXPECT_EQ(one_up.symbol_days, 10.0);

  const ReportLine& one = report.lines[2];
  EXPECT_EQ(one.figures.messages, 1u);
  EXPECT_DOUBLE_EQ(*one.alerts_per_symbol_day, 0.3);
  EXPECT_DOUBLE_EQ(*one.messages_per_symbol_day, 0.1);

  const ReportLine& five = report.lines[4];
  EXPECT_DOUBLE_EQ(*five.alerts_per_symbol_day, 0.5);
  EXPECT_DOUBLE_EQ(*five.messages_per_symbol_day, 0.25);

  // Not 5 alerts / 16 symbol-days (0.3125): the sum of each interval's rate; 1h adds 0.
  const ReportLine& total = report.lines.back();
  EXPECT_EQ(total.figures.alerts, 5u);
  EXPECT_EQ(total.figures.messages, 2u);
  EXPECT_DOUBLE_EQ(*total.alerts_per_symbol_day, 0.8);
  EXPECT_DOUBLE_EQ(*total.messages_per_symbol_day, 0.35);
  EXPECT_EQ(total.symbol_days, 16.0);
}

TEST(OutcomeReport, AnIntervalWithoutSymbolDaysHasNoRateAndNeitherHasTheTotal) {
  const std::vector<ReportRow> rows = {Row("1m", Direction::kUp), Row("5m", Direction::kUp)};
  const SymbolDays days = {{I("1m"), 10.0}, {I("5m"), 0.0}};
  const OutcomeReport report = BuildOutcomeReport(rows, kHorizons, days);
  ASSERT_EQ(report.lines.size(), 5u);
  EXPECT_DOUBLE_EQ(*report.lines[1].alerts_per_symbol_day, 0.1);
  EXPECT_EQ(report.lines[2].alerts_per_symbol_day, std::nullopt);
  EXPECT_EQ(report.lines[3].alerts_per_symbol_day, std::nullopt);
  EXPECT_EQ(report.lines[3].symbol_days, std::nullopt);
  EXPECT_EQ(report.lines.back().alerts_per_symbol_day, std::nullopt);
  EXPECT_EQ(report.lines.back().messages_per_symbol_day, std::nullopt);
}

TEST(OutcomeReport, TableShowsTheFiguresAligned) {
  const std::vector<ReportRow> rows = {
      WithOutcome(Row("5m", Direction::kUp), {0.42, 1.0, std::nullopt}, 2.1, -1.3),
      WithOutcome(Row("5m", Direction::kUp, Severity::kNormal, false), {0.5, -0.2, std::nullopt},
                  2.5, -0.7),
      Row("5m", Direction::kDown, Severity::kStrong),
  };
  const OutcomeReport report = BuildOutcomeReport(rows, kHorizons, {{I("5m"), 8.0}});
  const std::string table = Table(report);
  const std::vector<std::string> lines = Lines(table);
  // Header, 5m up, 5m down strong, 5m, total, two legend lines.
  ASSERT_EQ(lines.size(), 7u) << table;

  EXPECT_THAT(lines[0], HasSubstr("alerts/sd"));
  EXPECT_THAT(lines[0], HasSubstr("ret@20 (n)"));
  EXPECT_THAT(lines[0], HasSubstr("pos@5"));
  // 5m up: 2 alerts, 1 message, 0.25 and 0.125 per symbol-day; medians (0.42 + 0.5) / 2 = 0.46,
  // (1 - 0.2) / 2 = 0.4; none at 20; MFE 2.3, MAE -1.0; one of two positive at 5.
  EXPECT_THAT(lines[1], HasSubstr("5m    up   normal"));
  EXPECT_THAT(lines[1], HasSubstr("      2       1     0.250     0.125"));
  EXPECT_THAT(lines[1], HasSubstr("+0.46 (2)"));
  EXPECT_THAT(lines[1], HasSubstr("+0.40 (2)"));
  EXPECT_THAT(lines[1], HasSubstr("— (0)"));
  EXPECT_THAT(lines[1], HasSubstr("+2.30   -1.00   50.0%"));
  // Nothing measured: dashes.
  EXPECT_THAT(lines[2], HasSubstr("5m    down strong"));
  EXPECT_THAT(lines[2], HasSubstr("—       —       —"));
  EXPECT_THAT(lines[3], HasSubstr("5m    all  all          3       2     0.375     0.250"));
  EXPECT_THAT(lines[4], HasSubstr("total all  all          3       2     0.375     0.250"));
  EXPECT_THAT(table, Not(HasSubstr("no alerts")));

  // Columns line up: every row is as wide as the header (counting "—" as one column).
  const auto width = [](const std::string& s) {
    std::size_t columns = 0;
    for (unsigned char c : s) columns += (c & 0xC0) != 0x80;
    return columns;
  };
  for (std::size_t i = 1; i <= 4; ++i) EXPECT_EQ(width(lines[i]), width(lines[0])) << lines[i];
  for (const std::string& line : lines) EXPECT_LE(width(line), 130u) << line;
}

TEST(OutcomeReport, JsonlIsOneParsableObjectPerLineWithNullsForMissingValues) {
  const std::vector<ReportRow> rows = {
      WithOutcome(Row("5m", Direction::kUp), {0.5, std::nullopt, std::nullopt}, std::nullopt,
                  -0.25),
      Row("1h", Direction::kDown, Severity::kNormal, false),
  };
  const OutcomeReport report = BuildOutcomeReport(rows, kHorizons, {{I("5m"), 2.0}});
  const std::vector<std::string> lines = Lines(Jsonl(report));
  ASSERT_EQ(lines.size(), report.lines.size());
  ASSERT_EQ(lines.size(), 5u);  // 5m up, 5m, 1h down, 1h, total

  simdjson::dom::parser parser;
  std::vector<std::string> kinds;
  for (const std::string& line : lines) {
    simdjson::dom::element object;
    ASSERT_EQ(parser.parse(line).get(object), simdjson::SUCCESS) << line;
    std::string_view kind;
    ASSERT_EQ(object["kind"].get(kind), simdjson::SUCCESS) << line;
    kinds.emplace_back(kind);
  }
  EXPECT_THAT(kinds, ::testing::ElementsAre("group", "interval", "group", "interval", "total"));

  simdjson::dom::element group;
  ASSERT_EQ(parser.parse(lines[0]).get(group), simdjson::SUCCESS);
  EXPECT_EQ(std::string_view(group["interval"]), "5m");
  EXPECT_EQ(std::string_view(group["direction"]), "up");
  EXPECT_EQ(std::string_view(group["severity"]), "normal");
  EXPECT_EQ(std::uint64_t(group["alerts"]), 1u);
  EXPECT_EQ(std::uint64_t(group["messages"]), 1u);
  EXPECT_EQ(double(group["symbol_days"]), 2.0);
  EXPECT_EQ(double(group["alerts_per_symbol_day"]), 0.5);
  EXPECT_EQ(double(group["median_returns"]["1"]), 0.5);
  EXPECT_TRUE(group["median_returns"]["5"].is_null());
  EXPECT_TRUE(group["median_returns"]["20"].is_null());
  EXPECT_EQ(std::uint64_t(group["returns_measured"]["1"]), 1u);
  EXPECT_EQ(std::uint64_t(group["returns_measured"]["5"]), 0u);
  EXPECT_TRUE(group["median_mfe"].is_null());
  EXPECT_EQ(std::uint64_t(group["mfe_measured"]), 0u);
  EXPECT_EQ(double(group["median_mae"]), -0.25);
  EXPECT_EQ(std::int64_t(group["middle_horizon"]), 5);
  EXPECT_TRUE(group["positive_share"].is_null());

  simdjson::dom::element hour;
  ASSERT_EQ(parser.parse(lines[3]).get(hour), simdjson::SUCCESS);
  EXPECT_EQ(std::string_view(hour["interval"]), "1h");
  EXPECT_TRUE(hour["direction"].is_null());
  EXPECT_TRUE(hour["severity"].is_null());
  EXPECT_EQ(std::uint64_t(hour["messages"]), 0u);
  EXPECT_TRUE(hour["symbol_days"].is_null());
  EXPECT_TRUE(hour["alerts_per_symbol_day"].is_null());
  EXPECT_TRUE(hour["median_returns"]["1"].is_null());

  simdjson::dom::element total;
  ASSERT_EQ(parser.parse(lines[4]).get(total), simdjson::SUCCESS);
  EXPECT_TRUE(total["interval"].is_null());
  EXPECT_EQ(std::uint64_t(total["alerts"]), 2u);
  EXPECT_TRUE(total["alerts_per_symbol_day"].is_null());  // 1h has alerts but no symbol-days
  EXPECT_EQ(double(total["symbol_days"]), 2.0);
}

TEST(OutcomeReport, WithoutAlertsTheTableSaysSoAndJsonlHasOnlyTheTotal) {
  const OutcomeReport report =
      BuildOutcomeReport(std::span<const ReportRow>{}, kHorizons, {{I("5m"), 12.5}});
  ASSERT_EQ(report.lines.size(), 1u);

  const std::vector<std::string> table = Lines(Table(report));
  ASSERT_GE(table.size(), 3u);
  EXPECT_THAT(table[1], HasSubstr("no alerts over 12.5 symbol-days"));
  EXPECT_THAT(table[2], HasSubstr("total all  all          0       0     0.000     0.000"));
  EXPECT_THAT(table[2], HasSubstr("— (0)"));

  const std::vector<std::string> jsonl = Lines(Jsonl(report));
  ASSERT_EQ(jsonl.size(), 1u);
  simdjson::dom::parser parser;
  simdjson::dom::element total;
  ASSERT_EQ(parser.parse(jsonl[0]).get(total), simdjson::SUCCESS) << jsonl[0];
  EXPECT_EQ(std::string_view(total["kind"]), "total");
  EXPECT_EQ(std::uint64_t(total["alerts"]), 0u);
  EXPECT_EQ(double(total["alerts_per_symbol_day"]), 0.0);
  EXPECT_TRUE(total["median_returns"]["5"].is_null());
  EXPECT_TRUE(total["positive_share"].is_null());
}

TEST(OutcomeReport, WithoutAlertsOrSymbolDaysRatesAreUnknown) {
  const OutcomeReport report = BuildOutcomeReport(std::span<const ReportRow>{}, kHorizons, {});
  EXPECT_EQ(report.lines.back().alerts_per_symbol_day, std::nullopt);
  const std::vector<std::string> table = Lines(Table(report));
  ASSERT_GE(table.size(), 2u);
  EXPECT_EQ(table[1], "no alerts");
  // A report that was never built still prints.
  EXPECT_THAT(Table(OutcomeReport{}), HasSubstr("no alerts"));
  EXPECT_EQ(Jsonl(OutcomeReport{}), "");
}

}  // namespace
}  // namespace scanner::app
