#pragma once
// What a Discord webhook response means for the alerts it carried. Pure functions; thread-safe.
//
//   2xx (200 with ?wait=true, 204 without) -> kSent, with the message's id when the body is
//            the message object (Execute Webhook with ?wait=true, Edit Webhook Message)
//   429      -> kRateLimited: wait retry_after (body, float seconds; else the Retry-After header;
//               else X-RateLimit-Reset-After; else 1 s and counted malformed); `global` from the
//               body or X-RateLimit-Global. Not the alert's fault: no attempt is charged to it.
//   5xx      -> kRetry with jittered backoff (RetryDelay); a Retry-After header is a floor.
//   401, 404 with Discord's JSON code 50027 (invalid token) or 10015 (unknown webhook)
//            -> kDead: the webhook is gone. Without one of those codes (a proxy's or a CDN's
//               401/404) the answer says nothing about the webhook: kRetry, like a 5xx.
//   404 with code 10008 (unknown message: an edit of a deleted message)
//            -> kFailed: that message is gone, the webhook is not.
//   400      -> kFailed with Discord's "message" and "code"; never retried (the payload is wrong).
//   other    -> kFailed (other 4xx, 1xx, 3xx); a transport failure (timeout, reset, TLS) is kRetry.
//
// Malformed input (non-JSON bodies, unparsable or absurd header values) never aborts the
// classification: the value is ignored or replaced by a safe default and `malformed` counts it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/backoff.h"
#include "core/time.h"

namespace scanner::alerts {

// Longest wait any header or body may impose; larger values are clamped and counted malformed.
inline constexpr core::Millis kMaxRateLimitWait = core::kHour;
// The wait after a 429 that says nothing usable about how long to wait.
inline constexpr core::Millis kDefaultRateLimitWait = core::kSecond;
// Discord's JSON code for a message that does not exist (any more).
inline constexpr std::int64_t kDiscordUnknownMessage = 10008;

// A response as the HTTP client hands it over. Header names compare case-insensitively.
struct WebhookResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header named `name` (any case), if present.
  std::optional<std::string_view> Header(std::string_view name) const;
};

// X-RateLimit-* headers of any response; absent or unparsable values stay empty.
struct RateLimitHeaders {
  std::optional<int> limit;
  std::optional<int> remaining;
  std::optional<core::Millis> reset_after;  // from X-RateLimit-Reset-After (float seconds)
  std::string bucket;                       // X-RateLimit-Bucket (a hash; not secret)
  bool global = false;                      // X-RateLimit-Global: true
  int malformed = 0;                        // present but unparsable or out of range
};
RateLimitHeaders ParseRateLimitHeaders(const WebhookResponse& response);

enum class WebhookOutcome { kSent, kRateLimited, kRetry, kFailed, kDead };
std::string_view WebhookOutcomeName(WebhookOutcome outcome);

struct WebhookVerdict {
  WebhookOutcome outcome = WebhookOutcome::kRetry;
  int status = 0;  // 0 for a transport failure
  // kRateLimited: how long to wait before the next request to this webhook (or all webhooks,
  // if `global`). kRetry: a server-given floor for the backoff delay, if any.
  std::optional<core::Millis> retry_after;
  bool global = false;
  std::int64_t discord_code = 0;  // the JSON "code" of an error body, 0 if none
  // Non-secret and one line, for the database and logs, e.g.
  // "HTTP 400: Invalid Form Body (code 50035) {\"embeds\": ...}". Empty for kSent.
  std::string reason;
  RateLimitHeaders rate_limit;
  int malformed = 0;  // malformed values in headers and body together
  // kSent: the "id" of the message object in the body (a snowflake: digits only), if any.
  std::string message_id;
};

WebhookVerdict ClassifyWebhookResponse(const WebhookResponse& response);

// A request that got no HTTP response (timeout, connection reset, TLS error): kRetry with
// `what` as the reason. The caller redacts `what` first (DiscordWebhook::Redact).
WebhookVerdict ClassifyTransportFailure(std::string_view what);

// How long to wait before retrying after `verdict`: retry_after for kRateLimited; for kRetry the
// next backoff delay (counts one attempt on `backoff`), at least retry_after; 0 otherwise.
core::Millis RetryDelay(const WebhookVerdict& verdict, core::Backoff& backoff);

}  // namespace scanner::alerts
