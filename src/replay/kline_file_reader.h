#pragma once
// KlineFileReader: the closed bars of one kline file, in order, with their line numbers.
//
// Formats (told apart by the column count of the header or first row, then fixed per file):
//   - Binance public data (data.binance.vision), spot and USDⓈ-M futures, 12 columns:
//       open_time,open,high,low,close,volume,close_time,quote_volume,count,
//       taker_buy_volume,taker_buy_quote_volume,ignore
//   - a simple OHLCV CSV, 6 or 7 columns: open_time,open,high,low,close,volume[,quote_volume];
//     without quote_volume the quote volume is volume * close; close_time is the bar's last
//     millisecond (Interval::BarCloseFor: the calendar month's for 1M).
// Either may start with a header row (a first line whose first field is not a number).
// Timestamps are milliseconds or microseconds (Binance's spot files from 2025 on), told apart by
// magnitude (>= 1e14 is microseconds: 1e14 ms would be the year 5138) and returned as ms.
// Fields may carry surrounding spaces.
//
// Every row read is a closed bar (`closed` is true). A row that cannot be a bar is reported to
// the IssueLog with the file and line, and skipped; reading carries on with the next row:
//   line over LineReader::kMaxLineLength, wrong column count, a field that is not a number,
//   a price <= 0 or a negative or non-finite volume, an open_time that is not a bar boundary of
//   the interval (weeks open on Monday, months on the 1st, UTC) or a close_time that does not
//   end the bar (wrong interval, or a corrupt row), an open time equal to (duplicate) or before
//   (out of order) the last bar returned. A read failure part way (damaged archive) is reported
//   with the line it stopped at and ends the file. Gaps are not this reader's business: bars
//   after a hole are returned as they are (the replay driver reports the hole).
//
// Not thread-safe. The IssueLog must outlive the reader.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/interval.h"
#include "core/types.h"
#include "replay/issue_log.h"
#include "replay/line_reader.h"

namespace scanner::replay {

// A closed bar and the line it came from.
struct FileBar {
  core::Bar bar;
  std::uint64_t line = 0;
};

class KlineFileReader {
 public:
  enum class Layout { kUnknown, kBinance, kSimple };

  // Opens `path` (plain or .zip, see LineReader) whose rows are bars of `interval`. Fails when
  // the file cannot be opened; nothing is added to `issues` then (the caller reports it).
  static core::Result<std::unique_ptr<KlineFileReader>> Open(const std::string& path,
                                                             core::Interval interval,
                                                             IssueLog& issues);

  KlineFileReader(const KlineFileReader&) = delete;
  KlineFileReader& operator=(const KlineFileReader&) = delete;

  // The next bar, or nullopt at the end of the file.
  std::optional<FileBar> Next();

  const std::string& path() const { return path_; }
  core::Interval interval() const { return interval_; }
  Layout layout() const { return layout_; }
  bool has_header() const { return has_header_; }
  std::uint64_t bars_read() const { return bars_read_; }
  std::uint64_t rows_skipped() const { return rows_skipped_; }

 private:
  KlineFileReader(std::string path, core::Interval interval, IssueLog& issues,
                  std::unique_ptr<LineReader> lines);

  // The bar on a line, or nullopt (reported) when the line is not one.
  std::optional<core::Bar> ParseRow(const LineReader::Line& line);
  void Report(std::uint64_t line, IssueKind kind, std::string detail);

  std::string path_;
  core::Interval interval_;
  IssueLog& issues_;
  std::unique_ptr<LineReader> lines_;
  Layout layout_ = Layout::kUnknown;
  std::size_t columns_ = 0;  // expected per row once the layout is known
  bool seen_content_ = false;
  bool has_header_ = false;
  bool finished_ = false;
  bool has_last_ = false;
  core::Millis last_open_time_ = 0;
  std::uint64_t last_line_ = 0;      // the last line read
  std::uint64_t last_bar_line_ = 0;  // the line of the last bar returned
  std::uint64_t bars_read_ = 0;
  std::uint64_t rows_skipped_ = 0;
};

}  // namespace scanner::replay
