#include "binance/rest_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "support/fixture_files.h"

namespace scanner::binance {
namespace {

using core::Market;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Fixture(const char* name) { return support::ReadFixture("rest", name); }

// The error message of a failed parse, or "" (which no expectation below accepts) on success.
template <class T>
std::string ErrorOf(const core::Result<T>& result) {
  return result ? std::string() : result.error().message;
}

TEST(RestParserExchangeInfo, SpotTrimmed) {
  RestParser parser;
  auto info = parser.ParseExchangeInfo(
      Market::kSpot, Fixture("spot_exchangeInfo_2021-10-22_trimmed_BTCUSDT_ETHUSDT.json"));
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_EQ(info->symbols.size(), 2u);
  EXPECT_EQ(info->symbols[0], (SymbolInfo{.symbol = "BTCUSDT",
                                          .status = "TRADING",
                                          .base_asset = "BTC",
                                          .quote_asset = "USDT",
                                          .spot_trading_allowed = true,
                                          .contract_type = ""}));
  EXPECT_EQ(info->symbols[1].symbol, "ETHUSDT");
  ASSERT_EQ(info->rate_limits.size(), 4u);
  EXPECT_EQ(info->rate_limits[3], (RateLimit{"RAW_REQUESTS", "MINUTE", 5, 6100}));
  EXPECT_EQ(info->RequestWeightPerMinute(), 1200);
}

TEST(RestParserExchangeInfo, UsdmTrimmedHasContractTypes) {
  RestParser parser;
  auto info =
      parser.ParseExchangeInfo(Market::kUsdm, Fixture("usdm_exchangeInfo_2022-02-19_trimmed.json"));
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_EQ(info->symbols.size(), 3u);
  EXPECT_EQ(info->symbols[0].contract_type, "PERPETUAL");
  EXPECT_EQ(info->symbols[2].symbol, "BTCUSDT_220325");
  EXPECT_EQ(info->symbols[2].contract_type, "CURRENT_QUARTER");
  EXPECT_FALSE(info->symbols[0].spot_trading_allowed);
  EXPECT_EQ(info->RequestWeightPerMinute(), 6000);
}

TEST(RestParserExchangeInfo, UsdmFull2021) {
  RestParser parser;
  auto info = parser.ParseExchangeInfo(Market::kUsdm,
                                       Fixture("usdm_fapi_exchangeInfo_2021-07-21_full.json"));
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_EQ(info->symbols.size(), 122u);
  auto count = [&](std::string_view contract) {
    return std::count_if(info->symbols.begin(), info->symbols.end(),
                         [&](const SymbolInfo& s) { return s.contract_type == contract; });
  };
  EXPECT_EQ(count("PERPETUAL"), 119);
  EXPECT_EQ(count("CURRENT_QUARTER"), 2);
  EXPECT_EQ(count(""), 1);
  auto pending = std::find_if(info->symbols.begin(), info->symbols.end(),
                              [](const SymbolInfo& s) { return s.contract_type.empty(); });
  EXPECT_EQ(pending->symbol, "BTCSTUSDT");
  EXPECT_EQ(pending->status, "PENDING_TRADING");
  EXPECT_EQ(info->RequestWeightPerMinute(), 2400);
}

TEST(RestParserExchangeInfo, SpotFull2022FromSharedData) {
  const std::filesystem::path path = std::filesystem::path(SCANNER_SHARED_DATA_DIR) /
                                     "exchangeInfo" / "spot_exchangeInfo_2022-12-17_full.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent";
  RestParser parser;
  auto info = parser.ParseExchangeInfo(Market::kSpot, support::ReadText(path.string()));
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->symbols.size(), 2137u);
  auto trading = std::count_if(info->symbols.begin(), info->symbols.end(),
                               [](const SymbolInfo& s) { return s.status == "TRADING"; });
  auto spot_allowed = std::count_if(info->symbols.begin(), info->symbols.end(),
                                    [](const SymbolInfo& s) { return s.spot_trading_allowed; });
  EXPECT_EQ(trading, 1430);
  EXPECT_EQ(spot_allowed, 2092);
  EXPECT_EQ(info->RequestWeightPerMinute(), 1200);
}

TEST(RestParserExchangeInfo, NoRequestWeightLimitWhenAbsent) {
  RestParser parser;
  auto info = parser.ParseExchangeInfo(
      Market::kSpot,
      R"({"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"SECOND","intervalNum":10,)"
      R"("limit":100}],"symbols":[]})");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_TRUE(info->symbols.empty());
  EXPECT_FALSE(info->RequestWeightPerMinute());
}

