#pragma once
// A signal candidate: everything an alert shows about one closed bar's move. Produced by
// signals/, stored and delivered by alerts/ (which therefore need not know signals/).

#include <string>
#include <vector>

#include "core/interval.h"
#include "core/market.h"
#include "core/types.h"

namespace scanner::core {

enum class Severity { kNormal, kStrong };

inline std::string_view SeverityName(Severity severity) {
  return severity == Severity::kStrong ? "strong" : "normal";
}

struct Candidate {
  Market market = Market::kSpot;
  Symbol symbol;
  Interval interval;
  Millis bar_open_time = 0;
  Millis bar_close_time = 0;
  Direction direction = Direction::kUp;
  Severity severity = Severity::kNormal;
  double close = 0;
  double change_percent = 0;    // close vs close k bars earlier, in %
  double atr_move = 0;          // m_t: signed move in ATRs
  double return_z = 0;          // z-score of the log return
  double volume_z = 0;          // z-score of the bar's quote volume
  double quote_volume = 0;      // the bar's quote volume
  double quote_volume_24h = 0;  // the symbol's rolling 24 h quote volume
  double atr = 0;               // ATR before this bar (the normaliser)
  double atr_percent = 0;       // atr / close, in %
  std::vector<Interval> confirmations;  // confirm_intervals that moved the same way

  friend bool operator==(const Candidate&, const Candidate&) = default;
};

}  // namespace scanner::core
