#pragma once
// Variable references in configuration scalars, expanded before the scalar is typed:
//   ${VAR}            the variable's value (set but empty is ""); unset is an error
//   ${VAR:-default}   the value when set and non-empty, else `default`; the default is itself
//                     expanded, so ${A:-${B:-x}} works; it cannot contain a '}'
//   $$                a literal '$'
// Any other '$' is kept as written. Names are [A-Za-z_][A-Za-z0-9_]*.

#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "config/environment.h"
#include "core/error.h"

namespace scanner::config {

// Expands scalars against one environment and remembers every variable name referenced.
// Borrows `env`, which must outlive it. Not thread-safe.
class Interpolator {
 public:
  explicit Interpolator(const Environment& env) : env_(env) {}

  // Error messages name the variable, never a value, e.g.
  // "variable DISCORD_WEBHOOK_URL is not set and has no default" or "unterminated '${'".
  core::Result<std::string> Expand(std::string_view text);

  // Every variable named by an Expand call so far, including unevaluated defaults.
  const std::set<std::string, std::less<>>& referenced() const { return referenced_; }

 private:
  core::Status ExpandInto(std::string_view text, std::size_t& pos, bool nested, bool evaluate,
                          std::string& out);

  const Environment& env_;
  std::set<std::string, std::less<>> referenced_;
};

}  // namespace scanner::config
