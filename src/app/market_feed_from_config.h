#pragma once
// Builds feed::MarketFeedOptions from the config file's `exchange` and `streams` sections: wiring,
// so it lives in app/ (feed/ knows no configuration). The TLS context for wss:// comes from
// net::MakeClientTlsContext(exchange.ca_file).

#include <algorithm>
#include <cstddef>

#include "config/config.h"
#include "feed/market_feed.h"

namespace scanner::app {

// `window_capacity`: closed bars kept per window; `warm_up_bars`: closed bars each window is
// loaded with at start (what the signals need to be warm).
inline feed::MarketFeedOptions MarketFeedOptionsFromConfig(const config::Config& config,
                                                           std::size_t window_capacity,
                                                           std::size_t warm_up_bars) {
  feed::MarketFeedOptions options;
  feed::StreamPoolOptions& pool = options.pool;
  pool.market = config.exchange.market;
  pool.ws_url = config.exchange.ws_url;
  pool.intervals = config.streams.intervals;
  pool.max_streams_per_connection =
      static_cast<std::size_t>(std::max(config.streams.max_streams_per_connection, 1));
  pool.connection.max_connection_age = config.streams.max_connection_age;
  feed::StreamLinkOptions& link = pool.connection.link;
  link.ws_url = config.exchange.ws_url;
  link.stale_after = config.streams.stale_after;
  link.max_messages_per_second = std::max(config.streams.max_messages_per_second, 1);
  // The session's own idle timeout (no frame at all, pings included) is only a backstop behind
  // the no-data watchdog; it must outlast the server's ping interval (spot 20 s, futures 3 min).
  const core::Millis ping_backstop =
      config.exchange.market == core::Market::kSpot ? core::kMinute : 4 * core::kMinute;
  link.ws.idle_timeout = std::max(ping_backstop, 2 * link.stale_after);
  options.fill.market = config.exchange.market;
  options.fill.stale_after = config.streams.stale_after;
  options.fill.warm_up_bars = warm_up_bars;
  options.window_capacity = window_capacity;
  return options;
}

}  // namespace scanner::app
