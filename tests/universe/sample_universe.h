#pragma once
// A small ranked universe for the universe tests: BTCUSDT (a large volume with a fraction),
// PEPEUSDT (999.5, which a table rounds up, and a negative change) and NBTUSDT (no volume,
// included by name).

#include "core/market.h"
#include "core/types.h"
#include "universe/universe.h"

namespace scanner::universe {

inline Universe SampleUniverse(core::Market market = core::Market::kSpot,
                               core::Millis fetched_at = 0) {
  Universe universe;
  universe.market = market;
  universe.fetched_at = fetched_at;
  universe.symbols = {{.rank = 1,
                       .symbol = "BTCUSDT",
                       .base_asset = "BTC",
                       .quote_asset = "USDT",
                       .quote_volume_24h = 1537040739.3455314,
                       .price_change_percent = 1.253,
                       .included = false},
                      {.rank = 2,
                       .symbol = "PEPEUSDT",
                       .base_asset = "PEPE",
                       .quote_asset = "USDT",
                       .quote_volume_24h = 999.5,
                       .price_change_percent = -12.346,
                       .included = false},
                      {.rank = 3,
                       .symbol = "NBTUSDT",
                       .base_asset = "NBT",
                       .quote_asset = "USDT",
                       .quote_volume_24h = 0,
                       .price_change_percent = 0,
                       .included = true}};
  return universe;
}

}  // namespace scanner::universe
