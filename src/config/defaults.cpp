#include "config/defaults.h"

#include "config/config_keys.h"

namespace scanner::config {

Config DefaultConfig(core::Market market) {
  Config config;
  ApplyDefaults(config, market);
  return config;
}

int MessagesPerSecondLimit(core::Market market) {
  return market == core::Market::kSpot ? kSpotMessagesPerSecondLimit : kUsdmMessagesPerSecondLimit;
}

}  // namespace scanner::config
