#pragma once
// Masking of secrets before text reaches a log line, an error message or printed configuration.
// Pure functions; thread-safe.

#include <span>
#include <string>
#include <string_view>

namespace scanner::core {

// The mask that replaces every secret part.
inline constexpr std::string_view kMask = "****";

// Masks the parts of a URL that carry credentials and keeps the rest readable:
//   - userinfo:            https://user:pw@host/x         -> https://****@host/x
//   - Discord webhook token (the segment after webhooks/<id>/):
//                          .../api/webhooks/123/abc       -> .../api/webhooks/123/****
//   - every query value:   ?wait=true&token=x             -> ?wait=****&token=****
//   - the fragment:        #access_token=x                -> #****
// Text without "scheme://" is not a URL this function understands: it is masked entirely
// (an empty string stays empty), so an unexpected value can never leak.
std::string RedactUrl(std::string_view url);

// Replaces every occurrence of each non-empty secret in `text`. A secret URL is replaced by its
// RedactUrl form (so a log line still says which webhook failed), anything else by kMask.
// Longer secrets are replaced first, so a token inside a listed URL is also caught on its own.
std::string RedactSecrets(std::string_view text, std::span<const std::string> secrets);

}  // namespace scanner::core
