#include "universe/universe_selector.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <utility>

namespace scanner::universe {
namespace {

constexpr std::string_view kLeveragedSuffixes[] = {"UP", "DOWN", "BULL", "BEAR"};

constexpr std::string_view kStableAndFiat[] = {
    // USD stablecoins, current and past.
    "USDT", "USDC", "FDUSD", "TUSD", "BUSD", "DAI", "USDP", "PAX", "UST", "USDD", "PYUSD", "USDS",
    "USDSB", "SUSD", "VAI", "USD1", "USDE", "RLUSD", "BFUSD",
    // Tokens pegged to other currencies.
    "AEUR", "EURI", "IDRT", "BIDR", "BKRW", "BVND",
    // Fiat currencies Binance quotes against.
    "EUR", "GBP", "AUD", "TRY", "BRL", "RUB", "UAH", "NGN", "ZAR", "PLN", "RON", "ARS", "JPY",
    "MXN", "COP", "CZK", "KZT"};

std::string UpperAscii(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

std::unordered_set<std::string> UpperSet(const std::vector<std::string>& names) {
  std::unordered_set<std::string> set;
  for (const std::string& name : names) set.insert(UpperAscii(name));
  return set;
}

bool RanksBefore(const UniverseSymbol& a, const UniverseSymbol& b) {
  if (a.quote_volume_24h != b.quote_volume_24h) return a.quote_volume_24h > b.quote_volume_24h;
  return a.symbol < b.symbol;
}

}  // namespace

std::string_view RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kNotTrading:
      return "not_trading";
    case RejectReason::kQuoteAsset:
      return "quote_asset";
    case RejectReason::kSpotTradingNotAllowed:
      return "spot_trading_not_allowed";
    case RejectReason::kNotPerpetual:
      return "not_perpetual";
    case RejectReason::kLeveragedToken:
      return "leveraged_token";
    case RejectReason::kStablePair:
      return "stable_pair";
    case RejectReason::kExcluded:
      return "excluded";
    case RejectReason::kNoTicker:
      return "no_ticker";
    case RejectReason::kLowVolume:
      return "low_volume";
    case RejectReason::kBeyondTopN:
      return "beyond_top_n";
    case RejectReason::kNotListed:
      return "not_listed";
  }
  return "unknown";
}

UniverseSelector::UniverseSelector(config::UniverseConfig config, core::Market market)
    : config_(std::move(config)), market_(market) {}

bool UniverseSelector::IsLeveragedToken(std::string_view base_asset,
                                        const std::unordered_set<std::string>& listed_bases) {
  for (std::string_view suffix : kLeveragedSuffixes) {
    if (base_asset.size() > suffix.size() && base_asset.ends_with(suffix)) {
      const std::string underlying(base_asset.substr(0, base_asset.size() - suffix.size()));
      if (listed_bases.contains(underlying)) return true;
    }
  }
  return false;
}

std::span<const std::string_view> UniverseSelector::StableAndFiatAssets() { return kStableAndFiat; }

bool UniverseSelector::IsStablePair(std::string_view base_asset, std::string_view quote_asset) {
  auto listed = [](std::string_view asset) {
    return std::find(std::begin(kStableAndFiat), std::end(kStableAndFiat), asset) !=
           std::end(kStableAndFiat);
  };
  return listed(base_asset) && listed(quote_asset);
}

