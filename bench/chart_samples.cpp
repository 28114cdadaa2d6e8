// Renders charts of real series into a folder, to look at them:
//   chart_samples OUT_DIR [DATA_DIR]   (DATA_DIR: ../shared/data of the repository)
// One PNG per sample (60 bars, and 30 and 200 for BTCUSDT 1m), each ending at the bar of the
// series that moved most in ATRs; prints each file's size and render time.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "chart/chart_renderer.h"
#include "chart_sample_spec.h"
#include "core/market.h"
#include "support/ohlcv_file.h"

namespace {

namespace core = scanner::core;

struct Sample {
  const char* file;
  const char* symbol;
  const char* interval;
  core::Market market;
  std::size_t bars;
  int width;
  int height;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: chart_samples OUT_DIR [DATA_DIR]\n");
    return 2;
  }
  const std::string out = argv[1];
  const std::string data = argc > 2 ? argv[2] : SCANNER_SHARED_DATA_DIR;
  const std::vector<Sample> samples = {
      {"ohlcv/BTCUSDT_1m_2018.csv", "BTCUSDT", "1m", core::Market::kSpot, 60, 800, 450},
      {"ohlcv/BTCUSDT_1m_2018.csv", "BTCUSDT", "1m", core::Market::kSpot, 30, 800, 450},
      {"ohlcv/BTCUSDT_1m_2018.csv", "BTCUSDT", "1m", core::Market::kSpot, 200, 800, 450},
      {"ohlcv/ETHUSDT_1h_2018.csv", "ETHUSDT", "1h", core::Market::kSpot, 60, 800, 450},
      {"ohlcv/BTCUSDT_4h_2018.csv", "BTCUSDT", "4h", core::Market::kSpot, 60, 800, 450},
      {"ohlcv/XRPETH_5m_2019-10.csv", "XRPETH", "5m", core::Market::kSpot, 60, 800, 450},
      {"ohlcv/XRPUSDT-PERP_5m_2021-11.csv", "XRPUSDT", "5m", core::Market::kUsdm, 60, 800, 450},
      {"klines/2021-04/DOGEUSDT_1m_2021-04.csv", "DOGEUSDT", "1m", core::Market::kSpot, 60, 800,
       450},
      {"klines/2021-04/CHZUSDT_15m_2021-04.csv", "CHZUSDT", "15m", core::Market::kUsdm, 60, 800,
       450},
      {"ohlcv/ETHUSDT_5m_2018.csv", "ETHUSDT", "5m", core::Market::kSpot, 60, 400, 225},
      {"ohlcv/ETHUSDT_5m_2018.csv", "ETHUSDT", "5m", core::Market::kSpot, 60, 1600, 900},
  };
  scanner::chart::ChartRenderer renderer;
  if (renderer.font_error()) {
    std::fprintf(stderr, "%s\n", renderer.font_error()->message.c_str());
    return 1;
  }
  for (const Sample& sample : samples) {
    const core::Interval interval = *core::Interval::Parse(sample.interval);
    core::ChartSpec spec = scanner::bench::SpecAtBiggestMove(
        scanner::support::ReadOhlcvFile(data + "/" + sample.file, interval), sample.bars);
    spec.symbol = sample.symbol;
    spec.interval = interval;
    spec.market = sample.market;
    spec.width = sample.width;
    spec.height = sample.height;
    const auto start = std::chrono::steady_clock::now();
    auto png = renderer.RenderPng(spec);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!png) {
      std::fprintf(stderr, "%s: %s\n", sample.file, png.error().message.c_str());
      return 1;
    }
    const std::string name = out + "/" + sample.symbol + "_" + sample.interval + "_" +
                             std::to_string(sample.bars) + "_" + std::to_string(sample.width) +
                             ".png";
    std::ofstream(name, std::ios::binary) << *png;
    std::printf("%s  %zu bytes  %.2f ms\n", name.c_str(), png->size(), ms);
  }
  return 0;
}
