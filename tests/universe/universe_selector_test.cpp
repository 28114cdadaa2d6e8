#include "universe/universe_selector.h"
#include "config/defaults.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace scanner::universe {
namespace {

using binance::SymbolInfo;
using core::Market;

SymbolInfo Spot(std::string symbol, std::string base, std::string quote,
                std::string status = "TRADING", bool spot_allowed = true) {
  return SymbolInfo{.symbol = std::move(symbol),
                    .status = std::move(status),
                    .base_asset = std::move(base),
                    .quote_asset = std::move(quote),
                    .spot_trading_allowed = spot_allowed,
                    .contract_type = ""};
}

SymbolInfo Perp(std::string symbol, std::string base, std::string contract = "PERPETUAL",
                std::string status = "TRADING") {
  return SymbolInfo{.symbol = std::move(symbol),
                    .status = std::move(status),
                    .base_asset = std::move(base),
                    .quote_asset = "USDT",
                    .spot_trading_allowed = false,
                    .contract_type = std::move(contract)};
}

core::Ticker24h Ticker(std::string symbol, double quote_volume, double change = 0) {
  core::Ticker24h ticker;
  ticker.symbol = std::move(symbol);
  ticker.quote_volume = quote_volume;
  ticker.price_change_percent = change;
  return ticker;
}

// A config with every filter neutral; each test turns on the one rule it checks.
config::UniverseConfig Neutral() {
  config::UniverseConfig config = config::DefaultConfig(core::Market::kSpot).universe;
  config.quote_assets = {"USDT"};
  config.min_quote_volume_24h = 0;
  config.top_n = 0;
  config.exclude_leveraged_tokens = false;
  config.exclude_stable_pairs = false;
  return config;
}

std::vector<std::string> Names(const Selection& selection) {
  std::vector<std::string> names;
  for (const UniverseSymbol& entry : selection.symbols) names.push_back(entry.symbol);
  return names;
}

std::optional<RejectReason> ReasonFor(const Selection& selection, std::string_view symbol) {
  for (const Rejection& rejection : selection.rejected) {
    if (rejection.symbol == symbol) return rejection.reason;
  }
  return std::nullopt;
}

using Names_t = std::vector<std::string>;

TEST(UniverseSelector, OrdersByQuoteVolumeThenNameAndRanksFromOne) {
  const std::vector<SymbolInfo> symbols = {Spot("AUSDT", "A", "USDT"), Spot("BUSDT_", "B", "USDT"),
                                           Spot("CUSDT", "C", "USDT"), Spot("DUSDT", "D", "USDT")};
  const std::vector<core::Ticker24h> tickers = {Ticker("AUSDT", 10, 1.5), Ticker("BUSDT_", 30),
                                                Ticker("CUSDT", 20), Ticker("DUSDT", 20)};
  Selection selection = UniverseSelector(Neutral(), Market::kSpot).Select(symbols, tickers);
  EXPECT_EQ(Names(selection), (Names_t{"BUSDT_", "CUSDT", "DUSDT", "AUSDT"}));
  for (std::size_t i = 0; i < selection.symbols.size(); ++i) {
    EXPECT_EQ(selection.symbols[i].rank, static_cast<int>(i + 1));
  }
  EXPECT_EQ(selection.symbols[3].price_change_percent, 1.5);
  EXPECT_EQ(selection.symbols[3].base_asset, "A");
  EXPECT_EQ(selection.symbols[3].quote_asset, "USDT");
  EXPECT_FALSE(selection.symbols[3].included);
  EXPECT_TRUE(selection.rejected.empty());
}

TEST(UniverseSelector, RuleStatusMustBeTrading) {
  const std::vector<SymbolInfo> symbols = {Spot("AUSDT", "A", "USDT"),
                                           Spot("BUSDT_", "B", "USDT", "BREAK"),
                                           Spot("CUSDT", "C", "USDT", "HALT")};
  const std::vector<core::Ticker24h> tickers = {Ticker("AUSDT", 1), Ticker("BUSDT_", 9),
                                                Ticker("CUSDT", 9)};
  Selection selection = UniverseSelector(Neutral(), Market::kSpot).Select(symbols, tickers);
  EXPECT_EQ(Names(selection), (Names_t{"AUSDT"}));
  EXPECT_EQ(ReasonFor(selection, "BUSDT_"), RejectReason::kNotTrading);
  EXPECT_EQ(ReasonFor(selection, "CUSDT"), RejectReason::kNotTrading);
}

TEST(UniverseSelector, RuleQuoteAssetCaseInsensitiveConfig) {
  config::UniverseConfig config = Neutral();
  config.quote_assets = {"usdt", "FDUSD"};
  const std::vector<SymbolInfo> symbols = {Spot("ABTC", "A", "BTC"), Spot("AUSDT", "A", "USDT"),
                                           Spot("AFDUSD", "A", "FDUSD")};
  const std::vector<core::Ticker24h> tickers = {Ticker("ABTC", 9), Ticker("AUSDT", 1),
                                                Ticker("AFDUSD", 2)};
  Selection selection = UniverseSelector(config, Market::kSpot).Select(symbols, tickers);
  EXPECT_EQ(Names(selection), (Names_t{"AFDUSD", "AUSDT"}));
  EXPECT_EQ(ReasonFor(selection, "ABTC"), RejectReason::kQuoteAsset);
}

TEST(UniverseSelector, RuleSpotTradingAllowedOnSpotOnly) {
  const std::vector<SymbolInfo> symbols = {Spot("AUSDT", "A", "USDT"),
                                           Spot("BUSDT_", "B", "USDT", "TRADING", false)};
  const std::vector<core::Ticker24h> tickers = {Ticker("AUSDT", 1), Ticker("BUSDT_", 2)};
  Selection selection = UniverseSelector(Neutral(), Market::kSpot).Select(symbols, tickers);
  EXPECT_EQ(Names(selection), (Names_t{"AUSDT"}));
  EXPECT_EQ(ReasonFor(selection, "BUSDT_"), RejectReason::kSpotTradingNotAllowed);
}

TEST(UniverseSelector, RulePerpetualOnUsdmOnly) {
  const std::vector<SymbolInfo> symbols = {
      Perp("BTCUSDT", "BTC"), Perp("BTCUSDT_210924", "BTC", "CURRENT_QUARTER"),
      Perp("BTCSTUSDT", "BTCST", "", "PENDING_TRADING"), Perp("ETHUSDT_X", "ETH", "")};
  const std::vector<core::Ticker24h> tickers = {Ticker("BTCUSDT", 1), Ticker("BTCUSDT_210924", 5),
                                                Ticker("ETHUSDT_X", 5)};
  Selection selection = UniverseSelector(Neutral(), Market::kUsdm).Select(symbols, tickers);
  EXPECT_EQ(Names(selection), (Names_t{"BTCUSDT"}));
  EXPECT_EQ(ReasonFor(selection, "BTCUSDT_210924"), RejectReason::kNotPerpetual);
  EXPECT_EQ(ReasonFor(selection, "ETHUSDT_X"), RejectReason::kNotPerpetual);
  EXPECT_EQ(ReasonFor(selection, "BTCSTUSDT"), RejectReason::kNotTrading);
  // isSpotTradingAllowed (false on every futures symbol) matters on spot only; contractType on
  // usdm only.
  Selection as_spot = UniverseSelector(Neutral(), Market::kSpot).Select(symbols, tickers);
  EXPECT_TRUE(as_spot.symbols.empty());
  EXPECT_EQ(ReasonFor(as_spot, "BTCUSDT"), RejectReason::kSpotTradingNotAllowed);
}

TEST(UniverseSelector, RuleMinQuoteVolumeIsInclusive) {
  config::UniverseConfig config = Neutral();
  config.min_quote_volume_24h = 5'000'000;
  const std::vector<SymbolInfo> symbols = {Spot("AUSDT", "A", "USDT"), Spot("BUSDT_", "B", "USDT"),
                                           Spot("CUSDT", "C", "USDT")};
  const std::vector<core::Ticker24h> tickers = {Ticker("AUSDT", 5'000'000),
                                                Ticker("BUSDT_", 4'999'999.99)};
  Selection selection = UniverseSelector(config, Market::kSpot).Select(symbols, tickers);
  EXPECT_EQ(Names(selection), (Names_t{"AUSDT"}));
  EXPECT_EQ(ReasonFor(selection, "BUSDT_"), RejectReason::kLowVolume);
  EXPECT_EQ(ReasonFor(selection, "CUSDT"), RejectReason::kNoTicker);
}

TEST(UniverseSelector, RuleLeveragedTokensNeedAListedUnderlying) {
  config::UniverseConfig config = Neutral();
  config.exclude_leveraged_tokens = true;
  const std::vector<SymbolInfo> symbols = {
      Spot("BTCUSDT", "BTC", "USDT"),         Spot("BTCUPUSDT", "BTCUP", "USDT"),
      Spot("BTCDOWNUSDT", "BTCDOWN", "USDT"), Spot("ETHUSDT", "ETH", "USDT"),
      Spot("ETHBULLUSDT", "ETHBULL", "USDT"), Spot("ETHBEARUSDT", "ETHBEAR", "USDT"),
      Spot("JUPUSDT", "JUP", "USDT"),         Spot("SYRUPUSDT", "SYRUP", "USDT"),
      Spot("SUPERUSDT", "SUPER", "USDT"),     Spot("BULLUSDT", "BULL", "USDT"),
      Spot("XYZUPUSDT", "XYZUP", "USDT")};
  std::vector<core::Ticker24h> tickers;
  for (const SymbolInfo& info : symbols) tickers.push_back(Ticker(info.symbol, 100));
  Selection selection = UniverseSelector(config, Market::kSpot).Select(symbols, tickers);
  for (const char* leveraged : {"BTCUPUSDT", "BTCDOWNUSDT", "ETHBULLUSDT", "ETHBEARUSDT"}) {
    EXPECT_EQ(ReasonFor(selection, leveraged), RejectReason::kLeveragedToken) << leveraged;
  }
  // JUP, SYRUP: end in UP but "J"/"SYR" are not assets. SUPER does not end in a suffix. BULL is
  // the bare suffix. XYZUP: "XYZ" is not listed.
  Names_t names = Names(selection);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (Names_t{"BTCUSDT", "BULLUSDT", "ETHUSDT", "JUPUSDT", "SUPERUSDT", "SYRUPUSDT",
                            "XYZUPUSDT"}));

