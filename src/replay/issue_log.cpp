#include "replay/issue_log.h"

#include <fmt/format.h>

#include <utility>

namespace scanner::replay {

std::string_view IssueKindName(IssueKind kind) {
  switch (kind) {
    case IssueKind::kUnreadable:
      return "unreadable";
    case IssueKind::kLineTooLong:
      return "line_too_long";
    case IssueKind::kColumnCount:
      return "column_count";
    case IssueKind::kNotNumeric:
      return "not_numeric";
    case IssueKind::kBadValue:
      return "bad_value";
    case IssueKind::kDuplicate:
      return "duplicate";
    case IssueKind::kOutOfOrder:
      return "out_of_order";
    case IssueKind::kGap:
      return "gap";
  }
  return "unknown";
}

void IssueLog::Add(ReadIssue issue) {
  ++counts_[static_cast<std::size_t>(issue.kind)];
  ++total_;
  auto found = per_file_.find(issue.file);
  if (found == per_file_.end()) found = per_file_.emplace(issue.file, 0).first;
  if (++found->second <= kMaxDetailedPerFile) detailed_.push_back(std::move(issue));
}

std::map<std::string, std::uint64_t> IssueLog::Omitted() const {
  std::map<std::string, std::uint64_t> omitted;
  for (const auto& [file, count] : per_file_) {
    if (count > kMaxDetailedPerFile) omitted.emplace(file, count - kMaxDetailedPerFile);
  }
  return omitted;
}

std::string FormatIssue(const ReadIssue& issue) {
  if (issue.line == 0) {
    return fmt::format("{}: {}: {}", issue.file, IssueKindName(issue.kind), issue.detail);
  }
  return fmt::format("{}:{}: {}: {}", issue.file, issue.line, IssueKindName(issue.kind),
                     issue.detail);
}

}  // namespace scanner::replay