TEST(RestParserExchangeInfo, MistypedFieldIsNamedWithItsIndex) {
  RestParser parser;
  const std::string body =
      R"({"symbols":[{"symbol":"A","status":"TRADING","baseAsset":"A","quoteAsset":"USDT",)"
      R"("isSpotTradingAllowed":true},{"symbol":"B","status":7,"baseAsset":"B",)"
      R"("quoteAsset":"USDT","isSpotTradingAllowed":true}]})";
  EXPECT_EQ(ErrorOf(parser.ParseExchangeInfo(Market::kSpot, body)),
            "exchangeInfo: symbols[1].status: expected string");
}

TEST(RestParserExchangeInfo, MistypedBooleanAndRateLimit) {
  RestParser parser;
  EXPECT_EQ(ErrorOf(parser.ParseExchangeInfo(
                Market::kSpot, R"({"symbols":[{"symbol":"A","status":"TRADING","baseAsset":"A",)"
                               R"("quoteAsset":"USDT","isSpotTradingAllowed":"yes"}]})")),
            "exchangeInfo: symbols[0].isSpotTradingAllowed: expected boolean");
  EXPECT_EQ(
      ErrorOf(parser.ParseExchangeInfo(
          Market::kSpot, R"({"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE",)"
                         R"("intervalNum":1,"limit":"6000"}],"symbols":[]})")),
      "exchangeInfo: rateLimits[0].limit: expected integer");
}

TEST(RestParserExchangeInfo, MissingFieldsPerMarket) {
  RestParser parser;
  // Spot requires isSpotTradingAllowed; usdm requires contractType instead.
  const std::string no_flags =
      R"({"symbols":[{"symbol":"A","status":"TRADING","baseAsset":"A","quoteAsset":"USDT"}]})";
  EXPECT_EQ(ErrorOf(parser.ParseExchangeInfo(Market::kSpot, no_flags)),
            "exchangeInfo: symbols[0].isSpotTradingAllowed: missing");
  EXPECT_EQ(ErrorOf(parser.ParseExchangeInfo(Market::kUsdm, no_flags)),
            "exchangeInfo: symbols[0].contractType: missing");
  EXPECT_EQ(ErrorOf(parser.ParseExchangeInfo(
                Market::kUsdm, R"({"symbols":[{"symbol":"A","status":"TRADING","baseAsset":"A",)"
                               R"("contractType":"PERPETUAL"}]})")),
            "exchangeInfo: symbols[0].quoteAsset: missing");
  EXPECT_EQ(ErrorOf(parser.ParseExchangeInfo(Market::kSpot, R"({"rateLimits":[]})")),
            "exchangeInfo: symbols: missing");
  EXPECT_EQ(ErrorOf(parser.ParseExchangeInfo(Market::kSpot, R"({"symbols":{}})")),
            "exchangeInfo: symbols: expected array");
  EXPECT_EQ(ErrorOf(parser.ParseExchangeInfo(Market::kSpot, "[]")),
            "exchangeInfo: expected object");
}

TEST(RestParserExchangeInfo, UnknownFieldsAndPermissionSetsAreIgnored) {
  RestParser parser;
  auto info = parser.ParseExchangeInfo(
      Market::kSpot,
      R"({"future":{"a":[1,{"b":null}]},"symbols":[{"permissionSets":[["SPOT","MARGIN"]],)"
      R"("symbol":"A","status":"BREAK","extra":[[]],"baseAsset":"A","quoteAsset":"BTC",)"
      R"("contractType":"ignored on spot","isSpotTradingAllowed":false}]})");
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_EQ(info->symbols.size(), 1u);
  EXPECT_EQ(info->symbols[0], (SymbolInfo{.symbol = "A",
                                          .status = "BREAK",
                                          .base_asset = "A",
                                          .quote_asset = "BTC",
                                          .spot_trading_allowed = false,
                                          .contract_type = ""}));
}

