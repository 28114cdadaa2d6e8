#pragma once
// The universe: the ranked list of symbols the scanner watches on one market, as selected from
// exchangeInfo and the 24 h tickers (UniverseSelector), cached (UniverseCache) and compared
// between refreshes (DiffUniverses). Plain values.

#include <string>
#include <vector>

#include "core/market.h"
#include "core/time.h"
#include "core/types.h"

namespace scanner::universe {

struct UniverseSymbol {
  int rank = 0;  // 1 = highest 24 h quote volume
  core::Symbol symbol;
  std::string base_asset;
  std::string quote_asset;
  double quote_volume_24h = 0;      // 0 when Binance sent no ticker for it
  double price_change_percent = 0;  // 24 h, in %
  bool included = false;  // kept only because it is in `include` (else rejected by a filter)

  friend bool operator==(const UniverseSymbol&, const UniverseSymbol&) = default;
};

struct Universe {
  core::Market market = core::Market::kSpot;
  core::Millis fetched_at = 0;          // when the exchangeInfo/tickers it came from were fetched
  std::vector<UniverseSymbol> symbols;  // by rank

  friend bool operator==(const Universe&, const Universe&) = default;
};

}  // namespace scanner::universe
