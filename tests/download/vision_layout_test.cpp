#include "download/vision_layout.h"

#include <gtest/gtest.h>

#include "replay/kline_file_name.h"

#include "support/intervals.h"

namespace scanner::download {
namespace {

using support::I;

const DumpFile kMonthly{"BTCUSDT", I("1m"), Period::kMonthly, *ParseDay("2024-03-01")};
const DumpFile kDaily{"BTCUSDT", I("5m"), Period::kDaily, *ParseDay("2024-03-05")};

TEST(VisionLayout, SpotAndFuturesUrls) {
  EXPECT_EQ(UrlPath(core::Market::kSpot, kMonthly),
            "data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2024-03.zip");
  EXPECT_EQ(UrlPath(core::Market::kSpot, kDaily),
            "data/spot/daily/klines/BTCUSDT/5m/BTCUSDT-5m-2024-03-05.zip");
  EXPECT_EQ(UrlPath(core::Market::kUsdm, kDaily),
            "data/futures/um/daily/klines/BTCUSDT/5m/BTCUSDT-5m-2024-03-05.zip");
  EXPECT_EQ(FileUrl("https://data.binance.vision/", core::Market::kUsdm, kMonthly),
            "https://data.binance.vision/data/futures/um/monthly/klines/BTCUSDT/1m/"
            "BTCUSDT-1m-2024-03.zip");
}

TEST(VisionLayout, MonthlyIntervalIsSpelledOneMo) {
  const DumpFile monthly{"ETHUSDT", I("1M"), Period::kMonthly, *ParseDay("2024-03-01")};
  EXPECT_EQ(UrlPath(core::Market::kSpot, monthly),
            "data/spot/monthly/klines/ETHUSDT/1mo/ETHUSDT-1mo-2024-03.zip");
  EXPECT_EQ(LocalPath("data/klines", monthly).string(),
            "data/klines/ETHUSDT/1mo/ETHUSDT-1mo-2024-03.zip");
}

TEST(VisionLayout, LocalPathIsWhatReplayReads) {
  EXPECT_EQ(LocalPath("data/klines", kDaily).string(),
            "data/klines/BTCUSDT/5m/BTCUSDT-5m-2024-03-05.zip");
  for (const DumpFile& file :
       {kMonthly, kDaily,
        DumpFile{"ETHUSDT", I("1M"), Period::kMonthly, *ParseDay("2024-01-01")}}) {
    auto parsed = replay::ParseKlineFileName(LocalPath("data/klines", file).string());
    ASSERT_TRUE(parsed) << FileName(file);
    EXPECT_EQ(parsed->symbol, file.symbol);
    EXPECT_EQ(parsed->interval, file.interval);
  }
}

}  // namespace
}  // namespace scanner::download
