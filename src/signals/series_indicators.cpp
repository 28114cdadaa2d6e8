#include "signals/series_indicators.h"

#include <cmath>

namespace scanner::signals {
namespace {

std::optional<double> IfFinite(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

std::size_t AtLeast(int value, int minimum) {
  return static_cast<std::size_t>(value < minimum ? minimum : value);
}

}  // namespace

SeriesIndicators::SeriesIndicators(IndicatorWindows windows)
    : windows_(windows),
      atr_(windows.atr_period),
      closes_(AtLeast(windows.momentum_lookback, 1)),
      returns_(AtLeast(windows.zscore_window, 2)),
      volumes_(AtLeast(windows.zscore_window, 2)) {}

const IndicatorValues& SeriesIndicators::Update(const core::Bar& bar) {
  if (!IsUsableBar(bar)) {
    Reset();
    return latest_;
  }
  // Written in place, every field assigned (no temporary to zero and copy): the previous bar's
  // values are never read here.
  IndicatorValues& values = latest_;
  values.close = bar.close;
  values.quote_volume = bar.quote_volume;
  values.atr_before = atr_.Value();

  values.true_range.reset();
  values.log_return.reset();
  values.return_z.reset();
  if (!closes_.Empty()) {
    const double prev_close = closes_.FromNewest(0);
    const double true_range = TrueRange(bar.high, bar.low, prev_close);
    values.true_range = IfFinite(true_range);

    const double log_return = std::log(bar.close / prev_close);
    values.log_return = IfFinite(log_return);
    if (values.log_return) values.return_z = returns_.ZScore(log_return);
  }

  values.change_percent.reset();
  values.momentum.reset();
  if (closes_.Full()) {
    const double base = closes_.Oldest();  // close_{t-k}
    values.change_percent = IfFinite((bar.close / base - 1) * 100);
    if (values.atr_before && *values.atr_before > 0) {
      values.momentum = IfFinite((bar.close - base) / *values.atr_before);
    }
  }

  values.volume_z = volumes_.ZScore(bar.quote_volume);

  // State for the next bar, after every value above has used the state before this bar.
  if (values.true_range) atr_.Add(*values.true_range);
  values.atr = atr_.Value();
  if (values.log_return) returns_.Add(*values.log_return);
  volumes_.Add(bar.quote_volume);
  closes_.Push(bar.close);
  ++bars_;
  return latest_;
}

void SeriesIndicators::Reset() {
  atr_.Reset();
  closes_.Clear();
  returns_.Clear();
  volumes_.Clear();
  latest_ = IndicatorValues{};
  bars_ = 0;
}

void SeriesIndicators::Reset(const IndicatorWindows& windows) {
  windows_ = windows;
  atr_.Reset(windows.atr_period);
  closes_.Resize(AtLeast(windows.momentum_lookback, 1));
  returns_.Resize(AtLeast(windows.zscore_window, 2));
  volumes_.Resize(AtLeast(windows.zscore_window, 2));
  latest_ = IndicatorValues{};
  bars_ = 0;
}

}  // namespace scanner::signals
