#include "app/replay_command.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fmt/format.h>
#include <boost/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/signal_settings_from_config.h"
#include "config/defaults.h"
#include "replay/kline_file_reader.h"
#include "signals/series_indicators.h"
#include "support/bar_series.h"
#include "support/database_on_disk.h"
#include "support/fixture_files.h"
#include "support/intervals.h"
#include "support/scratch_dir.h"
#include "support/zip_file.h"

namespace scanner::app {
namespace {

inline std::string FixturePath(const std::string& name) {
  return support::FixturePath("replay", name);
}

using support::BinanceRow;
using support::I;
using support::ScratchDir;
using support::SeriesMaker;
using support::SimpleRow;

constexpr core::Millis kStart = 1'735'689'600'000;  // 2025-01-01T00:00:00Z

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

Outcome RunWith(const ReplayOptions& options,
                const config::Config& config = config::DefaultConfig(core::Market::kSpot),
                const ReplayHooks& hooks = {}) {
  std::ostringstream out;
  std::ostringstream err;
  Outcome outcome;
  outcome.code = RunReplay(options, config, out, err, hooks);
  outcome.out = out.str();
  outcome.err = err.str();
  return outcome;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every stdout line as a JSON object; fails the test on anything else.
std::vector<boost::json::object> ParseJsonLines(const std::string& out) {
  std::vector<boost::json::object> objects;
  for (const std::string& line : SplitLines(out)) {
    boost::system::error_code error;
    boost::json::value value = boost::json::parse(line, error);
    EXPECT_FALSE(error) << "not JSON: " << line;
    EXPECT_TRUE(value.is_object()) << line;
    if (!error && value.is_object()) objects.push_back(value.as_object());
  }
  return objects;
}

// The fixture's bars, read independently of the replay reader: open_time,o,h,l,c,volume.
std::vector<core::Bar> ReadOhlcvFixture(const std::string& name, core::Millis duration) {
  std::ifstream in(FixturePath(name));
  std::vector<core::Bar> bars;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string field;
    std::vector<double> values;
    while (std::getline(fields, field, ',')) values.push_back(std::stod(field));
    core::Bar bar;
    bar.open_time = static_cast<core::Millis>(values.at(0));
    bar.close_time = bar.open_time + duration - 1;
    bar.open = values.at(1);
    bar.high = values.at(2);
    bar.low = values.at(3);
    bar.close = values.at(4);
    bar.volume = values.at(5);
    bar.quote_volume = values[5] * values[4];
    bar.closed = true;
    bars.push_back(bar);
  }
  return bars;
}

void ExpectNearRelative(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::max(1.0, std::fabs(expected))) << what;
}

TEST(RunReplay, ReplaysTheRealBinanceVisionFilesAndReportsTheGapBetweenThem) {
  ReplayOptions options;
  options.files = {FixturePath("ADABTC-1m-2021-11-28.csv"),
                   FixturePath("ADABTC-1m-2021-11-27.csv")};
  const Outcome table = RunWith(options);
  EXPECT_EQ(table.code, kExitOk) << table.err;
  ASSERT_EQ(SplitLines(table.out).size(), 1u);  // the header only: 21 bars never warm up
  EXPECT_TRUE(Contains(table.out, "close (UTC)"));
  EXPECT_TRUE(Contains(table.err, "replay summary: 2 file(s), 1 series, 21 bars read"))
      << table.err;
  EXPECT_TRUE(Contains(table.err, "ADABTC-1m-2021-11-27.csv  ADABTC 1m  10 bars"));
  EXPECT_TRUE(Contains(table.err, "ADABTC-1m-2021-11-28.csv  ADABTC 1m  11 bars"));
  EXPECT_TRUE(Contains(table.err, "alerts: 0 new"));
  EXPECT_TRUE(Contains(table.err,
                       "ADABTC-1m-2021-11-28.csv:1: gap: no ADABTC 1m bars from "
                       "2021-11-27T00:10:00.000Z to 2021-11-28T00:00:00.000Z "
                       "(1430 bars missing)"))
      << table.err;
  EXPECT_TRUE(Contains(table.err, "problems: 1 (gap 1); 0 row(s) skipped"));

  options.format = "jsonl";
  const Outcome jsonl = RunWith(options);
  EXPECT_EQ(jsonl.code, kExitOk);
  EXPECT_EQ(jsonl.out, "");
}

// Replays a real OHLCV fixture and checks every alert against indicators computed separately.
void ExpectConsistentAlerts(const std::string& name, std::size_t bar_count,
                            const config::Config& config, std::size_t min_alerts) {
  ReplayOptions options;
  options.files = {FixturePath(name)};
  options.symbol = "XRPUSDT";
  options.interval = "5m";
  options.format = "jsonl";
  const Outcome outcome = RunWith(options, config);
  ASSERT_EQ(outcome.code, kExitOk) << outcome.err;
  EXPECT_TRUE(Contains(outcome.err, fmt::format("1 series, {} bars read", bar_count)))
      << outcome.err;
  EXPECT_TRUE(Contains(outcome.err, "problems: none"));
  const std::vector<boost::json::object> alerts = ParseJsonLines(outcome.out);
  ASSERT_GE(alerts.size(), min_alerts) << outcome.err;
  EXPECT_TRUE(Contains(outcome.err, fmt::format("alerts: {} new", alerts.size())));

  const signals::SignalSettings settings =
      app::SignalSettingsFromConfig(config.signals, config.exchange.market);
  const std::vector<core::Bar> bars = ReadOhlcvFixture(name, 5 * core::kMinute);
  ASSERT_EQ(bars.size(), bar_count);
  signals::SeriesIndicators indicators(settings.windows);
  std::size_t next_alert = 0;
  core::Millis last_up = -1;
  core::Millis last_down = -1;
  for (const core::Bar& bar : bars) {
    const signals::IndicatorValues values = indicators.Update(bar);
    if (next_alert == alerts.size()) break;
    const boost::json::object& alert = alerts[next_alert];
    if (alert.at("open_time").to_number<core::Millis>() != bar.open_time) continue;
    ++next_alert;
    const std::string what = boost::json::serialize(alert);
    EXPECT_EQ(alert.at("symbol").as_string(), "XRPUSDT");
    EXPECT_EQ(alert.at("interval").as_string(), "5m");
    EXPECT_EQ(alert.at("close_time").to_number<core::Millis>(), bar.close_time);
    ASSERT_TRUE(values.momentum && values.return_z && values.volume_z && values.atr_before) << what;
    // A real move by the signal's definition ...
    EXPECT_GE(std::fabs(*values.momentum), settings.min_atr_move) << what;
    EXPECT_GE(*values.volume_z, settings.min_volume_z) << what;
    EXPECT_GE(std::fabs(*values.return_z), settings.min_return_z) << what;
    ASSERT_TRUE(values.change_percent) << what;
    EXPECT_GE(std::fabs(*values.change_percent), settings.MinChangePercent(I("5m"))) << what;
    const std::string direction = *values.momentum > 0 ? "up" : "down";
    EXPECT_EQ(alert.at("direction").as_string(), direction) << what;
    // ... with the numbers the indicators give.
    ExpectNearRelative(alert.at("atr_move").to_number<double>(), *values.momentum, what);
    ExpectNearRelative(alert.at("return_z").to_number<double>(), *values.return_z, what);
    ExpectNearRelative(alert.at("volume_z").to_number<double>(), *values.volume_z, what);
    ExpectNearRelative(alert.at("atr").to_number<double>(), *values.atr_before, what);
    ExpectNearRelative(alert.at("close").to_number<double>(), bar.close, what);
    ExpectNearRelative(alert.at("quote_volume").to_number<double>(), bar.volume * bar.close, what);
    // The cooldown between alerts of one direction.
    core::Millis& last = direction == "up" ? last_up : last_down;
    if (last >= 0) {
      EXPECT_GE(bar.close_time - last, settings.cooldown) << what;
    }
    last = bar.close_time;
  }
  EXPECT_EQ(next_alert, alerts.size()) << "an alert's bar is not in the fixture, or out of order";
}

TEST(RunReplay, ReplaysTheRealFuturesCandlesWithAlertsThatAreRealMoves) {
  ExpectConsistentAlerts("XRPUSDT-PERP_5m_2021-11.csv", 1999,
                         config::DefaultConfig(core::Market::kSpot), 1);
}

TEST(RunReplay, ReplaysTheRealIlliquidCandlesWithLowerThresholds) {
  config::Config config = config::DefaultConfig(core::Market::kSpot);
  config.signals.min_atr_move = 1.5;
  config.signals.min_volume_z = 1.0;
  config.signals.cooldown = 10 * core::kMinute;
  // Every move of this pair that passes the lower thresholds is under the 5m default floor
  // (1.7 %): the floor is off here so that the rest of the signal is exercised.
  config.signals.min_change_percent = {{I("5m"), 0.0}};
  ExpectConsistentAlerts("XRPETH_5m_2019-10.csv", 712, config, 1);
}

TEST(RunReplay, WritesEveryCandidateFieldInJsonLines) {
  ScratchDir dir;
  SeriesMaker maker(kStart, I("1m"));
  std::string rows;
  for (int i = 0; i < 60; ++i) rows += BinanceRow(maker.Calm(), 1000);  // µs, like 2025 spot
  const core::Bar spike = maker.Spike(-5);
  rows += BinanceRow(spike, 1000);
  ReplayOptions options;
  // A zip made here, read in place; symbol and interval from its name.
  options.files = {support::WriteZip(dir.Path("SOLUSDT-1m-2025-01-01.zip"),
                                     {{"SOLUSDT-1m-2025-01-01.csv", rows}})};
  options.format = "jsonl";
  const Outcome outcome = RunWith(options);
  ASSERT_EQ(outcome.code, kExitOk) << outcome.err;
  const std::vector<boost::json::object> alerts = ParseJsonLines(outcome.out);
  ASSERT_EQ(alerts.size(), 1u) << outcome.err;
  const boost::json::object& alert = alerts[0];
  for (const char* key :
       {"market", "symbol", "interval", "open_time", "close_time", "time", "direction", "severity",
        "close", "change_percent", "atr_move", "return_z", "volume_z", "quote_volume",
        "quote_volume_24h", "atr", "atr_percent", "confirmations", "outcome"}) {
    EXPECT_TRUE(alert.contains(key)) << key;
  }
  EXPECT_EQ(alert.size(), 19u);
  EXPECT_EQ(alert.at("market").as_string(), "spot");
  EXPECT_EQ(alert.at("symbol").as_string(), "SOLUSDT");
  EXPECT_EQ(alert.at("interval").as_string(), "1m");
  EXPECT_EQ(alert.at("open_time").as_int64(), spike.open_time);  // ms, from µs in the file
  EXPECT_EQ(alert.at("close_time").as_int64(), spike.close_time);
  EXPECT_EQ(alert.at("time").as_string(), "2025-01-01T01:01:00.000Z");
  EXPECT_EQ(alert.at("direction").as_string(), "down");
  EXPECT_LT(alert.at("atr_move").as_double(), -2.5);
  EXPECT_NEAR(alert.at("close").as_double(), spike.close, 1e-6);
  EXPECT_TRUE(alert.at("confirmations").as_array().empty());
  EXPECT_TRUE(Contains(outcome.err, "  SOLUSDT        1m  down 1\n"));
  // The file ends with the alert's bar: nothing after it could be measured.
  const boost::json::object& measured = alert.at("outcome").as_object();
  const boost::json::object& returns = measured.at("returns").as_object();
  EXPECT_EQ(returns.size(), 3u);
  for (const char* horizon : {"1", "5", "20"}) EXPECT_TRUE(returns.at(horizon).is_null());
  EXPECT_TRUE(measured.at("mfe_percent").is_null());
  EXPECT_TRUE(measured.at("mae_percent").is_null());
}

// The outcome is computed from the bars after the alert's in the file: d * (close at t+h / C - 1)
// and the excursions over t+1 .. t+20; a horizon past the end of the file is null.
TEST(RunReplay, EachAlertCarriesItsOutcomeFromTheFollowingBars) {
  ScratchDir dir;
  SeriesMaker maker(kStart, I("1m"));
  std::vector<core::Bar> bars;
  for (int i = 0; i < 60; ++i) bars.push_back(maker.Calm());
  bars.push_back(maker.Spike(-5));  // a down alert, bar t
  maker.SetLevel(94);
  for (int i = 0; i < 10; ++i) bars.push_back(maker.Calm());  // t+1 .. t+10, then the end
  std::string rows;
  for (const core::Bar& bar : bars) rows += BinanceRow(bar);
  const std::string path = dir.Path("ETHUSDT-1m-2025-01-01.csv");
  std::ofstream(path) << rows;
  ReplayOptions options;
  options.files = {path};
  options.format = "jsonl";
  const Outcome run = RunWith(options);
  ASSERT_EQ(run.code, kExitOk) << run.err;
  const std::vector<boost::json::object> alerts = ParseJsonLines(run.out);
  ASSERT_EQ(alerts.size(), 1u) << run.err;
  const boost::json::object& measured = alerts[0].at("outcome").as_object();
  const boost::json::object& returns = measured.at("returns").as_object();
  const double c = bars[60].close;
  // Down: d = -1; the rows carry 6 decimals (std::to_string), hence the tolerance.
  EXPECT_NEAR(returns.at("1").as_double(), -(bars[61].close / c - 1) * 100, 1e-4);
  EXPECT_NEAR(returns.at("5").as_double(), -(bars[65].close / c - 1) * 100, 1e-4);
  EXPECT_TRUE(returns.at("20").is_null());
  EXPECT_TRUE(measured.at("mfe_percent").is_null());  // needs every bar up to t+20
}

TEST(RunReplay, ReportsBadInputWithFileAndLineAndReplaysTheRest) {
  ScratchDir dir;
  // A series with a hole before a jump (no alert may come of it) and a real spike at the end,
  // with broken rows in between.
  SeriesMaker maker(kStart, I("1m"));
  std::vector<std::string> lines = {"open_time,open,high,low,close,volume,quote_volume\n"};
  for (int i = 0; i < 60; ++i) lines.push_back(SimpleRow(maker.Calm()));
  maker.Skip(10);
  maker.SetLevel(110);
  const core::Bar jump = maker.Spike(10);
  lines.push_back(SimpleRow(jump));                // line 62: after the hole
  lines.push_back(SimpleRow(jump));                // line 63: duplicate
  lines.push_back("1735693860000,1,x,1,1,1,1\n");  // line 64: not numeric
  lines.push_back("1735693860000,1,1\n");          // line 65: column count
  for (int i = 0; i < 60; ++i) lines.push_back(SimpleRow(maker.Calm()));
  lines.push_back(SimpleRow(jump));  // line 126: out of order
  const core::Bar spike = maker.Spike(5);
  lines.push_back(SimpleRow(spike));  // line 127: the real move
  std::string text;
  for (const std::string& line : lines) text += line;
  const std::string csv = dir.Write("BTCUSDT-1m-2025-01.csv", text);

  const std::string truncated = support::WriteZip(dir.Path("ETHUSDT-1m-2025-01-01.zip"),
                                                  {{"ETHUSDT-1m-2025-01-01.csv", text}});
  std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) / 2);

  ReplayOptions options;
  options.files = {truncated, csv, dir.Path("ADAUSDT-1m-2025-01-01.csv")};  // the last is missing
  options.format = "jsonl";
  const Outcome outcome = RunWith(options);
  ASSERT_EQ(outcome.code, kExitOk) << outcome.err;
  const std::vector<boost::json::object> alerts = ParseJsonLines(outcome.out);
  ASSERT_EQ(alerts.size(), 1u) << outcome.out << outcome.err;
  EXPECT_EQ(alerts[0].at("open_time").as_int64(), spike.open_time);
  EXPECT_EQ(alerts[0].at("symbol").as_string(), "BTCUSDT");

  const std::string& err = outcome.err;
  EXPECT_TRUE(Contains(err, "3 file(s) (2 unreadable), 3 series, 122 bars read")) << err;
  EXPECT_TRUE(Contains(err, truncated + ": unreadable: cannot open zip archive")) << err;
  EXPECT_TRUE(Contains(err, dir.Path("ADAUSDT-1m-2025-01-01.csv") + ": unreadable: cannot open"));
  EXPECT_TRUE(Contains(err, csv + ":62: gap: no BTCUSDT 1m bars from 2025-01-01T01:00:00.000Z to "
                                  "2025-01-01T01:10:00.000Z (10 bars missing)"))
      << err;
  EXPECT_TRUE(Contains(err, csv + ":63: duplicate: "));
  EXPECT_TRUE(Contains(err, csv + ":64: not_numeric: column 3 (high): \"x\""));
  EXPECT_TRUE(Contains(err, csv + ":65: column_count: 3 columns; expected 7"));
  EXPECT_TRUE(Contains(err, csv + ":126: out_of_order: "));
  EXPECT_TRUE(Contains(err,
                       "problems: 7 (unreadable 2, column_count 1, not_numeric 1, "
                       "duplicate 1, out_of_order 1, gap 1); 4 row(s) skipped"))
      << err;
  EXPECT_TRUE(Contains(err, "1 gap(s)"));
}

