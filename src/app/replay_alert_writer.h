#pragma once
// AlertWriter: the replay's output, one line per alert.
//   table  a header line, then aligned columns people read in a terminal:
//          close (UTC)               symbol      int  dir   sev     close  change  move_atr ...
//   jsonl  one JSON object per line and nothing else, for jq and scripts (see AlertJson).
// Not thread-safe. The stream must outlive the writer.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/candidate.h"

namespace scanner::app {

enum class OutputFormat { kTable, kJsonl };

// "table" (also "") or "jsonl".
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

// Every candidate field: market, symbol, interval, open_time, close_time (ms since the epoch, as
// Binance writes them), time (the bar's end, ISO 8601 UTC), direction, severity, close,
// change_percent, atr_move, return_z, volume_z, quote_volume, quote_volume_24h, atr,
// atr_percent, confirmations (array of intervals). One line, no trailing newline.
std::string AlertJson(const core::Candidate& candidate);

class AlertWriter {
 public:
  AlertWriter(OutputFormat format, std::ostream& out) : format_(format), out_(out) {}

  // The table's header; nothing for jsonl.
  void WriteHeader();
  void Write(const core::Candidate& candidate);

 private:
  OutputFormat format_;
  std::ostream& out_;
};

}  // namespace scanner::app
