#include "feed/market_feed.h"

#include <utility>

namespace scanner::feed {

core::Result<std::unique_ptr<MarketFeed>> MarketFeed::Create(
    boost::asio::io_context& io_context, boost::asio::ssl::context* tls, const core::Clock& clock,
    KlinesFetch fetch, MarketFeedOptions options, MarketFeedCallbacks callbacks,
    std::shared_ptr<spdlog::logger> logger) {
  if (!logger) return core::Fail("market feed: no logger");
  if (!fetch) return core::Fail("market feed: no klines fetch");
  options.fill.market = options.pool.market;
  options.fill.stale_after = options.pool.connection.link.stale_after;
  std::unique_ptr<MarketFeed> feed(
      new MarketFeed(io_context, clock, std::move(options), std::move(callbacks), logger));
  MarketFeed* self = feed.get();

  feed->filler_ = std::make_unique<GapFiller>(
      feed->windows_, std::move(fetch), feed->fill_timer_, clock, feed->options_.fill,
      GapFillerCallbacks{
          .on_closed_bar =
              [self](const core::Symbol& symbol, core::Interval interval, const core::Bar& bar,
                     market::BarOrigin origin) {
                if (self->callbacks_.on_closed_bar) {
                  self->callbacks_.on_closed_bar(symbol, interval, bar, origin);
                }
              },
          .on_open_bar =
              [self](const core::Symbol& symbol, core::Interval interval, const core::Bar& bar) {
                if (self->callbacks_.on_open_bar)
                  self->callbacks_.on_open_bar(symbol, interval, bar);
              }},
      logger);

  auto pool = StreamPool::Create(
      io_context.get_executor(), tls, clock, feed->pool_timer_, feed->options_.pool,
      StreamPoolCallbacks{
          .on_frame = feed->callbacks_.on_frame,
          .on_kline =
              [self](const binance::KlineEvent& event) {
                self->filler_->OnStreamBar(event.symbol, event.interval, event.bar,
                                           event.event_time);
              },
          .on_ticker =
              [self](const binance::TickerEvent& event) {
                if (self->callbacks_.on_ticker) self->callbacks_.on_ticker(event);
              },
          .on_resumed =
              [self](std::span<const core::Symbol> symbols) { self->filler_->OnResumed(symbols); }},
      std::move(logger));
  if (!pool) return std::unexpected(pool.error());
  feed->pool_ = std::move(*pool);
  return feed;
}

MarketFeed::MarketFeed(boost::asio::io_context& io_context, const core::Clock& clock,
                       MarketFeedOptions options, MarketFeedCallbacks callbacks,
                       std::shared_ptr<spdlog::logger> logger)
    : options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      logger_(std::move(logger)),
      windows_(options_.pool.intervals, options_.window_capacity),
      pool_timer_(io_context, clock),
      fill_timer_(io_context, clock) {}

MarketFeed::~MarketFeed() { Stop(); }

void MarketFeed::Start() {
  if (pool_) pool_->Start();
}

void MarketFeed::UpdateUniverse(std::span<const core::Symbol> added,
                                std::span<const core::Symbol> removed) {
  // Streams go first and come last: a removed symbol's late messages find no window (counted,
  // ignored); an added symbol's window exists before its first message.
  pool_->UpdateSymbols({}, removed);
  for (const core::Symbol& symbol : removed) filler_->RemoveSymbol(symbol);
  for (const core::Symbol& symbol : added) filler_->AddSymbol(symbol);
  pool_->UpdateSymbols(added, {});
}

void MarketFeed::Rewarm(std::size_t warm_up_bars, std::size_t window_capacity) {
  options_.window_capacity = window_capacity;
  windows_.SetCapacity(window_capacity);
  filler_->Rewarm(warm_up_bars);
}

void MarketFeed::Stop() {
  if (pool_) pool_->Stop();
  if (filler_) filler_->Stop();
}

MarketFeedStats MarketFeed::Stats() const {
  return MarketFeedStats{.pool = pool_->Stats(), .fill = filler_->stats()};
}

}  // namespace scanner::feed
