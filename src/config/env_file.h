#pragma once
// `.env` files: variables for the configuration, loaded before it and never overriding a
// variable the environment already has (the real environment wins, as with docker compose).
//
// Syntax, one assignment per line:
//   # a comment                    blank lines and comment lines are ignored
//   KEY=value                      unquoted: trimmed; " #" starts a trailing comment
//   export KEY=value               the shell's `export ` prefix is accepted
//   KEY="a \"b\"\n"                double quotes: escapes \n \t \r \" \\ \$
//   KEY='literal $x'               single quotes: taken as written
// Values are not interpolated. Within one file the last assignment of a name wins.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/environment.h"
#include "core/error.h"

namespace scanner::config {

struct EnvAssignment {
  std::string name;
  std::string value;
  int line = 0;  // 1-based
};

// Parses a whole file's text. Every malformed line is reported, one "<origin>:<line>: message"
// line each; messages never repeat a value (it may be a secret).
core::Result<std::vector<EnvAssignment>> ParseEnvFile(std::string_view text,
                                                      std::string_view origin);

// Reads `path` and sets each variable that `env` does not already have (set-but-empty counts as
// set). Returns the names it set, in file order. A missing or unreadable file is an error: the
// caller decides whether the file is optional.
core::Result<std::vector<std::string>> LoadEnvFile(const std::filesystem::path& path,
                                                   Environment& env);

}  // namespace scanner::config