  config.exclude_leveraged_tokens = false;
  EXPECT_EQ(UniverseSelector(config, Market::kSpot).Select(symbols, tickers).symbols.size(),
            symbols.size());
}

TEST(UniverseSelector, RuleStablePairsNeedStableOrFiatOnBothSides) {
  config::UniverseConfig config = Neutral();
  config.exclude_stable_pairs = true;
  config.quote_assets = {"USDT", "TRY", "BTC"};
  const std::vector<SymbolInfo> symbols = {
      Spot("USDCUSDT", "USDC", "USDT"), Spot("FDUSDUSDT", "FDUSD", "USDT"),
      Spot("EURUSDT", "EUR", "USDT"),   Spot("USDTTRY", "USDT", "TRY"),
      Spot("BTCUSDT", "BTC", "USDT"),   Spot("PAXGUSDT", "PAXG", "USDT"),
      Spot("USTCUSDT", "USTC", "USDT"), Spot("USDTBTC_", "USDT", "BTC")};
  std::vector<core::Ticker24h> tickers;
  for (const SymbolInfo& info : symbols) tickers.push_back(Ticker(info.symbol, 100));
  Selection selection = UniverseSelector(config, Market::kSpot).Select(symbols, tickers);
  for (const char* stable : {"USDCUSDT", "FDUSDUSDT", "EURUSDT", "USDTTRY"}) {
    EXPECT_EQ(ReasonFor(selection, stable), RejectReason::kStablePair) << stable;
  }
  Names_t names = Names(selection);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (Names_t{"BTCUSDT", "PAXGUSDT", "USDTBTC_", "USTCUSDT"}));
  EXPECT_TRUE(UniverseSelector::IsStablePair("DAI", "BUSD"));
  EXPECT_FALSE(UniverseSelector::IsStablePair("BTC", "USDT"));
  EXPECT_FALSE(UniverseSelector::IsStablePair("USDT", "ETH"));
}

