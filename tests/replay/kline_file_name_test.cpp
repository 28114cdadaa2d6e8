#include "replay/kline_file_name.h"

#include <gtest/gtest.h>

#include "support/intervals.h"

namespace scanner::replay {
namespace {

using support::I;

TEST(KlineFileName, ReadsDailyAndMonthlyNamesOfBothExtensions) {
  EXPECT_EQ(ParseKlineFileName("BTCUSDT-1m-2024-03-10.zip"), (KlineFileName{"BTCUSDT", I("1m")}));
  EXPECT_EQ(ParseKlineFileName("/data/spot/daily/klines/ETHBTC/4h/ETHBTC-4h-2021-11-27.CSV"),
            (KlineFileName{"ETHBTC", I("4h")}));
  EXPECT_EQ(ParseKlineFileName("ADAUSDT-15m-2023-07.csv"), (KlineFileName{"ADAUSDT", I("15m")}));
}

TEST(KlineFileName, ReadsTheMonthlyIntervalSpelledOneMo) {
  EXPECT_EQ(ParseKlineFileName("BTCUSDT-1mo-2024-03.zip"), (KlineFileName{"BTCUSDT", I("1M")}));
  EXPECT_EQ(ParseKlineFileName("BTCUSDT-1M-2024-03.zip"), (KlineFileName{"BTCUSDT", I("1M")}));
  EXPECT_EQ(ParseReplayInterval("1mo"), I("1M"));
  EXPECT_EQ(ParseReplayInterval("1m"), I("1m"));
  EXPECT_EQ(ParseReplayInterval("1min"), std::nullopt);
}

TEST(KlineFileName, KeepsDashesInsideTheSymbol) {
  EXPECT_EQ(ParseKlineFileName("BTC-USD-1d-2024-03-10.zip"), (KlineFileName{"BTC-USD", I("1d")}));
  EXPECT_EQ(ParseKlineFileName("BTCUSDT_240329-1h-2024-03.zip"),
            (KlineFileName{"BTCUSDT_240329", I("1h")}));
}

TEST(KlineFileName, RejectsOtherNames) {
  EXPECT_EQ(ParseKlineFileName("XRPUSDT-PERP_5m_2021-11.csv"), std::nullopt);  // unknown interval
  EXPECT_EQ(ParseKlineFileName("BTCUSDT-1m-2024-03-10.zip.CHECKSUM"), std::nullopt);
  EXPECT_EQ(ParseKlineFileName("BTCUSDT-1m-2024-03-10.json"), std::nullopt);
  EXPECT_EQ(ParseKlineFileName("BTCUSDT-7m-2024-03-10.csv"), std::nullopt);
  EXPECT_EQ(ParseKlineFileName("-1m-2024-03-10.csv"), std::nullopt);
  EXPECT_EQ(ParseKlineFileName("1m-2024-03.csv"), std::nullopt);
  EXPECT_EQ(ParseKlineFileName("BTCUSDT-1m-24-03-10.csv"), std::nullopt);
  EXPECT_EQ(ParseKlineFileName(".csv"), std::nullopt);
}

}  // namespace
}  // namespace scanner::replay
