// The universe built from the real 2022 spot exchangeInfo and the real 2024 spot ticker file is
// the documented filter applied exactly: UniverseSelector is compared, symbol by symbol and
// reason by reason, with lists computed independently by make_expected_universe.py.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "binance/rest_parser.h"
#include "universe/universe_selector.h"
#include "config/defaults.h"

namespace scanner::universe {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ',')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

struct Expected {
  config::UniverseConfig config = config::DefaultConfig(core::Market::kSpot).universe;
  std::vector<UniverseSymbol> selected;  // rank, symbol, quote_volume_24h, included
  std::vector<std::pair<std::string, std::string>> rejected;  // symbol, reason name
};

Expected ReadExpected(const std::string& name) {
  Expected expected;
  std::ifstream in(std::filesystem::path(SCANNER_TEST_DATA_DIR) / "rest" /
                   ("expected_universe_" + name + ".txt"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string key;
    fields >> key;
    std::string value;
    if (key == "selected") {
      UniverseSymbol entry;
      std::string volume;
      int included = 0;
      fields >> entry.rank >> entry.symbol >> volume >> included;
      entry.quote_volume_24h = std::strtod(volume.c_str(), nullptr);
      entry.included = included != 0;
      expected.selected.push_back(entry);
    } else if (key == "rejected") {
      std::string symbol, reason;
      fields >> symbol >> reason;
      expected.rejected.emplace_back(symbol, reason);
    } else {
      std::getline(fields >> std::ws, value);
      if (key == "quote_assets") expected.config.quote_assets = SplitCommas(value);
      if (key == "min_quote_volume_24h") expected.config.min_quote_volume_24h = std::stod(value);
      if (key == "top_n") expected.config.top_n = std::stoi(value);
      if (key == "include") expected.config.include = SplitCommas(value);
      if (key == "exclude") expected.config.exclude = SplitCommas(value);
      if (key == "exclude_leveraged_tokens") {
        expected.config.exclude_leveraged_tokens = value == "1";
      }
      if (key == "exclude_stable_pairs") expected.config.exclude_stable_pairs = value == "1";
    }
  }
  return expected;
}

class RealSpotUniverse : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::filesystem::path info_path = std::filesystem::path(SCANNER_SHARED_DATA_DIR) /
                                            "exchangeInfo" /
                                            "spot_exchangeInfo_2022-12-17_full.json";
    if (!std::filesystem::exists(info_path)) GTEST_SKIP() << info_path << " is absent";
    binance::RestParser parser;
    auto info = parser.ParseExchangeInfo(core::Market::kSpot, ReadFile(info_path));
    ASSERT_TRUE(info) << info.error().message;
    symbols_ = std::move(info->symbols);
    auto tickers = parser.ParseTickers24h(ReadFile(std::filesystem::path(SCANNER_TEST_DATA_DIR) /
                                                   "rest" / "spot_ticker24hr_all_2024-03-10.json"));
    ASSERT_TRUE(tickers) << tickers.error().message;
    ASSERT_TRUE(tickers->skipped.empty());
    tickers_ = std::move(tickers->tickers);
  }

  void ExpectMatches(const std::string& name) {
    const Expected expected = ReadExpected(name);
    ASSERT_FALSE(expected.selected.empty()) << name;
    Selection selection =
        UniverseSelector(expected.config, core::Market::kSpot).Select(symbols_, tickers_);
    ASSERT_EQ(selection.symbols.size(), expected.selected.size()) << name;
    for (std::size_t i = 0; i < expected.selected.size(); ++i) {
      const UniverseSymbol& got = selection.symbols[i];
      const UniverseSymbol& want = expected.selected[i];
      EXPECT_EQ(got.rank, want.rank) << name << " " << i;
      EXPECT_EQ(got.symbol, want.symbol) << name << " " << i;
      // Exact: both sides read Binance's decimal string once, correctly rounded.
      EXPECT_EQ(got.quote_volume_24h, want.quote_volume_24h) << name << " " << got.symbol;
      EXPECT_EQ(got.included, want.included) << name << " " << got.symbol;
    }
    ASSERT_EQ(selection.rejected.size(), expected.rejected.size()) << name;
    for (std::size_t i = 0; i < expected.rejected.size(); ++i) {
      EXPECT_EQ(selection.rejected[i].symbol, expected.rejected[i].first) << name << " " << i;
      EXPECT_EQ(RejectReasonName(selection.rejected[i].reason), expected.rejected[i].second)
          << name << " " << selection.rejected[i].symbol;
    }
    // Every exchangeInfo symbol is accounted for exactly once (plus unlisted includes).
    std::unordered_set<std::string> seen;
    for (const auto& entry : selection.symbols) EXPECT_TRUE(seen.insert(entry.symbol).second);
    for (const auto& entry : selection.rejected) EXPECT_TRUE(seen.insert(entry.symbol).second);
    for (const auto& info : symbols_) EXPECT_TRUE(seen.contains(info.symbol)) << info.symbol;
  }

  std::vector<binance::SymbolInfo> symbols_;
  std::vector<core::Ticker24h> tickers_;
};

