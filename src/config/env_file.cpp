#include "config/env_file.h"

#include <fmt/format.h>

#include <map>

#include "config/file_reader.h"

namespace scanner::config {
namespace {

constexpr std::string_view kBlanks = " \t\r";

std::string_view Trim(std::string_view text) {
  std::size_t start = text.find_first_not_of(kBlanks);
  if (start == std::string_view::npos) return {};
  return text.substr(start, text.find_last_not_of(kBlanks) - start + 1);
}

bool IsValidName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// After a closing quote only blanks or a comment may follow.
bool OnlyCommentFollows(std::string_view rest) {
  rest = Trim(rest);
  return rest.empty() || rest.front() == '#';
}

// Parses the text after '='. Returns an error message (without the value) on failure.
core::Result<std::string> ParseValue(std::string_view raw) {
  std::string_view text = Trim(raw);
  if (text.empty()) return std::string();

  if (text.front() == '\'') {
    std::size_t close = text.find('\'', 1);
    if (close == std::string_view::npos) return core::Fail("unterminated single quote");
    if (!OnlyCommentFollows(text.substr(close + 1))) {
      return core::Fail("unexpected text after the closing quote");
    }
    return std::string(text.substr(1, close - 1));
  }

  if (text.front() == '"') {
    std::string value;
    for (std::size_t i = 1; i < text.size(); ++i) {
      char c = text[i];
      if (c == '"') {
        if (!OnlyCommentFollows(text.substr(i + 1))) {
          return core::Fail("unexpected text after the closing quote");
        }
        return value;
      }
      if (c != '\\' || i + 1 == text.size()) {
        value += c;
        continue;
      }
      char escaped = text[++i];
      switch (escaped) {
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'r':
          value += '\r';
          break;
        case '"':
        case '\\':
        case '$':
          value += escaped;
          break;
        default:  // unknown escapes stay as written
          value += '\\';
          value += escaped;
          break;
      }
    }
    return core::Fail("unterminated double quote");
  }

  // Unquoted: a '#' starts a comment only after whitespace, so "a#b" and "KEY=#b" keep it.
  if (text.front() == '#' && raw.front() != '#') return std::string();
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '#' && (text[i - 1] == ' ' || text[i - 1] == '\t')) {
      return std::string(Trim(text.substr(0, i)));
    }
  }
  return std::string(text);
}

}  // namespace

core::Result<std::vector<EnvAssignment>> ParseEnvFile(std::string_view text,
                                                      std::string_view origin) {
  std::vector<EnvAssignment> assignments;
  std::vector<std::string> problems;
  int line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;

    auto report = [&](std::string_view message) {
      problems.push_back(fmt::format("{}:{}: {}", origin, line_number, message));
    };
    if (line.starts_with("export ") || line.starts_with("export\t")) line = Trim(line.substr(7));
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      report("expected KEY=VALUE");
      continue;
    }
    std::string_view name = Trim(line.substr(0, eq));
    if (!IsValidName(name)) {
      report(name.empty() ? "expected KEY=VALUE: the name is missing"
                          : "invalid variable name: use letters, digits and '_', not starting "
                            "with a digit");
      continue;
    }
    auto value = ParseValue(line.substr(eq + 1));
    if (!value) {
      report(fmt::format("{}: {}", name, value.error().message));
      continue;
    }
    assignments.push_back(EnvAssignment{std::string(name), std::move(*value), line_number});
  }
  if (!problems.empty()) return core::Fail(fmt::format("{}", fmt::join(problems, "\n")));
  return assignments;
}

core::Result<std::vector<std::string>> LoadEnvFile(const std::filesystem::path& path,
                                                   Environment& env) {
  auto text = ReadTextFile(path);
  if (!text) return std::unexpected(text.error());
  auto assignments = ParseEnvFile(*text, path.string());
  if (!assignments) return std::unexpected(assignments.error());

  // Last assignment wins within the file; the order of first appearance is kept.
  std::vector<std::string> order;
  std::map<std::string, std::string, std::less<>> values;
  for (EnvAssignment& assignment : *assignments) {
    if (!values.contains(assignment.name)) order.push_back(assignment.name);
    values.insert_or_assign(assignment.name, std::move(assignment.value));
  }
  std::vector<std::string> set;
  for (const std::string& name : order) {
    if (env.Get(name)) continue;
    env.Set(name, values.at(name));
    set.push_back(name);
  }
  return set;
}

}  // namespace scanner::config
