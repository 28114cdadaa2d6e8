#pragma once
// A logger that drops every line, for code under test that wants one and tests that do not read
// it. Thread-safe (a multi-threaded sink), so loop threads may share it.

#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include <memory>
#include <string>

namespace scanner::support {

inline std::shared_ptr<spdlog::logger> NullLogger(const std::string& name = "test") {
  return std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::null_sink_mt>());
}

}  // namespace scanner::support