TEST(RunReplay, RejectsBadUsageWithExitCodeTwo) {
  const auto code_of = [](ReplayOptions options, const ReplayHooks& hooks = {}) {
    return RunWith(options, config::DefaultConfig(core::Market::kSpot), hooks).code;
  };
  const std::string file = FixturePath("ADABTC-1m-2021-11-27.csv");
  EXPECT_EQ(code_of({}), kExitUsage);
  ReplayOptions options;
  options.files = {file};
  options.format = "csv";
  EXPECT_EQ(code_of(options), kExitUsage);
  options.format = "table";
  options.interval = "7m";
  EXPECT_EQ(code_of(options), kExitUsage);
  options.interval.reset();
  options.files = {FixturePath("XRPUSDT-PERP_5m_2021-11.csv")};  // the name says nothing
  const Outcome unnamed = RunWith(options);
  EXPECT_EQ(unnamed.code, kExitUsage);
  EXPECT_TRUE(Contains(unnamed.err, "give --symbol and --interval"));
  options.symbol = "XRPUSDT";  // the interval is still unknown
  EXPECT_EQ(code_of(options), kExitUsage);
  options.files = {file};
  options.symbol.reset();
  options.send = true;  // and nothing wired to send with
  EXPECT_EQ(code_of(options), kExitUsage);
  config::Config bad = config::DefaultConfig(core::Market::kSpot);
  bad.signals.zscore_window = 1;
  options.send = false;
  EXPECT_EQ(RunWith(options, bad).code, kExitUsage);
}

