// The alert chart: one render of 60 real BTCUSDT 1m bars at 800×450, PNG encode included (what
// the alert path pays per alert); the layout alone; the PNG encode alone, fast (what the renderer
// does) and cairo's default writer (what it replaced).
//
//   bench_chart [--benchmark_repetitions=N --benchmark_report_aggregates_only=true]

#include <benchmark/benchmark.h>

#include <cairo.h>

#include <string>

#include "chart/chart_renderer.h"
#include "chart/png_encoder.h"
#include "chart_sample_spec.h"
#include "support/ohlcv_file.h"

namespace {

namespace core = scanner::core;

core::ChartSpec RealSpec() {
  const core::Interval interval = *core::Interval::Parse("1m");
  core::ChartSpec spec = scanner::bench::SpecAtBiggestMove(
      scanner::support::ReadOhlcvFile(
          std::string(SCANNER_SHARED_DATA_DIR) + "/ohlcv/BTCUSDT_1m_2018.csv", interval),
      60);
  spec.symbol = "BTCUSDT";
  spec.interval = interval;
  return spec;
}

void BM_RenderPng(benchmark::State& state) {
  const core::ChartSpec spec = RealSpec();
  scanner::chart::ChartRenderer renderer;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto png = renderer.RenderPng(spec);
    if (!png) {
      state.SkipWithError(png.error().message.c_str());
      return;
    }
    bytes = png->size();
    benchmark::DoNotOptimize(png->data());
  }
  state.counters["png_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderPng)->Unit(benchmark::kMillisecond);

// The layout alone (validation, ticks, text measurement): the part before any pixel.
void BM_Layout(benchmark::State& state) {
  const core::ChartSpec spec = RealSpec();
  scanner::chart::ChartRenderer renderer;
  for (auto _ : state) {
    auto layout = renderer.Layout(spec);
    benchmark::DoNotOptimize(layout);
  }
}
BENCHMARK(BM_Layout)->Unit(benchmark::kMillisecond);

// The encode alone, of the chart's own pixels: libpng's fast mode as the renderer uses it
// (png_encoder.h), and cairo's writer (libpng's defaults), which the renderer used before.
struct DecodedChart {
  std::string png;
  std::size_t offset = 0;
  cairo_surface_t* surface = nullptr;

  DecodedChart() {
    scanner::chart::ChartRenderer renderer;
    png = renderer.RenderPng(RealSpec()).value_or(std::string());
    surface = cairo_image_surface_create_from_png_stream(
        [](void* closure, unsigned char* data, unsigned int length) {
          auto* self = static_cast<DecodedChart*>(closure);
          if (self->offset + length > self->png.size()) return CAIRO_STATUS_READ_ERROR;
          self->png.copy(reinterpret_cast<char*>(data), length, self->offset);
          self->offset += length;
          return CAIRO_STATUS_SUCCESS;
        },
        this);
  }
  ~DecodedChart() { cairo_surface_destroy(surface); }
  DecodedChart(const DecodedChart&) = delete;
  DecodedChart& operator=(const DecodedChart&) = delete;
};

void BM_EncodeFast(benchmark::State& state) {
  DecodedChart chart;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto png = scanner::chart::EncodePng(chart.surface);
    if (!png) {
      state.SkipWithError(png.error().message.c_str());
      return;
    }
    bytes = png->size();
    benchmark::DoNotOptimize(png->data());
  }
  state.counters["png_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_EncodeFast)->Unit(benchmark::kMillisecond);

void BM_EncodeCairo(benchmark::State& state) {
  DecodedChart chart;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string out;
    cairo_surface_write_to_png_stream(
        chart.surface,
        [](void* closure, const unsigned char* data, unsigned int length) {
          static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
          return CAIRO_STATUS_SUCCESS;
        },
        &out);
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["png_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_EncodeCairo)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
