#include "feed/stream_link.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <optional>
#include <utility>

#include "feed/stream_plan.h"

namespace scanner::feed {
namespace {

// Stream names are ASCII or UTF-8 symbol bytes; quotes, backslashes and control characters
// cannot occur in a valid one, but are escaped anyway so the frame is always valid JSON.
void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20) {
      out.append("\\u00");
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

std::string ControlMessage(std::string_view method, const std::vector<std::string>& streams,
                           std::int64_t id) {
  std::string text;
  text.reserve(40 + streams.size() * 24);
  text.append(R"({"method":")");
  text.append(method);
  text.append(R"(","params":[)");
  for (std::size_t i = 0; i < streams.size(); ++i) {
    if (i > 0) text.push_back(',');
    AppendJsonString(text, streams[i]);
  }
  text.append(R"(],"id":)");
  text.append(std::to_string(id));
  text.push_back('}');
  return text;
}

}  // namespace

core::Result<std::unique_ptr<StreamLink>> StreamLink::Open(
    boost::asio::any_io_executor executor, boost::asio::ssl::context* tls, const core::Clock& clock,
    std::shared_ptr<spdlog::logger> logger, const StreamLinkOptions& options,
    const std::vector<std::string>& streams, binance::StreamParser& parser,
    const StreamLinkSink& sink, std::string name) {
  if (streams.empty()) return core::Fail(fmt::format("stream link {}: no stream", name));
  const std::size_t in_url = StreamsFittingUrl(options.ws_url, streams, options.max_url_bytes);
  const std::span<const std::string> initial(streams.data(), in_url);
  auto url = net::Url::Parse(CombinedStreamUrl(options.ws_url, initial));
  if (!url) return std::unexpected(url.error());

  std::unique_ptr<StreamLink> link(
      new StreamLink(clock, logger, options, parser, sink, std::move(name)));
  std::weak_ptr<StreamLink*> weak = link->self_;
  net::WsCallbacks callbacks;
  callbacks.on_message = [weak](std::string_view frame) {
    if (auto self = weak.lock()) (*self)->OnMessage(frame);
  };
  callbacks.on_closed = [weak](const net::WsCloseInfo& info) {
    if (auto self = weak.lock()) (*self)->OnClosed(info);
  };
  callbacks.on_state = [weak](net::WsState state) {
    if (auto self = weak.lock()) (*self)->OnState(state);
  };
  auto session = net::WebSocketSession::Create(std::move(executor), tls, clock, std::move(logger),
                                               std::move(*url), options.ws, std::move(callbacks));
  if (!session) return std::unexpected(session.error());
  link->session_ = std::move(*session);
  link->requested_.insert(initial.begin(), initial.end());
  link->SetStreams(streams);
  link->opened_at_ = clock.NowMs();
  link->session_->Start();
  return link;
}

StreamLink::StreamLink(const core::Clock& clock, std::shared_ptr<spdlog::logger> logger,
                       const StreamLinkOptions& options, binance::StreamParser& parser,
                       const StreamLinkSink& sink, std::string name)
    : clock_(clock),
      logger_(std::move(logger)),
      options_(options),
      parser_(parser),
      sink_(sink),
      name_(std::move(name)),
      self_(std::make_shared<StreamLink*>(this)),
      pacer_(options.max_messages_per_second, options.pacer_window),
      watchdog_(options.stale_after),
      resubscribe_backoff_(options.resubscribe_backoff, std::hash<std::string>{}(name_)) {}

StreamLink::~StreamLink() {
  self_.reset();
  if (session_ && !closed_ && !closing_) session_->Stop();
}

void StreamLink::Close() {
  if (closed_ || closing_) return;
  closing_ = true;
  session_->Close();
}

void StreamLink::Stop() {
  if (closed_) return;
  closing_ = true;
  session_->Stop();
}

bool StreamLink::ready() const {
  if (!streaming() || !has_data_) return false;
  for (const Queued& queued : queue_) {
    if (queued.method == Method::kSubscribe && !queued.retry) return false;
  }
  for (const auto& [id, awaiting] : awaiting_) {
    if (awaiting.method == Method::kSubscribe && !awaiting.retry) return false;
  }
  return true;
}

bool StreamLink::ReplyOverdue(core::Millis now) const {
  for (const auto& [id, awaiting] : awaiting_) {
    if (now - awaiting.sent_at >= options_.reply_timeout) return true;
  }
  return false;
}

// ---- subscriptions ---------------------------------------------------------------------------

void StreamLink::SetStreams(const std::vector<std::string>& streams) {
  const std::set<std::string> desired(streams.begin(), streams.end());
  std::vector<std::string> drop;
  std::set_difference(requested_.begin(), requested_.end(), desired.begin(), desired.end(),
                      std::back_inserter(drop));
  for (std::string& stream : drop) {
    requested_.erase(stream);
    const bool refused = refused_.erase(stream) > 0;
    if (Unqueue(Method::kSubscribe, stream)) continue;
    // Refused and no retry on the wire: Binance never subscribed it.
    if (refused && !AwaitingSubscribe(stream)) continue;
    Enqueue(Method::kUnsubscribe, std::move(stream));
  }
  // Added in the caller's order (the plan's), so a batch holds a few whole symbols.
  for (const std::string& stream : streams) {
    if (!requested_.insert(stream).second) continue;
    if (!Unqueue(Method::kUnsubscribe, stream)) Enqueue(Method::kSubscribe, stream);
  }
}

void StreamLink::Enqueue(Method method, std::string stream) {
  const std::size_t batch = std::max<std::size_t>(options_.max_streams_per_message, 1);
  if (queue_.empty() || queue_.back().method != method || queue_.back().retry ||
      queue_.back().streams.size() >= batch) {
    queue_.push_back(Queued{method, {}, false});
  }
  queue_.back().streams.push_back(std::move(stream));
}

bool StreamLink::Unqueue(Method method, const std::string& stream) {
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->method != method) continue;
    auto found = std::find(it->streams.begin(), it->streams.end(), stream);
    if (found == it->streams.end()) continue;
    it->streams.erase(found);
    if (it->streams.empty()) queue_.erase(it);
    return true;
  }
  return false;
}

