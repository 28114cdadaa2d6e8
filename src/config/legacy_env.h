#pragma once
// The legacy environment-only start: before configuration files, the scanner read a fixed set of
// environment variables. MIGRATION.md documents this mapping; keep the two in step.

#include <yaml-cpp/yaml.h>

#include <span>
#include <string_view>
#include <vector>

#include "config/environment.h"

namespace scanner::config {

struct LegacyVariable {
  std::string_view name;      // e.g. "MIN_QUOTE_VOLUME"
  std::string_view key_path;  // e.g. "universe.min_quote_volume_24h"
};

inline constexpr std::string_view kLogLevelVariable = "LOG_LEVEL";

// Every legacy variable, in MIGRATION.md's order.
std::span<const LegacyVariable> LegacyVariables();

// The configuration document the legacy variables describe, for BuildConfig without
// interpolation. Unset and empty variables are left out (their keys keep the defaults); values
// are trimmed; a plain number in COOLDOWN means minutes. `used` receives the variables read.
YAML::Node LegacyDocument(const Environment& env, std::vector<LegacyVariable>& used);

}  // namespace scanner::config
