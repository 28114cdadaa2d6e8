#include "config/interpolation.h"

#include <fmt/format.h>

namespace scanner::config {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

}  // namespace

core::Result<std::string> Interpolator::Expand(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  if (auto status = ExpandInto(text, pos, /*nested=*/false, /*evaluate=*/true, out); !status) {
    return std::unexpected(status.error());
  }
  return out;
}

// Expands text[pos...] into `out` up to the end or, when `nested`, up to and including the '}'
// that closes the enclosing "${NAME:-". With `evaluate` false only the syntax is checked: the
// default of a variable that is set must not fail because of what it would have expanded to.
core::Status Interpolator::ExpandInto(std::string_view text, std::size_t& pos, bool nested,
                                      bool evaluate, std::string& out) {
  while (pos < text.size()) {
    char c = text[pos];
    if (nested && c == '}') {
      ++pos;
      return {};
    }
    if (c != '$' || pos + 1 >= text.size() || (text[pos + 1] != '$' && text[pos + 1] != '{')) {
      if (evaluate) out += c;
      ++pos;
      continue;
    }
    if (text[pos + 1] == '$') {
      if (evaluate) out += '$';
      pos += 2;
      continue;
    }

    std::size_t ref_start = pos;
    pos += 2;
    std::size_t name_start = pos;
    while (pos < text.size() && IsNameChar(text[pos])) ++pos;
    std::string_view name = text.substr(name_start, pos - name_start);
    if (pos >= text.size()) return core::Fail("unterminated '${' (missing '}')");
    if (name.empty() || !IsNameStart(name.front())) {
      std::size_t close = text.find('}', ref_start);
      std::string_view shown =
          text.substr(ref_start, close == std::string_view::npos ? 2 : close - ref_start + 1);
      return core::Fail(
          fmt::format("invalid variable reference '{}': a name is letters, digits "
                      "and '_', not starting with a digit",
                      shown));
    }
    referenced_.emplace(name);

    if (text[pos] == '}') {
      ++pos;
      if (!evaluate) continue;
      std::optional<std::string> value = env_.Get(name);
      if (!value) return core::Fail(fmt::format("variable {} is not set and has no default", name));
      out += *value;
      continue;
    }
    if (text.substr(pos, 2) == ":-") {
      pos += 2;
      std::optional<std::string> value = evaluate ? env_.Get(name) : std::nullopt;
      bool use_default = evaluate && (!value || value->empty());
      std::string fallback;
      if (auto status = ExpandInto(text, pos, /*nested=*/true, use_default, fallback); !status) {
        return status;
      }
      if (evaluate) out += use_default ? fallback : *value;
      continue;
    }
    return core::Fail(
        fmt::format("unsupported form after '${{{}': only ${{{}}} and "
                    "${{{}:-default}} are supported",
                    name, name, name));
  }
  if (nested) return core::Fail("unterminated '${' (missing '}')");
  return {};
}

}  // namespace scanner::config