TEST(RestParserExchangeInfo, TruncatedBodyFails) {
  RestParser parser;
  const std::string full = Fixture("usdm_fapi_exchangeInfo_2021-07-21_full.json");
  auto info = parser.ParseExchangeInfo(Market::kUsdm, full.substr(0, full.size() / 2));
  ASSERT_FALSE(info);
  EXPECT_THAT(info.error().message, StartsWith("exchangeInfo: "));
  EXPECT_THAT(info.error().message, HasSubstr("malformed JSON"));
}

TEST(RestParserExchangeInfo, RestrictedLocationBodyIsReportedAsSuch) {
  RestParser parser;
  auto info = parser.ParseExchangeInfo(Market::kSpot,
                                       Fixture("spot_exchangeInfo_restricted_location_error.json"));
  ASSERT_FALSE(info);
  EXPECT_THAT(info.error().message,
              StartsWith("exchangeInfo: restricted location (Binance code 0): Service "
                         "unavailable from a restricted location"));
}

TEST(RestParserBinanceError, RecognisesErrorBodies) {
  RestParser parser;
  auto restricted =
      parser.ParseBinanceError(Fixture("spot_exchangeInfo_restricted_location_error.json"));
  ASSERT_TRUE(restricted);
  EXPECT_EQ(restricted->code, 0);
  EXPECT_TRUE(restricted->restricted_location);
  EXPECT_THAT(restricted->msg, HasSubstr("'b. Eligibility'"));

  auto invalid = parser.ParseBinanceError(R"({"code":-1121,"msg":"Invalid symbol."})");
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->code, -1121);
  EXPECT_EQ(invalid->msg, "Invalid symbol.");
  EXPECT_FALSE(invalid->restricted_location);
  EXPECT_EQ(DescribeBinanceError(*invalid), "Binance error -1121: Invalid symbol.");

  EXPECT_FALSE(parser.ParseBinanceError(R"({"code":-1121})"));
  EXPECT_FALSE(parser.ParseBinanceError(R"({"code":"x","msg":"y"})"));
  EXPECT_FALSE(parser.ParseBinanceError("[]"));
  EXPECT_FALSE(parser.ParseBinanceError("<html>502 Bad Gateway</html>"));
  EXPECT_FALSE(parser.ParseBinanceError(""));
}

TEST(RestParserTickers, RealSpotFile2024) {
  RestParser parser;
  auto parsed = parser.ParseTickers24h(Fixture("spot_ticker24hr_all_2024-03-10.json"));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_TRUE(parsed->skipped.empty());
  const std::vector<core::Ticker24h>& tickers = parsed->tickers;
  ASSERT_EQ(tickers.size(), 2519u);
  const core::Ticker24h& first = tickers.front();
  EXPECT_EQ(first.symbol, "ETHBTC");
  EXPECT_EQ(first.price_change_percent, -1.026);
  EXPECT_EQ(first.last_price, 0.05692);
  EXPECT_EQ(first.open_price, 0.05751);
  EXPECT_EQ(first.high_price, 0.05763);
  EXPECT_EQ(first.low_price, 0.05687);
  EXPECT_EQ(first.base_volume, 20251.6576);
  EXPECT_EQ(first.quote_volume, 1159.60641773);
  EXPECT_EQ(first.event_time, 1710038820116);
  auto btc = std::find_if(tickers.begin(), tickers.end(),
                          [](const core::Ticker24h& t) { return t.symbol == "BTCUSDT"; });
  ASSERT_NE(btc, tickers.end());
  EXPECT_EQ(btc->quote_volume, 1537040739.34553140);
  EXPECT_EQ(btc->price_change_percent, 1.253);
  // The file's 1233 dead symbols report every price as "0.00000000".
  EXPECT_EQ(std::count_if(tickers.begin(), tickers.end(),
                          [](const core::Ticker24h& t) { return t.last_price == 0; }),
            1233);
}

// Removes the `occurrence`-th (from 0) `"field": <value>,` of the pretty-printed fixture.
std::string WithoutField(std::string body, std::string_view field, int occurrence) {
  std::string key(1, '"');
  key.append(field).append("\":");
  std::size_t at = body.find(key);
  for (int i = 0; i < occurrence && at != std::string::npos; ++i) at = body.find(key, at + 1);
  EXPECT_NE(at, std::string::npos) << field;
  if (at != std::string::npos) body.erase(at, body.find(',', at) + 1 - at);
  return body;
}

