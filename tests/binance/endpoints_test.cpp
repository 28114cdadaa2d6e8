#include "binance/endpoints.h"

#include <gtest/gtest.h>

namespace scanner::binance {
namespace {

using core::Market;

TEST(Endpoints, PathsPerMarket) {
  EXPECT_EQ(EndpointPath(Market::kSpot, Endpoint::kExchangeInfo), "/api/v3/exchangeInfo");
  EXPECT_EQ(EndpointPath(Market::kSpot, Endpoint::kTicker24hAll), "/api/v3/ticker/24hr");
  EXPECT_EQ(EndpointPath(Market::kSpot, Endpoint::kKlines), "/api/v3/klines");
  EXPECT_EQ(EndpointPath(Market::kUsdm, Endpoint::kExchangeInfo), "/fapi/v1/exchangeInfo");
  EXPECT_EQ(EndpointPath(Market::kUsdm, Endpoint::kTicker24hAll), "/fapi/v1/ticker/24hr");
  EXPECT_EQ(EndpointPath(Market::kUsdm, Endpoint::kKlines), "/fapi/v1/klines");
  EXPECT_EQ(EndpointName(Endpoint::kTicker24hAll), "ticker/24hr");
}

TEST(Endpoints, SpotWeights) {
  EXPECT_EQ(RequestWeight(Market::kSpot, Endpoint::kExchangeInfo), 20);
  EXPECT_EQ(RequestWeight(Market::kSpot, Endpoint::kTicker24hAll), 80);
  for (int limit : {0, 1, 99, 500, 1000}) {
    EXPECT_EQ(RequestWeight(Market::kSpot, Endpoint::kKlines, limit), 2) << limit;
  }
}

TEST(Endpoints, FuturesWeightsFollowKlinesLimitBrackets) {
  EXPECT_EQ(RequestWeight(Market::kUsdm, Endpoint::kExchangeInfo), 1);
  EXPECT_EQ(RequestWeight(Market::kUsdm, Endpoint::kTicker24hAll), 40);
  EXPECT_EQ(RequestWeight(Market::kUsdm, Endpoint::kKlines, 1), 1);
  EXPECT_EQ(RequestWeight(Market::kUsdm, Endpoint::kKlines, 99), 1);
  EXPECT_EQ(RequestWeight(Market::kUsdm, Endpoint::kKlines, 100), 2);
  EXPECT_EQ(RequestWeight(Market::kUsdm, Endpoint::kKlines, 499), 2);
  EXPECT_EQ(RequestWeight(Market::kUsdm, Endpoint::kKlines, 500), 5);
  EXPECT_EQ(RequestWeight(Market::kUsdm, Endpoint::kKlines, 1000), 5);
  EXPECT_EQ(RequestWeight(Market::kUsdm, Endpoint::kKlines, 1001), 10);
  EXPECT_EQ(RequestWeight(Market::kUsdm, Endpoint::kKlines, 1500), 10);
  // No limit given: Binance's default of 500 applies.
  EXPECT_EQ(RequestWeight(Market::kUsdm, Endpoint::kKlines, 0), 5);
}

TEST(Endpoints, LimitsAndDefaults) {
  EXPECT_EQ(MaxKlinesLimit(Market::kSpot), 1000);
  EXPECT_EQ(MaxKlinesLimit(Market::kUsdm), 1500);
  EXPECT_EQ(DefaultWeightLimitPerMinute(Market::kSpot), 6000);
  EXPECT_EQ(DefaultWeightLimitPerMinute(Market::kUsdm), 2400);
  EXPECT_EQ(DefaultRestUrl(Market::kSpot), "https://api.binance.com");
  EXPECT_EQ(DefaultRestUrl(Market::kUsdm), "https://fapi.binance.com");
}

KlinesQuery Query(std::string symbol, std::string_view interval, int limit = 0) {
  KlinesQuery query;
  query.symbol = std::move(symbol);
  query.interval = *core::Interval::Parse(interval);
  query.limit = limit;
  return query;
}

TEST(Endpoints, KlinesTargetCarriesEveryGivenParameter) {
  KlinesQuery query = Query("BTCUSDT", "1m", 10);
  query.start_time = 1634943780000;
  query.end_time = 1634944379999;
  EXPECT_EQ(KlinesTarget(Market::kSpot, query),
            "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=1634943780000"
            "&endTime=1634944379999&limit=10");
  EXPECT_EQ(KlinesTarget(Market::kUsdm, Query("ETHUSDT", "1M")),
            "/fapi/v1/klines?symbol=ETHUSDT&interval=1M");
}

TEST(Endpoints, KlinesTargetPercentEncodesNonAsciiSymbols) {
  EXPECT_EQ(KlinesTarget(Market::kSpot, Query("\xE5\xB8\x81\xE5\xAE\x89USDT", "5m")),
            "/api/v3/klines?symbol=%E5%B8%81%E5%AE%89USDT&interval=5m");  // "币安USDT"
}

TEST(Endpoints, ValidateKlinesQuery) {
  EXPECT_FALSE(ValidateKlinesQuery(Market::kSpot, Query("BTCUSDT", "1m", 1000)));
  EXPECT_TRUE(ValidateKlinesQuery(Market::kSpot, Query("BTCUSDT", "1m", 1001)));
  EXPECT_FALSE(ValidateKlinesQuery(Market::kUsdm, Query("BTCUSDT", "1m", 1500)));
  EXPECT_TRUE(ValidateKlinesQuery(Market::kUsdm, Query("BTCUSDT", "1m", 1501)));
  EXPECT_TRUE(ValidateKlinesQuery(Market::kSpot, Query("BTCUSDT", "1m", -1)));
  EXPECT_TRUE(ValidateKlinesQuery(Market::kSpot, Query("", "1m")));
  EXPECT_TRUE(ValidateKlinesQuery(Market::kUsdm, Query("BTCUSDT", "1s")));
  EXPECT_FALSE(ValidateKlinesQuery(Market::kSpot, Query("BTCUSDT", "1s")));
  KlinesQuery reversed = Query("BTCUSDT", "1m");
  reversed.start_time = 2;
  reversed.end_time = 1;
  auto problem = ValidateKlinesQuery(Market::kSpot, reversed);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("startTime"), std::string::npos);
}

}  // namespace
}  // namespace scanner::binance
