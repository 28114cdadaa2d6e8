#include "signals/wilder_atr.h"

#include <algorithm>

namespace scanner::signals {

WilderAtr::WilderAtr(int period) : period_(std::max(period, 1)) {}

void WilderAtr::AddToFirstMean(double true_range) {
  sum_ += true_range;
  ++count_;
  if (count_ == period_) atr_ = sum_ / period_;
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
