#pragma once
// Whole-file reads for configuration inputs, with errors a user can act on.

#include <cstddef>
#include <filesystem>
#include <string>

#include "core/error.h"

namespace scanner::config {

// A configuration file or .env larger than this is refused: no real one comes near, and a
// mistaken path (a log, a device) must not be read into memory whole.
inline constexpr std::size_t kMaxConfigFileBytes = 1024 * 1024;

// The file's bytes. Errors read "<path>: cannot read: <reason>", e.g. "No such file or directory"
// or "Is a directory", or "<path>: larger than 1 MiB, not a configuration file".
core::Result<std::string> ReadTextFile(const std::filesystem::path& path,
                                       std::size_t max_bytes = kMaxConfigFileBytes);

}  // namespace scanner::config
