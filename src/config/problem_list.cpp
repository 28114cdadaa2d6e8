#include "config/problem_list.h"

namespace scanner::config {

void ProblemList::Add(std::string path, std::string message) {
  problems_.push_back(Problem{std::move(path), std::move(message)});
}

void ProblemList::Append(const ProblemList& other) {
  problems_.insert(problems_.end(), other.problems_.begin(), other.problems_.end());
}

void ProblemList::Annotate(std::string_view path, std::string_view note) {
  for (Problem& problem : problems_) {
    std::string_view p = problem.path;
    bool under = p == path || (p.starts_with(path) && p.size() > path.size() &&
                               (p[path.size()] == '.' || p[path.size()] == '['));
    if (under) problem.message.append(" (").append(note).append(")");
  }
}

std::string ProblemList::ToString() const {
  std::string out;
  for (const Problem& problem : problems_) {
    if (!out.empty()) out += '\n';
    out += problem.Line();
  }
  return out;
}

}  // namespace scanner::config
