#pragma once
// MarketFeed: live Binance market data for the app, in one object -- the StreamPool (WebSocket
// connections), the market::WindowSet (one window per universe symbol and interval) and the
// GapFiller (warm-up, gap filling, and the only path into and out of the windows).
//
// The app:
//   1. creates it with the pool and gap-fill options (see market_feed_from_config.h), a
//      KlinesFetch (KlinesFetchFrom(rest_client)) and its callbacks;
//   2. calls UpdateUniverse(added, removed) with each universe diff (the first one lists every
//      symbol as added) -- before or after Start();
//   3. calls Start(); Stop() at shutdown.
// Callbacks (on the io_context thread):
//   - on_closed_bar(symbol, interval, bar, origin): exactly once per closed bar, in open-time
//     order per (symbol, interval), only once the window has been warmed up and is whole; the
//     signals evaluate these bars and nothing else. Warm-up history arrives this way too
//     (origin kWarmUp), so incremental indicators start warm; `origin` lets the app decide
//     whether an old bar may still alert.
//   - on_open_bar(symbol, interval, bar): updates of the forming bar of a warmed-up window.
//   - on_ticker(event): every 24 h ticker entry of the market ticker stream (views valid during
//     the call; ToTicker24h() copies).
// Callbacks must not call back into the feed.
//
// Threading: not thread-safe; everything runs on the io_context's one thread. Create and call
// it there (or before the io_context runs). The io_context, clock, TLS context and whatever the
// KlinesFetch uses must outlive the feed.

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>

#include "binance/stream_parser.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/types.h"
#include "feed/gap_filler.h"
#include "feed/stream_pool.h"
#include "market/window_set.h"
#include "net/asio_wake_up_timer.h"

namespace scanner::feed {

struct MarketFeedOptions {
  StreamPoolOptions pool{};
  // market and stale_after are taken from `pool`; warm_up_bars is the caller's signal need.
  GapFillerOptions fill{};
  std::size_t window_capacity = 0;  // closed bars per window (>= warm_up_bars makes sense)
};

struct MarketFeedCallbacks {
  std::function<void(const core::Symbol& symbol, core::Interval interval, const core::Bar& bar,
                     market::BarOrigin origin)>
      on_closed_bar;
  std::function<void(const core::Symbol& symbol, core::Interval interval, const core::Bar& bar)>
      on_open_bar;
  std::function<void(const binance::TickerEvent& event)> on_ticker;
  // Every raw text frame, before parsing (`run --record`); empty: none.
  std::function<void(std::string_view frame)> on_frame;
};

struct MarketFeedStats {
  StreamPoolStats pool;
  GapFillerStats fill;
};

class MarketFeed {
 public:
  // Fails like StreamPool::Create, or without a fetch or logger.
  static core::Result<std::unique_ptr<MarketFeed>> Create(
      boost::asio::io_context& io_context, boost::asio::ssl::context* tls, const core::Clock& clock,
      KlinesFetch fetch, MarketFeedOptions options, MarketFeedCallbacks callbacks,
      std::shared_ptr<spdlog::logger> logger);

  MarketFeed(const MarketFeed&) = delete;
  MarketFeed& operator=(const MarketFeed&) = delete;
  ~MarketFeed();

  void Start();
  // New symbols get windows, a warm-up and streams; removed ones lose all three.
  void UpdateUniverse(std::span<const core::Symbol> added, std::span<const core::Symbol> removed);
  // New indicator windows need another history: every window is rebuilt with
  // `window_capacity` bars and loaded again with `warm_up_bars` over REST (GapFiller::Rewarm);
  // the streams stay as they are.
  void Rewarm(std::size_t warm_up_bars, std::size_t window_capacity);
  // Closes the connections and stops fetching; final.
  void Stop();

  const market::WindowSet& windows() const { return windows_; }
  MarketFeedStats Stats() const;
  const StreamPool& pool() const { return *pool_; }
  const GapFiller& gap_filler() const { return *filler_; }

 private:
  MarketFeed(boost::asio::io_context& io_context, const core::Clock& clock,
             MarketFeedOptions options, MarketFeedCallbacks callbacks,
             std::shared_ptr<spdlog::logger> logger);

  MarketFeedOptions options_;
  MarketFeedCallbacks callbacks_;
  std::shared_ptr<spdlog::logger> logger_;
  market::WindowSet windows_;
  net::AsioWakeUpTimer pool_timer_;
  net::AsioWakeUpTimer fill_timer_;
  // Declared after what they use, so they are destroyed first.
  std::unique_ptr<GapFiller> filler_;
  std::unique_ptr<StreamPool> pool_;
};

}  // namespace scanner::feed