TEST(UniverseSelector, RuleExcludeIsCaseInsensitive) {
  config::UniverseConfig config = Neutral();
  config.exclude = {"ausdt"};
  const std::vector<SymbolInfo> symbols = {Spot("AUSDT", "A", "USDT"), Spot("BUSDT_", "B", "USDT")};
  const std::vector<core::Ticker24h> tickers = {Ticker("AUSDT", 9), Ticker("BUSDT_", 1)};
  Selection selection = UniverseSelector(config, Market::kSpot).Select(symbols, tickers);
  EXPECT_EQ(Names(selection), (Names_t{"BUSDT_"}));
  EXPECT_EQ(ReasonFor(selection, "AUSDT"), RejectReason::kExcluded);
}

TEST(UniverseSelector, RuleTopNKeepsTheHighestVolumes) {
  config::UniverseConfig config = Neutral();
  config.top_n = 2;
  const std::vector<SymbolInfo> symbols = {Spot("AUSDT", "A", "USDT"), Spot("BUSDT_", "B", "USDT"),
                                           Spot("CUSDT", "C", "USDT")};
  const std::vector<core::Ticker24h> tickers = {Ticker("AUSDT", 1), Ticker("BUSDT_", 3),
                                                Ticker("CUSDT", 2)};
  Selection selection = UniverseSelector(config, Market::kSpot).Select(symbols, tickers);
  EXPECT_EQ(Names(selection), (Names_t{"BUSDT_", "CUSDT"}));
  EXPECT_EQ(ReasonFor(selection, "AUSDT"), RejectReason::kBeyondTopN);
  ASSERT_EQ(selection.rejected.size(), 1u);
  EXPECT_EQ(selection.rejected[0].quote_volume_24h, 1.0);
}