TEST(RunReplay, FailsWithExitCodeOneWhenNothingCanBeRead) {
  ScratchDir dir;
  ReplayOptions options;
  options.files = {dir.Path("BTCUSDT-1m-2024-01-01.zip")};
  const Outcome missing = RunWith(options);
  EXPECT_EQ(missing.code, kExitFailure);
  EXPECT_TRUE(Contains(missing.err, "no input file could be read"));
  options.files = {dir.Write("BTCUSDT-1m-2024-01-02.csv", "a,b\nc,d\n")};
  const Outcome junk = RunWith(options);
  EXPECT_EQ(junk.code, kExitFailure);
  EXPECT_TRUE(Contains(junk.err, "no bar could be read"));
}

TEST(RunReplay, ASecondReplayIntoTheSameDatabaseAddsNoAlert) {
  ScratchDir dir;
  ReplayOptions options;
  options.files = {FixturePath("XRPUSDT-PERP_5m_2021-11.csv")};
  options.symbol = "XRPUSDT";
  options.interval = "5m";
  options.format = "jsonl";
  options.database = dir.Path("replay.db");
  const Outcome first = RunWith(options);
  ASSERT_EQ(first.code, kExitOk) << first.err;
  const std::size_t alerts = ParseJsonLines(first.out).size();
  ASSERT_GT(alerts, 0u);
  const Outcome second = RunWith(options);
  ASSERT_EQ(second.code, kExitOk) << second.err;
  EXPECT_EQ(second.out, "");
  EXPECT_TRUE(Contains(second.err, "alerts: 0 new")) << second.err;

  // The database holds each alert once.
  support::DatabaseOnDisk db(*options.database);
  ASSERT_NO_FATAL_FAILURE(db.Open());
  auto count = db->Prepare("SELECT COUNT(*) FROM alerts");
  ASSERT_TRUE(count);
  ASSERT_TRUE(count->Step().value_or(false));
  EXPECT_EQ(count->ColumnInt(0), static_cast<std::int64_t>(alerts));
}

