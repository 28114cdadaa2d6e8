#pragma once
// BarMerger: the bars of many kline files (several symbols and intervals, e.g. a month of daily
// files per symbol) as one stream in a deterministic time order, read lazily.
//
// Order: by close time, then by interval, longest first, then by symbol (byte order), then by
// series. Longest first because, at a shared close time, the longer bar contains the shorter
// one: a 5m bar then sees the 15m bar that just closed with it when it asks for confirmations,
// the closest a replay of closed bars gets to the forming bar the live scanner would see.
//
// Files of one series (same symbol and interval) are read one after the other, ordered by their
// first bar (peeked once at construction; ties by path), so at most one file per series is open
// at a time however many files are given. A bar of a later file whose open time is not after the
// last bar delivered for its series (overlapping files, the same file given twice) is reported
// to the IssueLog as a duplicate, with its file and line, and skipped. An
// input that cannot be opened is reported (line 0, kUnreadable) when its turn comes; the
// others go on.
//
// Not thread-safe. The IssueLog must outlive the merger.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/interval.h"
#include "core/types.h"
#include "replay/issue_log.h"
#include "replay/kline_file_reader.h"

namespace scanner::replay {

// One input file and the series its bars belong to.
struct ReplayInput {
  std::string path;
  core::Symbol symbol;
  core::Interval interval;
};

struct SeriesKey {
  core::Symbol symbol;
  core::Interval interval;

  friend bool operator==(const SeriesKey&, const SeriesKey&) = default;
};

struct MergedBar {
  core::Bar bar;
  std::uint32_t series = 0;  // index into BarMerger::series()
  std::uint32_t input = 0;   // index into BarMerger::inputs()
  std::uint64_t line = 0;    // in that input
};

struct InputStatus {
  bool opened = false;     // the file was opened (its turn came and it could be read)
  std::uint64_t bars = 0;  // bars delivered from it
};

class BarMerger {
 public:
  BarMerger(std::vector<ReplayInput> inputs, IssueLog& issues);
  BarMerger(const BarMerger&) = delete;
  BarMerger& operator=(const BarMerger&) = delete;
  ~BarMerger();

  // The next bar in order into `out`; false once every input is exhausted.
  bool Next(MergedBar& out);

  const std::vector<ReplayInput>& inputs() const { return inputs_; }
  // Every series of the inputs, in order of first appearance among the inputs.
  const std::vector<SeriesKey>& series() const { return series_; }
  // Per input, in the order of inputs(); final once Next() returned false.
  const std::vector<InputStatus>& input_status() const { return status_; }

 private:
  struct Cursor;

  // Moves `cursor` to its series' next bar; false when the series is exhausted.
  bool Advance(Cursor& cursor);
  // Heap order: true when a's head bar comes after b's.
  bool After(const Cursor& a, const Cursor& b) const;

  std::vector<ReplayInput> inputs_;
  IssueLog& issues_;
  std::vector<SeriesKey> series_;
  std::vector<std::uint32_t> series_rank_;  // by (interval longest first, symbol)
  std::vector<InputStatus> status_;
  std::vector<std::unique_ptr<Cursor>> cursors_;  // one per series
  std::vector<Cursor*> heap_;                     // cursors with a head bar
};

}  // namespace scanner::replay