TEST(UniverseSelector, IncludeOverridesEveryRuleButTrading) {
  config::UniverseConfig config = Neutral();
  config.min_quote_volume_24h = 100;
  config.top_n = 1;
  config.exclude_stable_pairs = true;
  config.exclude = {"EXCLUDEDUSDT"};
  config.include = {"lowusdt", "BEYONDUSDT",   "EXCLUDEDUSDT", "EURUSDT", "HALTEDUSDT",
                    "ABTC",    "NOTICKERUSDT", "MISSINGUSDT",  "TOPUSDT"};
  const std::vector<SymbolInfo> symbols = {
      Spot("TOPUSDT", "TOP", "USDT"),    Spot("BEYONDUSDT", "BEYOND", "USDT"),
      Spot("LOWUSDT", "LOW", "USDT"),    Spot("EXCLUDEDUSDT", "EXCLUDED", "USDT"),
      Spot("EURUSDT", "EUR", "USDT"),    Spot("HALTEDUSDT", "HALTED", "USDT", "HALT"),
      Spot("ABTC", "A", "BTC"),          Spot("NOTICKERUSDT", "NOTICKER", "USDT"),
      Spot("OTHERUSDT", "OTHER", "USDT")};
  const std::vector<core::Ticker24h> tickers = {
      Ticker("TOPUSDT", 1000),     Ticker("BEYONDUSDT", 500), Ticker("LOWUSDT", 5),
      Ticker("EXCLUDEDUSDT", 900), Ticker("EURUSDT", 800),    Ticker("HALTEDUSDT", 700),
      Ticker("ABTC", 600),         Ticker("OTHERUSDT", 400)};
  Selection selection = UniverseSelector(config, Market::kSpot).Select(symbols, tickers);
  EXPECT_EQ(Names(selection), (Names_t{"TOPUSDT", "EXCLUDEDUSDT", "EURUSDT", "ABTC", "BEYONDUSDT",
                                       "LOWUSDT", "NOTICKERUSDT"}));
  EXPECT_FALSE(selection.symbols[0].included);  // in top_n on its own merit
  for (std::size_t i = 1; i < selection.symbols.size(); ++i) {
    EXPECT_TRUE(selection.symbols[i].included) << selection.symbols[i].symbol;
  }
  EXPECT_EQ(selection.symbols.back().quote_volume_24h, 0.0);  // no ticker
  EXPECT_EQ(ReasonFor(selection, "HALTEDUSDT"), RejectReason::kNotTrading);
  EXPECT_EQ(ReasonFor(selection, "OTHERUSDT"), RejectReason::kBeyondTopN);
  EXPECT_EQ(ReasonFor(selection, "MISSINGUSDT"), RejectReason::kNotListed);
  EXPECT_EQ(selection.rejected.size(), 3u);
}

TEST(UniverseSelector, DefaultsApplyEveryRule) {
  // UniverseConfig's defaults: USDT, >= 5M, top 150, leveraged and stable pairs excluded.
  const config::UniverseConfig defaults = config::DefaultConfig(core::Market::kSpot).universe;
  const std::vector<SymbolInfo> symbols = {
      Spot("BTCUSDT", "BTC", "USDT"), Spot("BTCUPUSDT", "BTCUP", "USDT"),
      Spot("USDCUSDT", "USDC", "USDT"), Spot("SMALLUSDT", "SMALL", "USDT")};
  const std::vector<core::Ticker24h> tickers = {Ticker("BTCUSDT", 1e9), Ticker("BTCUPUSDT", 1e8),
                                                Ticker("USDCUSDT", 1e9), Ticker("SMALLUSDT", 4e6)};
  Selection selection = UniverseSelector(defaults, Market::kSpot).Select(symbols, tickers);
  EXPECT_EQ(Names(selection), (Names_t{"BTCUSDT"}));
  EXPECT_EQ(ReasonFor(selection, "BTCUPUSDT"), RejectReason::kLeveragedToken);
  EXPECT_EQ(ReasonFor(selection, "USDCUSDT"), RejectReason::kStablePair);
  EXPECT_EQ(ReasonFor(selection, "SMALLUSDT"), RejectReason::kLowVolume);
}

TEST(UniverseSelector, RejectReasonNamesAreStable) {
  EXPECT_EQ(RejectReasonName(RejectReason::kNotTrading), "not_trading");
  EXPECT_EQ(RejectReasonName(RejectReason::kSpotTradingNotAllowed), "spot_trading_not_allowed");
  EXPECT_EQ(RejectReasonName(RejectReason::kBeyondTopN), "beyond_top_n");
  EXPECT_EQ(RejectReasonName(RejectReason::kNotListed), "not_listed");
}

}  // namespace
}  // namespace scanner::universe
