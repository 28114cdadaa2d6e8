#pragma once
// Access to environment variables behind an interface, so configuration loading can be tested
// with a map instead of mutating the process environment.

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace scanner::config {

class Environment {
 public:
  virtual ~Environment() = default;
  // The variable's value, or nullopt when it is not set (set-but-empty is "").
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
  virtual void Set(const std::string& name, const std::string& value) = 0;
};

// The process environment (getenv/setenv). Not thread-safe: use it before starting threads,
// as main does.
class ProcessEnvironment final : public Environment {
 public:
  std::optional<std::string> Get(std::string_view name) const override;
  void Set(const std::string& name, const std::string& value) override;
};

// An in-memory environment for tests and for tools that must not touch the process's.
class MapEnvironment final : public Environment {
 public:
  MapEnvironment() = default;
  MapEnvironment(std::initializer_list<std::pair<const std::string, std::string>> variables)
      : variables_(variables) {}
  std::optional<std::string> Get(std::string_view name) const override;
  void Set(const std::string& name, const std::string& value) override;

 private:
  std::map<std::string, std::string, std::less<>> variables_;
};

}  // namespace scanner::config
