#include "replay/bar_merger.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>
#include <tuple>
#include <utility>

#include <fmt/format.h>

namespace scanner::replay {
namespace {

// The open time of a file's first bar, or the largest time when it has none or cannot be read
// (such files sort last; they are reported when read for real). Issues met here are dropped:
// the real read reports them.
core::Millis FirstOpenTime(const ReplayInput& input) {
  IssueLog scratch;
  auto reader = KlineFileReader::Open(input.path, input.interval, scratch);
  if (!reader) return std::numeric_limits<core::Millis>::max();
  const std::optional<FileBar> first = (*reader)->Next();
  return first ? first->bar.open_time : std::numeric_limits<core::Millis>::max();
}

}  // namespace

struct BarMerger::Cursor {
  std::uint32_t series = 0;
  std::vector<std::uint32_t> files;  // input indices, in reading order
  std::size_t next_file = 0;
  std::unique_ptr<KlineFileReader> reader;
  std::uint32_t reader_input = 0;
  bool has_last = false;
  core::Millis last_open_time = 0;
  std::uint32_t last_input = 0;
  MergedBar head;
};

BarMerger::BarMerger(std::vector<ReplayInput> inputs, IssueLog& issues)
    : inputs_(std::move(inputs)), issues_(issues), status_(inputs_.size()) {
  for (std::uint32_t i = 0; i < inputs_.size(); ++i) {
    const SeriesKey key{inputs_[i].symbol, inputs_[i].interval};
    auto found = std::find(series_.begin(), series_.end(), key);
    if (found == series_.end()) {
      series_.push_back(key);
      cursors_.push_back(std::make_unique<Cursor>());
      cursors_.back()->series = static_cast<std::uint32_t>(series_.size() - 1);
      found = series_.end() - 1;
    }
    cursors_[static_cast<std::size_t>(found - series_.begin())]->files.push_back(i);
  }

  std::vector<std::uint32_t> by_rank(series_.size());
  std::iota(by_rank.begin(), by_rank.end(), 0);
  std::sort(by_rank.begin(), by_rank.end(), [&](std::uint32_t a, std::uint32_t b) {
    // Longest interval first, then symbol.
    return std::make_tuple(series_[b].interval, std::string_view(series_[a].symbol), a) <
           std::make_tuple(series_[a].interval, std::string_view(series_[b].symbol), b);
  });
  series_rank_.resize(series_.size());
  for (std::uint32_t rank = 0; rank < by_rank.size(); ++rank) series_rank_[by_rank[rank]] = rank;

  for (auto& cursor : cursors_) {
    if (cursor->files.size() > 1) {
      std::vector<std::pair<core::Millis, std::uint32_t>> keyed;
      for (std::uint32_t input : cursor->files)
        keyed.emplace_back(FirstOpenTime(inputs_[input]), input);
      std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
        return std::tie(a.first, inputs_[a.second].path) <
               std::tie(b.first, inputs_[b.second].path);
      });
      for (std::size_t i = 0; i < keyed.size(); ++i) cursor->files[i] = keyed[i].second;
    }
    if (Advance(*cursor)) heap_.push_back(cursor.get());
  }
  std::make_heap(heap_.begin(), heap_.end(),
                 [this](const Cursor* a, const Cursor* b) { return After(*a, *b); });
}

BarMerger::~BarMerger() = default;

bool BarMerger::After(const Cursor& a, const Cursor& b) const {
  if (a.head.bar.close_time != b.head.bar.close_time) {
    return a.head.bar.close_time > b.head.bar.close_time;
  }
  return series_rank_[a.series] > series_rank_[b.series];
}

bool BarMerger::Advance(Cursor& cursor) {
  while (true) {
    if (!cursor.reader) {
      if (cursor.next_file == cursor.files.size()) return false;
      const std::uint32_t input = cursor.files[cursor.next_file++];
      auto reader = KlineFileReader::Open(inputs_[input].path, inputs_[input].interval, issues_);
      if (!reader) {
        issues_.Add(
            ReadIssue{inputs_[input].path, 0, IssueKind::kUnreadable, reader.error().message});
        continue;
      }
      status_[input].opened = true;
      cursor.reader = std::move(*reader);
      cursor.reader_input = input;
    }
    std::optional<FileBar> next = cursor.reader->Next();
    if (!next) {
      cursor.reader.reset();
      continue;
    }
    const std::uint32_t input = cursor.reader_input;
    if (cursor.has_last && next->bar.open_time <= cursor.last_open_time) {
      // Only across files (a reader never goes back): overlapping files, or one given twice.
      issues_.Add(ReadIssue{
          inputs_[input].path, next->line, IssueKind::kDuplicate,
          fmt::format("open time {} ({}) is not after the bars already read for {} {} from {}; "
                      "row skipped",
                      next->bar.open_time, core::FormatIsoUtc(next->bar.open_time),
                      series_[cursor.series].symbol, series_[cursor.series].interval.Name(),
                      inputs_[cursor.last_input].path)});
      continue;
    }
    cursor.has_last = true;
    cursor.last_open_time = next->bar.open_time;
    cursor.last_input = input;
    cursor.head.bar = next->bar;
    cursor.head.series = cursor.series;
    cursor.head.input = input;
    cursor.head.line = next->line;
    return true;
  }
}

bool BarMerger::Next(MergedBar& out) {
  if (heap_.empty()) return false;
  const auto after = [this](const Cursor* a, const Cursor* b) { return After(*a, *b); };
  std::pop_heap(heap_.begin(), heap_.end(), after);
  Cursor* cursor = heap_.back();
  out = cursor->head;
  ++status_[out.input].bars;
  if (Advance(*cursor)) {
    std::push_heap(heap_.begin(), heap_.end(), after);
  } else {
    heap_.pop_back();
  }
  return true;
}

}  // namespace scanner::replay