// The issue's case on the real file: one row without priceChangePercent refused every symbol.
TEST(RestParserTickers, BadRowsOfTheRealFileAreSkippedAndTheRestKept) {
  std::string body = Fixture("spot_ticker24hr_all_2024-03-10.json");
  body = WithoutField(body, "priceChangePercent", 0);  // ETHBTC: kept, change from open and last
  body = WithoutField(body, "quoteVolume", 1);         // LTCBTC: skipped
  body = WithoutField(body, "quoteVolume", 2);         // the fourth row: skipped
  body = WithoutField(body, "symbol", 10);             // the eleventh row: skipped
  RestParser parser;
  auto parsed = parser.ParseTickers24h(body);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->tickers.size(), 2519u - 3);
  EXPECT_EQ(parsed->skipped, (std::vector<SkippedRows>{{"missing quoteVolume", 2, 1, "LTCBTC"},
                                                       {"missing symbol", 1, 10, ""}}));
  const core::Ticker24h& eth = parsed->tickers.front();
  EXPECT_EQ(eth.symbol, "ETHBTC");
  EXPECT_NEAR(eth.price_change_percent, (0.05692 - 0.05751) / 0.05751 * 100, 1e-12);
  EXPECT_EQ(eth.quote_volume, 1159.60641773);
  EXPECT_EQ(parsed->tickers[1].symbol, "BNBBTC");
  EXPECT_EQ(DescribeSkippedRows(parsed->skipped[0]),
            "2 rows skipped: missing quoteVolume (the first: [1] LTCBTC)");
  EXPECT_EQ(DescribeSkippedRows(parsed->skipped[1]),
            "1 row skipped: missing symbol (the first: [10])");
}

constexpr const char* kTickerOk =
    R"({"symbol":"X","priceChangePercent":"1.5","lastPrice":"2","openPrice":"1","highPrice":"3",)"
    R"("lowPrice":"0.5","volume":"10","quoteVolume":"20","closeTime":5)";

TEST(RestParserTickers, UnknownFieldsIgnored) {
  RestParser parser;
  auto parsed = parser.ParseTickers24h(std::string("[") + kTickerOk +
                                       R"(,"st":1,"nested":{"a":[1,2,{"b":"c"}]}}])");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->tickers.size(), 1u);
  EXPECT_EQ(parsed->tickers[0].quote_volume, 20.0);
  EXPECT_EQ(parsed->tickers[0].price_change_percent, 1.5);
  EXPECT_EQ(parsed->tickers[0].event_time, 5);
}

TEST(RestParserTickers, OnlySymbolAndQuoteVolumeAreRequired) {
  RestParser parser;
  const std::string ok = std::string(kTickerOk) + "}";
  // GCC 12 warns (falsely, -Wrestrict) on long chains of operator+: appended instead.
  std::string body = "[";
  body.append(ok)
      .append(R"(,{"symbol":"Y","quoteVolume":"7"})")  // nothing else: kept, zeros
      .append(R"(,{"symbol":"Z","quoteVolume":"8","lastPrice":"abc","closeTime":"5","volume":1})")
      .append(R"(,{"symbol":"W","quoteVolume":20.5,"lastPrice":"1"})")  // not Binance's string
      .append(R"(,{"symbol":5,"quoteVolume":"1"})")
      .append(R"(,{"quoteVolume":"1"},{"symbol":"V"},{"symbol":"U","priceChangePercent":"2"})")
      .append(R"(,3,null,[1],{"symbol":"T","quoteVolume":{"a":[1]}},)")
      .append(ok)
      .append("]");
  auto parsed = parser.ParseTickers24h(body);
  ASSERT_TRUE(parsed) << parsed.error().message;
  std::vector<std::string> kept;
  for (const core::Ticker24h& ticker : parsed->tickers) kept.push_back(ticker.symbol);
  EXPECT_EQ(kept, (std::vector<std::string>{"X", "Y", "Z", "X"}));
  EXPECT_EQ(parsed->tickers[1].quote_volume, 7);
  EXPECT_EQ(parsed->tickers[1].price_change_percent, 0);
  EXPECT_EQ(parsed->tickers[2].quote_volume, 8);  // mistyped fields it does not need: ignored
  EXPECT_EQ(parsed->tickers[2].last_price, 0);
  EXPECT_EQ(parsed->skipped,
            (std::vector<SkippedRows>{{"quoteVolume: expected quoted decimal", 2, 3, "W"},
                                      {"symbol: expected string", 1, 4, ""},
                                      {"missing symbol", 1, 5, ""},
                                      {"missing quoteVolume", 2, 6, "V"},
                                      {"not an object", 3, 8, ""}}));
  EXPECT_EQ(CountSkipped(parsed->skipped), 9u);
}

