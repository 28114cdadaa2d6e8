#pragma once
// Range and consistency checks on a typed Config, the same for a file and for the legacy
// environment start.

#include "config/config.h"
#include "config/problem_list.h"

namespace scanner::config {

// Adds one problem per violated rule, by key path. Messages never contain a webhook URL; other
// URLs are shown redacted. The entries of alerts.discord.webhook_urls are checked by BuildConfig,
// which still knows where each one was written.
void ValidateConfig(const Config& config, ProblemList& problems);

// "host:port" or "[v6-address]:port", port 0-65535 (0 picks a free port, for tests).
bool IsHostPort(std::string_view text);

// scheme://host[...] for one of `schemes` ("https", "wss", ...), without blanks.
bool IsUrlWithScheme(std::string_view text, std::initializer_list<std::string_view> schemes);

}  // namespace scanner::config
