#include "app/outcome_statistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace scanner::app {
namespace {

void AddIfMeasured(const std::optional<double>& value, std::vector<double>& values) {
  // A NaN would break the ordering the median needs; an infinity is no measurement either.
  if (value && std::isfinite(*value)) values.push_back(*value);
}

MeasuredMedian MedianOf(const std::vector<double>& values) {
  return {Median(values), values.size()};
}

}  // namespace

std::optional<double> Median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  const std::size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + middle, values.end());
  const double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  // nth_element left the lower half before `middle`: its largest is the other middle value.
  const double lower = *std::max_element(values.begin(), values.begin() + middle);
  return std::midpoint(lower, upper);
}

OutcomeTally::OutcomeTally(std::span<const int> horizons)
    : horizons_(horizons.begin(), horizons.end()), returns_(horizons.size()) {}

void OutcomeTally::Add(const std::optional<core::Outcome>& outcome, bool posts_message) {
  ++alerts_;
  if (posts_message) ++messages_;
  if (!outcome) return;
  for (std::size_t i = 0; i < horizons_.size(); ++i) {
    AddIfMeasured(outcome->ReturnAt(horizons_[i]), returns_[i]);
  }
  AddIfMeasured(outcome->mfe_percent, mfe_);
  AddIfMeasured(outcome->mae_percent, mae_);
}

OutcomeFigures OutcomeTally::Figures() const {
  OutcomeFigures figures;
  figures.alerts = alerts_;
  figures.messages = messages_;
  for (const std::vector<double>& values : returns_) figures.returns.push_back(MedianOf(values));
  figures.mfe = MedianOf(mfe_);
  figures.mae = MedianOf(mae_);
  if (!returns_.empty()) {
    const std::vector<double>& middle = returns_[returns_.size() / 2];
    figures.positive_measured = middle.size();
    if (!middle.empty()) {
      const auto positive =
          std::count_if(middle.begin(), middle.end(), [](double r) { return r > 0; });
      figures.positive_share = static_cast<double>(positive) / static_cast<double>(middle.size());
    }
  }
  return figures;
}

}  // namespace scanner::app
