#include "download/checksum_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace scanner::download {
namespace {

constexpr std::size_t kSha256HexLength = 64;
constexpr std::size_t kMaxChecksumText = 4096;  // one line; anything longer is something else

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

std::string_view TrimLineEnd(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

}  // namespace

core::Result<std::string> ParseChecksumFile(std::string_view text, std::string_view expected_name) {
  if (text.size() > kMaxChecksumText) {
    return core::Fail(
        fmt::format("malformed checksum file: {} bytes, expected one line", text.size()));
  }
  const std::string_view line = TrimLineEnd(text);
  if (line.empty()) return core::Fail("malformed checksum file: empty");
  if (line.find('\n') != std::string_view::npos) {
    return core::Fail("malformed checksum file: more than one line");
  }
  if (line.size() < kSha256HexLength ||
      !std::all_of(line.begin(), line.begin() + kSha256HexLength, IsHex)) {
    return core::Fail("malformed checksum file: it does not start with a SHA-256 in hex");
  }
  std::string_view rest = line.substr(kSha256HexLength);
  if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) {
    return core::Fail("malformed checksum file: no file name after the SHA-256");
  }
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  if (!rest.empty() && rest.front() == '*') rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  if (rest.empty()) return core::Fail("malformed checksum file: no file name after the SHA-256");
  if (rest != expected_name) {
    // Printable only: the name comes from the server.
    std::string shown(rest.substr(0, 100));
    std::replace_if(
        shown.begin(), shown.end(),
        [](char c) { return std::isprint(static_cast<unsigned char>(c)) == 0; }, '?');
    return core::Fail(fmt::format("checksum file names '{}', expected '{}'", shown, expected_name));
  }
  std::string hex(line.substr(0, kSha256HexLength));
  std::transform(hex.begin(), hex.end(), hex.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return hex;
}

std::string FormatChecksumFile(std::string_view sha256_hex, std::string_view name) {
  return fmt::format("{}  {}\n", sha256_hex, name);
}

}  // namespace scanner::download
