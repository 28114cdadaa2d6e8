#include "core/market.h"

namespace scanner::core {

std::string_view MarketName(Market market) { return market == Market::kSpot ? "spot" : "usdm"; }

std::optional<Market> ParseMarket(std::string_view name) {
  if (name == "spot") return Market::kSpot;
  if (name == "usdm") return Market::kUsdm;
  return std::nullopt;
}

}  // namespace scanner::core
