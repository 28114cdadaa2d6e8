#include "signals/wilder_atr.h"

#include <algorithm>
#include <cmath>

namespace scanner::signals {

double TrueRange(double high, double low, double prev_close) {
  return std::max({high - low, std::fabs(high - prev_close), std::fabs(low - prev_close)});
}

WilderAtr::WilderAtr(int period) : period_(std::max(period, 1)) {}

void WilderAtr::Add(double true_range) {
  if (count_ < period_) {
    sum_ += true_range;
    ++count_;
    if (count_ == period_) atr_ = sum_ / period_;
    return;
  }
  // TA-Lib: prevATR *= N - 1; prevATR += TR; prevATR /= N.
  atr_ = (atr_ * (period_ - 1) + true_range) / period_;
}

std::optional<double> WilderAtr::Value() const {
  if (count_ < period_) return std::nullopt;
  return atr_;
}

void WilderAtr::Reset() {
  count_ = 0;
  sum_ = 0;
  atr_ = 0;
}

void WilderAtr::Reset(int period) {
  period_ = std::max(period, 1);
  Reset();
}

}  // namespace scanner::signals
