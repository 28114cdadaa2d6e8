#pragma once
// The scanner's /metrics page: every module's plain counters, collected at scrape time into the
// Prometheus text format (ops::PrometheusText). Names are prefixed `scanner_`; counters restart
// at 0 with the process. Nothing here names a webhook by URL: destinations are their non-secret
// ids ("discord:<webhook id>", "console").

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "alerts/alert_dispatcher.h"
#include "alerts/alert_store.h"
#include "app/alert_chart_images.h"
#include "app/closed_bar_pipeline.h"
#include "app/outcome_statistics.h"
#include "binance/rest_client.h"
#include "feed/market_feed.h"
#include "signals/signal_engine.h"
#include "universe/universe_service.h"

namespace scanner::app {

struct MetricsInputs {
  feed::MarketFeedStats feed;
  binance::RestClientStats rest;
  binance::WeightLimiterStats weight;
  std::int64_t rest_weight_used = 0;  // in the current minute
  int rest_weight_budget = 0;
  universe::UniverseServiceStats universe;
  std::size_t universe_symbols = 0;
  signals::SignalCounters signals;
  std::size_t signal_series = 0;       // SignalEngine::SeriesCount()
  std::size_t signal_series_warm = 0;  // SignalEngine::WarmSeriesCount()
  ClosedBarCounters pipeline;
  alerts::AlertStoreCounters store;
  alerts::DispatcherCounters dispatcher;  // pending counts included
  std::vector<std::string> dead_destinations;
  std::vector<alerts::PendingCount> orphaned_deliveries;  // pending, destination not configured
  std::size_t unstored_alerts = 0;  // alerts waiting for a database that refused them
  double event_loop_lag_seconds = 0;
  double last_message_age_seconds = -1;  // < 0: no message yet
  double uptime_seconds = 0;
  bool healthy = false;
  // The outcomes of the alerts of the last RecentOutcomes window, per interval.
  std::map<core::Interval, OutcomeFigures> outcomes;
  std::vector<int> outcome_horizons;  // the order of OutcomeFigures::returns
  core::Millis outcome_window = 0;
  AlertChartCounters charts;  // drawing the alerts' charts
};

std::string WriteServiceMetrics(const MetricsInputs& inputs);

}  // namespace scanner::app
