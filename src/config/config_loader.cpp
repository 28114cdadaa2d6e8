#include "config/config_loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "config/config_builder.h"
#include "config/config_validator.h"
#include "config/env_file.h"
#include "config/file_reader.h"
#include "config/interpolation.h"
#include "config/legacy_env.h"
#include "config/problem_list.h"
#include "config/yaml_open_constructs.h"

namespace scanner::config {
namespace {

void UpperCaseAscii(std::vector<std::string>& values) {
  for (std::string& value : values) {
    std::ranges::transform(value, value.begin(), [](char c) {
      return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    });
  }
}

// The shared tail of both sources: $LOG_LEVEL, validation, then the normal form later modules
// rely on (upper-case assets and symbols as Binance spells them).
core::Result<Config> Complete(Config config, ProblemList& problems, const Environment& env,
                              const ExtraChecks& extra) {
  ProblemList checks;
  std::optional<std::string> level = env.Get(kLogLevelVariable);
  bool level_from_env = level && !level->empty();
  if (level_from_env) config.logging.level = *level;
  ValidateConfig(config, checks);
  if (extra.config) extra.config(config, checks);
  if (level_from_env) checks.Annotate("logging.level", fmt::format("from {}", kLogLevelVariable));
  problems.Append(checks);
  if (!problems.empty()) return std::unexpected(problems.ToError());

  UpperCaseAscii(config.universe.quote_assets);
  UpperCaseAscii(config.universe.include);
  UpperCaseAscii(config.universe.exclude);
  return config;
}

core::Result<Config> ParseWithReferences(std::string_view yaml, std::string_view origin,
                                         const Environment& env, const ExtraChecks& extra,
                                         std::set<std::string, std::less<>>& referenced) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null() || e.mark.line < 0 || e.mark.column < 0) {
      return core::Fail(fmt::format("{}: malformed YAML: {}", origin, e.msg));
    }
    // yaml-cpp counts lines and columns from 0; editors count from 1.
    const TextPosition found{static_cast<std::size_t>(e.mark.line) + 1,
                             static_cast<std::size_t>(e.mark.column) + 1};
    // Where an unclosed bracket or quote began is where the fix goes: lead with it.
    if (auto origin_of = FindYamlErrorOrigin(yaml, e.msg, found)) {
      return core::Fail(fmt::format("{}:{}:{}: malformed YAML: {} at line {}, column {}: {}",
                                    origin, origin_of->at.line, origin_of->at.column, e.msg,
                                    found.line, found.column, origin_of->explanation));
    }
    return core::Fail(
        fmt::format("{}:{}:{}: malformed YAML: {}", origin, found.line, found.column, e.msg));
  }
  ProblemList problems;
  Interpolator interpolator(env);
  Config config = BuildConfig(root, &interpolator, problems, extra.webhook_url);
  referenced = interpolator.referenced();
  return Complete(std::move(config), problems, env, extra);
}

bool HasWebhook(const Config& config) {
  return !config.alerts.discord.webhook_urls.empty() || !config.alerts.discord.routes.empty();
}

}  // namespace

core::Result<Config> ParseConfig(std::string_view yaml, std::string_view origin,
                                 const Environment& env, const ExtraChecks& checks) {
  std::set<std::string, std::less<>> referenced;
  return ParseWithReferences(yaml, origin, env, checks, referenced);
}

core::Result<Config> ConfigFromLegacyEnvironment(const Environment& env,
                                                 const ExtraChecks& checks) {
  std::vector<LegacyVariable> used;
  YAML::Node root = LegacyDocument(env, used);
  ProblemList problems;
  Config config = BuildConfig(root, nullptr, problems, checks.webhook_url);
  auto completed = Complete(std::move(config), problems, env, checks);
  if (completed) return completed;

  // Name the variable behind each problem; Complete already names LOG_LEVEL.
  for (const LegacyVariable& variable : used) {
    if (variable.name == kLogLevelVariable) continue;
    problems.Annotate(variable.key_path, fmt::format("from {}", variable.name));
  }
  return std::unexpected(problems.ToError());
}

std::vector<std::filesystem::path> DefaultEnvFiles(const std::filesystem::path& config_path,
                                                   const std::filesystem::path& working_directory) {
  std::filesystem::path config_dir = config_path.parent_path();
  if (config_dir.empty()) config_dir = ".";
  std::filesystem::path work_dir = working_directory;
  if (work_dir.empty()) {
    std::error_code ec;
    work_dir = std::filesystem::current_path(ec);
    if (ec) work_dir = ".";
  }
  std::vector<std::filesystem::path> candidates{(config_dir / ".env").lexically_normal()};
  std::filesystem::path second = (work_dir / ".env").lexically_normal();
  std::error_code ec;
  if (!std::filesystem::equivalent(candidates.front(), second, ec)) candidates.push_back(second);
  return candidates;
}

core::Result<LoadedConfig> LoadConfig(const LoadOptions& options, Environment& env) {
  LoadedConfig loaded;
  loaded.config_path = options.config_path;

  // The `.env` comes first: the configuration refers to the variables it sets.
  std::optional<std::filesystem::path> env_file = options.env_file;
  if (!env_file) {
    for (const std::filesystem::path& candidate :
         DefaultEnvFiles(options.config_path, options.working_directory)) {
      std::error_code ec;
      if (std::filesystem::exists(candidate, ec)) {
        env_file = candidate;
        break;
      }
    }
  }
  if (env_file) {
    auto set = LoadEnvFile(*env_file, env);
    if (!set) return std::unexpected(set.error());
    loaded.env_file = *env_file;
    loaded.env_variables_set = std::move(*set);
  }

  std::error_code ec;
  bool exists = std::filesystem::exists(options.config_path, ec);
  if (exists || options.config_path_explicit || ec) {
    auto text = ReadTextFile(options.config_path);
    if (!text) return std::unexpected(text.error());
    std::set<std::string, std::less<>> referenced;
    auto config =
        ParseWithReferences(*text, options.config_path.string(), env, options.checks, referenced);
    if (!config) return std::unexpected(config.error());
    loaded.config = std::move(*config);
    loaded.source = ConfigSource::kFile;
    for (const LegacyVariable& variable : LegacyVariables()) {
      if (variable.name == kLogLevelVariable || referenced.contains(variable.name)) continue;
      std::optional<std::string> value = env.Get(variable.name);
      if (value && !value->empty()) {
        loaded.warnings.push_back(fmt::format(
            "{} is set but not used: {} does not refer to it (it sets {}; see MIGRATION.md)",
            variable.name, options.config_path.string(), variable.key_path));
      }
    }
  } else {
    auto config = ConfigFromLegacyEnvironment(env, options.checks);
    if (!config) return std::unexpected(config.error());
    loaded.config = std::move(*config);
    loaded.source = ConfigSource::kLegacyEnvironment;
    loaded.warnings.push_back(fmt::format(
        "no configuration file at {}: settings come from environment variables (legacy start; "
        "see MIGRATION.md)",
        options.config_path.string()));
  }

  if (!HasWebhook(loaded.config)) {
    loaded.warnings.push_back(
        "alerts.discord.webhook_urls: no Discord webhook configured; alerts go to the console "
        "only");
  }
  return loaded;
}

}  // namespace scanner::config