TEST(RestParserTickers, ABodyThatIsNotAListOfTickersFailsAsAWhole) {
  RestParser parser;
  const std::string ok = std::string(kTickerOk) + "}";
  EXPECT_EQ(ErrorOf(parser.ParseTickers24h(ok)), "ticker/24hr: expected array");
  std::string truncated = "[";
  truncated.append(ok).append(R"(,{"symbol":"Y",)");
  EXPECT_THAT(ErrorOf(parser.ParseTickers24h(truncated)),
              ::testing::AllOf(StartsWith("ticker/24hr: "), HasSubstr("malformed JSON")));
  EXPECT_EQ(ErrorOf(parser.ParseTickers24h(R"([{"symbol":"Y"},{"symbol":"Z","lastPrice":"1"}])")),
            "ticker/24hr: none of the 2 rows is usable; 2 rows skipped: missing quoteVolume (the "
            "first: [0] Y)");
  auto empty = parser.ParseTickers24h("[]");
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_TRUE(empty->tickers.empty());
}

TEST(RestParserTickers, BinanceErrorInsteadOfArray) {
  RestParser parser;
  EXPECT_EQ(ErrorOf(parser.ParseTickers24h(R"({"code":-1003,"msg":"Too many requests."})")),
            "ticker/24hr: Binance error -1003: Too many requests.");
}

TEST(RestParserKlines, TenSpotRowsWithOpenLastBar) {
  RestParser parser;
  const core::Millis last_close = 1634944379999;
  auto bars = parser.ParseKlines(Fixture("spot_BTCUSDT_1m_2021-10-22_10rows.json"), last_close);
  ASSERT_TRUE(bars) << bars.error().message;
  ASSERT_EQ(bars->size(), 10u);
  EXPECT_EQ((*bars)[0], (core::Bar{.open_time = 1634943780000,
                                   .close_time = 1634943839999,
                                   .open = 60685.22,
                                   .high = 60729.84,
                                   .low = 60670.90,
                                   .close = 60719.27,
                                   .volume = 21.63272,
                                   .quote_volume = 1313200.01340410,
                                   .trades = 617,
                                   .closed = true}));
  for (std::size_t i = 0; i + 1 < bars->size(); ++i) {
    EXPECT_TRUE((*bars)[i].closed) << i;
    EXPECT_EQ((*bars)[i + 1].open_time - (*bars)[i].open_time, core::kMinute) << i;
  }
  // The server's clock at the bar's close time: the bar is not over yet.
  EXPECT_FALSE(bars->back().closed);
}

// Binance returns no bar that has not opened: a bar followed by another one is over, whatever
// the time. The scanner's clock has no say in it (the defect: a clock running ahead of Binance's
// stored the forming bar as closed).
TEST(RestParserKlines, EveryBarButTheLastIsClosedWhateverTheServerTime) {
  RestParser parser;
  auto bars = parser.ParseKlines(Fixture("spot_BTCUSDT_1m_2021-10-22_10rows.json"), 0);
  ASSERT_TRUE(bars) << bars.error().message;
  ASSERT_EQ(bars->size(), 10u);
  for (std::size_t i = 0; i + 1 < bars->size(); ++i) EXPECT_TRUE((*bars)[i].closed) << i;
  EXPECT_FALSE(bars->back().closed);
}

