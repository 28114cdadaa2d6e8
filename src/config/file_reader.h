#pragma once
// Whole-file reads for configuration inputs, with errors a user can act on.

#include <filesystem>
#include <string>

#include "core/error.h"

namespace scanner::config {

// The file's bytes. Errors read "<path>: cannot read: <reason>", e.g. "No such file or directory"
// or "Is a directory".
core::Result<std::string> ReadTextFile(const std::filesystem::path& path);

}  // namespace scanner::config
