#include "core/redact.h"

#include <algorithm>
#include <vector>

namespace scanner::core {
namespace {

// Masks the token segment of ".../webhooks/<id>/<token>[/...]"; other paths are unchanged.
std::string RedactPath(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    segments.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += '/';
    bool is_token = i >= 2 && segments[i - 2] == "webhooks" && !segments[i].empty();
    out += is_token ? kMask : segments[i];
  }
  return out;
}

std::string RedactQuery(std::string_view query) {
  std::string out;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t amp = query.find('&', start);
    std::string_view param =
        query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    std::size_t eq = param.find('=');
    if (eq != std::string_view::npos) {
      out.append(param.substr(0, eq + 1)).append(kMask);
    } else if (!param.empty()) {
      out.append(kMask);  // a bare parameter may itself be a key
    }
    if (amp == std::string_view::npos) break;
    out += '&';
    start = amp + 1;
  }
  return out;
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  if (url.empty()) return {};
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::string(kMask);

  std::size_t authority_start = scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_start);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  std::string_view authority = url.substr(authority_start, authority_end - authority_start);

  std::string out(url.substr(0, authority_start));
  std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    out.append(kMask).append(authority.substr(at));
  } else {
    out.append(authority);
  }

  std::string_view rest = url.substr(authority_end);
  std::size_t hash = rest.find('#');
  std::string_view fragment =
      hash == std::string_view::npos ? std::string_view() : rest.substr(hash);
  rest = rest.substr(0, hash);
  std::size_t question = rest.find('?');
  out += RedactPath(rest.substr(0, question));
  if (question != std::string_view::npos) {
    out += '?';
    out += RedactQuery(rest.substr(question + 1));
  }
  if (!fragment.empty()) {
    out += '#';
    if (fragment.size() > 1) out.append(kMask);
  }
  return out;
}

std::string RedactSecrets(std::string_view text, std::span<const std::string> secrets) {
  std::vector<const std::string*> ordered;
  for (const std::string& secret : secrets) {
    if (!secret.empty()) ordered.push_back(&secret);
  }
  std::ranges::stable_sort(
      ordered, [](const std::string* a, const std::string* b) { return a->size() > b->size(); });

  std::string out(text);
  for (const std::string* secret : ordered) {
    std::string masked = RedactUrl(*secret);
    if (masked == *secret) masked = kMask;  // nothing URL-shaped to keep: mask it whole
    std::size_t pos = 0;
    while ((pos = out.find(*secret, pos)) != std::string::npos) {
      out.replace(pos, secret->size(), masked);
      pos += masked.size();
    }
  }
  return out;
}

}  // namespace scanner::core
