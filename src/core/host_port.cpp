#include "core/host_port.h"

#include <charconv>

namespace scanner::core {

Result<Authority> SplitAuthority(std::string_view text) {
  Authority authority;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return Fail("unterminated '[' in host");
    authority.host = text.substr(1, close - 1);
    authority.bracketed = true;
    const std::string_view after = text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Fail("unexpected text after ']' in host");
      authority.port = after.substr(1);
    }
    return authority;
  }
  const std::size_t colon = text.find(':');
  authority.host = text.substr(0, colon);
  if (colon != std::string_view::npos) authority.port = text.substr(colon + 1);
  return authority;
}

std::optional<std::uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(first, last, value);
  if (text.empty() || error != std::errc{} || end != last || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace scanner::core
