#pragma once
// IssueLog: the problems met while reading replay input, each tied to its file and line, so a
// replay can report them at the end instead of stopping at the first one.
//
// Every issue is counted. The first kMaxDetailedPerFile issues of each file are kept in full
// (file, line, what); later ones of that file are only counted, so a file full of bad rows
// cannot flood the report or the memory.
//
// Not thread-safe: one replay owns it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace scanner::replay {

enum class IssueKind : std::uint8_t {
  kUnreadable,   // the file, or the archive, could not be opened or read on
  kLineTooLong,  // a line over LineReader::kMaxLineLength bytes (skipped)
  kColumnCount,  // a row with the wrong number of columns (skipped)
  kNotNumeric,   // a field that is not a number (row skipped)
  kBadValue,     // a number that cannot be right: a price <= 0, close_time off the interval
  kDuplicate,    // a row whose open time was already read (skipped)
  kOutOfOrder,   // a row older than the row before it (skipped)
  kGap,          // bars missing before this one (the bar is kept; its series warms up again)
};

inline constexpr std::size_t kIssueKindCount = 8;

// "unreadable", "line_too_long", "column_count", "not_numeric", "bad_value", "duplicate",
// "out_of_order", "gap".
std::string_view IssueKindName(IssueKind kind);

struct ReadIssue {
  std::string file;
  std::uint64_t line = 0;  // 1-based; 0 when the issue is about the whole file
  IssueKind kind = IssueKind::kUnreadable;
  std::string detail;
};

class IssueLog {
 public:
  static constexpr std::size_t kMaxDetailedPerFile = 20;

  void Add(ReadIssue issue);

  std::uint64_t Count(IssueKind kind) const { return counts_[static_cast<std::size_t>(kind)]; }
  std::uint64_t Total() const { return total_; }

  // The issues kept in full, in the order they were added.
  const std::vector<ReadIssue>& Detailed() const { return detailed_; }
  // Per file, how many of its issues were counted but not kept in full.
  std::map<std::string, std::uint64_t> Omitted() const;

 private:
  std::array<std::uint64_t, kIssueKindCount> counts_{};
  std::uint64_t total_ = 0;
  std::vector<ReadIssue> detailed_;
  std::map<std::string, std::uint64_t, std::less<>> per_file_;
};

// "file:line: kind: detail" (or "file: kind: detail" for line 0).
std::string FormatIssue(const ReadIssue& issue);

}  // namespace scanner::replay
