#pragma once
// The command line: momentum-scanner run | check-config | universe | replay | report |
// download | version.
// In-process and stream-based so tests drive it exactly as main does.

#include <filesystem>
#include <ostream>
#include <string_view>

#include "config/environment.h"

namespace scanner::app {

inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;  // a runtime failure
inline constexpr int kExitUsage = 2;    // invalid configuration or command line

struct CliContext {
  std::ostream& out;  // command output (check-config's YAML, version, --help)
  std::ostream& err;  // problems, warnings and the log
  // Variables for ${VAR}, $SCANNER_CONFIG and $LOG_LEVEL; `.env` adds to it.
  config::Environment& env;
  // Where the defaults config/default.yaml and `.env` are looked for; empty means the current
  // directory. Paths given on the command line are taken as they are.
  std::filesystem::path working_directory;
  // Whether `err` is a terminal (progress bars redraw in place there).
  bool err_is_terminal = false;
};

// Parses argv, loads the configuration and runs the subcommand. Returns the process exit code:
// kExitSuccess, kExitFailure or kExitUsage. Never throws for bad input.
int RunCli(int argc, const char* const argv[], const CliContext& context);

// The version CMake's project() declares, e.g. "0.1.0".
std::string_view Version();

}  // namespace scanner::app
