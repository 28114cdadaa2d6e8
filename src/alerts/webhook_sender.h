#pragma once
// Delivers one Discord webhook's share of the outbox (AlertStore rows of its destination,
// "discord:<webhook id>"). A visible loop on the event-loop thread:
//
//   Pump: due rows? pacing allows? --no--> arm the wake-up timer for the earliest time that could
//     |                                    change the answer (row due, rate limit over)
//     yes
//   take the due rows, oldest first (alerts/discord_message.h renders every message):
//     - the oldest shows in its episode's head's message M, already sent (message id known) and
//       showing fewer than 10 alerts: PATCH M (Edit Webhook Message) with M rendered again from
//       the database plus the due alerts that join it ("join");
//     - otherwise pack their embeds (PackEmbeds): the first message, at most 10 embeds and 6000
//       characters, an alert whose head is in it being a line of the head's embed; POST it
//       (?wait=true, JSON, User-Agent). An alert whose head's message failed, is unknown or
//       full posts an embed of its own.
//   no alert due? an outcome edit that is due (message_edit_store.h): PATCH its message
//   rendered again with the outcomes known now (OutcomeLookup). Edits never go before a due
//   alert, and share the pacing, the 429 handling and the backoff with the alerts.
//   one request in flight
//     |
//   Charts (alert_chart.h; only with WebhookSenderOptions::charts): before a POST the sender asks
//   ChartLookup for every alert heading an embed of the message. Any chart still kPending: the
//   message waits (Wake() when a render completes) until chart_wait has passed since the sender
//   first saw one of them pending, then goes without the charts still pending. kReady charts
//   up to 10 MiB are attached: multipart/form-data (multipart_body.h), a payload_json part with
//   "attachments": [{"id": n, "filename"}] and the embed's image "attachment://<file name>",
//   and one files[n] part (image/png) per chart; a larger PNG is left out. Without any chart
//   the body is the JSON of a chartless message. MarkSent records each attached file name
//   (deliveries.chart_file): joins and outcome edits stay JSON, omit "attachments" (Discord
//   then keeps the message's files) and render the image reference again from it. A resend (a
//   retry, a split batch, a restart after a lost answer) asks the lookup again, which returns
//   the same bytes.
//   OnResult, by ClassifyWebhookResponse / ClassifyTransportFailure:
//     2xx   MarkSent for every alert of the message, with the message id of the answer (or of
//           the message a join edited): the first thing done with the answer. An edit is done.
//           An alert sent without its outcome whose outcome is known by now gets an edit.
//     429   wait retry_after before the next request (global: every webhook waits, through
//           Hooks::on_global_rate_limit); rows stay pending, no attempt charged
//     5xx, timeout, connection or TLS error, a 401/404 that is not Discord's dead-webhook answer
//           MarkRetry with jittered backoff (capped); the webhook waits as long as its rows.
//           There is no attempt limit: an outage of hours ends with the alerts delivered. A row
//           whose alert is older than give_up_after is MarkFailed with the last error instead
//     an edit: a 5xx or transport error retries it with the same backoff until the edit is
//           older than give_up_after; 400 or 404 Unknown Message (code 10008, the message was
//           deleted) fails that edit only
//     a join refused (400, 10008) posts the joining alerts in a message of their own
//     400 (or another refusal) of a message of several alerts
//           no mark; each of them is sent again in a message of its own, which isolates the
//           alert Discord refuses; a single alert refused is MarkFailed with Discord's message
//     401/404 with Discord's code 10015 (unknown webhook) or 50027 (invalid token)
//           the webhook is dead: MarkDead for the message, MarkDestinationDead for the rest, one
//           ERROR log line; it sends nothing again and closes later rows as dead too (and fails
//           its pending edits)
//   Rows whose alert is older than give_up_after when they come due are MarkFailed without a
//   request (a restart after a long stop does not post day-old alerts).
//   then Pump again.
//
// Time: every decision (due, paced, late) reads the core::Clock; the Asio timer only wakes the
// loop up, and Wake() does the same at once, so tests drive it with a FakeClock.
//
// The crash window: Discord stores a message before it answers, and a webhook has no
// idempotency key. (A join or an edit sent twice is harmless: the same content twice.) Between
// Discord storing it and MarkSent committing (one short SQLite transaction, done before anything
// else with the answer) a crash, or an answer lost on the way (timeout, reset connection, Stop's
// deadline), leaves the rows pending: they are sent again, once per such loss. Nothing else
// resends. If MarkSent itself fails (disk error), the alerts are remembered as sent in memory and
// the mark is retried before any other request, so this process never resends them.
//
// Secrets: the webhook URL goes to the HTTP client only. Logs, stored errors and statuses name
// the destination id; every text from Discord or the client passes DiscordWebhook::Redact.
//
// Not thread-safe: runs on the io_context thread. The io_context, HTTP client, store, clock and
// logger must outlive the sender; the sender may be destroyed with a request in flight (its
// callback then does nothing).

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "alerts/alert_chart.h"
#include "alerts/alert_store.h"
#include "alerts/discord_message.h"
#include "alerts/discord_payload.h"
#include "alerts/discord_response.h"
#include "alerts/discord_webhook.h"
#include "alerts/webhook_rate_limiter.h"
#include "core/backoff.h"
#include "core/candidate.h"
#include "core/clock.h"
#include "core/outcome.h"
#include "net/http_client.h"

