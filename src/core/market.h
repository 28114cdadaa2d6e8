#pragma once
// The Binance market a scanner instance watches.

#include <optional>
#include <string_view>

namespace scanner::core {

enum class Market { kSpot, kUsdm };

// "spot" or "usdm".
std::string_view MarketName(Market market);
std::optional<Market> ParseMarket(std::string_view name);

}  // namespace scanner::core