bool StreamLink::AwaitingSubscribe(const std::string& stream) const {
  for (const auto& [id, awaiting] : awaiting_) {
    if (awaiting.method != Method::kSubscribe) continue;
    if (std::find(awaiting.streams.begin(), awaiting.streams.end(), stream) !=
        awaiting.streams.end()) {
      return true;
    }
  }
  return false;
}

core::Millis StreamLink::Service(core::Millis now) {
  if (!streaming()) return Watchdog::kNever;
  if (now >= resubscribe_at_) Resubscribe();
  pacer_.ObservePongs(session_->stats().pongs_out, now);
  while (!queue_.empty() && pacer_.CanSend(now)) SendFront(now);
  core::Millis next = queue_.empty() ? Watchdog::kNever : pacer_.NextSendTime(now);
  next = std::min(next, resubscribe_at_);
  for (const auto& [id, awaiting] : awaiting_) {
    next = std::min(next, awaiting.sent_at + options_.reply_timeout);
  }
  return next;
}

void StreamLink::Resubscribe() {
  resubscribe_at_ = Watchdog::kNever;
  std::vector<std::vector<std::string>> batches = std::move(to_retry_);
  to_retry_.clear();
  for (std::vector<std::string>& batch : batches) {
    std::erase_if(batch, [this](const std::string& stream) { return !refused_.contains(stream); });
    if (batch.empty()) continue;
    // Halves: a batch Binance refuses because of one stream gets the others through in a few
    // rounds, and the bad one ends up alone.
    const std::size_t half = batch.size() > 1 ? batch.size() / 2 : batch.size();
    std::vector<std::string> second(std::make_move_iterator(batch.begin() + half),
                                    std::make_move_iterator(batch.end()));
    batch.resize(half);
    queue_.push_back(Queued{Method::kSubscribe, std::move(batch), true});
    if (!second.empty()) queue_.push_back(Queued{Method::kSubscribe, std::move(second), true});
  }
}