namespace scanner::alerts {

// The base and quote assets of an alert's symbol, for the embed's trade link; empty: unknown.
struct AssetNames {
  std::string base;
  std::string quote;
};
using AssetLookup = std::function<AssetNames(const core::Candidate&)>;

// An alert's measured outcome, if any (the scanner's outcome store); shown once complete.
using OutcomeLookup = std::function<std::optional<core::Outcome>(AlertId)>;

struct WebhookSenderOptions {
  WebhookIdentity identity;
  WebhookRateLimiterOptions pacing;
  core::BackoffPolicy backoff{core::kSecond, 5 * core::kMinute, 2.0, 0.5};
  // A pending row is retried until its alert is this old (alerts.discord.give_up_after).
  core::Millis give_up_after = core::kDay;
  std::uint64_t seed = 1;  // backoff jitter
  AssetLookup assets;      // may be empty
  OutcomeLookup outcomes;  // may be empty: no outcome is shown
  // alerts.discord.edit_outcomes. false: pending outcome edits are left alone (not sent, not
  // failed) and no edit is requested after a send.
  bool edit_outcomes = true;
  // The charts of alerts (alert_chart.h); empty: never a chart, every body is JSON.
  ChartLookup charts;
  // How long a message waits for charts still rendering before it goes without them, from when
  // the sender first saw one of them pending.
  core::Millis chart_wait = 2 * core::kSecond;
};

// Since construction. Row counts are delivery rows moved in the store.
struct WebhookSenderCounters {
  std::uint64_t requests = 0;
  std::uint64_t sent = 0;
  std::uint64_t failed = 0;
  std::uint64_t dead = 0;
  std::uint64_t retried = 0;
  std::uint64_t rate_limited = 0;   // 429 answers
  std::uint64_t split_batches = 0;  // refused messages resent alert by alert
  std::uint64_t joins = 0;          // messages edited to add alerts of their episode
  std::uint64_t edits_done = 0;     // outcome edits Discord accepted
  std::uint64_t edits_failed = 0;   // outcome edits given up (refused, message gone, too old)
  std::uint64_t store_errors = 0;
  std::uint64_t charts_attached = 0;   // charts in messages Discord accepted
  std::uint64_t charts_timed_out = 0;  // charts left out of a request: pending beyond chart_wait
  std::uint64_t charts_too_large = 0;  // charts left out of a request: PNG over 10 MiB
  std::uint64_t chart_waits = 0;       // times a message was held back for a pending chart
};

struct WebhookSenderStatus {
  std::string destination;
  bool dead = false;
  std::string dead_reason;  // non-secret
  bool in_flight = false;
  core::Millis next_send_at = 0;  // the earliest time pacing and rate limits allow a request
};

class WebhookSender {
 public:
  struct Hooks {
    // A global 429: no request to any webhook before `until`.
    std::function<void(core::Millis until)> on_global_rate_limit;
    // The request in flight ended after Stop(): the sender is idle for good.
    std::function<void()> on_idle;
  };

  WebhookSender(boost::asio::io_context& io_context, net::HttpClient& client, AlertStore& store,
                const core::Clock& clock, DiscordWebhook webhook, WebhookSenderOptions options,
                std::shared_ptr<spdlog::logger> logger, Hooks hooks);
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;
  ~WebhookSender();

  // Looks for due work now: sends, or arms the timer. Does nothing after Stop().
  void Wake();
  // No request before `until` (a global 429 seen by another sender).
  void BlockUntil(core::Millis until);
  // Takes no new work; a request in flight still completes and is recorded (then on_idle).
  void Stop();

  const std::string& destination() const { return webhook_.destination(); }
  bool dead() const { return dead_; }
  bool in_flight() const { return in_flight_.has_value(); }
  WebhookSenderStatus Status() const;
  const WebhookSenderCounters& counters() const { return counters_; }

