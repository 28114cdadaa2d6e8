#pragma once
// The effective configuration as YAML, as `check-config` shows it.

#include <string>

#include "config/config.h"

namespace scanner::config {

// Every key of the schema with its effective value, in the schema's order. Every URL goes
// through core::RedactUrl, so webhook tokens, userinfo and query values never appear. The output
// loads back through ParseConfig to the same values (with secrets masked).
std::string PrintConfig(const Config& config);

}  // namespace scanner::config
