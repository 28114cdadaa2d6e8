#include "signals/rolling_stats.h"

#include <cmath>

namespace scanner::signals {

using double_double::Divide;
using double_double::Multiply;
using double_double::Negate;
using double_double::TwoProduct;

RollingStats::RollingStats(std::size_t window) : values_(window) {}

void RollingStats::Add(double value) {
  if (values_.Full()) {
    const double old = values_.Oldest();
    sum_ = double_double::Add(sum_, DoubleDouble{-old, 0});
    sum_squares_ = double_double::Add(sum_squares_, Negate(TwoProduct(old, old)));
  }
  const DoubleDouble square = TwoProduct(value, value);
  sum_ = double_double::Add(sum_, DoubleDouble{value, 0});
  sum_squares_ = double_double::Add(sum_squares_, square);

  equal_run_ = (!values_.Empty() && value == values_.FromNewest(0)) ? equal_run_ + 1 : 1;
  values_.Push(value);

  ++fresh_count_;
  fresh_sum_ = double_double::Add(fresh_sum_, DoubleDouble{value, 0});
  fresh_sum_squares_ = double_double::Add(fresh_sum_squares_, square);
  if (fresh_count_ == values_.Capacity()) {
    // The add-only sums now cover exactly the window: restart the sliding sums from them.
    sum_ = fresh_sum_;
    sum_squares_ = fresh_sum_squares_;
    fresh_count_ = 0;
    fresh_sum_ = {};
    fresh_sum_squares_ = {};
  }
}

RollingStats::Moments RollingStats::Compute() const {
  if (values_.Empty()) return {};
  if (equal_run_ >= values_.Size()) return {{values_.FromNewest(0), 0}, {0, 0}};
  const double count = static_cast<double>(values_.Size());
  const DoubleDouble mean = Divide(sum_, count);
  DoubleDouble variance =
      double_double::Add(Divide(sum_squares_, count), Negate(Multiply(mean, mean)));
  if (!(variance.hi > 0)) variance = {0, 0};
  return {mean, variance};
}

double RollingStats::Mean() const { return Compute().mean.hi; }

double RollingStats::PopulationVariance() const { return Compute().variance.hi; }

std::optional<double> RollingStats::StdDevOf(const Moments& moments) const {
  if (!values_.Full()) return std::nullopt;
  const double variance = moments.variance.hi;
  if (!(variance > 0) || !std::isfinite(variance)) return std::nullopt;
  const double stdev = std::sqrt(variance);
  const double rms = std::sqrt(variance + moments.mean.hi * moments.mean.hi);
  if (!(stdev > kMinRelativeStdDev * rms)) return std::nullopt;
  return stdev;
}

std::optional<double> RollingStats::StdDev() const { return StdDevOf(Compute()); }

std::optional<double> RollingStats::ZScore(double value) const {
  const Moments moments = Compute();
  const std::optional<double> stdev = StdDevOf(moments);
  if (!stdev) return std::nullopt;
  // value - mean in two steps: the first is exact when value is close to mean.hi.
  const double z = ((value - moments.mean.hi) - moments.mean.lo) / *stdev;
  if (!std::isfinite(z)) return std::nullopt;
  return z;
}

void RollingStats::Clear() {
  values_.Clear();
  sum_ = {};
  sum_squares_ = {};
  fresh_count_ = 0;
  fresh_sum_ = {};
  fresh_sum_squares_ = {};
  equal_run_ = 0;
}

void RollingStats::Resize(std::size_t window) {
  values_.Resize(window);
  Clear();
}

}  // namespace scanner::signals
