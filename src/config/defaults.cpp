#include "config/defaults.h"

namespace scanner::config {

Config DefaultConfig(core::Market market) {
  Config config;
  bool spot = market == core::Market::kSpot;
  config.exchange.market = market;
  config.exchange.rest_url = spot ? kSpotRestUrl : kUsdmRestUrl;
  config.exchange.ws_url = spot ? kSpotWsUrl : kUsdmWsUrl;
  config.streams.max_streams_per_connection =
      spot ? kSpotMaxStreamsPerConnection : kUsdmMaxStreamsPerConnection;
  config.streams.max_messages_per_second =
      spot ? kSpotDefaultMessagesPerSecond : kUsdmDefaultMessagesPerSecond;
  for (const char* name : {"1m", "5m", "15m", "1h"}) {
    config.streams.intervals.push_back(*core::Interval::Parse(name));
  }
  return config;
}

int MessagesPerSecondLimit(core::Market market) {
  return market == core::Market::kSpot ? kSpotMessagesPerSecondLimit : kUsdmMessagesPerSecondLimit;
}

}  // namespace scanner::config
