#pragma once
// AlertWriter: the replay's output, one line per alert, with its outcome.
//   table  a header line, then aligned columns people read in a terminal:
//          close (UTC)               symbol      int  dir   sev     close  change  move_atr ...
//          ... then the return after each horizon, MFE and MAE ("-" when not measured)
//   jsonl  one JSON object per line and nothing else, for jq and scripts (see AlertJson).
// An alert's outcome is known only bars later, so the writer keeps the alerts (Add, SetOutcome)
// and writes them all, in replay order, at the end (WriteAll).
// Not thread-safe. The stream must outlive the writer.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>

#include <vector>

#include "core/candidate.h"
#include "core/outcome.h"

namespace scanner::app {

enum class OutputFormat { kTable, kJsonl };

// "table" (also "") or "jsonl".
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

// Every candidate field: market, symbol, interval, open_time, close_time (ms since the epoch, as
// Binance writes them), time (the bar's end, ISO 8601 UTC), direction, severity, close,
// change_percent, atr_move, return_z, volume_z, quote_volume, quote_volume_24h, atr,
// atr_percent, confirmations (array of intervals). One line, no trailing newline.
// With `outcome`, an "outcome" member: {"returns": {"1": ..., "5": ..., "20": ...},
// "mfe_percent": ..., "mae_percent": ...}, keys the horizons as strings, null where not measured.
// With a non-empty `chart_path`, a "chart" member: the path of its PNG.
std::string AlertJson(const core::Candidate& candidate,
                      const std::optional<core::Outcome>& outcome = std::nullopt,
                      std::string_view chart_path = {});

class AlertWriter {
 public:
  // `horizons`: the outcome horizons measured (the table's columns); empty: no outcomes.
  // `charts`: the alerts' charts are written to files (replay --charts): the table ends with a
  // chart column and each JSON line has "chart": its path.
  AlertWriter(OutputFormat format, std::ostream& out, std::vector<int> horizons = {},
              bool charts = false)
      : format_(format), out_(out), horizons_(std::move(horizons)), charts_(charts) {}

  // `posts_message`: false when the alert joins the message of an earlier alert of its episode.
  // `chart_path`: where its chart was written ("" none: charts off, or its rendering failed).
  void Add(const core::Candidate& candidate, bool posts_message = true,
           std::string chart_path = {});
  // The outcome of an alert added before (the same symbol, interval and bar).
  void SetOutcome(const core::Candidate& alert, const core::Outcome& outcome);
  // The header (table only), then every alert added, in order.
  void WriteAll();

  struct Row {
    core::Candidate candidate;
    std::optional<core::Outcome> outcome;
    bool posts_message = true;  // false: shown by editing an earlier message of its episode
    std::string chart_path;
  };
  const std::vector<Row>& rows() const { return rows_; }

 private:
  void WriteHeader();
  void Write(const Row& row);

  OutputFormat format_;
  std::ostream& out_;
  std::vector<int> horizons_;
  bool charts_ = false;
  std::vector<Row> rows_;
  std::unordered_map<std::string, std::size_t> row_of_;  // alert key -> index in rows_
};

}  // namespace scanner::app
