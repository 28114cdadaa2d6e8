#pragma once
// The problems found while loading a configuration. Loading never stops at the first problem:
// every one is collected and reported together, one "key.path: message" line each.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace scanner::config {

struct Problem {
  std::string path;  // "universe.top_n", "streams.intervals[1]", or a file name for file errors
  std::string message;

  std::string Line() const { return path.empty() ? message : path + ": " + message; }
};

class ProblemList {
 public:
  void Add(std::string path, std::string message);
  void Append(const ProblemList& other);

  // Appends " (<note>)" to every problem at `path` or below it ("path.x", "path[3]"); used to
  // name the environment variable a value came from.
  void Annotate(std::string_view path, std::string_view note);

  bool empty() const { return problems_.empty(); }
  std::size_t size() const { return problems_.size(); }
  const std::vector<Problem>& problems() const { return problems_; }

  // One line per problem, in the order found, joined by '\n'.
  std::string ToString() const;
  core::Error ToError() const { return core::Error{ToString()}; }

 private:
  std::vector<Problem> problems_;
};

}  // namespace scanner::config
