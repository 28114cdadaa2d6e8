#pragma once
// Loading the scanner's configuration: `.env`, then the YAML file (or, without one, the legacy
// environment variables), interpolation, typing, defaults and validation. Every problem found
// is reported together, one "key.path: message" line each; no exception leaves this module.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/environment.h"
#include "config/problem_list.h"
#include "core/error.h"

namespace scanner::config {

inline constexpr std::string_view kDefaultConfigPath = "config/default.yaml";

// Rules of other modules that a configuration must also satisfy, so that loading (and so a
// reload) refuses everything the running scanner would refuse later, each problem by its key
// path. The app supplies them; config/ itself knows none of those modules.
struct ExtraChecks {
  // One entry of alerts.discord.webhook_urls, checked where its position in the file is known:
  // nullopt when usable, else why not (never repeating the URL, a secret).
  std::function<std::optional<std::string>(std::string_view url)> webhook_url;
  // The whole typed configuration, after the built-in validation; adds its problems.
  std::function<void(const Config& config, ProblemList& problems)> config;
};

struct LoadOptions {
  std::filesystem::path config_path{kDefaultConfigPath};
  // True when the user chose the path (--config or $SCANNER_CONFIG): a missing file is an error.
  // False: a missing file means the legacy environment-only start.
  bool config_path_explicit = false;
  // --env-file: must be readable. Unset: the first `.env` of DefaultEnvFiles(), if any.
  std::optional<std::filesystem::path> env_file;
  // Where the second default `.env` is looked for; empty means the current directory.
  std::filesystem::path working_directory;
  ExtraChecks checks;
};

enum class ConfigSource { kFile, kLegacyEnvironment };

struct LoadedConfig {
  Config config;
  ConfigSource source = ConfigSource::kFile;
  std::filesystem::path config_path;
  std::optional<std::filesystem::path> env_file;  // the `.env` that was read, if any
  std::vector<std::string> env_variables_set;     // names that `.env` added to the environment
  std::vector<std::string> warnings;              // for the user at start; never a secret
};

// Reads the `.env` into `env` (never overriding), then the configuration. Errors: an unreadable
// `.env` or file, and every problem of the configuration itself.
core::Result<LoadedConfig> LoadConfig(const LoadOptions& options, Environment& env);

// The configuration in `yaml` (named `origin` in messages), with `${VAR}` expanded from `env`
// and $LOG_LEVEL overriding logging.level. A YAML syntax error is one line,
// "origin:line:column: malformed YAML: <what>"; when a '[', '{' or quote left open explains it
// (FindYamlErrorOrigin), line:column is where that began and <what> also names where the parser
// noticed the error.
core::Result<Config> ParseConfig(std::string_view yaml, std::string_view origin,
                                 const Environment& env, const ExtraChecks& checks = {});

// The configuration described by the legacy environment variables (legacy_env.h), with the same
// defaults and validation; problems name the variable, e.g. "universe.top_n: ... (from TOP_N)".
core::Result<Config> ConfigFromLegacyEnvironment(const Environment& env,
                                                 const ExtraChecks& checks = {});

// The default `.env` candidates, in order: next to the configuration file, then in
// `working_directory` (empty: the current directory).
std::vector<std::filesystem::path> DefaultEnvFiles(const std::filesystem::path& config_path,
                                                   const std::filesystem::path& working_directory);

}  // namespace scanner::config
