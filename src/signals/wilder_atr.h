#pragma once
// True range and Wilder's average true range, computed exactly as TA-Lib's TRANGE and ATR
// (default unstable period): the first ATR is the plain mean of the first N true ranges, and
// after that ATR_t = (ATR_{t-1} * (N - 1) + TR_t) / N, in that order of operations.
//
// Not thread-safe: one owner mutates it.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>

namespace scanner::signals {

// max(high - low, |high - prev_close|, |low - prev_close|). Inline, like Add and Value below:
// they run on every bar of the replay's hot path.
inline double TrueRange(double high, double low, double prev_close) {
  return std::max({high - low, std::fabs(high - prev_close), std::fabs(low - prev_close)});
}

class WilderAtr {
 public:
  // `period` N (raised to at least 1).
  explicit WilderAtr(int period);

  // Folds in the next true range. A series' first bar has no true range (no previous close),
  // so with bars counted from 1 the first ATR exists after bar N + 1's true range.
  void Add(double true_range) {
    if (count_ < period_) {
      AddToFirstMean(true_range);
      return;
    }
    // TA-Lib: prevATR *= N - 1; prevATR += TR; prevATR /= N.
    atr_ = (atr_ * (period_ - 1) + true_range) / period_;
  }

  // Defined once N true ranges have been added. May be 0 (flat market).
  std::optional<double> Value() const {
    if (count_ < period_) return std::nullopt;
    return atr_;
  }

  int Period() const { return period_; }
  void Reset();
  void Reset(int period);

 private:
  void AddToFirstMean(double true_range);

  int period_;
  int count_ = 0;   // true ranges added, saturating at period_
  double sum_ = 0;  // of the first period_ true ranges
  double atr_ = 0;  // valid once count_ == period_
};

}  // namespace scanner::signals
