#include "app/service_metrics.h"

#include "app/recent_outcomes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace scanner::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ServiceMetrics, EveryFamilyTheIssueNamesIsWrittenWithItsValue) {
  MetricsInputs in;
  in.feed.pool.parse.kline_frames = 1200;
  in.feed.pool.parse.invalid_json = 2;
  in.feed.pool.connections = 3;
  in.feed.pool.connections_open = 2;
  in.feed.pool.reconnects = 7;
  in.feed.pool.watchdog_trips = 1;
  in.feed.pool.streams_unsubscribed = 3;
  in.feed.pool.resubscribes = 8;
  in.feed.fill.gap_fill_requests = 4;
  in.feed.fill.bars_filled = 19;
  in.feed.fill.refused_bars[static_cast<std::size_t>(market::BarDefect::kAbsurdRange)] = 4;
  in.rest_weight_used = 42;
  in.rest.klines_without_server_time = 2;
  in.weight.responses_429 = 1;
  in.weight.responses_418 = 1;
  in.pipeline.bars_evaluated = 900;
  in.pipeline.candidates = 5;
  in.signal_series = 16;
  in.signal_series_warm = 12;
  in.pipeline.alerts_inserted = 3;
  in.pipeline.alerts_deduplicated = 2;
  in.dispatcher.sent = 3;
  in.dispatcher.failed = 1;
  in.dispatcher.discord_429 = 6;
  in.dispatcher.joins = 4;
  in.dispatcher.edits_done = 9;
  in.dispatcher.pending = {{"discord:123", 2}};
  in.dead_destinations = {"discord:456"};
  in.orphaned_deliveries = {{"discord:789", 5}};
  in.unstored_alerts = 1;
  in.pipeline.unstored_dropped = 2;
  in.event_loop_lag_seconds = 0.002;
  in.last_message_age_seconds = 0.5;
  in.healthy = true;
  const std::string text = WriteServiceMetrics(in);

  for (const char* line : {
           "scanner_up 1\n",
           "scanner_ws_messages_total{kind=\"kline\"} 1200\n",
           "scanner_parse_errors_total{kind=\"invalid_json\"} 2\n",
           "scanner_ws_connections_open 2\n",
           "scanner_ws_connections_planned 3\n",
           "scanner_ws_reconnects_total 7\n",
           "scanner_stale_watchdog_trips_total 1\n",
           "scanner_ws_streams_unsubscribed 3\n",
           "scanner_ws_resubscribes_total 8\n",
           "scanner_gap_fill_requests_total 4\n",
           "scanner_gap_fill_bars_total 19\n",
           "scanner_rest_weight_used 42\n",
           "scanner_rest_klines_without_date_total 2\n",
           "scanner_rest_rate_limited_total{status=\"429\"} 1\n",
           "scanner_rest_rate_limited_total{status=\"418\"} 1\n",
           "scanner_bars_evaluated_total 900\n",
           "scanner_candidates_total 5\n",
           "scanner_signal_series 16\n",
           "scanner_signal_series_warm 12\n",
           "scanner_alerts_inserted_total 3\n",
           "scanner_alerts_deduplicated_total 2\n",
           "scanner_deliveries_sent_total 3\n",
           "scanner_deliveries_failed_total 1\n",
           "scanner_deliveries_pending{destination=\"discord:123\"} 2\n",
           "scanner_deliveries_pending_total 2\n",
           "scanner_discord_rate_limited_total 6\n",
           "scanner_discord_joins_total 4\n",
           "scanner_discord_outcome_edits_total 9\n",
           "scanner_webhook_dead{destination=\"discord:456\"} 1\n",
           "scanner_deliveries_orphaned{destination=\"discord:789\"} 5\n",
           "scanner_alerts_unstored 1\n",
           "scanner_alerts_lost_total 2\n",
           "scanner_bars_refused_total{defect=\"absurd_range\"} 4\n",
           "scanner_bars_refused_total{defect=\"off_interval\"} 0\n",
           "scanner_event_loop_lag_seconds 0.002\n",
           "scanner_last_message_age_seconds 0.5\n",
       }) {
    EXPECT_THAT(text, HasSubstr(line));
  }
  EXPECT_THAT(text, HasSubstr("# TYPE scanner_alerts_inserted_total counter\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE scanner_ws_connections_open gauge\n"));
}

