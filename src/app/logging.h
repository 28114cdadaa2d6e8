#pragma once
// The process's one logger, built in main from the configuration and passed down to modules.

#include <spdlog/logger.h>
#include <spdlog/sinks/sink.h>

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"

namespace scanner::app {

// A logger writing to `sink`:
//   text: "[2024-03-10T12:00:00.000Z] [info] message"
//   json: {"time":"2024-03-10T12:00:00.000Z","level":"info","message":"..."}, one object a line,
//         the message escaped so every line is valid JSON (invalid UTF-8 becomes U+FFFD).
// Times are UTC. Every occurrence of a string in `secrets` is masked (core::RedactSecrets) before
// a line is written, so an error that echoes a webhook URL cannot leak its token.
// The logger is not registered with spdlog: nothing global is created.
std::shared_ptr<spdlog::logger> MakeLogger(const config::LoggingConfig& logging,
                                           spdlog::sink_ptr sink, std::vector<std::string> secrets);

// spdlog's level for a validated logging.level ("warn" -> warn, ...).
spdlog::level::level_enum LogLevelFromName(const std::string& name);

}  // namespace scanner::app
