#include "config/environment.h"

#include <cstdlib>

namespace scanner::config {

std::optional<std::string> ProcessEnvironment::Get(std::string_view name) const {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

void ProcessEnvironment::Set(const std::string& name, const std::string& value) {
  ::setenv(name.c_str(), value.c_str(), /*overwrite=*/1);
}

std::optional<std::string> MapEnvironment::Get(std::string_view name) const {
  auto it = variables_.find(name);
  if (it == variables_.end()) return std::nullopt;
  return it->second;
}

void MapEnvironment::Set(const std::string& name, const std::string& value) {
  variables_.insert_or_assign(name, value);
}

}  // namespace scanner::config