TEST(ServiceMetrics, TickerRowsSkippedByTheUniverseAreCounted) {
  MetricsInputs in;
  in.universe.ticker_rows_skipped = 3;
  const std::string text = WriteServiceMetrics(in);
  EXPECT_THAT(text, HasSubstr("# TYPE scanner_universe_ticker_rows_skipped_total counter\n"));
  EXPECT_THAT(text, HasSubstr("\nscanner_universe_ticker_rows_skipped_total 3\n"));
}

TEST(ServiceMetrics, EverySampleLineIsWellFormed) {
  const std::string text = WriteServiceMetrics(MetricsInputs{});
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
    // name{labels} value
    EXPECT_THAT(line,
                ::testing::MatchesRegex(
                    R"(scanner_[a-z0-9_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+]+)"))
        << line;
  }
  EXPECT_THAT(text, Not(HasSubstr("scanner_last_message_age_seconds")));  // no message yet
}

}  // namespace
}  // namespace scanner::app

namespace scanner::app {
namespace {

core::Candidate AlertAt(std::string_view interval, core::Millis close_time) {
  core::Candidate alert;
  alert.symbol = "BTCUSDT";
  alert.interval = *core::Interval::Parse(interval);
  alert.bar_close_time = close_time;
  return alert;
}

core::Outcome Returns(double r1, double r5, double r20, double mfe, double mae) {
  return core::Outcome{{1, 5, 20}, {r1, r5, r20}, mfe, mae, true};
}

// Per interval, over the last day: medians of each horizon, MFE and MAE, the share positive at
// the middle horizon; an alert older than the window no longer counts.
TEST(ServiceMetrics, OutcomeSummariesPerIntervalOverTheRecentWindow) {
  constexpr core::Millis kNow = 1'700'000'000'000;
  RecentOutcomes recent({1, 5, 20}, core::kDay);
  recent.Add(AlertAt("1m", kNow - 2 * core::kDay), Returns(9, 9, 9, 9, 9));  // too old
  recent.Add(AlertAt("1m", kNow - 3 * core::kHour), Returns(0.1, -0.4, 1.0, 2.0, -1.0));
  recent.Add(AlertAt("1m", kNow - 2 * core::kHour), Returns(0.3, 0.2, 2.0, 3.0, -0.5));
  recent.Add(AlertAt("1m", kNow - core::kHour), Returns(0.2, 0.6, -1.0, 1.0, -2.0));
  recent.Add(AlertAt("1h", kNow - core::kHour), Returns(1.5, 2.5, 3.5, 4.0, -0.2));
  MetricsInputs in;
  in.pipeline.outcomes_completed = 5;
  in.outcomes = recent.Figures(kNow);
  in.outcome_horizons = recent.horizons();
  in.outcome_window = recent.window();
  const std::string text = WriteServiceMetrics(in);
  EXPECT_THAT(text, HasSubstr("scanner_alert_outcomes_completed_total 5\n"));
  EXPECT_THAT(text, HasSubstr("scanner_alert_outcomes{interval=\"1m\",window=\"1d\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("scanner_alert_outcomes{interval=\"1h\",window=\"1d\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("scanner_alert_outcome_return_median_percent{interval=\"1m\","
                              "horizon=\"5\",window=\"1d\"} 0.2\n"));
  EXPECT_THAT(text, HasSubstr("scanner_alert_outcome_return_median_percent{interval=\"1m\","
                              "horizon=\"20\",window=\"1d\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("scanner_alert_outcome_mfe_median_percent{interval=\"1m\","
                              "window=\"1d\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("scanner_alert_outcome_mae_median_percent{interval=\"1m\","
                              "window=\"1d\"} -1\n"));
  // 0.2 and 0.6 of {-0.4, 0.2, 0.6} are positive.
  EXPECT_THAT(text, HasSubstr("scanner_alert_outcome_positive_ratio{interval=\"1m\","
                              "window=\"1d\"} 0.666"));
}

}  // namespace
}  // namespace scanner::app
