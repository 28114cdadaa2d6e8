#pragma once
// The alert outbox's sending side: delivers the pending rows of every configured destination,
// on the event-loop thread. It only reads the outbox: whoever raises an alert stores it first
// (AlertStore::Insert with OutboxDestinationsFor), whatever the state of delivery, then calls
// Wake(). Nothing waits for delivery in memory.
//
//   Wake() --> one WebhookSender per configured webhook (pacing, batching, retries, dead
//              webhooks, give-up: webhook_sender.h) and, with no webhook configured, the
//              console (console_delivery.h).
//
// Destinations: every webhook of `alerts.discord.webhook_urls` gets every alert; a route of
// `alerts.discord.routes` gets the alerts of its intervals and minimum severity (AlertRoutes).
// With no webhook at all, every alert goes to "console". A dead webhook stays a destination, so
// each later alert records a `dead` delivery for it instead of vanishing. Pending rows of a
// destination that is not configured now (a webhook variable missing at start) are orphaned:
// they stay pending, untouched, and are delivered when that webhook is configured again (or
// given up with everything else older than give_up_after).
//
// Exactly once, as far as the protocol allows: see alert_store.h and the crash window in
// webhook_sender.h (an answer lost after Discord stored the message resends that message).
//
// Life cycle: Create (nothing is sent yet), Start (resumes the deliveries left pending by an
// earlier run), then Wake as alerts are stored, Stop(grace) at shutdown or when a reload hands
// over to a new dispatcher: no new requests; a request in flight may finish (and is recorded)
// until `grace`, then it is abandoned and its alerts stay pending in the database for the next
// dispatcher. Everything not yet sent is already durable in the store.
//
// Secrets: webhook URLs stay inside the HTTP client and the webhooks; logs, errors, counters,
// statuses and the database name destinations by "discord:<webhook id>".
//
// Not thread-safe: the io_context thread (the scanner's one event loop). The io_context, store,
// console sink, clock and logger must outlive the dispatcher; it owns its HTTP client. It may
// be destroyed with requests in flight.

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert_routes.h"
#include "alerts/alert_store.h"
#include "alerts/console_delivery.h"
#include "alerts/console_sink.h"
#include "alerts/webhook_sender.h"
#include "core/clock.h"
#include "core/error.h"

namespace scanner::alerts {

inline constexpr std::string_view kDefaultUserAgent =
    "momentum-scanner/0.1 (Discord webhook alerts)";

struct AlertDispatcherOptions {
  std::vector<WebhookRouteSpec> routes;  // none: the console
  WebhookIdentity identity;              // username and avatar shown on the messages
  std::string user_agent = std::string(kDefaultUserAgent);
  std::string ca_file;  // extra trusted CA (PEM), for tests
  core::Millis connect_timeout = 5 * core::kSecond;
  core::Millis request_timeout = 10 * core::kSecond;
  WebhookRateLimiterOptions pacing;  // per webhook
  core::BackoffPolicy backoff{core::kSecond, 5 * core::kMinute, 2.0, 0.5};
  core::Millis give_up_after = core::kDay;  // alerts.discord.give_up_after
  std::uint64_t seed = 0;                   // backoff jitter; 0: random
  AssetLookup assets;                       // may be empty
  OutcomeLookup outcomes;                   // may be empty: no outcome is shown
  // alerts.discord.edit_outcomes: sent messages are edited to show their alerts' outcomes.
  // false: RequestOutcomeEdit records nothing and the senders leave recorded edits alone.
  bool edit_outcomes = true;
  // The charts attached to posted alerts (alert_chart.h, webhook_sender.h); empty: none, every
  // message is JSON. Called on the event-loop thread; call Wake() when a chart is rendered.
  ChartLookup charts;
  core::Millis chart_wait = 2 * core::kSecond;  // how long a message waits for its charts
};

// For the metrics endpoint; row counts are delivery rows, since Create.
struct DispatcherCounters {
  std::uint64_t sent = 0;
  std::uint64_t failed = 0;
  std::uint64_t dead = 0;
  std::uint64_t retried = 0;
  std::uint64_t discord_429 = 0;
  std::uint64_t requests = 0;
  std::uint64_t split_batches = 0;
  std::uint64_t joins = 0;         // alerts added to the message of their move by an edit
  std::uint64_t edits_done = 0;    // outcome edits Discord accepted
  std::uint64_t edits_failed = 0;  // outcome edits given up
  std::uint64_t store_errors = 0;
  std::uint64_t charts_attached = 0;   // charts in messages Discord accepted
  std::uint64_t charts_timed_out = 0;  // charts left out: still rendering after chart_wait
  std::uint64_t charts_too_large = 0;  // charts left out: PNG over Discord's 10 MiB
  std::vector<PendingCount> pending;   // from the store, per destination
};

class AlertDispatcher {
 public:
  // Parses the routes and builds the HTTP client. Fails on an invalid webhook URL (the error
  // names the route's position, never the URL), a refused username, or an unloadable ca_file.
  static core::Result<std::unique_ptr<AlertDispatcher>> Create(
      boost::asio::io_context& io_context, AlertStore& store, ConsoleSink& console,
      const core::Clock& clock, AlertDispatcherOptions options,
      std::shared_ptr<spdlog::logger> logger);