TEST(RunReplay, HandsNewAlertsToTheSendHookOnlyWithSendAndDeletesItsTemporaryDatabase) {
  ScratchDir dir;
  const char* previous = std::getenv("TMPDIR");
  const std::string saved = previous ? previous : "";
  ::setenv("TMPDIR", dir.Path("").c_str(), 1);

  std::vector<core::Candidate> sent;
  std::size_t temporary_entries_during_run = 0;
  ReplayHooks hooks;
  hooks.destinations = {"console"};
  hooks.on_alert = [&](const core::Candidate& c, const core::ChartSpec*) {
    sent.push_back(c);
    temporary_entries_during_run = static_cast<std::size_t>(std::distance(
        std::filesystem::directory_iterator(dir.Path("")), std::filesystem::directory_iterator()));
  };
  ReplayOptions options;
  options.files = {FixturePath("XRPUSDT-PERP_5m_2021-11.csv")};
  options.symbol = "XRPUSDT";
  options.interval = "5m";
  options.format = "jsonl";
  const Outcome quiet = RunWith(options, config::DefaultConfig(core::Market::kSpot), hooks);
  ASSERT_EQ(quiet.code, kExitOk);
  EXPECT_TRUE(sent.empty());  // no --send: the hook is not used

  options.send = true;
  const Outcome sending = RunWith(options, config::DefaultConfig(core::Market::kSpot), hooks);
  if (previous) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  ASSERT_EQ(sending.code, kExitOk) << sending.err;
  const std::vector<boost::json::object> printed = ParseJsonLines(sending.out);
  ASSERT_EQ(sent.size(), printed.size());
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(printed[0].at("close_time").as_int64(), sent[0].bar_close_time);
  EXPECT_EQ(temporary_entries_during_run, 1u);           // the replay's own temporary folder ...
  EXPECT_TRUE(std::filesystem::is_empty(dir.Path("")));  // ... removed at the end
  EXPECT_TRUE(Contains(sending.err, "temporary, deleted at exit"));
}

TEST(RunReplay, PrintsAReadableTableByDefault) {
  ReplayOptions options;
  options.files = {FixturePath("XRPUSDT-PERP_5m_2021-11.csv")};
  options.symbol = "XRPUSDT";
  options.interval = "5m";
  const Outcome table = RunWith(options);
  ASSERT_EQ(table.code, kExitOk);
  options.format = "jsonl";
  const Outcome jsonl = RunWith(options);
  const std::vector<std::string> rows = SplitLines(table.out);
  ASSERT_EQ(rows.size(), SplitLines(jsonl.out).size() + 1);  // header + one row per alert
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0].rfind("close (UTC)", 0), 0u);
  EXPECT_TRUE(Contains(rows[1], " XRPUSDT "));
  EXPECT_TRUE(Contains(rows[1], " 5m "));
  EXPECT_TRUE(Contains(rows[1], "2021-11-"));
}

}  // namespace
}  // namespace scanner::app
