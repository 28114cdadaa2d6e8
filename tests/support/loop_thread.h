#pragma once
// The scanner's one io_context thread, for loopback tests: the code under test is created,
// driven and inspected on it through Run(), which the test thread calls and which waits. What
// its handlers use must outlive the thread: declare it last (its destructor stops and joins the
// thread), or destroy those things through Run() before.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>
#include <type_traits>
#include <utility>

namespace scanner::support {

class LoopThread {
 public:
  LoopThread() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~LoopThread() {
    work_.reset();
    io_.stop();
    thread_.join();
  }
  LoopThread(const LoopThread&) = delete;
  LoopThread& operator=(const LoopThread&) = delete;

  boost::asio::io_context& io() { return io_; }

  // Runs `fn` on the loop thread and returns its result once it has run. Handlers posted before
  // the call have run by then (Run([] {}) waits for them).
  template <class F>
  auto Run(F&& fn) -> std::invoke_result_t<F&> {
    using R = std::invoke_result_t<F&>;
    std::packaged_task<R()> task(std::forward<F>(fn));
    std::future<R> result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace scanner::support
