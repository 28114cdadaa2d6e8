#include "net/url.h"

#include "core/host_port.h"

#include <algorithm>
#include <boost/asio/ip/address_v6.hpp>
#include <cctype>
#include <charconv>

namespace scanner::net {

namespace {

constexpr std::size_t kMaxEchoedSchemeLength = 16;

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string ToLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool IsSchemeToken(std::string_view text) {
  if (text.empty() || text.size() > kMaxEchoedSchemeLength) return false;
  if (!std::isalpha(static_cast<unsigned char>(text.front()))) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

bool IsHostNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool HasSpaceOrControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

bool IsIpv6Literal(const std::string& text) {
  boost::system::error_code ec;
  boost::asio::ip::make_address_v6(text, ec);
  return !ec;
}

// IPv6 literals get their brackets back. Appends rather than `"[" + host + "]"`, which trips
// GCC 12's false -Wrestrict (bug 105329) at -O3.
std::string BracketedHost(const std::string& host) {
  if (host.find(':') == std::string::npos) return host;
  std::string out;
  out.reserve(host.size() + 2);
  out.append(1, '[').append(host).append(1, ']');
  return out;
}

}  // namespace

core::Result<Url> Url::Parse(std::string_view text) {
  const std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return core::Fail("URL: missing scheme (expected http://, https://, ws:// or wss://)");
  }
  const std::string_view scheme_text = text.substr(0, scheme_end);
  Url url;
  url.scheme = ToLower(scheme_text);
  if (url.scheme != "http" && url.scheme != "https" && url.scheme != "ws" && url.scheme != "wss") {
    if (IsSchemeToken(scheme_text))
      return core::Fail("URL: unsupported scheme '" + url.scheme + "'");
    return core::Fail("URL: missing scheme (expected http://, https://, ws:// or wss://)");
  }
  const std::string prefix = "URL " + url.scheme + "://";

  const std::string_view rest = text.substr(scheme_end + 3);
  const std::size_t authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  std::string_view path_query =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return core::Fail(prefix + ": user info in URLs is not supported");
  }
  if (HasSpaceOrControl(authority)) {
    return core::Fail(prefix + ": the host contains spaces or control characters");
  }

  auto split = core::SplitAuthority(authority);
  if (!split) return core::Fail(prefix + ": " + split.error().message);
  url.host = ToLower(split->host);
  if (split->bracketed) {
    if (!IsIpv6Literal(url.host)) {
      return core::Fail(prefix + BracketedHost(url.host) + ": not an IPv6 address");
    }
  } else {
    if (url.host.empty()) return core::Fail(prefix + ": empty host");
    if (!std::all_of(url.host.begin(), url.host.end(), IsHostNameChar)) {
      return core::Fail(prefix + url.host + ": invalid character in host");
    }
  }

  if (split->port) {
    const std::optional<std::uint16_t> port = core::ParsePort(*split->port);
    if (!port || *port == 0) {
      return core::Fail(prefix + url.host + ": invalid port '" + std::string(*split->port) + "'");
    }
    url.port = *port;
  } else {
    url.port = url.DefaultPort();
  }

  if (const std::size_t hash = path_query.find('#'); hash != std::string_view::npos) {
    path_query = path_query.substr(0, hash);
  }
  if (HasSpaceOrControl(path_query)) {
    return core::Fail(url.Origin() + ": the path or query contains spaces or control characters");
  }
  if (path_query.empty() || path_query.front() != '/') url.target = "/";
  url.target += path_query;
  return url;
}

std::string Url::HostHeader() const {
  std::string out = BracketedHost(host);
  if (port != DefaultPort()) out.append(1, ':').append(std::to_string(port));
  return out;
}

std::string Url::Origin() const {
  std::string out = scheme;
  out.append("://").append(BracketedHost(host)).append(1, ':').append(std::to_string(port));
  return out;
}

}  // namespace scanner::net
