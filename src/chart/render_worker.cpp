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

void RenderWorker::Run(std::string font_path) {
  ChartRenderer renderer(std::move(font_path));
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
