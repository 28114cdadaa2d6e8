#pragma once
// Mean and population variance of the last W values of a stream, updated in O(1) per value
// with no allocation after construction, and a z-score of a new value against them.
//
// Numerics: the window's sum and sum of squares are kept in double-double (DoubleDouble, ~106
// bits; squares formed exactly with fma), so adding and removing values leaves residues of
// order 2^-106 of the sums, and variance = sum2 / W - mean^2 loses nothing that matters even
// when mean^2 / variance is 1e16. Residues would still outlive a huge value that passed through
// the window, so a second pair of sums is built, add-only, from the values entering each run of
// W pushes; when it holds W values it covers exactly the window and replaces the sliding sums.
// The sliding sums therefore never carry more than 2W - 1 updates of rounding, however long the
// stream (a test proves it over 10 million values against a fresh two-pass computation). A
// window whose W values are all equal is detected exactly (a run counter): its variance is 0.
//
// Not thread-safe: one owner mutates it.

#include <cstddef>
#include <optional>

#include "signals/double_double.h"
#include "signals/ring_buffer.h"

namespace scanner::signals {

class RollingStats {
 public:
  // A stdev at or below this fraction of the window's root mean square is treated as zero:
  // such a window has no dispersion worth dividing by.
  static constexpr double kMinRelativeStdDev = 1e-9;

  // `window` values (raised to at least 1).
  explicit RollingStats(std::size_t window);

  // Pushes `value`, evicting the oldest value once the window is full. Precondition: finite.
  void Add(double value);

  std::size_t Window() const { return values_.Capacity(); }
  std::size_t Count() const { return values_.Size(); }
  bool Full() const { return values_.Full(); }

  // Of the values currently held (0 when empty).
  double Mean() const;
  double PopulationVariance() const;

  // The population standard deviation, defined only when the window is full and its
  // dispersion is not (relatively) zero; see kMinRelativeStdDev.
  std::optional<double> StdDev() const;

  // (value - mean) / stdev against the current window, under the same conditions as StdDev.
  // Never NaN or infinite.
  std::optional<double> ZScore(double value) const;

  // Forgets every value; keeps the window size.
  void Clear();
  // Forgets every value and changes the window size (allocates).
  void Resize(std::size_t window);

 private:
  struct Moments {
    DoubleDouble mean;
    DoubleDouble variance;
  };
  Moments Compute() const;
  std::optional<double> StdDevOf(const Moments& moments) const;

  RingBuffer<double> values_;
  DoubleDouble sum_;          // of values_
  DoubleDouble sum_squares_;  // of values_, squared
  // Add-only sums over the values pushed since the last restart (fewer than Window()).
  std::size_t fresh_count_ = 0;
  DoubleDouble fresh_sum_;
  DoubleDouble fresh_sum_squares_;
  // How many of the newest values equal the newest one.
  std::size_t equal_run_ = 0;
};

}  // namespace scanner::signals
