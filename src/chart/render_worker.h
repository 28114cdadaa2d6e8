#pragma once
// RenderWorker: charts drawn off the caller's thread. One std::thread with its own ChartRenderer
// (font loaded on that thread) takes requests in FIFO order; each request's `done` is called on
// the worker thread with the PNG or the error (the app posts it on to its event loop).
//
// The thread draws one chart at start (warming cairo's glyph caches, so the first alert does not
// pay for them). Submit is thread-safe. Stop() (and the destructor) finishes the request being
// drawn, if any, calls its `done`, then joins the thread: requests not started by then are dropped
// and their `done` is never called; Submit after Stop drops the request and returns false. `done`
// must not call Stop() or destroy the worker (it runs on the thread Stop joins).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "chart/chart_error.h"
#include "chart/chart_font.h"
#include "core/chart_spec.h"

namespace scanner::chart {

class RenderWorker {
 public:
  using Result = std::expected<std::string, ChartError>;
  using Done = std::function<void(std::uint64_t key, Result result)>;

  explicit RenderWorker(std::string font_path = ChartFont::kDefaultPath);
  ~RenderWorker();

  RenderWorker(const RenderWorker&) = delete;
  RenderWorker& operator=(const RenderWorker&) = delete;

  // Queues a render of `spec`; `done(key, result)` follows on the worker thread. False (and
  // `done` never called) once Stop() has begun.
  bool Submit(std::uint64_t key, core::ChartSpec spec, Done done);

  // Drops the requests not started, waits for the one being drawn, joins. Idempotent.
  void Stop();

 private:
  struct Request {
    std::uint64_t key = 0;
    core::ChartSpec spec;
    Done done;
  };

  void Run(std::string font_path);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Request> queue_;  // guarded by mutex_
  bool stopping_ = false;      // guarded by mutex_
  std::thread thread_;         // last: started once the members above exist
};

}  // namespace scanner::chart
