#pragma once
// The .CHECKSUM files of data.binance.vision: one line in sha256sum's format,
//   "<64 hex digits>  <file name>\n"   (a '*' before the name, binary mode, is accepted too).
// Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "core/error.h"

namespace scanner::download {

// The SHA-256 (lowercase hex) that `text` gives for `expected_name`. Fails, saying why, on
// anything else: empty, not 64 hex digits, no name, another file's name, more than one line,
// a text that is not a checksum at all (an HTML error page). Never throws.
core::Result<std::string> ParseChecksumFile(std::string_view text, std::string_view expected_name);

// The text of a .CHECKSUM for `name`: "<sha256>  <name>\n".
std::string FormatChecksumFile(std::string_view sha256_hex, std::string_view name);

}  // namespace scanner::download
