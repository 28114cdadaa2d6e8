#include "signals/rolling_stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "signals/ring_buffer.h"

namespace scanner::signals {
namespace {

TEST(RingBuffer, KeepsTheNewestValuesInOrder) {
  RingBuffer<int> ring(3);
  EXPECT_TRUE(ring.Empty());
  ring.Push(1);
  ring.Push(2);
  EXPECT_EQ(ring.Size(), 2u);
  EXPECT_EQ(ring.Oldest(), 1);
  EXPECT_EQ(ring.FromNewest(0), 2);
  ring.Push(3);
  ring.Push(4);  // evicts 1
  EXPECT_TRUE(ring.Full());
  EXPECT_EQ(ring.Oldest(), 2);
  EXPECT_EQ(ring.FromNewest(0), 4);
  EXPECT_EQ(ring.FromNewest(1), 3);
  EXPECT_EQ(ring.FromNewest(2), 2);
  ring.Clear();
  EXPECT_TRUE(ring.Empty());
  ring.Resize(5);
  EXPECT_EQ(ring.Capacity(), 5u);
  EXPECT_TRUE(ring.Empty());
}

TEST(RollingStats, HandComputedWindowOfThree) {
  RollingStats stats(3);
  stats.Add(1);
  stats.Add(2);
  EXPECT_FALSE(stats.Full());
  EXPECT_FALSE(stats.StdDev());
  EXPECT_FALSE(stats.ZScore(4));
  stats.Add(3);
  // {1, 2, 3}: mean 2, population variance 2/3; z(4) = 2 / sqrt(2/3) = sqrt(6).
  ASSERT_TRUE(stats.Full());
  EXPECT_DOUBLE_EQ(stats.Mean(), 2.0);
  EXPECT_DOUBLE_EQ(stats.PopulationVariance(), 2.0 / 3.0);
  ASSERT_TRUE(stats.ZScore(4));
  EXPECT_NEAR(*stats.ZScore(4), std::sqrt(6.0), 1e-14);
  stats.Add(4);  // {2, 3, 4}
  EXPECT_DOUBLE_EQ(stats.Mean(), 3.0);
  EXPECT_DOUBLE_EQ(stats.PopulationVariance(), 2.0 / 3.0);
  stats.Add(10);  // {3, 4, 10}: mean 17/3, variance (64 + 25 + 169) / 27 = 258/27
  EXPECT_NEAR(stats.Mean(), 17.0 / 3.0, 1e-14);
  EXPECT_NEAR(stats.PopulationVariance(), 258.0 / 27.0, 1e-13);
  EXPECT_NEAR(*stats.ZScore(0), (0 - 17.0 / 3.0) / std::sqrt(258.0 / 27.0), 1e-13);
}

TEST(RollingStats, EqualValuesHaveExactlyZeroVarianceAndNoZScore) {
  RollingStats stats(4);
  // Varied values first, so the sliding state carries rounding from them.
  for (double value : {0.1, 0.7, 1e6, 0.3, 0.9, 0.2}) stats.Add(value);
  ASSERT_TRUE(stats.StdDev());
  for (int i = 0; i < 4; ++i) stats.Add(0.3);
  EXPECT_EQ(stats.PopulationVariance(), 0.0);
  EXPECT_EQ(stats.Mean(), 0.3);
  EXPECT_FALSE(stats.StdDev());
  EXPECT_FALSE(stats.ZScore(5.0));
  stats.Add(0.4);  // dispersion again
  EXPECT_TRUE(stats.ZScore(5.0));
}

TEST(RollingStats, AllZeroWindowHasNoZScore) {
  RollingStats stats(3);
  for (double value : {5.0, 0.0, 0.0, 0.0}) stats.Add(value);
  EXPECT_FALSE(stats.StdDev());
  EXPECT_FALSE(stats.ZScore(1.0));
}

TEST(RollingStats, RelativelyNegligibleSpreadCountsAsZero) {
  RollingStats stats(2);
  stats.Add(1e9);
  stats.Add(std::nextafter(1e9, 2e9));  // one ulp apart: stdev / rms ~ 6e-17
  EXPECT_FALSE(stats.StdDev());
  EXPECT_FALSE(stats.ZScore(2e9));
}

TEST(RollingStats, ClearAndResizeForgetValues) {
  RollingStats stats(2);
  stats.Add(1);
  stats.Add(3);
  ASSERT_TRUE(stats.StdDev());
  stats.Clear();
  EXPECT_EQ(stats.Count(), 0u);
  EXPECT_FALSE(stats.StdDev());
  stats.Resize(3);
  EXPECT_EQ(stats.Window(), 3u);
  stats.Add(1);
  stats.Add(3);
  EXPECT_FALSE(stats.StdDev());
  stats.Add(5);
  EXPECT_NEAR(*stats.StdDev(), std::sqrt(8.0 / 3.0), 1e-14);
}

// The stream of the stability test: a log-normal random walk around 1e6 (quote volumes), with
// spikes of x1000, regimes offset by 1e8 with a spread of ~10 (mean^2 / variance ~ 1e14, where
// running sums of squares in double lose every digit) and runs of zeros (illiquid bars).
class HardStream {
 public:
  double Next() {
    ++n_;
    if (n_ % 1'000'000 < 3000) return 0.0;  // zero runs, longer than any window
    const bool offset_regime = (n_ / 250'000) % 4 == 3;
    if (offset_regime) return 1e8 + 10 * noise_(rng_);
    level_ += 0.01 * noise_(rng_);
    level_ = std::clamp(level_, -3.0, 3.0);
    double value = 1e6 * std::exp(level_) * (1 + 0.05 * noise_(rng_));
    if (uniform_(rng_) < 0.001) value *= 1000;
    return value;
  }

 private:
  std::mt19937_64 rng_{20240521};
  std::normal_distribution<double> noise_{0.0, 1.0};
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  double level_ = 0;
  std::uint64_t n_ = 0;
};

std::string Scientific(double value) {
  std::ostringstream out;
  out << std::scientific << std::setprecision(2) << value;
  return out.str();
}

struct Exact {
  long double mean;
  long double variance;
  double max_abs;
};

Exact TwoPass(const std::vector<double>& history, std::size_t end, std::size_t window) {
  long double sum = 0;
  double max_abs = 0;
  for (std::size_t i = end - window; i < end; ++i) {
    sum += history[i % history.size()];
    max_abs = std::max(max_abs, std::fabs(history[i % history.size()]));
  }
  const long double mean = sum / window;
  long double squares = 0;
  for (std::size_t i = end - window; i < end; ++i) {
    const long double d = history[i % history.size()] - mean;
    squares += d * d;
  }
  return {mean, squares / window, max_abs};
}

// 10 million values through windows of 7, 50 and 1000, checked every 997 values against a fresh
// two-pass computation (in long double) over the same window. A naive running sum / sum of
// squares over the same stream is tracked too, to show the stream defeats an unstable update.
TEST(RollingStats, StaysExactOverTenMillionValues) {
  constexpr std::size_t kValues = 10'000'000;
  constexpr std::size_t kCheckEvery = 997;
  const std::size_t windows[] = {7, 50, 1000};
  std::vector<RollingStats> stats;
  for (std::size_t window : windows) stats.emplace_back(window);
  std::vector<double> history(1000);
  double naive_sum = 0;
  double naive_squares = 0;      // over the 50-window
  double worst_mean_error = 0;   // relative to the window's max |x|
  double worst_stdev_error = 0;  // relative to the exact stdev, where stdev / rms >= 1e-8
  double worst_z_error = 0;      // relative to max(1, |z|)
  double worst_naive_stdev_error = 0;
  std::size_t checks = 0;
  std::size_t undefined_checks = 0;
  std::size_t ill_conditioned_checks = 0;  // stdev / rms < 1e-6

  HardStream stream;
  for (std::size_t i = 0; i < kValues; ++i) {
    const double value = stream.Next();
    if (i >= 50) {
      const double old = history[(i - 50) % history.size()];
      naive_sum -= old;
      naive_squares -= old * old;
    }
    naive_sum += value;
    naive_squares += value * value;
    history[i % history.size()] = value;
    for (RollingStats& s : stats) s.Add(value);

    const std::size_t end = i + 1;
    if (end % kCheckEvery != 0 || end < 1000) continue;
    const double probe = stream.Next();  // a value to z-score; not added
    for (std::size_t w = 0; w < std::size(windows); ++w) {
      const Exact exact = TwoPass(history, end, windows[w]);
      const RollingStats& s = stats[w];
      ++checks;
      worst_mean_error =
          std::max(worst_mean_error, static_cast<double>(std::fabs(s.Mean() - exact.mean)) /
                                         std::max(exact.max_abs, 1e-300));
      const double exact_stdev = static_cast<double>(std::sqrt(exact.variance));
      const double rms = static_cast<double>(std::sqrt(exact.variance + exact.mean * exact.mean));
      if (exact.variance == 0) {
        EXPECT_FALSE(s.ZScore(probe)) << "window " << windows[w] << " at " << end;
        ++undefined_checks;
        continue;
      }
      if (exact_stdev < 1e-8 * rms) continue;  // near the degeneracy floor
      if (exact_stdev < 1e-6 * rms) ++ill_conditioned_checks;
      const double stdev = std::sqrt(s.PopulationVariance());
      worst_stdev_error = std::max(worst_stdev_error, std::fabs(stdev - exact_stdev) / exact_stdev);
      const std::optional<double> z = s.ZScore(probe);
      ASSERT_TRUE(z) << "window " << windows[w] << " at " << end;
      const double exact_z = static_cast<double>((probe - exact.mean) / std::sqrt(exact.variance));
      worst_z_error =
          std::max(worst_z_error, std::fabs(*z - exact_z) / std::max(1.0, std::fabs(exact_z)));
      if (windows[w] == 50) {
        const double naive_mean = naive_sum / 50;
        const double naive_variance = std::max(0.0, naive_squares / 50 - naive_mean * naive_mean);
        worst_naive_stdev_error =
            std::max(worst_naive_stdev_error,
                     std::fabs(std::sqrt(naive_variance) - exact_stdev) / exact_stdev);
      }
    }
  }
  EXPECT_GT(checks, 30'000u);
  EXPECT_GT(undefined_checks, 0u);           // the zero runs were checked
  EXPECT_GT(ill_conditioned_checks, 1000u);  // and the offset regimes
  EXPECT_LT(worst_mean_error, 1e-14);
  EXPECT_LT(worst_stdev_error, 1e-12);
  EXPECT_LT(worst_z_error, 1e-9);
  // The same stream wrecks running sums of squares: the comparisons above can fail.
  EXPECT_GT(worst_naive_stdev_error, 1.0);
  RecordProperty("worst_mean_error", Scientific(worst_mean_error));
  RecordProperty("worst_stdev_error", Scientific(worst_stdev_error));
  RecordProperty("worst_z_error", Scientific(worst_z_error));
  RecordProperty("worst_naive_stdev_error", Scientific(worst_naive_stdev_error));
}

}  // namespace
}  // namespace scanner::signals
