#pragma once
// What happened after an alert: its outcome over the following bars of the same series.
// Measured by signals::OutcomeTracker, stored with the alert by alerts::AlertStore, shown by the
// report, the console line and the Discord embed (which therefore need not know signals/).
//
// For an alert on bar t with close C and direction d (+1 up, -1 down), over the bars of the
// same series that open 1, 2, ... intervals after bar t ("bar t+h"):
//   returns_percent[i] = d * (close of bar t+h / C - 1) * 100, for h = horizons[i];
//   mfe_percent        = max over bars t+1..t+max(H) of d * (favourable extreme / C - 1) * 100
//                        (the high for an up alert, the low for a down one);
//   mae_percent        = min over the same bars of d * (adverse extreme / C - 1) * 100
//                        (the low for an up alert, the high for a down one).
// A value whose bars do not exist (end of data, a hole in the series, not yet closed) is
// nullopt; mfe/mae need every bar up to t+max(H).

#include <optional>
#include <vector>

namespace scanner::core {

struct Outcome {
  std::vector<int> horizons;                           // bars after the alert's, ascending
  std::vector<std::optional<double>> returns_percent;  // one per horizon
  std::optional<double> mfe_percent;
  std::optional<double> mae_percent;
  // No later bar can change it: every horizon is measured, or known to be missing.
  bool complete = false;

  // The return at `horizon`, if that horizon is tracked and measured.
  std::optional<double> ReturnAt(int horizon) const {
    for (std::size_t i = 0; i < horizons.size() && i < returns_percent.size(); ++i) {
      if (horizons[i] == horizon) return returns_percent[i];
    }
    return std::nullopt;
  }

  friend bool operator==(const Outcome&, const Outcome&) = default;
};

// The running state of one alert's outcome while its bars come in, as stored between bars (a
// restart resumes from it).
struct OutcomeProgress {
  Outcome outcome;    // returns measured so far; mfe/mae: the running extremes until complete
  int last_bar = 0;   // the last bar seen, in bars after the alert's (0: none yet)
  bool hole = false;  // a bar up to last_bar was missing

  friend bool operator==(const OutcomeProgress&, const OutcomeProgress&) = default;
};

}  // namespace scanner::core
