// Sharding of kline and ticker streams over combined-stream connections (ConnectionPlanner).

#include "feed/stream_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/intervals.h"

namespace scanner::feed {
namespace {

using support::I;
using ::testing::ElementsAre;

std::vector<core::Symbol> Symbols(int count) {
  std::vector<core::Symbol> symbols;
  for (int i = 0; i < count; ++i) {
    std::string name = "S";
    name.append(std::to_string(10000 + i));
    name.append("USDT");
    symbols.push_back(std::move(name));
  }
  return symbols;
}

ConnectionPlanner Planner(core::Market market, std::vector<core::Interval> intervals,
                          std::size_t max_streams) {
  auto planner =
      ConnectionPlanner::Create(StreamPlanOptions{.market = market,
                                                  .intervals = std::move(intervals),
                                                  .max_streams_per_connection = max_streams,
                                                  .ticker_stream = true});
  EXPECT_TRUE(planner.has_value()) << (planner ? "" : planner.error().message);
  return std::move(*planner);
}

// Every stream of the plan with the connection carrying it; fails the test on a duplicate.
std::map<std::string, std::size_t> Assignment(const ConnectionPlanner& planner) {
  std::map<std::string, std::size_t> where;
  for (std::size_t c = 0; c < planner.ConnectionCount(); ++c) {
    for (const std::string& stream : planner.Streams(c)) {
      EXPECT_TRUE(where.emplace(stream, c).second) << stream << " on two connections";
    }
  }
  return where;
}

TEST(StreamNames, KlineStreamsAreLowerCaseAndTickersPerMarket) {
  EXPECT_EQ(KlineStreamName("BTCUSDT", I("1m")), "btcusdt@kline_1m");
  EXPECT_EQ(KlineStreamName("BTCUSDT", I("1M")), "btcusdt@kline_1M");  // the month stays "1M"
  EXPECT_EQ(KlineStreamName("\xE5\xB8\x81USDT", I("1h")), "\xE5\xB8\x81usdt@kline_1h");
  EXPECT_EQ(MarketTickerStream(core::Market::kSpot), "!miniTicker@arr");  // !ticker@arr retired
  EXPECT_EQ(MarketTickerStream(core::Market::kUsdm), "!ticker@arr");
}

TEST(StreamNames, CombinedUrlsKeepTheMarketRoute) {
  const std::vector<std::string> streams{"btcusdt@kline_1m", "!miniTicker@arr"};
  EXPECT_EQ(CombinedStreamUrl("wss://stream.binance.com:9443/", streams),
            "wss://stream.binance.com:9443/stream?streams=btcusdt@kline_1m/!miniTicker@arr");
  EXPECT_EQ(CombinedStreamUrl("wss://fstream.binance.com/market", {streams.data(), 1}),
            "wss://fstream.binance.com/market/stream?streams=btcusdt@kline_1m");
}

TEST(StreamNames, TheUrlHoldsOnlyWhatFitsItsLimit) {
  std::vector<std::string> streams;
  for (int i = 0; i < 1024; ++i) streams.push_back(KlineStreamName(Symbols(1024)[i], I("15m")));
  const std::string base = "wss://stream.binance.com:9443";
  const std::size_t fit = StreamsFittingUrl(base, streams, 2048);
  EXPECT_GT(fit, 50u);
  EXPECT_LT(fit, 1024u);
  EXPECT_LE(CombinedStreamUrl(base, {streams.data(), fit}).size(), 2048u);
  EXPECT_GT(CombinedStreamUrl(base, {streams.data(), fit + 1}).size(), 2048u);
  // One stream always goes in, however long.
  EXPECT_EQ(StreamsFittingUrl(base, streams, 10), 1u);
}

TEST(ConnectionPlanner, SpotTwentyFiveHundredStreamsNeedThreeConnections) {
  ConnectionPlanner planner = Planner(core::Market::kSpot, {I("1m"), I("5m"), I("1h")}, 1024);
  const std::vector<core::Symbol> symbols = Symbols(833);  // 833 * 3 + the ticker = 2500
  planner.Update(symbols, {});
  EXPECT_EQ(planner.TotalStreams(), 2500u);
  ASSERT_EQ(planner.ConnectionCount(), 3u);
  EXPECT_EQ(planner.StreamCount(0), 1024u);  // the ticker and 341 symbols
  EXPECT_EQ(planner.StreamCount(1), 1023u);
  EXPECT_EQ(planner.StreamCount(2), 453u);
  const auto where = Assignment(planner);
  EXPECT_EQ(where.size(), 2500u);
  EXPECT_EQ(where.at("!miniTicker@arr"), 0u);
  EXPECT_EQ(planner.Streams(0).front(), "!miniTicker@arr");
  for (const core::Symbol& symbol : symbols) {
    const std::size_t connection = *planner.ConnectionOf(symbol);
    for (const char* interval : {"1m", "5m", "1h"}) {
      EXPECT_EQ(where.at(KlineStreamName(symbol, I(interval))), connection) << symbol;
    }
  }
}

TEST(ConnectionPlanner, FuturesConnectionsHoldAtMostTwoHundredStreams) {
  ConnectionPlanner planner =
      Planner(core::Market::kUsdm, {I("1m"), I("5m"), I("15m"), I("1h")}, 200);
  planner.Update(Symbols(120), {});
  ASSERT_EQ(planner.ConnectionCount(), 3u);
  EXPECT_EQ(planner.StreamCount(0), 197u);  // the ticker and 49 whole symbols
  EXPECT_EQ(planner.StreamCount(1), 200u);
  EXPECT_EQ(planner.StreamCount(2), 84u);
  EXPECT_EQ(planner.Streams(0).front(), "!ticker@arr");
  EXPECT_EQ(Assignment(planner).size(), 481u);
}

TEST(ConnectionPlanner, TheSameUpdatesGiveTheSamePlan) {
  ConnectionPlanner a = Planner(core::Market::kSpot, {I("1m"), I("5m")}, 50);
  ConnectionPlanner b = Planner(core::Market::kSpot, {I("5m"), I("1m"), I("5m")}, 50);
  std::vector<core::Symbol> symbols = Symbols(60);
  std::vector<core::Symbol> shuffled(symbols.rbegin(), symbols.rend());
  a.Update(symbols, {});
  b.Update(shuffled, {});
  ASSERT_EQ(a.ConnectionCount(), b.ConnectionCount());
  for (std::size_t c = 0; c < a.ConnectionCount(); ++c) {
    std::vector<std::string> sa = a.Streams(c);
    std::vector<std::string> sb = b.Streams(c);
    std::sort(sa.begin(), sa.end());
    std::sort(sb.begin(), sb.end());
    EXPECT_EQ(sa, sb) << "connection " << c;
  }
}

TEST(ConnectionPlanner, DiffsSubscribeAndUnsubscribeWithoutMovingSymbols) {
  ConnectionPlanner planner = Planner(core::Market::kSpot, {I("1m"), I("5m")}, 7);
  const std::vector<core::Symbol> first{"AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT"};
  std::vector<PlanChange> changes = planner.Update(first, {});
  // Connection 0: ticker + 3 symbols (7 streams); connection 1: DDD.
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].connection, 0u);
  EXPECT_THAT(changes[0].subscribe,
              ElementsAre("aaausdt@kline_1m", "aaausdt@kline_5m", "bbbusdt@kline_1m",
                          "bbbusdt@kline_5m", "cccusdt@kline_1m", "cccusdt@kline_5m"));
  EXPECT_EQ(changes[1].connection, 1u);
  EXPECT_THAT(changes[1].subscribe, ElementsAre("dddusdt@kline_1m", "dddusdt@kline_5m"));