TEST_F(RealSpotUniverse, DefaultConfigIsTheDocumentedFilterAppliedExactly) {
  ExpectMatches("default");
  Selection selection =
      UniverseSelector(config::DefaultConfig(core::Market::kSpot).universe, core::Market::kSpot).Select(symbols_, tickers_);
  ASSERT_EQ(selection.symbols.size(), 150u);
  EXPECT_EQ(selection.symbols[0].symbol, "BTCUSDT");
  EXPECT_EQ(selection.symbols[1].symbol, "ETHUSDT");
  EXPECT_GE(selection.symbols.back().quote_volume_24h, 5'000'000);
}

TEST_F(RealSpotUniverse, MixedQuotesIncludeExcludeIsTheDocumentedFilterAppliedExactly) {
  ExpectMatches("mixed");
}

TEST_F(RealSpotUniverse, UnfilteredIsTheDocumentedFilterAppliedExactly) {
  ExpectMatches("unfiltered");
}

TEST_F(RealSpotUniverse, StablePairsThatWouldRankAreDropped) {
  Selection selection =
      UniverseSelector(config::DefaultConfig(core::Market::kSpot).universe, core::Market::kSpot).Select(symbols_, tickers_);
  for (const char* stable : {"EURUSDT", "BUSDUSDT"}) {  // 47M and 19.8M quote volume
    auto it = std::find_if(selection.rejected.begin(), selection.rejected.end(),
                           [&](const Rejection& r) { return r.symbol == stable; });
    ASSERT_NE(it, selection.rejected.end()) << stable;
    EXPECT_EQ(it->reason, RejectReason::kStablePair) << stable;
    EXPECT_GT(it->quote_volume_24h, 5'000'000) << stable;
  }
}

TEST_F(RealSpotUniverse, LeveragedTokenRuleCatchesExactlyTheseSymbols) {
  std::unordered_set<std::string> bases;
  for (const auto& info : symbols_) bases.insert(info.base_asset);
  std::vector<std::string> caught;
  for (const auto& info : symbols_) {
    if (UniverseSelector::IsLeveragedToken(info.base_asset, bases)) caught.push_back(info.symbol);
  }
  std::sort(caught.begin(), caught.end());
  const std::vector<std::string> expected = {
      "1INCHDOWNUSDT", "1INCHUPUSDT", "AAVEDOWNUSDT", "AAVEUPUSDT",  "ADADOWNUSDT", "ADAUPUSDT",
      "BCHDOWNUSDT",   "BCHUPUSDT",   "BNBBEARBUSD",  "BNBBEARUSDT", "BNBBULLBUSD", "BNBBULLUSDT",
      "BNBDOWNUSDT",   "BNBUPUSDT",   "BTCDOWNUSDT",  "BTCUPUSDT",   "DOTDOWNUSDT", "DOTUPUSDT",
      "EOSBEARBUSD",   "EOSBEARUSDT", "EOSBULLBUSD",  "EOSBULLUSDT", "EOSDOWNUSDT", "EOSUPUSDT",
      "ETHBEARBUSD",   "ETHBEARUSDT", "ETHBULLBUSD",  "ETHBULLUSDT", "ETHDOWNUSDT", "ETHUPUSDT",
      "FILDOWNUSDT",   "FILUPUSDT",   "LINKDOWNUSDT", "LINKUPUSDT",  "LTCDOWNUSDT", "LTCUPUSDT",
      "SUSHIDOWNUSDT", "SUSHIUPUSDT", "SXPDOWNUSDT",  "SXPUPUSDT",   "TRXDOWNUSDT", "TRXUPUSDT",
      "UNIDOWNUSDT",   "UNIUPUSDT",   "XLMDOWNUSDT",  "XLMUPUSDT",   "XRPBEARBUSD", "XRPBEARUSDT",
      "XRPBULLBUSD",   "XRPBULLUSDT", "XRPDOWNUSDT",  "XRPUPUSDT",   "XTZDOWNUSDT", "XTZUPUSDT",
      "YFIDOWNUSDT",   "YFIUPUSDT"};
  EXPECT_EQ(caught, expected);
}

