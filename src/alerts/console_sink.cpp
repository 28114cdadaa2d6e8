#include "alerts/console_sink.h"

#include "alerts/alert_format.h"

namespace scanner::alerts {

core::Status ConsoleSink::Print(const core::Candidate& candidate, bool late) {
  out_ << FormatAlertLine(candidate, late) << '\n';
  out_.flush();
  if (!out_) return core::Fail("console output failed");
  ++printed_;
  return {};
}

core::Status ConsoleSink::PrintOutcome(const core::Candidate& candidate,
                                       const core::Outcome& outcome) {
  out_ << "outcome: " << FormatOutcomeTerminalLine(candidate, outcome) << '\n';
  out_.flush();
  if (!out_) return core::Fail("console output failed");
  return {};
}

}  // namespace scanner::alerts
