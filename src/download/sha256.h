#pragma once
// SHA-256 through OpenSSL's EVP interface, as lowercase hex. Thread-safe.

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace scanner::download {

// The digest of `bytes`. Fails only if OpenSSL does.
core::Result<std::string> Sha256Hex(std::string_view bytes);

// The digest of the file at `path`, read in chunks. Fails when it cannot be read.
core::Result<std::string> Sha256HexOfFile(const std::filesystem::path& path);

}  // namespace scanner::download