TEST_F(RealSpotUniverse, StablePairRuleCatchesExactlyTheseSymbols) {
  std::vector<std::string> caught;
  for (const auto& info : symbols_) {
    if (UniverseSelector::IsStablePair(info.base_asset, info.quote_asset)) {
      caught.push_back(info.symbol);
    }
  }
  std::sort(caught.begin(), caught.end());
  const std::vector<std::string> expected = {
      "AUDBUSD",  "AUDUSDC",  "AUDUSDT",  "BKRWBUSD",  "BKRWUSDT",  "BUSDBIDR", "BUSDBKRW",
      "BUSDBRL",  "BUSDBVND", "BUSDDAI",  "BUSDIDRT",  "BUSDNGN",   "BUSDPLN",  "BUSDRON",
      "BUSDRUB",  "BUSDTRY",  "BUSDUAH",  "BUSDUSDT",  "BUSDVAI",   "BUSDZAR",  "DAIBUSD",
      "DAIUSDT",  "EURBUSD",  "EURUSDT",  "GBPBUSD",   "GBPUSDT",   "PAXBUSD",  "PAXTUSD",
      "PAXUSDT",  "SUSDUSDT", "TUSDBUSD", "TUSDUSDT",  "USDCBUSD",  "USDCPAX",  "USDCTUSD",
      "USDCUSDT", "USDPBUSD", "USDPUSDT", "USDSBUSDS", "USDSBUSDT", "USDSPAX",  "USDSTUSD",
      "USDSUSDC", "USDSUSDT", "USDTBIDR", "USDTBKRW",  "USDTBRL",   "USDTBVND", "USDTDAI",
      "USDTIDRT", "USDTNGN",  "USDTRUB",  "USDTTRY",   "USDTUAH",   "USDTZAR",  "USTBUSD",
      "USTUSDT"};
  EXPECT_EQ(caught, expected);
}

TEST(RealUsdmUniverse, PerpetualTradingUsdtContractsOnly) {
  binance::RestParser parser;
  auto info = parser.ParseExchangeInfo(
      core::Market::kUsdm, ReadFile(std::filesystem::path(SCANNER_TEST_DATA_DIR) / "rest" /
                                    "usdm_fapi_exchangeInfo_2021-07-21_full.json"));
  ASSERT_TRUE(info) << info.error().message;
  // No futures ticker file was recorded: give every contract a distinct volume above the floor.
  std::vector<core::Ticker24h> tickers;
  for (std::size_t i = 0; i < info->symbols.size(); ++i) {
    core::Ticker24h ticker;
    ticker.symbol = info->symbols[i].symbol;
    ticker.quote_volume = 1e7 * static_cast<double>(i + 1);
    tickers.push_back(ticker);
  }
  config::UniverseConfig config = config::DefaultConfig(core::Market::kSpot).universe;
  config.top_n = 0;
  Selection selection =
      UniverseSelector(config, core::Market::kUsdm).Select(info->symbols, tickers);
  EXPECT_EQ(selection.symbols.size(), 117u);
  std::vector<std::pair<std::string, std::string>> rejected;
  for (const Rejection& r : selection.rejected) {
    rejected.emplace_back(r.symbol, std::string(RejectReasonName(r.reason)));
  }
  std::sort(rejected.begin(), rejected.end());
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"BTCBUSD", "quote_asset"},
      {"BTCSTUSDT", "not_trading"},
      {"BTCUSDT_210924", "not_perpetual"},
      {"ETHBUSD", "quote_asset"},
      {"ETHUSDT_210924", "not_perpetual"}};
  EXPECT_EQ(rejected, expected);
  // Ranked by volume: the last contract in the file has the largest synthetic volume.
  EXPECT_EQ(selection.symbols.front().quote_volume_24h, 1e7 * 122);
  EXPECT_EQ(selection.symbols.front().symbol, info->symbols.back().symbol);

  // Spot rules on futures data: isSpotTradingAllowed is false for every contract.
  Selection as_spot = UniverseSelector(config, core::Market::kSpot).Select(info->symbols, tickers);
  EXPECT_TRUE(as_spot.symbols.empty());
}

}  // namespace
}  // namespace scanner::universe
