// The alert chart: one render of 60 real BTCUSDT 1m bars at 800×450, PNG encode included (what
// the alert path pays per alert), and the drawing alone (the rest is the encode).
//
//   bench_chart [--benchmark_repetitions=N --benchmark_report_aggregates_only=true]

#include <benchmark/benchmark.h>

#include <cairo.h>

#include <cstdio>
#include <string>

#include "chart/chart_renderer.h"
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

// Cairo's PNG encode of an 800×450 RGB picture like the chart (mostly flat background).
void BM_EncodeOnly(benchmark::State& state) {
  const core::ChartSpec spec = RealSpec();
  scanner::chart::ChartRenderer renderer;
  auto png = renderer.RenderPng(spec);
  if (!png) {
    state.SkipWithError(png.error().message.c_str());
    return;
  }
  struct Reader {
    const std::string* bytes;
    std::size_t offset = 0;
  } reader{&*png};
  cairo_surface_t* surface = cairo_image_surface_create_from_png_stream(
      [](void* closure, unsigned char* data, unsigned int length) {
        auto* r = static_cast<Reader*>(closure);
        if (r->offset + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
        r->bytes->copy(reinterpret_cast<char*>(data), length, r->offset);
        r->offset += length;
        return CAIRO_STATUS_SUCCESS;
      },
      &reader);
  for (auto _ : state) {
    std::string out;
    cairo_surface_write_to_png_stream(
        surface,
        [](void* closure, const unsigned char* data, unsigned int length) {
          static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
          return CAIRO_STATUS_SUCCESS;
        },
        &out);
    benchmark::DoNotOptimize(out.data());
  }
  cairo_surface_destroy(surface);
}
BENCHMARK(BM_EncodeOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
