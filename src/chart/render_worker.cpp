#include "chart/render_worker.h"

#include <utility>

#include "chart/chart_renderer.h"

namespace scanner::chart {

RenderWorker::RenderWorker(std::string font_path)
    : thread_([this, path = std::move(font_path)]() mutable { Run(std::move(path)); }) {}

RenderWorker::~RenderWorker() { Stop(); }

bool RenderWorker::Submit(std::uint64_t key, core::ChartSpec spec, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    queue_.push_back(Request{key, std::move(spec), std::move(done)});
  }
  wake_.notify_one();
  return true;
}

void RenderWorker::Stop() {
  std::deque<Request> dropped;  // destroyed outside the lock: a `done` may own anything
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

namespace {

// A default-sized chart drawn once at start: cairo rasterizes and caches the glyphs of each text
// size on first use (~10 ms), which the first alert would otherwise pay.
core::ChartSpec WarmUpSpec() {
  core::ChartSpec spec;
  spec.symbol = "WARMUPUSDT";
  for (int i = 0; i < 60; ++i) {
    core::Bar bar;
    bar.open_time = i * core::kMinute;
    bar.open = 1000 + i;
    bar.close = 1000.5 + i * 1.01;
    bar.high = bar.close + 1;
    bar.low = bar.open - 1;
    bar.volume = 10 + i;
    spec.bars.push_back(bar);
  }
  spec.atr = 1;
  spec.band_atrs = 1.5;
  return spec;
}

}  // namespace

void RenderWorker::Run(std::string font_path) {
  ChartRenderer renderer(std::move(font_path));
  (void)renderer.RenderPng(WarmUpSpec());
  while (true) {
    Request request;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      request = std::move(queue_.front());
      queue_.pop_front();
    }
    Result result = renderer.RenderPng(request.spec);
    if (request.done) request.done(request.key, std::move(result));
  }
}

}  // namespace scanner::chart
