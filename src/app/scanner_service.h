#pragma once
// ScannerService: the live scanner, wired on one event loop -- the only place that knows every
// module.
//
//   UniverseService --diff--> MarketFeed (streams, windows, warm-up and gap-fill over REST)
//        |                        | on_closed_bar / on_open_bar / on_ticker
//        | 24h volumes            v
//        +-----------------> ClosedBarPipeline -> SignalEngine -> AlertStore (the outbox, always)
//                                                               | Wake
//                                 DispatcherHandover -> AlertDispatcher -> Discord / console
//   StatusEndpoint: /healthz (JudgeHealth) and /metrics (WriteServiceMetrics)
//   Housekeeping: event-loop lag probe (1 s), outbox watch (15 s), alert retention (hourly).
//
// Start-up order (Create, then Start): the database (migrations) and the alert store, the REST
// client, the signal engine and the pipeline, the dispatcher (which resumes deliveries left
// pending by an earlier run), the market feed, the universe (cached or fetched; its first
// publication adds every symbol, which starts the warm-up over REST within the weight budget and
// opens the streams), and the status endpoint.
//
// The live database is opened with a short busy timeout: another process holding its write
// lock makes an insert fail at once rather than stall the event loop, and the pipeline retries
// it (closed_bar_pipeline.h).
//
// Stop(done): the status endpoint closes, the universe and the feed stop (sockets closed), the
// REST client ends its calls, and the dispatcher finishes or abandons its request in flight
// within `grace` (an abandoned one stays pending in the database); then `done` runs.
//
// Reload(next): checks `next` as a whole first (the configuration rules and everything the
// dispatcher would refuse); a configuration with any problem is refused, every problem listed
// by key path, and nothing changes. Otherwise it applies what may change while running
// (settings_reload.h) and returns the messages to log.
//
// Not thread-safe: create, call and destroy it on the io_context's thread (or before it runs).
// The io_context, clock and logger must outlive it.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert_dispatcher.h"
#include "alerts/alert_store.h"
#include "alerts/alert_store_cooldown.h"
#include "alerts/console_sink.h"
#include "alerts/outcome_store.h"
#include "app/alert_chart_images.h"
#include "app/closed_bar_pipeline.h"
#include "app/dispatcher_handover.h"
#include "app/health.h"
#include "app/quote_volume_book.h"
#include "app/recent_outcomes.h"
#include "app/status_endpoint.h"
#include "binance/rest_client.h"
#include "config/config.h"
#include "core/clock.h"
#include "feed/market_feed.h"
#include "net/asio_wake_up_timer.h"
#include "net/http_client.h"
#include "replay/stream_recording.h"
#include "signals/signal_engine.h"
#include "storage/database.h"
#include "universe/universe_cache.h"
#include "universe/universe_service.h"

namespace spdlog {
class logger;
}

namespace scanner::app {

struct ScannerServiceOptions {
  std::ostream* console = nullptr;  // the console sink's stream; required
  core::Millis stop_grace = 5 * core::kSecond;
  core::Millis outbox_stall_after = 5 * core::kMinute;
  core::Millis retention_period = core::kHour;
  // Non-empty: every raw stream frame is appended here with its receive time (`run --record`).
  std::string record_path;
};

class ScannerService {
 public:
  static core::Result<std::unique_ptr<ScannerService>> Create(
      boost::asio::io_context& io_context, const core::Clock& clock, config::Config config,
      ScannerServiceOptions options, std::shared_ptr<spdlog::logger> logger);

  ScannerService(const ScannerService&) = delete;
  ScannerService& operator=(const ScannerService&) = delete;
  ~ScannerService();

  // Fails when the status endpoint cannot listen or the outbox cannot resume.
  core::Status Start();
  void Stop(std::function<void()> done);
  std::vector<std::string> Reload(const config::Config& next);

  HealthReport Health();
  std::string Metrics();
  // The status endpoint's port (0 when disabled), for tests that listen on port 0.
  std::uint16_t status_port() const;

