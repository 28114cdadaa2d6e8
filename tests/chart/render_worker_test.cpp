#include "chart/render_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "core/chart_spec.h"
#include "core/interval.h"

namespace scanner::chart {
namespace {

core::ChartSpec SmallSpec(double close) {
  core::ChartSpec spec;
  spec.symbol = "BTCUSDT";
  spec.interval = *core::Interval::Parse("5m");
  spec.width = 300;
  spec.height = 200;
  for (int i = 0; i < 10; ++i) {
    core::Bar bar;
    bar.open_time = 1529297400000 + i * 5 * core::kMinute;
    bar.open = 100;
    bar.close = i == 9 ? close : 101;
    bar.high = std::max(bar.open, bar.close) + 1;
    bar.low = 99;
    bar.volume = 10;
    spec.bars.push_back(bar);
  }
  spec.atr = 1;
  spec.band_atrs = 1.5;
  return spec;
}

// Collects `done` calls; Wait() returns once `expected` have come.
class Results {
 public:
  explicit Results(std::size_t expected) : expected_(expected) {}
  RenderWorker::Done Callback() {
    return [this](std::uint64_t key, RenderWorker::Result result) {
      std::lock_guard lock(mutex_);
      results_.emplace_back(key, std::move(result));
      if (results_.size() == expected_) all_.set_value();
    };
  }
  std::vector<std::pair<std::uint64_t, RenderWorker::Result>> Wait() {
    all_.get_future().wait();
    std::lock_guard lock(mutex_);
    return results_;
  }

 private:
  std::size_t expected_;
  std::mutex mutex_;
  std::vector<std::pair<std::uint64_t, RenderWorker::Result>> results_;
  std::promise<void> all_;
};

TEST(RenderWorker, AResultForEveryKeyInOrderErrorsAsErrors) {
  Results results(4);
  RenderWorker worker;
  core::ChartSpec invalid = SmallSpec(110);
  invalid.bars[3].close = -1;
  EXPECT_TRUE(worker.Submit(7, SmallSpec(110), results.Callback()));
  EXPECT_TRUE(worker.Submit(3, invalid, results.Callback()));
  EXPECT_TRUE(worker.Submit(9, SmallSpec(90), results.Callback()));
  EXPECT_TRUE(worker.Submit(1, SmallSpec(110), results.Callback()));
  const auto got = results.Wait();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].first, 7u);
  EXPECT_EQ(got[1].first, 3u);
  EXPECT_EQ(got[2].first, 9u);
  EXPECT_EQ(got[3].first, 1u);
  ASSERT_TRUE(got[0].second.has_value());
  EXPECT_EQ(got[0].second->substr(1, 3), "PNG");
  ASSERT_FALSE(got[1].second.has_value());
  EXPECT_EQ(got[1].second.error().kind, ChartFailure::kInvalidSpec);
  ASSERT_TRUE(got[2].second.has_value());
  EXPECT_NE(*got[0].second, *got[2].second);
  EXPECT_EQ(*got[0].second, *got[3].second);  // same spec, same bytes
}

TEST(RenderWorker, SubmitsFromManyThreads) {
  constexpr int kThreads = 4;
  constexpr int kEach = 3;
  Results results(kThreads * kEach);
  RenderWorker worker;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        worker.Submit(static_cast<std::uint64_t>(t * 100 + i), SmallSpec(105 + i),
                      results.Callback());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const auto got = results.Wait();
  std::vector<std::uint64_t> keys;
  for (const auto& [key, result] : got) {
    EXPECT_TRUE(result.has_value());
    keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys,
            (std::vector<std::uint64_t>{0, 1, 2, 100, 101, 102, 200, 201, 202, 300, 301, 302}));
}

TEST(RenderWorker, MissingFontFailsEachRequest) {
  Results results(2);
  RenderWorker worker("/nonexistent/font.ttf");
  worker.Submit(1, SmallSpec(110), results.Callback());
  worker.Submit(2, SmallSpec(110), results.Callback());
  for (const auto& [key, result] : results.Wait()) {
    ASSERT_FALSE(result.has_value()) << key;
    EXPECT_EQ(result.error().kind, ChartFailure::kFont);
  }
}

TEST(RenderWorker, StopFinishesTheRequestInHandDropsTheRestAndJoins) {
  RenderWorker worker;
  std::promise<void> started;
  std::promise<void> gate;
  std::shared_future<void> gate_open = gate.get_future().share();
  std::atomic<int> calls{0};
  std::vector<std::uint64_t> keys;  // written on the worker thread, read after the join
  worker.Submit(1, SmallSpec(110), [&](std::uint64_t key, RenderWorker::Result result) {
    EXPECT_TRUE(result.has_value());
    keys.push_back(key);
    ++calls;
    started.set_value();
    gate_open.wait();  // the worker is busy until the test opens the gate
  });
  started.get_future().wait();
  auto count = [&](std::uint64_t key, RenderWorker::Result) {
    keys.push_back(key);
    ++calls;
  };
  EXPECT_TRUE(worker.Submit(2, SmallSpec(110), count));
  EXPECT_TRUE(worker.Submit(3, SmallSpec(110), count));

  std::thread stopper([&] { worker.Stop(); });
  // Stop has begun once Submit refuses; the queued requests are gone by then.
  while (worker.Submit(99, SmallSpec(110), count)) std::this_thread::yield();
  gate.set_value();
  stopper.join();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(keys, std::vector<std::uint64_t>{1});
  EXPECT_FALSE(worker.Submit(4, SmallSpec(110), count));
  worker.Stop();  // again: nothing happens
  EXPECT_EQ(calls.load(), 1);
}

TEST(RenderWorker, DestructorJoinsWithRequestsQueued) {
  std::atomic<int> calls{0};
  {
    RenderWorker worker;
    for (std::uint64_t key = 0; key < 5; ++key) {
      worker.Submit(key, SmallSpec(110), [&](std::uint64_t, RenderWorker::Result) { ++calls; });
    }
  }
  EXPECT_LE(calls.load(), 5);  // some or none: the thread is joined, nothing runs after
  const int after = calls.load();
  EXPECT_EQ(calls.load(), after);
}

}  // namespace
}  // namespace scanner::chart