 private:
  enum class RequestKind { kPost, kJoin, kEdit };
  struct InFlight {
    RequestKind kind = RequestKind::kPost;
    std::vector<AlertId> alerts;
    std::vector<core::Millis> created_at;  // per alert: when it was stored
    std::string message_id;                // kJoin, kEdit: the message edited
    std::int64_t edit_requests = 0;        // kEdit: the request count it rendered
    core::Millis edit_requested_at = 0;    // kEdit
    std::vector<AlertId> without_outcome;  // alerts rendered before their outcome was known
    std::vector<AttachedChart> charts;     // kPost: the charts attached
  };
  // Alerts Discord accepted whose MarkSent failed, with the message that shows them.
  struct Unrecorded {
    std::vector<AlertId> alerts;
    std::string message_id;
    std::vector<AttachedChart> charts;
  };
  // The files of a message about to be posted.
  struct ChartFiles {
    std::vector<WebhookAttachment> attachments;
    std::vector<std::shared_ptr<const std::string>> pngs;  // per attachment
  };

  void Pump();
  // Chooses the next message from `due` (non-empty) and sends it; false if it was resolved
  // without a request (a body that cannot be built).
  bool SendNext(std::vector<DueDelivery> due, core::Millis now);
  // PATCHes message `message_id` with `joining` added.
  bool SendJoin(const std::string& message_id, std::vector<DueDelivery> joining, core::Millis now);
  // Sends the oldest due outcome edit; false if it was resolved without a request.
  bool SendEdit(core::Millis now);
  // Asks for the charts of the message's embeds (`groups`, heads in `items`) and sets the
  // chart_file of the heads attached; false while the message waits for a pending chart (the
  // timer is armed for when it stops waiting).
  bool TakeCharts(std::vector<MessageItem>& items, const std::vector<MessageGroup>& groups,
                  core::Millis now, InFlight& request, ChartFiles& files);
  void Send(InFlight request, boost::beast::http::verb method, std::string url, std::string body,
            std::string content_type, core::Millis now);
  // The item of one alert, with its assets and outcome; `without_outcome` collects the alerts
  // rendered before their outcome was complete.
  MessageItem Item(AlertId id, const core::Candidate& candidate, const MessagePlace& place,
                   bool late, std::vector<AlertId>* without_outcome) const;
  void RecordSent(const InFlight& request, const WebhookVerdict& verdict);
  void RequestLateOutcomes(const InFlight& request);
  void OnEditResult(const WebhookVerdict& verdict, const InFlight& request, core::Millis now);
  void FailEdit(const std::string& message_id, const std::string& reason);
  // Fails the rows of `due` whose alert is older than give_up_after and removes them from it;
  // false when that could not be recorded (store error).
  bool GiveUpTooOld(std::vector<DueDelivery>& due, core::Millis now);
  void OnResult(net::HttpResult result);
  void OnSent(const InFlight& request);
  void OnRetry(const WebhookVerdict& verdict, const InFlight& request, core::Millis now);
  void OnRefused(const WebhookVerdict& verdict, const InFlight& request);
  void OnDead(const WebhookVerdict& verdict, const InFlight& request);
  // Retries MarkSent for alerts Discord accepted whose mark failed; false while it still fails.
  bool RecordUnrecordedSent();
  void CloseDeadRows();
  void ArmTimer(core::Millis at);
  void StoreError(std::string_view what, const core::Error& error);
  void Forget(const std::vector<AlertId>& alerts);

  net::HttpClient& client_;
  AlertStore& store_;
  const core::Clock& clock_;
  DiscordWebhook webhook_;
  WebhookSenderOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  Hooks hooks_;

  WebhookRateLimiter limiter_;
  core::Backoff backoff_;
  boost::asio::steady_timer timer_;
  std::optional<InFlight> in_flight_;
  // Alerts to send in a message of their own (their batch was refused). In memory: after a
  // restart a refused batch is simply split again.
  std::unordered_set<AlertId> solo_;
  // Alerts to post in a message of their own (their join was refused). In memory, like solo_.
  std::unordered_set<AlertId> own_message_;
  std::vector<Unrecorded> sent_unrecorded_;  // see the header comment
  // When the sender first saw an alert's chart pending (cleared once it is not, or the alert
  // is settled): the start of its message's chart_wait.
  std::unordered_map<AlertId, core::Millis> chart_pending_since_;
  bool stopped_ = false;
  bool dead_ = false;
  std::string dead_reason_;
  WebhookSenderCounters counters_;
  // Handlers hold it weakly: a timer or HTTP completion that outlives the sender does nothing.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace scanner::alerts