void StreamLink::SendFront(core::Millis now) {
  Queued queued = std::move(queue_.front());
  queue_.pop_front();
  const std::int64_t id = next_id_++;
  const bool subscribe = queued.method == Method::kSubscribe;
  session_->Send(ControlMessage(subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE", queued.streams, id));
  pacer_.RecordSent(now);
  ++counters_.control_messages;
  if (queued.retry) ++counters_.resubscribes;
  logger_->debug("stream {}: {}{} {} stream(s), id {}", name_,
                 subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE", queued.retry ? " (retry)" : "",
                 queued.streams.size(), id);
  awaiting_.emplace(id, Awaiting{queued.method, std::move(queued.streams), now, queued.retry});
}

// ---- session callbacks -----------------------------------------------------------------------

void StreamLink::OnState(net::WsState state) {
  if (state != net::WsState::kStreaming) return;
  streaming_ = true;
  connected_at_ = clock_.NowMs();
  watchdog_.Arm(connected_at_);
  if (sink_.on_change) sink_.on_change();
}

void StreamLink::OnClosed(const net::WsCloseInfo& info) {
  closed_ = true;
  streaming_ = false;
  watchdog_.Disarm();
  close_info_ = info;
  if (sink_.on_change) sink_.on_change();
}

void StreamLink::OnMessage(std::string_view frame) {
  if (closed_) return;
  if (sink_.on_frame) sink_.on_frame(frame);
  parser_.Parse(frame, *this);
}

void StreamLink::MarkData() {
  watchdog_.Feed(clock_.NowMs());
  if (has_data_) return;
  has_data_ = true;
  if (sink_.on_change) sink_.on_change();
}

void StreamLink::OnKline(const binance::KlineEvent& event) {
  MarkData();
  if (sink_.on_kline) sink_.on_kline(event);
}

void StreamLink::OnTicker(const binance::TickerEvent& event) {
  MarkData();
  if (sink_.on_ticker) sink_.on_ticker(event);
}

void StreamLink::OnControlReply(const binance::ControlReply& reply) {
  const bool error = reply.kind == binance::ControlReply::Kind::kError;
  auto found = awaiting_.end();
  if (reply.id) {
    found = awaiting_.find(*reply.id);
  } else if (error) {
    found = awaiting_.begin();  // the oldest request: Binance answers in order
  }
  const bool ours = found != awaiting_.end();
  std::optional<Awaiting> request;
  if (ours) {
    request = std::move(found->second);
    awaiting_.erase(found);
  }
  if (error || !ours) {
    ++counters_.control_errors;
    logger_->warn("stream {}: control reply {} (id {}): code {} {}", name_,
                  error ? "error" : "for no request of ours",
                  reply.id ? std::to_string(*reply.id) : std::string("none"), reply.error_code,
                  reply.error_message);
  } else {
    ++counters_.acks;
  }
  if (request && request->method == Method::kSubscribe) {
    if (error) {
      OnRefused(std::move(*request), reply, clock_.NowMs());
    } else {
      OnAccepted(*request);
    }
  }
  if (sink_.on_change) sink_.on_change();
}

void StreamLink::OnRefused(Awaiting request, const binance::ControlReply& reply, core::Millis now) {
  ++counters_.refused_subscribes;
  std::erase_if(request.streams,
                [this](const std::string& stream) { return !requested_.contains(stream); });
  if (request.streams.empty()) return;
  for (const std::string& stream : request.streams) refused_.try_emplace(stream, now);
  if (resubscribe_at_ == Watchdog::kNever) {
    resubscribe_at_ = now + resubscribe_backoff_.NextDelay();
  }
  logger_->warn(
      "stream {}: Binance refused to SUBSCRIBE {} stream(s) (first: {}; code {} {}): no data "
      "for them; {} refused on this connection, next retry at {}",
      name_, request.streams.size(), request.streams.front(), reply.error_code, reply.error_message,
      refused_.size(), core::FormatIsoUtc(resubscribe_at_));
  to_retry_.push_back(std::move(request.streams));
}

void StreamLink::OnAccepted(const Awaiting& request) {
  std::size_t recovered = 0;
  for (const std::string& stream : request.streams) recovered += refused_.erase(stream);
  if (recovered == 0) return;
  logger_->info("stream {}: {} refused stream(s) subscribed on retry; {} still refused", name_,
                recovered, refused_.size());
  if (refused_.empty()) resubscribe_backoff_.Reset();
}

void StreamLink::OnServerShutdown(core::Millis /*event_time*/) {
  if (shutdown_notice_) return;
  shutdown_notice_ = true;
  logger_->info("stream {}: serverShutdown notice", name_);
  if (sink_.on_change) sink_.on_change();
}

}  // namespace scanner::feed
