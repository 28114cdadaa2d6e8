#include "feed/stream_pool.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <utility>

#include "net/url.h"

namespace scanner::feed {

core::Result<std::unique_ptr<StreamPool>> StreamPool::Create(
    boost::asio::any_io_executor executor, boost::asio::ssl::context* tls, const core::Clock& clock,
    core::WakeUpTimer& timer, StreamPoolOptions options, StreamPoolCallbacks callbacks,
    std::shared_ptr<spdlog::logger> logger) {
  if (!logger) return core::Fail("stream pool: no logger");
  auto planner = ConnectionPlanner::Create(
      StreamPlanOptions{.market = options.market,
                        .intervals = options.intervals,
                        .max_streams_per_connection = options.max_streams_per_connection,
                        .ticker_stream = options.ticker_stream});
  if (!planner) return std::unexpected(planner.error());
  options.connection.link.ws_url = options.ws_url;
  auto url = net::Url::Parse(CombinedStreamUrl(options.ws_url, {}));
  if (!url) return core::Fail(fmt::format("stream pool: bad ws_url: {}", url.error().message));
  if (url->scheme != "ws" && url->scheme != "wss") {
    return core::Fail(
        fmt::format("stream pool: ws_url must be ws:// or wss://, not {}", url->scheme));
  }
  if (url->IsTls() && tls == nullptr) return core::Fail("stream pool: wss:// needs a TLS context");
  return std::unique_ptr<StreamPool>(new StreamPool(std::move(executor), tls, clock, timer,
                                                    std::move(options), std::move(*planner),
                                                    std::move(callbacks), std::move(logger)));
}

StreamPool::StreamPool(boost::asio::any_io_executor executor, boost::asio::ssl::context* tls,
                       const core::Clock& clock, core::WakeUpTimer& timer,
                       StreamPoolOptions options, ConnectionPlanner planner,
                       StreamPoolCallbacks callbacks, std::shared_ptr<spdlog::logger> logger)
    : executor_(std::move(executor)),
      clock_(clock),
      timer_(timer),
      options_(std::move(options)),
      planner_(std::move(planner)),
      callbacks_(std::move(callbacks)),
      logger_(std::move(logger)),
      throttle_(options_.connect_throttle),
      self_(std::make_shared<StreamPool*>(this)) {
  context_.executor = executor_;
  context_.tls = tls;
  context_.clock = &clock_;
  context_.logger = logger_;
  context_.throttle = &throttle_;
  if (callbacks_.on_frame) context_.sink.on_frame = callbacks_.on_frame;
  context_.sink.on_kline = [this](const binance::KlineEvent& event) {
    if (callbacks_.on_kline) callbacks_.on_kline(event);
  };
  context_.sink.on_ticker = [this](const binance::TickerEvent& event) {
    if (callbacks_.on_ticker) callbacks_.on_ticker(event);
  };
  context_.sink.on_change = [this] { Poke(); };
  // The ticker stream's connection exists from the start.
  for (std::size_t i = connections_.size(); i < planner_.ConnectionCount(); ++i) {
    connections_.push_back(std::make_unique<StreamConnection>(i, context_, options_.connection,
                                                              options_.seed + i * 7919));
    connections_.back()->SetStreams(planner_.Streams(i));
  }
}

StreamPool::~StreamPool() {
  Stop();
  self_.reset();
}

void StreamPool::Start() {
  if (started_ || stopped_) return;
  started_ = true;
  logger_->info("stream pool: {} connection(s) for {} streams", planner_.ConnectionCount(),
                planner_.TotalStreams());
  Poke();
}

void StreamPool::Stop() {
  if (stopped_) return;
  stopped_ = true;
  timer_.Cancel();
  for (auto& connection : connections_) connection->Stop();
}

void StreamPool::UpdateSymbols(std::span<const core::Symbol> added,
                               std::span<const core::Symbol> removed) {
  if (stopped_) return;
  ApplyPlan(planner_.Update(added, removed));
  Poke();
}

void StreamPool::ApplyPlan(const std::vector<PlanChange>& changes) {
  for (const PlanChange& change : changes) {
    while (connections_.size() <= change.connection) {
      const std::size_t index = connections_.size();
      connections_.push_back(std::make_unique<StreamConnection>(
          index, context_, options_.connection, options_.seed + index * 7919));
    }
    connections_[change.connection]->SetStreams(planner_.Streams(change.connection));
  }
}

void StreamPool::Poke() {
  if (service_posted_ || stopped_) return;
  service_posted_ = true;
  boost::asio::post(executor_, [weak = std::weak_ptr<StreamPool*>(self_)] {
    if (auto pool = weak.lock()) (*pool)->Service();
  });
}

void StreamPool::Service() {
  service_posted_ = false;
  if (!started_ || stopped_) return;
  const core::Millis now = clock_.NowMs();
  core::Millis next = Watchdog::kNever;
  for (auto& connection : connections_) {
    next = std::min(next, connection->Service(now));
    if (connection->TakeResumed()) {
      const auto& symbols = planner_.Symbols(connection->index());
      const std::vector<core::Symbol> resumed(symbols.begin(), symbols.end());
      ++resumes_;
      logger_->info("stream #{}: delivering again; {} symbol(s) may have missed bars",
                    connection->index(), resumed.size());
      if (callbacks_.on_resumed && !resumed.empty()) callbacks_.on_resumed(resumed);
      if (stopped_) return;
    }
  }
  if (next == Watchdog::kNever) {
    timer_.Cancel();
    return;
  }
  // Never a deadline in the past: a pass that could not act would spin.
  next = std::max(next, now + 1);
  timer_.WakeAt(next, [weak = std::weak_ptr<StreamPool*>(self_)] {
    if (auto pool = weak.lock()) (*pool)->Service();
  });
}

StreamPoolStats StreamPool::Stats() const {
  StreamPoolStats stats;
  for (const auto& connection : connections_) {
    stats.parse += connection->parse_stats();
    if (!connection->streams().empty()) ++stats.connections;
    if (connection->open()) ++stats.connections_open;
    const StreamConnectionStats c = connection->stats();
    stats.connect_attempts += c.connect_attempts;
    stats.reconnects += c.reconnects;
    stats.disconnects += c.disconnects;
    stats.watchdog_trips += c.watchdog_trips;
    stats.reply_timeouts += c.reply_timeouts;
    stats.rotations += c.rotations;
    stats.rotation_failures += c.rotation_failures;
    stats.shutdown_notices += c.shutdown_notices;
    stats.control_messages += c.control_messages;
    stats.control_errors += c.control_errors;
    stats.refused_subscribes += c.refused_subscribes;
    stats.resubscribes += c.resubscribes;
    stats.pongs += c.pongs;
    for (const auto& [stream, since] : connection->UnsubscribedStreams()) {
      ++stats.streams_unsubscribed;
      stats.unsubscribed_streams.push_back(stream);
      if (stats.unsubscribed_since == 0 || since < stats.unsubscribed_since) {
        stats.unsubscribed_since = since;
      }
    }
  }
  std::sort(stats.unsubscribed_streams.begin(), stats.unsubscribed_streams.end());
  if (stats.unsubscribed_streams.size() > StreamPoolStats::kMaxListedStreams) {
    stats.unsubscribed_streams.resize(StreamPoolStats::kMaxListedStreams);
  }
  stats.streams = planner_.TotalStreams();
  stats.resumes = resumes_;
  return stats;
}

}  // namespace scanner::feed
