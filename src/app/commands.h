#pragma once
// What each subcommand does once the configuration is loaded.

#include <spdlog/logger.h>

#include <ostream>
#include <string_view>

#include "config/config_loader.h"

namespace scanner::app {

// check-config: the effective configuration as YAML (secrets masked) on `out`, warnings on `err`.
int CheckConfig(const config::LoadedConfig& loaded, std::ostream& out, std::ostream& err);

// One info line that says what this instance will watch and where alerts go, then each warning
// (e.g. no webhook: alerts go to the console only). No secrets.
void LogConfigSummary(const config::LoadedConfig& loaded, spdlog::logger& logger);

}  // namespace scanner::app
