// The wiring from the configuration file to the modules' options.

#include <gtest/gtest.h>

#include "app/market_feed_from_config.h"
#include "config/defaults.h"

namespace scanner::app {
namespace {

TEST(MarketFeedOptionsFromConfig, CarriesTheStreamsSectionAndTheMarketsRoute) {
  const config::Config config = config::DefaultConfig(core::Market::kUsdm);
  const feed::MarketFeedOptions options = MarketFeedOptionsFromConfig(config, 120, 100);
  EXPECT_EQ(options.pool.market, core::Market::kUsdm);
  EXPECT_EQ(options.pool.ws_url, "wss://fstream.binance.com/market");
  EXPECT_EQ(options.pool.intervals, config.streams.intervals);
  EXPECT_EQ(options.pool.max_streams_per_connection, 200u);
  EXPECT_EQ(options.pool.connection.link.max_messages_per_second, 8);
  EXPECT_EQ(options.pool.connection.link.stale_after, config.streams.stale_after);
  EXPECT_EQ(options.pool.connection.max_connection_age, config.streams.max_connection_age);
  // The session's idle backstop outlasts the futures ping interval (3 min).
  EXPECT_GT(options.pool.connection.link.ws.idle_timeout, 3 * core::kMinute);
  EXPECT_EQ(options.fill.warm_up_bars, 100u);
  EXPECT_EQ(options.window_capacity, 120u);
}

}  // namespace
}  // namespace scanner::app