  // BBB leaves, EEE comes: EEE takes BBB's room on connection 0; DDD stays on 1.
  const std::vector<core::Symbol> added{"EEEUSDT"};
  const std::vector<core::Symbol> removed{"BBBUSDT", "ZZZUSDT"};
  changes = planner.Update(added, removed);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].connection, 0u);
  EXPECT_THAT(changes[0].subscribe, ElementsAre("eeeusdt@kline_1m", "eeeusdt@kline_5m"));
  EXPECT_THAT(changes[0].unsubscribe, ElementsAre("bbbusdt@kline_1m", "bbbusdt@kline_5m"));
  EXPECT_EQ(planner.ConnectionOf("DDDUSDT"), 1u);
  EXPECT_EQ(planner.ConnectionOf("AAAUSDT"), 0u);
  EXPECT_FALSE(planner.ConnectionOf("BBBUSDT").has_value());

  // BBB comes back: connection 0 is full again, so it joins DDD on connection 1.
  changes = planner.Update(std::vector<core::Symbol>{"BBBUSDT"}, {});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].connection, 1u);
  EXPECT_EQ(planner.ConnectionOf("BBBUSDT"), 1u);

  // Present symbols and absent removals change nothing.
  EXPECT_TRUE(planner.Update(first, std::vector<core::Symbol>{"NOPEUSDT"}).empty());

  // A symbol in both lists stays where it is.
  const std::vector<core::Symbol> both{"DDDUSDT"};
  EXPECT_TRUE(planner.Update(both, both).empty());
  EXPECT_EQ(planner.ConnectionOf("DDDUSDT"), 1u);
}

TEST(ConnectionPlanner, RefusesPlansThatCannotWork) {
  EXPECT_FALSE(ConnectionPlanner::Create(StreamPlanOptions{.market = core::Market::kSpot,
                                                           .intervals = {},
                                                           .max_streams_per_connection = 1024,
                                                           .ticker_stream = true})
                   .has_value());
  EXPECT_FALSE(ConnectionPlanner::Create(StreamPlanOptions{.market = core::Market::kSpot,
                                                           .intervals = {I("1m"), I("5m")},
                                                           .max_streams_per_connection = 2,
                                                           .ticker_stream = true})
                   .has_value());
  EXPECT_TRUE(ConnectionPlanner::Create(StreamPlanOptions{.market = core::Market::kSpot,
                                                          .intervals = {I("1m"), I("5m")},
                                                          .max_streams_per_connection = 2,
                                                          .ticker_stream = false})
                  .has_value());
}

}  // namespace
}  // namespace scanner::feed
