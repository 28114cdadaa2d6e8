#pragma once
// "host:port" as it appears in a URL's authority or a listen address: one splitting rule for
// every place that reads one (net::Url, the status endpoint's listen address, its validation).
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/error.h"

namespace scanner::core {

struct Authority {
  std::string_view host;                 // an IPv6 literal without its brackets
  bool bracketed = false;                // the host was written [like:this]
  std::optional<std::string_view> port;  // the text after ':', when there is one
};

// Splits `text` at the port's colon: "host", "host:port", "[v6]" or "[v6]:port". Fails on an
// unterminated '[' or text after ']' other than ":port". Does not judge the host or the port.
Result<Authority> SplitAuthority(std::string_view text);

// Decimal digits only, 0 to 65535.
std::optional<std::uint16_t> ParsePort(std::string_view text);

}  // namespace scanner::core