// The server time is a Date header: whole seconds, stamped when the answer was sent, after the
// body was built. At the boundary itself the body may still hold the bar's last update before
// the close, so only a Date a full second past the close makes the last bar final.
TEST(RestParserKlines, TheLastBarIsClosedOnlyOnceTheServerIsASecondPastItsClose) {
  RestParser parser;
  const std::string body = Fixture("spot_BTCUSDT_1m_2021-10-22_10rows.json");
  const core::Millis boundary = 1634944380000;  // the last bar's close time + 1
  for (core::Millis date : {boundary - core::kMinute, boundary - core::kSecond, boundary}) {
    auto bars = parser.ParseKlines(body, date);
    ASSERT_TRUE(bars) << bars.error().message;
    EXPECT_FALSE(bars->back().closed) << date;
    EXPECT_TRUE((*bars)[8].closed) << date;
  }
  for (core::Millis date : {boundary + core::kSecond, boundary + core::kDay}) {
    auto bars = parser.ParseKlines(body, date);
    ASSERT_TRUE(bars) << bars.error().message;
    EXPECT_TRUE(bars->back().closed) << date;
  }
}

TEST(RestParserKlines, CompactSpotAndFuturesFiles) {
  RestParser parser;
  auto spot =
      parser.ParseKlines(Fixture("spot_BTCUSDT_5m_limit24_2019-06-11_v1.json"), 2'000'000'000'000);
  ASSERT_TRUE(spot) << spot.error().message;
  ASSERT_EQ(spot->size(), 24u);
  EXPECT_EQ(spot->back().open_time, 1560296700000);
  EXPECT_EQ(spot->back().close, 7885.63);
  EXPECT_EQ(spot->back().trades, 548);
  auto futures = parser.ParseKlines(Fixture("usdm_continuousKlines_1row.json"), 0);
  ASSERT_TRUE(futures) << futures.error().message;
  ASSERT_EQ(futures->size(), 1u);
  EXPECT_EQ((*futures)[0].high, 18900.0);
  EXPECT_EQ((*futures)[0].volume, 492.363);
  EXPECT_EQ((*futures)[0].quote_volume, 9302145.66080);
  EXPECT_FALSE((*futures)[0].closed);  // now = 0 is before its close
}

TEST(RestParserKlines, MalformedRows) {
  RestParser parser;
  const std::string good = R"([1,"1","2","0.5","1.5","10",59999,"15",3,"5","7","0"])";
  EXPECT_EQ(ErrorOf(parser.ParseKlines("[" + good + R"(,[1,"1","2","0.5","1.5","10"]])", 0)),
            "klines: [1]: expected 12 fields, got 6");
  EXPECT_EQ(ErrorOf(parser.ParseKlines(R"([[1,1.0,"2","0.5","1.5","10",59999,"15",3]])", 0)),
            "klines: [0][1]: expected quoted decimal");
  EXPECT_EQ(ErrorOf(parser.ParseKlines(R"([["1","1","2","0.5","1.5","10",59999,"15",3]])", 0)),
            "klines: [0][0]: expected integer");
  EXPECT_EQ(ErrorOf(parser.ParseKlines(R"([[1,"1","2","0.5","1.5","10",59999,"15","3"]])", 0)),
            "klines: [0][8]: expected integer");
  EXPECT_EQ(ErrorOf(parser.ParseKlines("[" + good + ",{}]", 0)), "klines: [1]: expected array");
  EXPECT_EQ(ErrorOf(parser.ParseKlines(R"({"code":-1121,"msg":"Invalid symbol."})", 0)),
            "klines: Binance error -1121: Invalid symbol.");
  EXPECT_EQ(ErrorOf(parser.ParseKlines(R"({"a":1})", 0)), "klines: expected array");
  auto truncated = parser.ParseKlines("[" + good + ",[1,\"2", 0);
  ASSERT_FALSE(truncated);
  EXPECT_THAT(truncated.error().message, StartsWith("klines: "));
  auto empty = parser.ParseKlines("[]", 0);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(RestParser, ReusableAfterAFailure) {
  RestParser parser;
  EXPECT_FALSE(parser.ParseKlines("[[1,", 0));
  EXPECT_FALSE(parser.ParseTickers24h("{"));
  auto bars = parser.ParseKlines(Fixture("usdm_continuousKlines_1row.json"), 0);
  ASSERT_TRUE(bars) << bars.error().message;
  EXPECT_EQ(bars->size(), 1u);
}

}  // namespace
}  // namespace scanner::binance
