#pragma once
// Prints one readable line per alert (FormatAlertLine), and one per outcome, to a stream: the sink
// used when no webhook is configured, and a local echo otherwise. Not thread-safe: one event-loop
// thread. The stream must outlive the sink.

#include <cstdint>
#include <ostream>
#include <string_view>

#include "core/candidate.h"
#include "core/error.h"
#include "core/outcome.h"

namespace scanner::alerts {

// The outbox destination id of the console, for callers that record console deliveries.
inline constexpr std::string_view kConsoleDestination = "console";

class ConsoleSink {
 public:
  explicit ConsoleSink(std::ostream& out) : out_(out) {}
  ConsoleSink(const ConsoleSink&) = delete;
  ConsoleSink& operator=(const ConsoleSink&) = delete;

  // Writes the line and flushes, so a line is complete before the caller marks it delivered.
  // Fails if the stream is in a failed state afterwards (closed pipe, full disk).
  core::Status Print(const core::Candidate& candidate, bool late);
  // The alert's outcome once complete ("outcome: " + FormatOutcomeTerminalLine), flushed likewise.
  core::Status PrintOutcome(const core::Candidate& candidate, const core::Outcome& outcome);

  std::uint64_t printed() const { return printed_; }

 private:
  std::ostream& out_;
  std::uint64_t printed_ = 0;
};

}  // namespace scanner::alerts
