#pragma once
// Selects the universe of liquid symbols from exchangeInfo and the 24 h tickers. Pure: the same
// inputs always give the same answer. Thread-safe for concurrent Select calls (const).
//
// The filter, applied to each exchangeInfo symbol in this order (the first rule that fails is the
// reason recorded for it):
//   1. status is TRADING                                                     kNotTrading
//   2. quote asset is one of `quote_assets`                                  kQuoteAsset
//   3. when exclude_leveraged_tokens: not a leveraged token (IsLeveragedToken) kLeveragedToken
//   4. when exclude_stable_pairs: not a stable/fiat pair (IsStablePair)      kStablePair
//   5. spot: isSpotTradingAllowed                                            kSpotTradingNotAllowed
//      usdm: contractType is PERPETUAL                                       kNotPerpetual
//   6. not in `exclude`                                                      kExcluded
//   7. Binance sent a 24 h ticker for it                                     kNoTicker
//   8. 24 h quote volume >= min_quote_volume_24h (0: no minimum)             kLowVolume
//   9. among the `top_n` highest 24 h quote volumes (top_n <= 0: no cap)     kBeyondTopN
// then every symbol named in `include` that is TRADING is added back whatever else it failed
// (marked `included`; an `include` that is not TRADING keeps its kNotTrading, one absent from
// exchangeInfo is reported as kNotListed). `include` therefore wins over `exclude`.
// The result is ordered by 24 h quote volume, descending, then by symbol; ranks start at 1.
// Symbols in include/exclude and quote_assets are compared upper-cased (ASCII).

#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "binance/rest_types.h"
#include "config/config.h"
#include "core/market.h"
#include "core/types.h"
#include "universe/universe.h"

namespace scanner::universe {

enum class RejectReason {
  kNotTrading,
  kQuoteAsset,
  kLeveragedToken,
  kStablePair,
  kSpotTradingNotAllowed,
  kNotPerpetual,
  kExcluded,
  kNoTicker,
  kLowVolume,
  kBeyondTopN,
  kNotListed,  // named in `include` but absent from exchangeInfo
};

// "not_trading", "quote_asset", ... (stable, for logs and --explain output).
std::string_view RejectReasonName(RejectReason reason);

struct Rejection {
  core::Symbol symbol;
  RejectReason reason;
  double quote_volume_24h = 0;  // 0 when there was no ticker

  friend bool operator==(const Rejection&, const Rejection&) = default;
};

struct Selection {
  std::vector<UniverseSymbol> symbols;  // ranked; fetched_at is the caller's to set
  // Rules 1-8 in exchangeInfo order, then kBeyondTopN by rank, then kNotListed.
  std::vector<Rejection> rejected;
};

class UniverseSelector {
 public:
  UniverseSelector(config::UniverseConfig config, core::Market market);

  Selection Select(std::span<const binance::SymbolInfo> symbols,
                   std::span<const core::Ticker24h> tickers) const;

  // A Binance leveraged token (BTCUP, ETHDOWN, BNBBULL, XRPBEAR): the base asset ends in UP,
  // DOWN, BULL or BEAR, is longer than that suffix, and what precedes the suffix is itself a base
  // asset in `listed_bases` (the underlying). Requiring the listed underlying keeps real coins
  // such as JUP, SYRUP or a hypothetical "PUP" out (a bare suffix rule would drop JUPUSDT, a top
  // volume pair since 2024). Residual risk: a coin named <listed asset>+suffix would be
  // dropped; the 2022 spot exchangeInfo has none (its 56 matches are all leveraged tokens). The
  // 2020 BTC tokens named plain BULL and BEAR are not matched (BREAK since 2022).
  static bool IsLeveragedToken(std::string_view base_asset,
                               const std::unordered_set<std::string>& listed_bases);

  // Both assets are stablecoins or fiat currencies (StableAndFiatAssets): a pair that tracks a
  // peg or an exchange rate, not a crypto move (BUSDUSDT, EURUSDT, USDTTRY, FDUSDUSDT, ...).
  static bool IsStablePair(std::string_view base_asset, std::string_view quote_asset);

  // The assets IsStablePair treats as stable or fiat: USD stablecoins (USDT, USDC, FDUSD, TUSD,
  // BUSD, DAI, USDP, PAX, UST, USDD, PYUSD, USDS, USDSB, SUSD, VAI, USD1, USDE, RLUSD, BFUSD),
  // other fiat-pegged tokens (AEUR, EURI, IDRT, BIDR, BKRW, BVND) and fiat currencies traded on
  // Binance (EUR, GBP, AUD, TRY, BRL, RUB, UAH, NGN, ZAR, PLN, RON, ARS, JPY, MXN, COP, CZK, KZT).
  // Not included: USTC (UST after its collapse, trades freely) and PAXG (gold).
  static std::span<const std::string_view> StableAndFiatAssets();

 private:
  config::UniverseConfig config_;
  core::Market market_;
};

}  // namespace scanner::universe