Selection UniverseSelector::Select(std::span<const binance::SymbolInfo> symbols,
                                   std::span<const core::Ticker24h> tickers) const {
  const std::unordered_set<std::string> quotes = UpperSet(config_.quote_assets);
  const std::unordered_set<std::string> include = UpperSet(config_.include);
  const std::unordered_set<std::string> exclude = UpperSet(config_.exclude);

  std::unordered_map<std::string_view, const core::Ticker24h*> ticker_of;
  ticker_of.reserve(tickers.size());
  for (const core::Ticker24h& ticker : tickers) ticker_of[ticker.symbol] = &ticker;

  std::unordered_set<std::string> listed_bases;
  for (const binance::SymbolInfo& info : symbols) listed_bases.insert(info.base_asset);

  // The first rule (1-8 of the header) that `info` fails, if any.
  auto first_failure = [&](const binance::SymbolInfo& info,
                           const core::Ticker24h* ticker) -> std::optional<RejectReason> {
    if (info.status != "TRADING") return RejectReason::kNotTrading;
    if (!quotes.contains(info.quote_asset)) return RejectReason::kQuoteAsset;
    if (config_.exclude_leveraged_tokens && IsLeveragedToken(info.base_asset, listed_bases)) {
      return RejectReason::kLeveragedToken;
    }
    if (config_.exclude_stable_pairs && IsStablePair(info.base_asset, info.quote_asset)) {
      return RejectReason::kStablePair;
    }
    if (market_ == core::Market::kSpot && !info.spot_trading_allowed) {
      return RejectReason::kSpotTradingNotAllowed;
    }
    if (market_ == core::Market::kUsdm && info.contract_type != "PERPETUAL") {
      return RejectReason::kNotPerpetual;
    }
    if (exclude.contains(info.symbol)) return RejectReason::kExcluded;
    if (ticker == nullptr) return RejectReason::kNoTicker;
    if (ticker->quote_volume < config_.min_quote_volume_24h) return RejectReason::kLowVolume;
    return std::nullopt;
  };

  auto entry_of = [](const binance::SymbolInfo& info, const core::Ticker24h* ticker) {
    UniverseSymbol entry;
    entry.symbol = info.symbol;
    entry.base_asset = info.base_asset;
    entry.quote_asset = info.quote_asset;
    if (ticker != nullptr) {
      entry.quote_volume_24h = ticker->quote_volume;
      entry.price_change_percent = ticker->price_change_percent;
    }
    return entry;
  };

  Selection selection;
  std::vector<UniverseSymbol> passed;
  std::vector<UniverseSymbol> included;
  std::unordered_set<std::string> seen;
  for (const binance::SymbolInfo& info : symbols) {
    if (!seen.insert(info.symbol).second) continue;  // a repeated symbol counts once
    auto found = ticker_of.find(info.symbol);
    const core::Ticker24h* ticker = found == ticker_of.end() ? nullptr : found->second;
    std::optional<RejectReason> failure = first_failure(info, ticker);
    if (!failure) {
      passed.push_back(entry_of(info, ticker));
    } else if (*failure != RejectReason::kNotTrading && include.contains(info.symbol)) {
      included.push_back(entry_of(info, ticker));
      included.back().included = true;
    } else {
      selection.rejected.push_back(
          {info.symbol, *failure, ticker == nullptr ? 0.0 : ticker->quote_volume});
    }
  }

  std::sort(passed.begin(), passed.end(), RanksBefore);
  if (config_.top_n > 0 && passed.size() > static_cast<std::size_t>(config_.top_n)) {
    for (auto it = passed.begin() + config_.top_n; it != passed.end(); ++it) {
      if (include.contains(it->symbol)) {
        included.push_back(std::move(*it));
        included.back().included = true;
      } else {
        selection.rejected.push_back({it->symbol, RejectReason::kBeyondTopN, it->quote_volume_24h});
      }
    }
    passed.resize(static_cast<std::size_t>(config_.top_n));
  }

  for (const std::string& name : config_.include) {
    const std::string upper = UpperAscii(name);
    if (!seen.contains(upper)) {
      seen.insert(upper);
      selection.rejected.push_back({upper, RejectReason::kNotListed, 0.0});
    }
  }

  selection.symbols = std::move(passed);
  selection.symbols.insert(selection.symbols.end(), std::make_move_iterator(included.begin()),
                           std::make_move_iterator(included.end()));
  std::sort(selection.symbols.begin(), selection.symbols.end(), RanksBefore);
  for (std::size_t i = 0; i < selection.symbols.size(); ++i) {
    selection.symbols[i].rank = static_cast<int>(i + 1);
  }
  return selection;
}

}  // namespace scanner::universe