  AlertDispatcher(const AlertDispatcher&) = delete;
  AlertDispatcher& operator=(const AlertDispatcher&) = delete;
  ~AlertDispatcher();

  // Resumes pending deliveries (see the header comment). Call once.
  core::Status Start();

  // The non-secret destination ids an alert goes to (OutboxDestinationsFor).
  std::vector<std::string> DestinationsFor(const core::Candidate& candidate) const;
  // Every destination this dispatcher delivers to ("discord:<id>"..., or "console").
  std::vector<std::string> ActiveDestinations() const;

  // Looks for due deliveries now (after an Insert, or a clock change in tests). Does nothing
  // before Start or after Stop.
  void Wake();

  // `alert`'s outcome is complete (OutcomeLookup answers it): with edit_outcomes, records an
  // edit of every sent message showing it (AlertStore::RequestOutcomeEdit), durably, and
  // wakes the senders. Returns the edits recorded (0 with edit_outcomes off).
  core::Result<int> RequestOutcomeEdit(AlertId alert);

  // See the header comment. `on_stopped` runs once, posted, when no request is in flight. A
  // later call adds its callback, which also runs once (the first call's grace applies).
  void Stop(core::Millis grace, std::function<void()> on_stopped);

  // Webhooks that answered 401/404, for the health endpoint.
  std::vector<std::string> DeadDestinations() const;
  std::vector<WebhookSenderStatus> WebhookStatuses() const;
  bool uses_console() const { return console_delivery_ != nullptr; }
  bool stopped() const { return stopping_ && InFlightRequests() == 0; }
  // Requests awaiting Discord's answer (at most one per webhook).
  std::size_t InFlightRequests() const;

  core::Result<DispatcherCounters> Counters() const;

 private:
  AlertDispatcher(boost::asio::io_context& io_context, AlertStore& store, const core::Clock& clock,
                  AlertRoutes routes, std::shared_ptr<spdlog::logger> logger);

  void OnGlobalRateLimit(core::Millis until);
  void OnSenderIdle();
  void FinishStop();

  boost::asio::io_context& io_context_;
  AlertStore& store_;
  const core::Clock& clock_;
  AlertRoutes routes_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<net::HttpClient> client_;
  std::vector<std::unique_ptr<WebhookSender>> senders_;
  std::unique_ptr<ConsoleDelivery> console_delivery_;
  boost::asio::steady_timer grace_timer_;
  std::vector<std::function<void()>> on_stopped_;
  core::Millis give_up_after_ = core::kDay;
  bool edit_outcomes_ = true;
  bool started_ = false;
  bool stopping_ = false;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace scanner::alerts
