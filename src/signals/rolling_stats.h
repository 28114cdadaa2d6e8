#pragma once
// Mean and population variance of the last W values of a stream, updated in O(1) per value
// with no allocation after construction, and a z-score of a new value against them.
//
// Numerics ("shifted data", compensated): the window is summed as deviations d = x - r from a
// reference r near its mean, so the sums of d and d^2 are of the size of the window's spread,
// not of its level. variance = sum(d^2) / n - mean(d)^2 then cancels at most a factor of two
// (see the drift restart), and mean = r + mean(d) carries the digits that x alone cannot
// (1e8 + 1e-7). Each term, fl(x - r) and fl(fl(x - r)^2), is a fixed function of x and r, so
// removing a value subtracts exactly the double its addition added; the sums are compensated
// (each holds its exact rounding residues, TwoSum), so sliding leaves residues of order 2^-106
// of the largest partial sum, as the double-double sums this replaces did, at a fraction of the
// cost (no products to make exact). The window is restarted, i.e. summed afresh (compensated)
// from the stored values about r = its current mean:
//   - every W values, so no residue outlives 2W updates, however long the stream;
//   - early when the mean has drifted more than a standard deviation (and more than rounding
//     noise) from r, so the variance never cancels more than a factor of two;
//   - early when the sum of squares fell below kPeakRatio^-1 of its peak since the restart (a
//     huge value left the window; this bounds the residue relative to what remains).
// A restart costs O(W); the early ones need the data to move (a regime change, a huge value
// leaving), so on market data the cost stays O(1) per value amortised (a stream built to
// trigger one per value would cost O(W) per value, never accuracy). The result: the variance to
// a few ulps and the mean to an ulp of the spread (a test proves it over 10 million values
// against a fresh two-pass computation). A window whose W values are all equal is detected
// exactly (a run counter): its variance is 0.
//
// Determinism relies on IEEE double arithmetic without value-changing optimisation: no
// -ffast-math, and no contraction of a product into an fma (ISO -std mode, and the signals
// library is built with -ffp-contract=off).
//
// Not thread-safe: one owner mutates it.

#include <cstddef>
#include <optional>

#include "signals/ring_buffer.h"

namespace scanner::signals {

class RollingStats {
 public:
  // A stdev at or below this fraction of the window's root mean square is treated as zero:
  // such a window has no dispersion worth dividing by.
  static constexpr double kMinRelativeStdDev = 1e-9;
  // A restart when the sum of squares is below 1 / kPeakRatio of its peak since the last one.
  static constexpr double kPeakRatio = 1e8;

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

  // Restarts so far (scheduled and early), for tests and profiling.
  std::size_t Restarts() const { return restarts_; }

  // Forgets every value; keeps the window size.
  void Clear();
  // Forgets every value and changes the window size (allocates).
  void Resize(std::size_t window);

 private:
  // The two sums, of d ([0]) and of d^2 ([1]), each as hi + lo: hi the rounded running sum, lo
  // the sum of its exact rounding residues. Two lanes with identical operations, which the
  // compiler turns into one SSE2 instruction per step (baseline x86-64, no -march needed).
  struct CompensatedSums {
    double hi[2] = {0, 0};
    double lo[2] = {0, 0};

    // Adds deviation to the first sum and its square to the second.
    void Add(double deviation, double square) {
      const double term[2] = {deviation, square};
      for (int k = 0; k < 2; ++k) {
        // Knuth's TwoSum: hi + term == sum + residue exactly, whatever their magnitudes.
        const double sum = hi[k] + term[k];
        const double term_part = sum - hi[k];
        lo[k] += (hi[k] - (sum - term_part)) + (term[k] - term_part);
        hi[k] = sum;
      }
    }
    double Sum() const { return hi[0] + lo[0]; }
    double SumOfSquares() const { return hi[1] + lo[1]; }
  };

  // The window's moments about reference_: mean(d) and the population variance.
  struct Moments {
    double mean_deviation = 0;
    double variance = 0;
  };
  Moments Compute() const;
  std::optional<double> StdDevOf(const Moments& moments) const;

  bool NeedsRestart() const;
  void Restart();

  RingBuffer<double> values_;
  double reference_ = 0;       // r
  CompensatedSums sums_;       // of d = values_ - r, and of d^2
  double peak_squares_ = 0;    // the largest sums_.hi[1] since the last restart
  std::size_t since_restart_ = 0;  // values added since the last restart
  std::size_t restarts_ = 0;
  // How many of the newest values equal the newest one.
  std::size_t equal_run_ = 0;
};

}  // namespace scanner::signals
