#pragma once
// Absolute http://, https://, ws:// and wss:// URLs split into what a connection needs.
//
// URLs may carry secrets in their path or query (a Discord webhook token, a signed query), so
// neither error messages nor Origin() ever contain the target: they name scheme, host and port
// only. Log Origin(), never the text that was parsed.
//
// A plain value type; thread-compatible.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace scanner::net {

struct Url {
  std::string scheme;      // "http", "https", "ws" or "wss", lower case
  std::string host;        // lower case; an IPv6 literal without its brackets
  std::uint16_t port = 0;  // explicit, or 80 (http, ws) / 443 (https, wss)
  std::string target;      // path and query, always starting with '/'; the fragment is dropped

  // Parses an absolute URL. User info ("user:pass@") is refused; so are empty hosts, ports
  // outside 1..65535 and spaces or control characters anywhere.
  static core::Result<Url> Parse(std::string_view text);

  // https and wss.
  bool IsTls() const { return scheme == "https" || scheme == "wss"; }
  // 80 or 443 for this scheme.
  std::uint16_t DefaultPort() const { return IsTls() ? 443 : 80; }
  // The Host header value: host, bracketed when IPv6, with ":port" unless it is the default.
  std::string HostHeader() const;
  // "scheme://host:port", safe to log: no path, no query.
  std::string Origin() const;
};

}  // namespace scanner::net
