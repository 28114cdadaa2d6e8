#include "app/service_metrics.h"

#include <string_view>

#include "ops/prometheus_text.h"

namespace scanner::app {
namespace {

using ops::MetricType;

// Stream frames delivered, by the label the metric uses.
struct DeliveredKind {
  std::string_view field;  // StreamParseStatField::name
  std::string_view label;
};
constexpr DeliveredKind kDeliveredKinds[] = {
    {"kline_frames", "kline"},
    {"ticker_frames", "ticker"},
    {"control_replies", "control_reply"},
    {"server_shutdowns", "server_shutdown"},
    {"ignored", "ignored"},
};

double D(std::uint64_t v) { return static_cast<double>(v); }
double D(std::int64_t v) { return static_cast<double>(v); }

void WriteStreams(ops::PrometheusText& m, const MetricsInputs& in) {
  const feed::StreamPoolStats& pool = in.feed.pool;
  m.Family("scanner_ws_messages_total", MetricType::kCounter,
           "WebSocket frames delivered, by kind (errors are in scanner_parse_errors_total)");
  for (const binance::StreamParseStatField& field : binance::StreamParseStatFields()) {
    for (const DeliveredKind& kind : kDeliveredKinds) {
      if (field.name == kind.field) m.Sample(D(pool.parse.*field.member), {{"kind", kind.label}});
    }
  }
  m.Family("scanner_parse_errors_total", MetricType::kCounter,
           "WebSocket frames dropped as malformed or unexpected, by kind");
  for (const binance::StreamParseStatField& field : binance::StreamParseStatFields()) {
    if (field.error) m.Sample(D(pool.parse.*field.member), {{"kind", field.name}});
  }
  m.Counter("scanner_closed_klines_total", "final kline frames (x=true) received",
            D(pool.parse.closed_klines));
  m.Counter("scanner_ticker_entries_total", "24h ticker entries received", D(pool.parse.tickers));
  m.Gauge("scanner_ws_connections_open", "stream connections streaming now",
          D(static_cast<std::uint64_t>(pool.connections_open)));
  m.Gauge("scanner_ws_connections_planned", "stream connections the universe needs",
          D(static_cast<std::uint64_t>(pool.connections)));
  m.Gauge("scanner_ws_streams", "streams subscribed (klines and tickers)",
          D(static_cast<std::uint64_t>(pool.streams)));
  m.Counter("scanner_ws_connect_attempts_total", "WebSocket connection attempts",
            D(pool.connect_attempts));
  m.Counter("scanner_ws_reconnects_total", "reconnections after a lost connection",
            D(pool.reconnects));
  m.Counter("scanner_ws_disconnects_total", "connections lost", D(pool.disconnects));
  m.Counter("scanner_stale_watchdog_trips_total",
            "connections reconnected because they were silent for stale_after",
            D(pool.watchdog_trips));
  m.Counter("scanner_ws_rotations_total", "connections replaced before Binance's 24h limit",
            D(pool.rotations));
  m.Counter("scanner_ws_server_shutdowns_total", "serverShutdown notices received",
            D(pool.shutdown_notices));
  m.Counter("scanner_ws_control_messages_total", "SUBSCRIBE/UNSUBSCRIBE messages sent",
            D(pool.control_messages));
  m.Counter("scanner_ws_control_errors_total", "SUBSCRIBE/UNSUBSCRIBE requests refused",
            D(pool.control_errors));
  m.Gauge("scanner_ws_streams_unsubscribed",
          "planned streams Binance refused to SUBSCRIBE, retried with backoff (no data for them)",
          D(static_cast<std::uint64_t>(pool.streams_unsubscribed)));
  m.Counter("scanner_ws_resubscribes_total", "SUBSCRIBE messages sent again after a refusal",
            D(pool.resubscribes));
  if (in.last_message_age_seconds >= 0) {
    m.Gauge("scanner_last_message_age_seconds", "seconds since the last market data message",
            in.last_message_age_seconds);
  }
}

void WriteGapFill(ops::PrometheusText& m, const MetricsInputs& in) {
  const feed::GapFillerStats& fill = in.feed.fill;
  m.Gauge("scanner_windows", "market windows (symbol x interval)",
          D(static_cast<std::uint64_t>(fill.series)));
  m.Gauge("scanner_windows_ready", "market windows warmed up and whole",
          D(static_cast<std::uint64_t>(fill.series_warm)));
  m.Counter("scanner_warm_up_requests_total", "REST klines requests for warm-up",
            D(fill.warm_up_requests));
  m.Counter("scanner_gap_fill_requests_total", "REST klines requests that fill gaps",
            D(fill.gap_fill_requests));
  m.Counter("scanner_gap_fill_bars_total", "closed bars a REST fetch added to a window",
            D(fill.bars_filled));
  m.Counter("scanner_rest_kline_failures_total", "REST klines requests that failed",
            D(fill.failed_requests));
  m.Family("scanner_gaps_total", MetricType::kCounter, "gap fills started, by cause");
  m.Sample(D(fill.stream_gap_fills), {{"cause", "stream_skipped"}});
  m.Sample(D(fill.resume_fills), {{"cause", "reconnect"}});
  m.Sample(D(fill.late_bar_fills), {{"cause", "late_bar"}});
  m.Counter("scanner_exchange_holes_total", "holes Binance itself has no bars for",
            D(fill.exchange_holes));
  m.Family("scanner_bars_ignored_total", MetricType::kCounter,
           "bars a window ignored, by reason (duplicates and re-deliveries are normal)");
  m.Sample(D(fill.duplicate_bars), {{"reason", "duplicate"}});
  m.Sample(D(fill.stale_bars), {{"reason", "stale"}});
  m.Sample(D(fill.invalid_bars), {{"reason", "invalid"}});
  m.Family("scanner_bars_refused_total", MetricType::kCounter,
           "stream and REST klines that are no bar (impossible or absurd prices, times off "
           "their interval), by defect");
  for (std::size_t i = 0; i < market::kBarDefectCount; ++i) {
    m.Sample(D(fill.refused_bars[i]),
             {{"defect", market::BarDefectName(static_cast<market::BarDefect>(i))}});
  }
}

void WriteRest(ops::PrometheusText& m, const MetricsInputs& in) {
  m.Counter("scanner_rest_requests_total", "REST requests sent to Binance",
            D(in.rest.requests_sent));
  m.Counter("scanner_rest_retries_total", "REST requests repeated after a failure",
            D(in.rest.retries));
  m.Counter("scanner_rest_klines_without_date_total",
            "klines answers without a usable Date header (their newest bar left to the stream)",
            D(in.rest.klines_without_server_time));
  m.Gauge("scanner_rest_weight_used", "REST request weight used in the current minute",
          D(in.rest_weight_used));
  m.Gauge("scanner_rest_weight_budget", "REST request weight the scanner allows itself per minute",
          in.rest_weight_budget);
  m.Counter("scanner_rest_weight_total", "REST request weight charged since start",
            D(in.weight.weight_acquired));
  m.Family("scanner_rest_rate_limited_total", MetricType::kCounter,
           "REST answers that stop all calls until Retry-After, by status");
  m.Sample(D(in.weight.responses_429), {{"status", "429"}});
  m.Sample(D(in.weight.responses_418), {{"status", "418"}});
  m.Counter("scanner_universe_refreshes_total", "successful universe refreshes",
            D(in.universe.refreshes));
  m.Counter("scanner_universe_refresh_failures_total", "failed universe refreshes",
            D(in.universe.failed_refreshes));
  m.Counter("scanner_universe_ticker_rows_skipped_total",
            "ticker/24hr rows left out of universe refreshes (no usable symbol or quoteVolume)",
            D(in.universe.ticker_rows_skipped));
  m.Gauge("scanner_universe_symbols", "symbols watched",
          D(static_cast<std::uint64_t>(in.universe_symbols)));
}

void WriteSignals(ops::PrometheusText& m, const MetricsInputs& in) {
  m.Counter("scanner_bars_evaluated_total", "closed bars evaluated by the signals",
            D(in.pipeline.bars_evaluated));
  m.Counter("scanner_candidates_total", "bars that passed every signal filter",
            D(in.pipeline.candidates));
  m.Counter("scanner_warm_up_candidates_dropped_total",
            "moves found in warm-up bars older than signals.catch_up (not alerted)",
            D(in.pipeline.warm_up_candidates_dropped));
  m.Gauge("scanner_signal_series",
          "indicator series held by the signals (symbol x interval; follows the universe)",
          D(static_cast<std::uint64_t>(in.signal_series)));
  m.Gauge("scanner_signal_series_warm",
          "signal series whose indicators are all defined (an alert is possible on them)",
          D(static_cast<std::uint64_t>(in.signal_series_warm)));
  const signals::SignalCounters& s = in.signals;
  m.Family("scanner_bars_suppressed_total", MetricType::kCounter,
           "evaluated bars stopped by a filter, by the first filter that stopped them");
  m.Sample(D(s.not_warm), {{"filter", "not_warm"}});
  m.Sample(D(s.suppressed_absurd), {{"filter", "absurd"}});
  m.Sample(D(s.suppressed_atr_move), {{"filter", "atr_move"}});
  m.Sample(D(s.suppressed_min_change), {{"filter", "min_change"}});
  m.Sample(D(s.suppressed_direction), {{"filter", "direction"}});
  m.Sample(D(s.suppressed_volume_z), {{"filter", "volume_z"}});
  m.Sample(D(s.suppressed_return_z), {{"filter", "return_z"}});
  m.Sample(D(s.suppressed_quote_volume_24h), {{"filter", "quote_volume_24h"}});
  m.Sample(D(s.suppressed_confirmations), {{"filter", "confirmations"}});
  m.Sample(D(s.suppressed_cooldown), {{"filter", "cooldown"}});
  m.Counter("scanner_signal_gaps_total", "holes that restarted a series' warm-up", D(s.gaps));
}

void WriteAlerts(ops::PrometheusText& m, const MetricsInputs& in) {
  m.Counter("scanner_alerts_inserted_total", "alerts stored in the outbox",
            D(in.pipeline.alerts_inserted));
  m.Counter("scanner_alerts_deduplicated_total",
            "alerts the database already held (never sent twice)",
            D(in.pipeline.alerts_deduplicated));
  m.Counter("scanner_alert_store_errors_total", "alert database errors",
            D(in.pipeline.store_errors + in.dispatcher.store_errors));
  const alerts::DispatcherCounters& d = in.dispatcher;
  m.Counter("scanner_deliveries_sent_total", "alert deliveries confirmed by Discord (or printed)",
            D(d.sent));
  m.Counter("scanner_deliveries_failed_total", "alert deliveries given up (reason in the database)",
            D(d.failed));
  m.Counter("scanner_deliveries_dead_total", "alert deliveries to a dead webhook", D(d.dead));
  m.Counter("scanner_deliveries_retried_total", "alert deliveries retried", D(d.retried));
  m.Counter("scanner_discord_requests_total", "webhook requests sent", D(d.requests));
  m.Counter("scanner_discord_rate_limited_total", "webhook requests answered 429",
            D(d.discord_429));
  m.Counter("scanner_discord_joins_total",
            "alerts shown by editing the message of their move instead of posting", D(d.joins));
  m.Counter("scanner_discord_outcome_edits_total",
            "messages edited to show an outcome, accepted by Discord", D(d.edits_done));
  m.Counter("scanner_discord_outcome_edits_failed_total",
            "outcome edits given up (refused, message deleted, too old)", D(d.edits_failed));
  m.Counter("scanner_discord_charts_attached_total",
            "charts attached to messages Discord accepted", D(d.charts_attached));
  m.Family("scanner_discord_charts_left_out_total", MetricType::kCounter,
           "charts a message went without, by reason");
  m.Sample(D(d.charts_timed_out), {{"reason", "still_drawing"}});
  m.Sample(D(d.charts_too_large), {{"reason", "too_large"}});
  const AlertChartCounters& c = in.charts;
  m.Counter("scanner_charts_drawn_total", "alert charts drawn (PNG)", D(c.rendered));
  m.Counter("scanner_chart_bytes_total", "bytes of the PNGs drawn", D(c.bytes));
  m.Counter("scanner_chart_draw_seconds_total",
            "time from asking for a chart to having it (queue and drawing), summed",
            c.render_seconds);
  m.Family("scanner_chart_failures_total", MetricType::kCounter,
           "alert charts that could not be drawn, by kind (the alert went without)");
  for (const char* kind : {"invalid_spec", "font", "cairo", "encode", "load"}) {
    const auto found = c.failures.find(kind);
    m.Sample(D(found == c.failures.end() ? 0 : found->second), {{"kind", kind}});
  }
  m.Family("scanner_deliveries_pending", MetricType::kGauge,
           "alert deliveries waiting in the outbox, by destination");
  std::int64_t total = 0;
  for (const alerts::PendingCount& pending : d.pending) {
    m.Sample(D(pending.count), {{"destination", pending.destination}});
    total += pending.count;
  }
  if (d.pending.empty()) m.Sample(0.0, {{"destination", "all"}});
  m.Gauge("scanner_deliveries_pending_total", "alert deliveries waiting in the outbox", D(total));
  m.Family("scanner_deliveries_orphaned", MetricType::kGauge,
           "pending alert deliveries of destinations not configured now, by destination");
  for (const alerts::PendingCount& orphaned : in.orphaned_deliveries) {
    m.Sample(D(orphaned.count), {{"destination", orphaned.destination}});
  }
  if (in.orphaned_deliveries.empty()) m.Sample(0.0, {{"destination", "all"}});
  m.Gauge("scanner_alerts_unstored", "alerts waiting for a database that refused to store them",
          D(in.unstored_alerts));
  m.Counter("scanner_alerts_lost_total",
            "alerts dropped because the database refused them for too long",
            D(in.pipeline.unstored_dropped));
  m.Family("scanner_webhook_dead", MetricType::kGauge,
           "1 for each webhook Discord declared gone (unknown webhook, invalid token)");
  for (const std::string& destination : in.dead_destinations) {
    m.Sample(1.0, {{"destination", destination}});
  }
}

void WriteOutcomes(ops::PrometheusText& m, const MetricsInputs& in) {
  m.Counter("scanner_alert_outcomes_completed_total",
            "alerts whose outcome (returns at every horizon, MFE, MAE) became final",
            D(in.pipeline.outcomes_completed));
  m.Counter("scanner_alert_outcome_store_errors_total",
            "outcome saves and loads the database refused", D(in.pipeline.outcome_store_errors));
  const std::string window = core::FormatDuration(in.outcome_window);
  std::vector<std::string> intervals;
  for (const auto& [interval, figures] : in.outcomes) intervals.emplace_back(interval.Name());
  m.Family("scanner_alert_outcomes", MetricType::kGauge,
           "alerts of the last window (label) with a final outcome, per interval");
  std::size_t i = 0;
  for (const auto& [interval, figures] : in.outcomes) {
    m.Sample(static_cast<double>(figures.alerts),
             {{"interval", intervals[i++]}, {"window", window}});
  }
  m.Family("scanner_alert_outcome_return_median_percent", MetricType::kGauge,
           "median return after `horizon` bars, signed by direction (+ = the move carried on)");
  i = 0;
  for (const auto& [interval, figures] : in.outcomes) {
    const std::string& name = intervals[i++];
    for (std::size_t h = 0; h < figures.returns.size() && h < in.outcome_horizons.size(); ++h) {
      if (!figures.returns[h].median) continue;
      const std::string horizon = std::to_string(in.outcome_horizons[h]);
      m.Sample(*figures.returns[h].median,
               {{"interval", name}, {"horizon", horizon}, {"window", window}});
    }
  }
  const auto write_median = [&](std::string_view metric, std::string_view help,
                                MeasuredMedian OutcomeFigures::*member) {
    m.Family(metric, MetricType::kGauge, help);
    std::size_t k = 0;
    for (const auto& [interval, figures] : in.outcomes) {
      const std::string& name = intervals[k++];
      if (const auto& median = (figures.*member).median) {
        m.Sample(*median, {{"interval", name}, {"window", window}});
      }
    }
  };
  write_median("scanner_alert_outcome_mfe_median_percent",
               "median maximum favourable excursion over the horizon", &OutcomeFigures::mfe);
  write_median("scanner_alert_outcome_mae_median_percent",
               "median maximum adverse excursion over the horizon", &OutcomeFigures::mae);
  m.Family("scanner_alert_outcome_positive_ratio", MetricType::kGauge,
           "share of alerts whose return at the middle horizon was positive");
  i = 0;
  for (const auto& [interval, figures] : in.outcomes) {
    const std::string& name = intervals[i++];
    if (figures.positive_share) {
      m.Sample(*figures.positive_share, {{"interval", name}, {"window", window}});
    }
  }
}

}  // namespace

std::string WriteServiceMetrics(const MetricsInputs& in) {
  ops::PrometheusText m;
  m.Gauge("scanner_up", "1 when /healthz would answer 200", in.healthy ? 1.0 : 0.0);
  m.Gauge("scanner_uptime_seconds", "seconds since start", in.uptime_seconds);
  m.Gauge("scanner_event_loop_lag_seconds", "how late the event loop ran its last probe timer",
          in.event_loop_lag_seconds);
  WriteStreams(m, in);
  WriteGapFill(m, in);
  WriteRest(m, in);
  WriteSignals(m, in);
  WriteAlerts(m, in);
  WriteOutcomes(m, in);
  return m.text();
}

}  // namespace scanner::app
