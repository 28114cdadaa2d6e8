#pragma once
// TemporaryDirectory: a private directory (mkdtemp) for a temporary database and its -wal/-shm
// files, removed with everything in it when the object goes. Not thread-safe.

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "core/error.h"

namespace scanner::core {

class TemporaryDirectory {
 public:
  static Result<std::unique_ptr<TemporaryDirectory>> Create() {
    std::error_code error;
    std::filesystem::path base = std::filesystem::temp_directory_path(error);
    if (error) base = "/tmp";
    std::string pattern = (base / "momentum-scanner-replay-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Fail(fmt::format("cannot create a temporary directory in {}", base.string()));
    }
    return std::unique_ptr<TemporaryDirectory>(new TemporaryDirectory(std::move(pattern)));
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TemporaryDirectory(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace scanner::core
