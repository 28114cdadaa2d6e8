#include "signals/rolling_stats.h"

#include <cfloat>
#include <cmath>
#include <cstdint>

namespace scanner::signals {
namespace {

// mean(d) within this many units of the reference's magnitude is rounding noise of the
// reference itself (a restart leaves |mean(d)| below one ulp of r), never a drift.
constexpr double kDriftFloor = 8 * DBL_EPSILON;

}  // namespace

RollingStats::RollingStats(std::size_t window) : values_(window) {}

void RollingStats::Add(double value) {
  const double deviation = value - reference_;
  sums_.Add(deviation, deviation * deviation);
  if (sums_.hi[1] > peak_squares_) peak_squares_ = sums_.hi[1];
  if (values_.Full()) {
    // The same doubles the oldest value's addition added: its removal is exact.
    const double old_deviation = values_.Oldest() - reference_;
    sums_.Add(-old_deviation, -(old_deviation * old_deviation));
  }

  equal_run_ = (!values_.Empty() && value == values_.FromNewest(0)) ? equal_run_ + 1 : 1;
  values_.Push(value);

  if (++since_restart_ == values_.Capacity() || NeedsRestart()) Restart();
}

bool RollingStats::NeedsRestart() const {
  // Approximations are enough to decide (hi parts, one rounding each).
  // Through a signed integer: one instruction to convert.
  const double count = static_cast<double>(static_cast<std::int64_t>(values_.Size()));
  const double sum = sums_.hi[0];
  const double squares = sums_.hi[1];
  // mean(d)^2 > variance, i.e. 2 mean(d)^2 > mean(d^2): variance = mean(d^2) - mean(d)^2
  // would start to cancel.
  const bool drifted = 2 * sum * sum > count * squares &&
                       std::fabs(sum) > kDriftFloor * count * std::fabs(reference_);
  return drifted || peak_squares_ > kPeakRatio * squares;
}

void RollingStats::Restart() {
  ++restarts_;
  since_restart_ = 0;
  if (values_.Empty()) {
    reference_ = 0;
    sums_ = {};
    peak_squares_ = 0;
    return;
  }
  // The current mean (accurate to an ulp of the spread: the sums are compensated) becomes the
  // reference, so the fresh mean(d) is below an ulp of it.
  reference_ += sums_.Sum() / static_cast<double>(values_.Size());
  CompensatedSums sums;
  values_.ForEach([&](double value) {
    const double deviation = value - reference_;
    sums.Add(deviation, deviation * deviation);
  });
  sums_ = sums;
  peak_squares_ = sums.hi[1];
}

RollingStats::Moments RollingStats::Compute() const {
  if (values_.Empty() || equal_run_ >= values_.Size()) return {};
  const double count = static_cast<double>(static_cast<std::int64_t>(values_.Size()));
  const double mean_deviation = sums_.Sum() / count;
  // The drift restart keeps mean(d)^2 <= variance (beyond rounding noise of r), so this
  // subtraction loses at most a bit.
  double variance = sums_.SumOfSquares() / count - mean_deviation * mean_deviation;
  if (!(variance > 0)) variance = 0;
  return {mean_deviation, variance};
}

double RollingStats::Mean() const {
  if (values_.Empty()) return 0;
  if (equal_run_ >= values_.Size()) return values_.FromNewest(0);
  return reference_ + Compute().mean_deviation;
}

double RollingStats::PopulationVariance() const { return Compute().variance; }

std::optional<double> RollingStats::StdDevOf(const Moments& moments) const {
  if (!values_.Full()) return std::nullopt;
  const double variance = moments.variance;
  if (!(variance > 0) || !std::isfinite(variance)) return std::nullopt;
  // stdev <= kMinRelativeStdDev * rms, squared (rms^2 = variance + mean^2): one sqrt less.
  const double mean = reference_ + moments.mean_deviation;
  if (!(variance > kMinRelativeStdDev * kMinRelativeStdDev * (variance + mean * mean))) {
    return std::nullopt;
  }
  return std::sqrt(variance);
}

std::optional<double> RollingStats::StdDev() const { return StdDevOf(Compute()); }

std::optional<double> RollingStats::ZScore(double value) const {
  const Moments moments = Compute();
  const std::optional<double> stdev = StdDevOf(moments);
  if (!stdev) return std::nullopt;
  // value - mean as (value - r) - mean(d): the first step is exact when value is near r.
  const double z = ((value - reference_) - moments.mean_deviation) / *stdev;
  if (!std::isfinite(z)) return std::nullopt;
  return z;
}

void RollingStats::Clear() {
  values_.Clear();
  reference_ = 0;
  sums_ = {};
  peak_squares_ = 0;
  since_restart_ = 0;
  equal_run_ = 0;
}

void RollingStats::Resize(std::size_t window) {
  values_.Resize(window);
  Clear();
}

}  // namespace scanner::signals
