#pragma once
// The outcome figures of a set of alerts, for the outcome report: how many alerts and messages,
// and the medians of their returns, MFE and MAE over the alerts where each is measured.
// OutcomeTally gathers them one alert at a time; Median is the statistic it uses.
// Pure; not thread-safe (a tally is a value, one per group).

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/outcome.h"

namespace scanner::app {

// The middle value of `values`, or the mean of the two middle ones when their count is even;
// nullopt when empty. Every value must be finite.
std::optional<double> Median(std::vector<double> values);

// The median of one figure and how many alerts it was measured on.
struct MeasuredMedian {
  std::optional<double> median;  // nullopt when measured on none
  std::size_t measured = 0;
};

struct OutcomeFigures {
  std::size_t alerts = 0;
  std::size_t messages = 0;              // alerts that posted a message of their own
  std::vector<MeasuredMedian> returns;   // percent, one per horizon, in the tally's order
  MeasuredMedian mfe;                    // percent
  MeasuredMedian mae;                    // percent
  std::optional<double> positive_share;  // 0..1, of the alerts measured at the middle horizon
  std::size_t positive_measured = 0;     // alerts measured at the middle horizon
};

class OutcomeTally {
 public:
  // `horizons` ascending, in bars; the middle horizon (for positive_share) is
  // horizons[size / 2]: 5 of {1, 5, 20}, 5 of {1, 5}. No middle horizon when empty.
  explicit OutcomeTally(std::span<const int> horizons);

  // One alert. An alert without an outcome counts as an alert measured on nothing; a value that
  // is absent or not finite is not measured. Returns are read by horizon (Outcome::ReturnAt), so
  // an outcome tracked at other horizons is measured only at the ones it shares.
  void Add(const std::optional<core::Outcome>& outcome, bool posts_message);

  OutcomeFigures Figures() const;

 private:
  std::vector<int> horizons_;
  std::size_t alerts_ = 0;
  std::size_t messages_ = 0;
  std::vector<std::vector<double>> returns_;  // one list per horizon
  std::vector<double> mfe_;
  std::vector<double> mae_;
};

}  // namespace scanner::app