 private:
  ScannerService(boost::asio::io_context& io_context, const core::Clock& clock,
                 config::Config config, ScannerServiceOptions options,
                 std::shared_ptr<spdlog::logger> logger);

  core::Status Build();
  core::Status BuildStorage();
  core::Status BuildRest();
  core::Status BuildSignals();
  core::Status BuildDelivery();
  core::Status BuildFeed();
  core::Status BuildUniverse();
  core::Result<std::unique_ptr<alerts::AlertDispatcher>> MakeDispatcher(
      const config::DiscordConfig& discord);
  void OnUniverse(const universe::Universe& universe, const universe::UniverseDiff& diff);
  core::Status StartStatusEndpoint();
  void ScheduleHousekeeping();
  void Housekeeping();
  void ObserveOutbox();
  void FlushRecording();
  // Records the outcome edits of messages sent before their alert's outcome became final that
  // were never recorded (a crash between the two commits, a refused write): at start and
  // every minute.
  void RequestMissedOutcomeEdits();
  // A complete outcome: logged, and the alert's Discord messages edited.
  void OnOutcome(alerts::AlertId id, const core::Candidate& alert, const core::Outcome& outcome);
  void SweepRetention();
  HealthInputs CollectHealthInputs();
  // Pending deliveries of destinations no dispatcher serves now.
  std::vector<alerts::PendingCount> Orphaned(
      const std::vector<alerts::PendingCount>& pending) const;

  boost::asio::io_context& io_context_;
  const core::Clock& clock_;
  config::Config config_;
  ScannerServiceOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  core::Millis started_at_ = 0;

  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<alerts::AlertStore> store_;
  std::unique_ptr<alerts::OutcomeStore> outcome_store_;
  std::unique_ptr<signals::OutcomeTracker> outcomes_;
  std::unique_ptr<RecentOutcomes> recent_outcomes_;  // for /metrics
  std::unique_ptr<universe::UniverseCache> universe_cache_;
  std::unique_ptr<net::HttpClient> rest_http_;
  std::unique_ptr<net::AsioWakeUpTimer> rest_timer_;
  std::unique_ptr<binance::RestClient> rest_;
  std::optional<boost::asio::ssl::context> ws_tls_;
  std::unique_ptr<alerts::AlertStoreCooldown> cooldown_;
  QuoteVolumeBook quote_volumes_;
  std::unique_ptr<signals::SignalEngine> engine_;
  alerts::AlertRoutes routes_;  // where new alerts are stored for delivery
  std::unique_ptr<ClosedBarPipeline> pipeline_;
  std::unique_ptr<alerts::ConsoleSink> console_;
  // Before delivery_: its senders ask it for charts until they are gone.
  std::unique_ptr<AlertChartImages> chart_images_;
  std::unique_ptr<DispatcherHandover> delivery_;
  std::unique_ptr<feed::MarketFeed> feed_;
  std::unique_ptr<net::AsioWakeUpTimer> universe_timer_;
  std::unique_ptr<universe::UniverseService> universe_;
  std::unique_ptr<StatusEndpoint> status_endpoint_;
  std::unique_ptr<replay::StreamRecorder> recorder_;
  bool recorder_error_logged_ = false;

  boost::asio::steady_timer housekeeping_timer_;
  std::chrono::steady_clock::time_point housekeeping_due_{};
  int housekeeping_ticks_ = 0;
  double event_loop_lag_seconds_ = 0;
  core::Millis last_market_data_at_ = 0;
  core::Millis next_retention_at_ = 0;
  OutboxWatch outbox_watch_;
  std::vector<alerts::PendingCount> orphaned_;  // as of the last ObserveOutbox
  core::Millis warming_since_ = 0;  // since when some window has not been warm, as last seen
  bool stopping_ = false;
  // Held weakly by posted work: it does nothing once the service is gone.
  std::shared_ptr<ScannerService*> self_;
};

}  // namespace scanner::app
