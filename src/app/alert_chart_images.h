#pragma once
// AlertChartImages: the PNG of each alert's chart, for the webhook senders (alerts::ChartLookup).
//
// Charts are drawn off the event loop, by one chart::RenderWorker thread, from the spec stored
// with the alert (alerts::AlertChartStore): Prepare starts a chart the moment its alert is
// stored; Lookup answers kReady with the bytes, kPending while it is being drawn (the sender
// waits, bounded by its chart_wait), or kNone (no spec stored, or drawing failed: the alert goes
// without a picture). Each finished chart calls on_ready on the event loop (the dispatcher's
// Wake), so a waiting sender looks again at once.
//
// Same spec, same bytes: a resend after a crash or a restart reads the spec from the database
// and draws it again, byte for byte. So only recent charts are kept in memory (the last
// kKeptCharts settled ones); one needed again later is drawn again.
//
// Failures are counted by kind and logged once per kind (a missing font would otherwise log
// every alert). Not thread-safe: the event-loop thread; the worker's results are posted to it.
// The io_context, the store and the logger must outlive it; destroying it stops the worker
// (joins; charts not yet started are dropped, results still queued are ignored).

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "alerts/alert_chart.h"
#include "alerts/alert_chart_store.h"
#include "chart/render_worker.h"
#include "core/chart_spec.h"

namespace scanner::app {

struct AlertChartCounters {
  std::uint64_t rendered = 0;                         // charts drawn
  std::uint64_t failed = 0;                           // charts that could not be drawn
  std::map<std::string, std::uint64_t> failures;      // by kind (chart::ChartFailureName, "load")
  std::uint64_t bytes = 0;                            // PNG bytes drawn
  double render_seconds = 0;                          // submit to result, summed
};

class AlertChartImages {
 public:
  static constexpr std::size_t kKeptCharts = 64;

  AlertChartImages(boost::asio::io_context& io_context, alerts::AlertChartStore& specs,
                   std::shared_ptr<spdlog::logger> logger);
  AlertChartImages(const AlertChartImages&) = delete;
  AlertChartImages& operator=(const AlertChartImages&) = delete;
  ~AlertChartImages();

  void SetOnReady(std::function<void()> on_ready) { on_ready_ = std::move(on_ready); }

  // Starts drawing `alert`'s chart now (it was just stored with `spec`).
  void Prepare(alerts::AlertId alert, const core::ChartSpec& spec);
  // The chart for the embed of `alert` (see above); starts drawing it when needed.
  alerts::ChartImage Lookup(alerts::AlertId alert);

  const AlertChartCounters& counters() const { return counters_; }

 private:
  struct Entry {
    alerts::ChartImage::State state = alerts::ChartImage::State::kPending;
    std::shared_ptr<const std::string> png;
  };

  void Submit(alerts::AlertId alert, core::ChartSpec spec);
  void OnRendered(alerts::AlertId alert, std::expected<std::string, chart::ChartError> png,
                  double seconds);
  void Settle(alerts::AlertId alert, Entry entry);
  void Fail(alerts::AlertId alert, const std::string& kind, const std::string& message);

  boost::asio::io_context& io_context_;
  alerts::AlertChartStore& specs_;
  std::shared_ptr<spdlog::logger> logger_;
  std::function<void()> on_ready_;
  std::unordered_map<alerts::AlertId, Entry> entries_;
  std::deque<alerts::AlertId> settled_;  // oldest first, for eviction
  std::set<std::string> logged_kinds_;
  AlertChartCounters counters_;
  // Results posted by the worker hold it weakly: after destruction they do nothing.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  chart::RenderWorker worker_;  // last: stopped (joined) first
};

}  // namespace scanner::app
