#include "alerts/webhook_sender.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include <fmt/format.h>

#include "alerts/alert_embed.h"
#include "alerts/alert_format.h"
#include "alerts/message_edit_store.h"
#include "alerts/multipart_body.h"

namespace scanner::alerts {
namespace {

// After a store error the loop looks again this much later.
constexpr core::Millis kStoreRetryDelay = 5 * core::kSecond;
// The timer never sleeps longer than this: a wall-clock step cannot strand due work.
constexpr core::Millis kMaxSleep = core::kMinute;
constexpr std::string_view kJsonContentType = "application/json";

// How a due alert reaches Discord.
enum class Route {
  kOwn,       // heads an embed of a new message
  kWithHead,  // a line of its head's embed; the head is pending, so they go in one message
  kJoin,      // added to its head's message, already sent, by an edit
};

Route RouteOf(const DueDelivery& d, const std::unordered_set<AlertId>& own_message) {
  if (d.posts_own() || own_message.contains(d.alert_id)) return Route::kOwn;
  if (d.head_state == DeliveryState::kPending) return Route::kWithHead;
  if (d.head_state == DeliveryState::kSent && !d.head_message_id.empty() &&
      d.head_message_alerts < static_cast<int>(kMaxEmbedsPerMessage)) {
    return Route::kJoin;
  }
  // The head's message failed, is dead, unknown or full, or the head never came here.
  return Route::kOwn;
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
    std::optional<core::Millis> next_edit;
    if (options_.edit_outcomes) {
      auto edit = store_.edits().NextAttemptTime(webhook_.destination());
      if (!edit) {
        StoreError("cannot read the edit outbox", edit.error());
        return ArmTimer(now + kStoreRetryDelay);
      }
      next_edit = *edit;
    }
    if (!*next_row && !next_edit) {
      timer_.cancel();  // nothing pending: the next Wake() starts again
      return;
    }
    if (!*next_row || **next_row > now) {
      // No alert is due: an edit may go, if one is due, without delaying any alert.
      core::Millis earliest = next_edit ? *next_edit : **next_row;
      if (*next_row) earliest = std::min(earliest, **next_row);
      const core::Millis at = std::max(earliest, limiter_.NextSendTime(now));
      if (at > now) return ArmTimer(at);
      if (SendEdit(now)) return;
      continue;
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
    const std::size_t read = due->size();
    if (!GiveUpTooOld(*due, now)) return ArmTimer(now + kStoreRetryDelay);
    // Read again: a head given up changes how the alerts of its episode go.
    if (due->size() != read) continue;
    if (SendNext(std::move(*due), now)) return;
  }
}

bool WebhookSender::SendNext(std::vector<DueDelivery> due, core::Millis now) {
  if (RouteOf(due.front(), own_message_) == Route::kJoin) {
    const std::string message_id = due.front().head_message_id;
    const auto room = static_cast<std::size_t>(static_cast<int>(kMaxEmbedsPerMessage) -
                                               due.front().head_message_alerts);
    std::vector<DueDelivery> joining;
    for (DueDelivery& d : due) {
      if (joining.size() < room && RouteOf(d, own_message_) == Route::kJoin &&
          d.head_message_id == message_id) {
        joining.push_back(std::move(d));
      }
    }
    return SendJoin(message_id, std::move(joining), now);
  }

  // The message: the oldest alert alone if its batch was refused before; otherwise the longest
  // run of oldest alerts that fits one message, stopping before any alert to be sent alone.
  // Alerts that join a sent message are left for their own request.
  std::erase_if(due,
                [&](const DueDelivery& d) { return RouteOf(d, own_message_) == Route::kJoin; });
  if (solo_.contains(due.front().alert_id)) {
    due.resize(1);
  } else {
    auto first_solo = std::find_if(
        due.begin(), due.end(), [&](const DueDelivery& d) { return solo_.contains(d.alert_id); });
    due.erase(first_solo, due.end());
  }
  // An alert whose pending head is not in this message waits for the head's.
  std::erase_if(due, [&](const DueDelivery& d) {
    if (RouteOf(d, own_message_) != Route::kWithHead) return false;
    return std::none_of(due.begin(), due.end(), [&](const DueDelivery& head) {
      return head.alert_id == d.place.message_head_id;
    });
  });
  if (due.empty()) {
    // Every due alert waits for a head that is not due: look again when rows change.
    ArmTimer(now + kStoreRetryDelay);
    return true;
  }

  InFlight request;
  std::vector<MessageItem> items;
  items.reserve(due.size());
  for (const DueDelivery& d : due) {
    MessagePlace place = d.place;
    // An alert whose head's message is out of reach heads an embed of its own.
    if (RouteOf(d, own_message_) == Route::kOwn) place.message_head_id = d.alert_id;
    items.push_back(
        Item(d.alert_id, d.candidate, place, IsLate(d.candidate, now), &request.without_outcome));
  }
  const std::vector<MessageGroup> groups = GroupByHead(items);
  std::vector<DiscordEmbed> embeds;
  embeds.reserve(groups.size());
  for (const MessageGroup& group : groups) embeds.push_back(GroupEmbed(items, group));
  std::vector<MessageRange> ranges = PackEmbeds(embeds);
  const std::size_t size = ranges.empty() ? 0 : ranges.front().size();
  embeds.resize(size);
  for (std::size_t g = 0; g < size; ++g) {
    request.alerts.push_back(items[groups[g].head].id);
    for (std::size_t i : groups[g].joined) request.alerts.push_back(items[i].id);
  }
  std::sort(request.alerts.begin(), request.alerts.end());
  for (const DueDelivery& d : due) {
    if (std::binary_search(request.alerts.begin(), request.alerts.end(), d.alert_id)) {
      request.created_at.push_back(d.created_at);
    }
  }
  if (request.alerts.empty()) return false;

  ChartFiles files;
  if (options_.charts) {
    std::vector<MessageGroup> sent_groups(groups.begin(), groups.begin() + static_cast<long>(size));
    if (!TakeCharts(items, sent_groups, now, request, files)) return true;
    // Rendered again with the image references; the images do not count against the limits.
    for (std::size_t g = 0; g < size; ++g) embeds[g] = GroupEmbed(items, groups[g]);
  }
  auto body = WebhookBody(options_.identity, "", embeds, files.attachments);
  std::string content_type(kJsonContentType);
  if (body && !files.attachments.empty()) {
    std::vector<MultipartPart> parts;
    parts.reserve(files.attachments.size() + 1);
    parts.push_back(MultipartPart{"payload_json", "", std::string(kJsonContentType), *body});
    for (std::size_t n = 0; n < files.attachments.size(); ++n) {
      parts.push_back(MultipartPart{fmt::format("files[{}]", files.attachments[n].id),
                                    files.attachments[n].filename, "image/png", *files.pngs[n]});
    }
    auto multipart = BuildMultipartBody(parts);
    if (multipart) {
      content_type = std::move(multipart->content_type);
      body = std::move(multipart->body);
    } else {
      // Never expected (the file names are safe); the alerts still go, without pictures.
      logger_->warn("{}: cannot attach {} chart(s) ({}); sending without them",
                    webhook_.destination(), request.charts.size(), multipart.error().message);
      request.charts.clear();
      for (std::size_t g = 0; g < size; ++g) {
        items[groups[g].head].chart_file.clear();
        embeds[g] = GroupEmbed(items, groups[g]);
      }
      body = WebhookBody(options_.identity, "", embeds);
    }
  }
  if (!body) {
    // Clamped alert embeds always fit; should one not, it must not block the queue.
    WebhookVerdict verdict;
    verdict.outcome = WebhookOutcome::kFailed;
    verdict.reason = "cannot build the message: " + body.error().message;
    OnRefused(verdict, request);
    return false;
  }
  logger_->debug("{}: sending {} alert(s), {} chart(s)", webhook_.destination(),
                 request.alerts.size(), request.charts.size());
  Send(std::move(request), boost::beast::http::verb::post, webhook_.ExecuteUrl(), std::move(*body),
       std::move(content_type), now);
  return true;
}

bool WebhookSender::TakeCharts(std::vector<MessageItem>& items,
                               const std::vector<MessageGroup>& groups, core::Millis now,
                               InFlight& request, ChartFiles& files) {
  std::vector<ChartImage> charts;
  charts.reserve(groups.size());
  std::optional<core::Millis> waits_until;
  for (const MessageGroup& group : groups) {
    const AlertId id = items[group.head].id;
    charts.push_back(options_.charts(id));
    if (charts.back().state != ChartImage::State::kPending) {
      chart_pending_since_.erase(id);
      continue;
    }
    const core::Millis since = chart_pending_since_.try_emplace(id, now).first->second;
    const core::Millis until = since + options_.chart_wait;
    waits_until = waits_until ? std::min(*waits_until, until) : until;
  }
  if (waits_until && *waits_until > now) {
    // A render is quick; the app wakes the sender when it is done.
    ++counters_.chart_waits;
    logger_->debug("{}: waiting for a chart before sending {} alert(s)", webhook_.destination(),
                   request.alerts.size());
    ArmTimer(*waits_until);
    return false;
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    MessageItem& head = items[groups[g].head];
    const ChartImage& chart = charts[g];
    if (chart.state == ChartImage::State::kPending) {
      ++counters_.charts_timed_out;
      logger_->warn("{}: the chart of alert {} is not ready after {}; sent without it",
                    webhook_.destination(), head.id, core::FormatDuration(options_.chart_wait));
      continue;
    }
    if (chart.state != ChartImage::State::kReady || !chart.png) continue;
    if (chart.png->size() > kMaxAttachmentBytes) {
      ++counters_.charts_too_large;
      logger_->warn("{}: the chart of alert {} has {} bytes, over Discord's {}; sent without it",
                    webhook_.destination(), head.id, chart.png->size(), kMaxAttachmentBytes);
      continue;
    }
    std::string name = ChartFileName(head.candidate);
    const bool taken = std::any_of(
        files.attachments.begin(), files.attachments.end(),
        [&](const WebhookAttachment& attachment) { return attachment.filename == name; });
    // Two files of one name would make attachment:// ambiguous; never expected (the name
    // follows the alert's unique key).
    if (taken || files.attachments.size() >= kMaxAttachmentsPerMessage) continue;
    files.attachments.push_back(WebhookAttachment{files.attachments.size(), name});
    files.pngs.push_back(chart.png);
    request.charts.push_back(AttachedChart{head.id, name});
    head.chart_file = std::move(name);
  }
  return true;
}

bool WebhookSender::SendJoin(const std::string& message_id, std::vector<DueDelivery> joining,
                             core::Millis now) {
  auto shown = store_.MessageAlerts(webhook_.destination(), message_id);
  if (!shown) {
    StoreError("cannot read a sent message", shown.error());
    ArmTimer(now + kStoreRetryDelay);
    return true;
  }
  InFlight request;
  request.kind = RequestKind::kJoin;
  request.message_id = message_id;
  std::vector<MessageItem> items;
  for (const ShownAlert& a : *shown) {
    items.push_back(Item(a.id, a.candidate, a.place, IsLate(a.candidate, a.sent_at), nullptr));
    items.back().chart_file = a.chart_file;  // the message keeps its files: refer to them again
  }
  for (const DueDelivery& d : joining) {
    items.push_back(
        Item(d.alert_id, d.candidate, d.place, IsLate(d.candidate, now), &request.without_outcome));
    request.alerts.push_back(d.alert_id);
    request.created_at.push_back(d.created_at);
  }
  // The edit carries no username: the message keeps the one it was posted with.
  auto body = WebhookBody({}, "", MessageEmbeds(items));
  if (!body) {
    logger_->warn("{}: cannot add {} alert(s) to message {} ({}); posting them on their own",
                  webhook_.destination(), request.alerts.size(), message_id, body.error().message);
    own_message_.insert(request.alerts.begin(), request.alerts.end());
    return false;
  }
  logger_->debug("{}: adding {} alert(s) to message {}", webhook_.destination(),
                 request.alerts.size(), message_id);
  Send(std::move(request), boost::beast::http::verb::patch, webhook_.MessageUrl(message_id),
       std::move(*body), std::string(kJsonContentType), now);
  return true;
}

bool WebhookSender::SendEdit(core::Millis now) {
  auto due = store_.edits().NextDue(webhook_.destination());
  if (!due) {
    StoreError("cannot read the edit outbox", due.error());
    ArmTimer(now + kStoreRetryDelay);
    return true;
  }
  if (!*due) {
    // Only a clock stepping back between the two reads gets here.
    ArmTimer(now + kStoreRetryDelay);
    return true;
  }
  const DueEdit& edit = **due;
  if (now - edit.requested_at >= options_.give_up_after) {
    FailEdit(edit.message_id, fmt::format("not edited within {} (alerts.discord.give_up_after)",
                                          core::FormatDuration(options_.give_up_after)));
    return false;
  }
  auto shown = store_.MessageAlerts(webhook_.destination(), edit.message_id);
  if (!shown) {
    StoreError("cannot read a sent message", shown.error());
    ArmTimer(now + kStoreRetryDelay);
    return true;
  }
  if (shown->empty()) {
    FailEdit(edit.message_id, "the message shows no stored alert any more");
    return false;
  }
  std::vector<MessageItem> items;
  for (const ShownAlert& a : *shown) {
    items.push_back(Item(a.id, a.candidate, a.place, IsLate(a.candidate, a.sent_at), nullptr));
    items.back().chart_file = a.chart_file;  // the message keeps its files: refer to them again
  }
  auto body = WebhookBody({}, "", MessageEmbeds(items));
  if (!body) {
    FailEdit(edit.message_id, "cannot build the edited message: " + body.error().message);
    return false;
  }
  InFlight request;
  request.kind = RequestKind::kEdit;
  request.message_id = edit.message_id;
  request.edit_requests = edit.requests;
  request.edit_requested_at = edit.requested_at;
  logger_->debug("{}: editing message {} ({} alert(s))", webhook_.destination(), edit.message_id,
                 items.size());
  Send(std::move(request), boost::beast::http::verb::patch, webhook_.MessageUrl(edit.message_id),
       std::move(*body), std::string(kJsonContentType), now);
  return true;
}

void WebhookSender::Send(InFlight request, boost::beast::http::verb method, std::string url,
                         std::string body, std::string content_type, core::Millis now) {
  in_flight_ = std::move(request);
  limiter_.OnRequestSent(now);
  ++counters_.requests;
  net::HttpRequest http;
  http.method = method;
  http.url = std::move(url);
  http.content_type = std::move(content_type);
  http.body = std::move(body);
  client_.Send(std::move(http), [this, alive = std::weak_ptr<int>(alive_)](net::HttpResult result) {
    if (alive.expired()) return;
    OnResult(std::move(result));
  });
}

MessageItem WebhookSender::Item(AlertId id, const core::Candidate& candidate,
                                const MessagePlace& place, bool late,
                                std::vector<AlertId>* without_outcome) const {
  MessageItem item{id, candidate, place, late, {}, {}, {}, {}};
  if (options_.assets) {
    AssetNames assets = options_.assets(candidate);
    item.base_asset = std::move(assets.base);
    item.quote_asset = std::move(assets.quote);
  }
  if (options_.outcomes) item.outcome = options_.outcomes(id);
  if (without_outcome != nullptr && !(item.outcome && item.outcome->complete)) {
    without_outcome->push_back(id);
  }
  return item;
}

void WebhookSender::OnResult(net::HttpResult result) {
  InFlight request = std::move(*in_flight_);
  in_flight_.reset();
  const core::Millis now = clock_.NowMs();

  WebhookVerdict verdict;
  if (result) {
    WebhookResponse response{static_cast<int>(result->status), std::move(result->headers),
                             std::move(result->body)};
    verdict = ClassifyWebhookResponse(response);
    verdict.reason = webhook_.Redact(verdict.reason);
    // Discord has stored the message: record that before anything else (see the header).
    if (verdict.outcome == WebhookOutcome::kSent) RecordSent(request, verdict);
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

  if (request.kind == RequestKind::kEdit) {
    OnEditResult(verdict, request, now);
  } else {
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
        if (request.kind == RequestKind::kJoin) {
          // The message cannot take them (refused, or deleted): they post a message instead.
          own_message_.insert(request.alerts.begin(), request.alerts.end());
          logger_->warn("{}: Discord refused adding {} alert(s) to message {} ({}); posting them",
                        webhook_.destination(), request.alerts.size(), request.message_id,
                        verdict.reason);
        } else {
          OnRefused(verdict, request);
        }
        break;
      case WebhookOutcome::kDead:
        OnDead(verdict, request);
        break;
    }
  }
  if (stopped_) {
    if (hooks_.on_idle) hooks_.on_idle();
    return;
  }
  Pump();
}

void WebhookSender::RecordSent(const InFlight& request, const WebhookVerdict& verdict) {
  if (request.kind == RequestKind::kEdit) {
    auto marked =
        store_.edits().MarkDone(webhook_.destination(), request.message_id, request.edit_requests);
    // Not recorded: the edit is sent again later, which shows the same content.
    if (!marked) StoreError("cannot record an edit", marked.error());
    return;
  }
  const std::string& message_id =
      request.kind == RequestKind::kJoin ? request.message_id : verdict.message_id;
  auto marked = store_.MarkSent(webhook_.destination(), request.alerts, message_id, request.charts);
  if (marked) {
    counters_.sent += static_cast<std::uint64_t>(*marked);
  } else {
    sent_unrecorded_.push_back(Unrecorded{request.alerts, message_id, request.charts});
    StoreError("cannot record delivered alerts (kept in memory, retried)", marked.error());
  }
}

void WebhookSender::OnSent(const InFlight& request) {
  backoff_.Reset();
  Forget(request.alerts);
  if (request.kind == RequestKind::kJoin) {
    ++counters_.joins;
    logger_->info("{}: added {} alert(s) to message {}", webhook_.destination(),
                  request.alerts.size(), request.message_id);
  } else {
    counters_.charts_attached += request.charts.size();
    logger_->info("{}: delivered {} alert(s), {} chart(s)", webhook_.destination(),
                  request.alerts.size(), request.charts.size());
  }
  RequestLateOutcomes(request);
}

void WebhookSender::RequestLateOutcomes(const InFlight& request) {
  // An outcome completed while its alert was on the way: the message needs it too.
  if (!options_.edit_outcomes || !options_.outcomes) return;
  for (AlertId id : request.without_outcome) {
    std::optional<core::Outcome> outcome = options_.outcomes(id);
    if (!outcome || !outcome->complete) continue;
    if (auto requested = store_.RequestOutcomeEdit(id); !requested) {
      StoreError("cannot request an outcome edit", requested.error());
    }
  }
}

void WebhookSender::OnEditResult(const WebhookVerdict& verdict, const InFlight& request,
                                 core::Millis now) {
  switch (verdict.outcome) {
    case WebhookOutcome::kSent:
      backoff_.Reset();
      ++counters_.edits_done;
      logger_->info("{}: edited message {}", webhook_.destination(), request.message_id);
      return;
    case WebhookOutcome::kRateLimited:
      ++counters_.rate_limited;
      logger_->warn(
          "{}: rate limited by Discord (HTTP 429{}), waiting {} ms; the edit stays pending",
          webhook_.destination(), verdict.global ? ", global" : "",
          verdict.retry_after.value_or(kDefaultRateLimitWait));
      if (verdict.global && hooks_.on_global_rate_limit) {
        hooks_.on_global_rate_limit(now + verdict.retry_after.value_or(kDefaultRateLimitWait));
      }
      return;
    case WebhookOutcome::kRetry: {
      const core::Millis next = now + RetryDelay(verdict, backoff_);
      limiter_.BlockUntil(next);
      if (next - request.edit_requested_at >= options_.give_up_after) {
        FailEdit(request.message_id,
                 fmt::format("not edited within {} (alerts.discord.give_up_after); last error: {}",
                             core::FormatDuration(options_.give_up_after), verdict.reason));
        return;
      }
      logger_->warn("{}: edit of message {} failed ({}); retried in {} ms", webhook_.destination(),
                    request.message_id, verdict.reason, next - now);
      auto marked = store_.edits().MarkRetry(webhook_.destination(), request.message_id, next,
                                             verdict.reason);
      if (!marked) StoreError("cannot record an edit retry", marked.error());
      return;
    }
    case WebhookOutcome::kFailed:
      FailEdit(request.message_id, verdict.reason);
      return;
    case WebhookOutcome::kDead:
      OnDead(verdict, request);
      return;
  }
}

void WebhookSender::FailEdit(const std::string& message_id, const std::string& reason) {
  ++counters_.edits_failed;
  logger_->warn("{}: message {} not edited: {}", webhook_.destination(), message_id, reason);
  auto marked = store_.edits().MarkFailed(webhook_.destination(), message_id, reason);
  if (!marked) StoreError("cannot record a failed edit", marked.error());
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
  chart_pending_since_.clear();
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
  auto edits = store_.edits().FailDestination(webhook_.destination(), dead_reason_);
  if (!edits) StoreError("cannot record a dead webhook's edits", edits.error());
}

bool WebhookSender::RecordUnrecordedSent() {
  while (!sent_unrecorded_.empty()) {
    const Unrecorded& sent = sent_unrecorded_.front();
    auto marked =
        store_.MarkSent(webhook_.destination(), sent.alerts, sent.message_id, sent.charts);
    if (!marked) {
      StoreError("cannot record delivered alerts (kept in memory, retried)", marked.error());
      return false;
    }
    counters_.sent += static_cast<std::uint64_t>(*marked);
    sent_unrecorded_.erase(sent_unrecorded_.begin());
  }
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
  for (AlertId id : alerts) {
    solo_.erase(id);
    own_message_.erase(id);
    chart_pending_since_.erase(id);
  }
}

}  // namespace scanner::alerts
