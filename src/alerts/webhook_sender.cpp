#include "alerts/webhook_sender.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include <fmt/format.h>

#include "alerts/alert_embed.h"
#include "alerts/alert_format.h"

namespace scanner::alerts {
namespace {

// After a store error the loop looks again this much later.
constexpr core::Millis kStoreRetryDelay = 5 * core::kSecond;
// The timer never sleeps longer than this: a wall-clock step cannot strand due work.
constexpr core::Millis kMaxSleep = core::kMinute;

std::vector<AlertId> Ids(const std::vector<DueDelivery>& due) {
  std::vector<AlertId> ids;
  ids.reserve(due.size());
  for (const DueDelivery& d : due) ids.push_back(d.alert_id);
  return ids;
}

}  // namespace

WebhookSender::WebhookSender(boost::asio::io_context& io_context, net::HttpClient& client,
                             AlertStore& store, const core::Clock& clock, DiscordWebhook webhook,
                             WebhookSenderOptions options, std::shared_ptr<spdlog::logger> logger,
                             Hooks hooks)
    : client_(client),
      store_(store),
      clock_(clock),
      webhook_(std::move(webhook)),
      options_(std::move(options)),
      logger_(std::move(logger)),
      hooks_(std::move(hooks)),
      limiter_(options_.pacing),
      backoff_(options_.backoff, options_.seed),
      timer_(io_context) {}

WebhookSender::~WebhookSender() = default;

void WebhookSender::Wake() { Pump(); }

void WebhookSender::BlockUntil(core::Millis until) {
  limiter_.BlockUntil(until);
  Pump();
}

void WebhookSender::Stop() {
  stopped_ = true;
  timer_.cancel();
}

WebhookSenderStatus WebhookSender::Status() const {
  return WebhookSenderStatus{webhook_.destination(), dead_, dead_reason_, in_flight_.has_value(),
                             limiter_.NextSendTime(clock_.NowMs())};
}

void WebhookSender::Pump() {
  if (stopped_ || in_flight_) return;
  if (dead_) return CloseDeadRows();
  if (!RecordUnrecordedSent()) return ArmTimer(clock_.NowMs() + kStoreRetryDelay);
  for (;;) {
    const core::Millis now = clock_.NowMs();
    auto next_row = store_.NextAttemptTime(webhook_.destination());
    if (!next_row) {
      StoreError("cannot read the outbox", next_row.error());
      return ArmTimer(now + kStoreRetryDelay);
    }
    if (!*next_row) {
      timer_.cancel();  // nothing pending: the next Wake() starts again
      return;
    }
    const core::Millis at = std::max(**next_row, limiter_.NextSendTime(now));
    if (at > now) return ArmTimer(at);
    auto due = store_.DueDeliveries(webhook_.destination(), kMaxEmbedsPerMessage);
    if (!due) {
      StoreError("cannot read the outbox", due.error());
      return ArmTimer(now + kStoreRetryDelay);
    }
    // Only a clock stepping back between the two reads gets here.
    if (due->empty()) return ArmTimer(**next_row);
    if (!GiveUpTooOld(*due, now)) return ArmTimer(now + kStoreRetryDelay);
    if (due->empty()) continue;
    if (SendNext(std::move(*due), now)) return;
  }
}

bool WebhookSender::SendNext(std::vector<DueDelivery> due, core::Millis now) {
  // The message: the oldest alert alone if its batch was refused before; otherwise the longest
  // run of oldest alerts that fits one message, stopping before any alert to be sent alone.
  std::size_t count = 1;
  if (!solo_.contains(due.front().alert_id)) {
    auto first_solo = std::find_if(
        due.begin(), due.end(), [&](const DueDelivery& d) { return solo_.contains(d.alert_id); });
    due.erase(first_solo, due.end());
    count = due.size();
  }
  due.resize(count);
  std::vector<DiscordEmbed> embeds;
  embeds.reserve(due.size());
  for (const DueDelivery& d : due) {
    AssetNames assets = options_.assets ? options_.assets(d.candidate) : AssetNames{};
    embeds.push_back(
        AlertEmbed(d.candidate, {IsLate(d.candidate, now), assets.base, assets.quote}));
  }
  std::vector<MessageRange> ranges = PackEmbeds(embeds);
  const std::size_t size = ranges.empty() ? 0 : ranges.front().size();
  due.resize(size);
  embeds.resize(size);
  if (due.empty()) return false;

  auto body = WebhookBody(options_.identity, "", embeds);
  if (!body) {
    // Clamped alert embeds always fit; should one not, it must not block the queue.
    InFlight unsendable{Ids(due), {}};
    WebhookVerdict verdict;
    verdict.outcome = WebhookOutcome::kFailed;
    verdict.reason = "cannot build the message: " + body.error().message;
    OnRefused(verdict, unsendable);
    return false;
  }

  InFlight request{Ids(due), {}};
  for (const DueDelivery& d : due) request.created_at.push_back(d.created_at);
  in_flight_ = std::move(request);
  limiter_.OnRequestSent(now);
  ++counters_.requests;
  logger_->debug("{}: sending {} alert(s)", webhook_.destination(), due.size());

  net::HttpRequest http;
  http.method = boost::beast::http::verb::post;
  http.url = webhook_.ExecuteUrl();
  http.content_type = "application/json";
  http.body = std::move(*body);
  client_.Send(std::move(http), [this, alive = std::weak_ptr<int>(alive_)](net::HttpResult result) {
    if (alive.expired()) return;
    OnResult(std::move(result));
  });
  return true;
}

void WebhookSender::OnResult(net::HttpResult result) {
  InFlight request = std::move(*in_flight_);
  in_flight_.reset();
  const core::Millis now = clock_.NowMs();

  WebhookVerdict verdict;
  if (result && result->status >= 200 && result->status <= 299) {
    // Discord has stored the message: record that before anything else (see the header).
    auto marked = store_.MarkSent(webhook_.destination(), request.alerts);
    if (marked) {
      counters_.sent += static_cast<std::uint64_t>(*marked);
    } else {
      sent_unrecorded_.insert(sent_unrecorded_.end(), request.alerts.begin(), request.alerts.end());
      StoreError("cannot record delivered alerts (kept in memory, retried)", marked.error());
    }
  }
  if (result) {
    WebhookResponse response{static_cast<int>(result->status), std::move(result->headers),
                             std::move(result->body)};
    verdict = ClassifyWebhookResponse(response);
    verdict.reason = webhook_.Redact(verdict.reason);
  } else if (result.error().kind == net::HttpErrorKind::kShutdown) {
    // Stop's deadline passed: the rows stay pending and are sent on the next start.
    logger_->warn("{}: request abandoned at shutdown; its {} alert(s) stay pending",
                  webhook_.destination(), request.alerts.size());
    if (stopped_ && hooks_.on_idle) hooks_.on_idle();
    return;
  } else {
    verdict = ClassifyTransportFailure(webhook_.Redact(fmt::format(
        "{}: {}", net::HttpErrorKindName(result.error().kind), result.error().message)));
  }
  limiter_.OnResponse(now, verdict);

  switch (verdict.outcome) {
    case WebhookOutcome::kSent:
      OnSent(request);
      break;
    case WebhookOutcome::kRateLimited:
      ++counters_.rate_limited;
      logger_->warn(
          "{}: rate limited by Discord (HTTP 429{}), waiting {} ms; {} alert(s) stay pending",
          webhook_.destination(), verdict.global ? ", global" : "",
          verdict.retry_after.value_or(kDefaultRateLimitWait), request.alerts.size());
      if (verdict.global && hooks_.on_global_rate_limit) {
        hooks_.on_global_rate_limit(now + verdict.retry_after.value_or(kDefaultRateLimitWait));
      }
      break;
    case WebhookOutcome::kRetry:
      OnRetry(verdict, request, now);
      break;
    case WebhookOutcome::kFailed:
      OnRefused(verdict, request);
      break;
    case WebhookOutcome::kDead:
      OnDead(verdict, request);
      break;
  }
  if (stopped_) {
    if (hooks_.on_idle) hooks_.on_idle();
    return;
  }
  Pump();
}

void WebhookSender::OnSent(const InFlight& request) {
  backoff_.Reset();
  Forget(request.alerts);
  logger_->info("{}: delivered {} alert(s)", webhook_.destination(), request.alerts.size());
}

void WebhookSender::OnRetry(const WebhookVerdict& verdict, const InFlight& request,
                            core::Millis now) {
  const core::Millis delay = RetryDelay(verdict, backoff_);
  const core::Millis next = now + delay;
  std::vector<AlertId> retry;
  std::vector<AlertId> give_up;
  for (std::size_t i = 0; i < request.alerts.size(); ++i) {
    // Given up only once the next try would come after the deadline.
    const bool too_old =
        request.created_at.empty() || next - request.created_at[i] >= options_.give_up_after;
    (too_old ? give_up : retry).push_back(request.alerts[i]);
  }
  // The webhook is failing: nothing goes to it before its rows are due again.
  limiter_.BlockUntil(next);
  logger_->warn("{}: delivery failed ({}); {} alert(s) retried in {} ms", webhook_.destination(),
                verdict.reason, retry.size(), delay);
  if (auto marked = store_.MarkRetry(webhook_.destination(), retry, next, verdict.reason)) {
    counters_.retried += static_cast<std::uint64_t>(*marked);
  } else {
    StoreError("cannot record a retry", marked.error());
  }
  if (give_up.empty()) return;
  Forget(give_up);
  std::string reason = fmt::format(
      "not delivered within {} (alerts.discord.give_up_after); last "
      "error: {}",
      core::FormatDuration(options_.give_up_after), verdict.reason);
  logger_->error("{}: {} alert(s) not delivered: {}", webhook_.destination(), give_up.size(),
                 reason);
  if (auto marked = store_.MarkFailed(webhook_.destination(), give_up, reason)) {
    counters_.failed += static_cast<std::uint64_t>(*marked);
  } else {
    StoreError("cannot record a failed alert", marked.error());
  }
}

bool WebhookSender::GiveUpTooOld(std::vector<DueDelivery>& due, core::Millis now) {
  std::vector<AlertId> too_old;
  std::erase_if(due, [&](const DueDelivery& d) {
    if (now - d.created_at < options_.give_up_after) return false;
    too_old.push_back(d.alert_id);
    return true;
  });
  if (too_old.empty()) return true;
  Forget(too_old);
  const std::string reason = fmt::format("not delivered within {} (alerts.discord.give_up_after)",
                                         core::FormatDuration(options_.give_up_after));
  logger_->error("{}: {} alert(s) given up: {}", webhook_.destination(), too_old.size(), reason);
  auto marked = store_.MarkFailed(webhook_.destination(), too_old, reason);
  if (!marked) {
    StoreError("cannot record a given-up alert", marked.error());
    return false;
  }
  counters_.failed += static_cast<std::uint64_t>(*marked);
  return true;
}

void WebhookSender::OnRefused(const WebhookVerdict& verdict, const InFlight& request) {
  if (request.alerts.size() > 1) {
    // One embed may be the culprit: find it by sending each alone. Not charged as an attempt.
    ++counters_.split_batches;
    solo_.insert(request.alerts.begin(), request.alerts.end());
    logger_->warn("{}: Discord refused a message of {} alerts ({}); sending them one by one",
                  webhook_.destination(), request.alerts.size(), verdict.reason);
    return;
  }
  Forget(request.alerts);
  logger_->warn("{}: Discord refused alert {} ({}); not retried", webhook_.destination(),
                request.alerts.front(), verdict.reason);
  if (auto marked = store_.MarkFailed(webhook_.destination(), request.alerts, verdict.reason)) {
    counters_.failed += static_cast<std::uint64_t>(*marked);
  } else {
    StoreError("cannot record a refused alert", marked.error());
  }
}

void WebhookSender::OnDead(const WebhookVerdict& verdict, const InFlight& request) {
  dead_ = true;
  dead_reason_ = verdict.reason;
  timer_.cancel();
  Forget(request.alerts);
  logger_->error(
      "{}: the Discord webhook is gone ({}); no more alerts are sent to it. Create a new webhook "
      "and update alerts.discord in the configuration",
      webhook_.destination(), verdict.reason);
  if (auto marked = store_.MarkDead(webhook_.destination(), request.alerts, verdict.reason)) {
    counters_.dead += static_cast<std::uint64_t>(*marked);
  } else {
    StoreError("cannot record a dead webhook", marked.error());
  }
  CloseDeadRows();
}

void WebhookSender::CloseDeadRows() {
  auto closed = store_.MarkDestinationDead(webhook_.destination(), dead_reason_);
  if (closed) {
    counters_.dead += static_cast<std::uint64_t>(*closed);
  } else {
    StoreError("cannot record a dead webhook", closed.error());
  }
}

bool WebhookSender::RecordUnrecordedSent() {
  if (sent_unrecorded_.empty()) return true;
  auto marked = store_.MarkSent(webhook_.destination(), sent_unrecorded_);
  if (!marked) {
    StoreError("cannot record delivered alerts (kept in memory, retried)", marked.error());
    return false;
  }
  counters_.sent += static_cast<std::uint64_t>(*marked);
  sent_unrecorded_.clear();
  return true;
}

void WebhookSender::ArmTimer(core::Millis at) {
  const core::Millis delay = std::clamp<core::Millis>(at - clock_.NowMs(), 0, kMaxSleep);
  timer_.expires_after(std::chrono::milliseconds(delay));
  timer_.async_wait([this, alive = std::weak_ptr<int>(alive_)](boost::system::error_code ec) {
    if (ec || alive.expired()) return;
    Pump();
  });
}

void WebhookSender::StoreError(std::string_view what, const core::Error& error) {
  ++counters_.store_errors;
  logger_->error("{}: {}: {}", webhook_.destination(), what, webhook_.Redact(error.message));
}

void WebhookSender::Forget(const std::vector<AlertId>& alerts) {
  for (AlertId id : alerts) solo_.erase(id);
}

}  // namespace scanner::alerts
