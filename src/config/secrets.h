#pragma once
// The secret strings of a configuration, for core::RedactSecrets before anything is logged.

#include <string>
#include <vector>

#include "config/config.h"

namespace scanner::config {

// Every webhook URL (top-level and routed) and, for Discord webhooks, the token on its own, so a
// message that echoes only a path or the token is masked too.
std::vector<std::string> CollectSecrets(const Config& config);

}  // namespace scanner::config
