#include "alerts/discord_response.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <simdjson.h>

#include "alerts/discord_text.h"

namespace scanner::alerts {
namespace {

constexpr std::size_t kMaxReasonChars = 300;
constexpr std::int64_t kCodeInvalidToken = 50027;
constexpr std::int64_t kCodeUnknownWebhook = 10015;
// Snowflakes are 64-bit integers: at most 20 decimal digits.
constexpr std::size_t kMaxSnowflakeDigits = 20;

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

std::string_view Trim(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// Seconds (a decimal number, fractions allowed) as milliseconds, rounded up so that waiting the
// result never falls short. Rejects negatives, NaN, infinities and trailing garbage; clamps
// values above kMaxRateLimitWait (reported through `*clamped`).
std::optional<core::Millis> SecondsToMillis(double seconds, bool* clamped) {
  *clamped = false;
  if (!std::isfinite(seconds) || seconds < 0) return std::nullopt;
  // Up to the next millisecond, after forgiving the binary representation's last bits
  // (0.3 s * 1000 is 300.00000000000006, which must not become 301 ms).
  double millis = std::ceil(seconds * 1000.0 - 1e-6);
  if (millis > static_cast<double>(kMaxRateLimitWait)) {
    *clamped = true;
    return kMaxRateLimitWait;
  }
  return static_cast<core::Millis>(millis);
}

std::optional<core::Millis> ParseSeconds(std::string_view text, int* malformed) {
  text = Trim(text);
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  bool clamped = false;
  std::optional<core::Millis> millis;
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
    millis = SecondsToMillis(seconds, &clamped);
  }
  if (!millis || clamped) ++*malformed;
  return millis;
}

std::optional<int> ParseCount(std::string_view text, int* malformed) {
  text = Trim(text);
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value < 0) {
    ++*malformed;
    return std::nullopt;
  }
  return value;
}

// The fields of a Discord JSON body this module uses.
struct ErrorBody {
  std::optional<core::Millis> retry_after;
  bool global = false;
  std::string message;
  std::int64_t code = 0;
  std::string errors;  // raw JSON of "errors" (which form fields were wrong), if any
};

// One forward pass over the body's top-level object; a body that is not a JSON object (an HTML
// error page from a proxy, an empty 502) yields nullopt. Unexpected value types count malformed.
std::optional<ErrorBody> ParseErrorBody(std::string_view body, int* malformed) {
  if (Trim(body).empty()) return std::nullopt;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  simdjson::ondemand::document document;
  if (parser.iterate(padded).get(document)) return std::nullopt;
  simdjson::ondemand::object object;
  if (document.get_object().get(object)) return std::nullopt;
  ErrorBody parsed;
  for (auto field_result : object) {
    simdjson::ondemand::field field;
    if (std::move(field_result).get(field)) {
      ++*malformed;
      break;
    }
    std::string_view key;
    if (field.unescaped_key().get(key)) {
      ++*malformed;
      break;
    }
    simdjson::ondemand::value value = field.value();
    if (key == "retry_after") {
      double seconds = 0;
      bool clamped = false;
      if (value.get_double().get(seconds) == simdjson::SUCCESS) {
        parsed.retry_after = SecondsToMillis(seconds, &clamped);
      }
      if (!parsed.retry_after || clamped) ++*malformed;
    } else if (key == "global") {
      bool global = false;
      if (value.get_bool().get(global) == simdjson::SUCCESS) {
        parsed.global = global;
      } else {
        ++*malformed;
      }
    } else if (key == "message") {
      std::string_view message;
      if (value.get_string().get(message) == simdjson::SUCCESS) {
        parsed.message = std::string(message);
      } else {
        ++*malformed;
      }
    } else if (key == "code") {
      std::int64_t code = 0;
      if (value.get_int64().get(code) == simdjson::SUCCESS) {
        parsed.code = code;
      } else {
        ++*malformed;
      }
    } else if (key == "errors") {
      simdjson::ondemand::object errors;
      std::string_view raw;
      if (value.get_object().get(errors) == simdjson::SUCCESS &&
          errors.raw_json().get(raw) == simdjson::SUCCESS) {
        parsed.errors = std::string(raw);
      }
    }
  }
  return parsed;
}

// The top-level "id" of a message object, if it is a snowflake; anything else is ignored.
std::string ParseMessageId(std::string_view body) {
  if (Trim(body).empty()) return {};
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  simdjson::ondemand::document document;
  if (parser.iterate(padded).get(document)) return {};
  simdjson::ondemand::object object;
  if (document.get_object().get(object)) return {};
  std::string_view id;
  if (object.find_field_unordered("id").get_string().get(id)) return {};
  const bool snowflake =
      !id.empty() && id.size() <= kMaxSnowflakeDigits &&
      std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
  return snowflake ? std::string(id) : std::string();
}

std::string OneLine(std::string_view text, std::size_t max) {
  return TruncateCodePoints(DisplayText(text), max);
}

std::string ErrorReason(int status, const std::optional<ErrorBody>& body, std::string_view raw) {
  std::string reason = fmt::format("HTTP {}", status);
  if (body && !body->message.empty()) reason += ": " + body->message;
  if (body && body->code != 0) reason += fmt::format(" (code {})", body->code);
  if (body && !body->errors.empty()) reason += " " + body->errors;
  // A body that is not Discord's JSON (a proxy's error page) is not quoted: it is noise, and a
  // page that echoes the request could carry the webhook token.
  if (!body && !Trim(raw).empty()) reason += fmt::format(" (non-JSON body, {} bytes)", raw.size());
  return OneLine(reason, kMaxReasonChars);
}

}  // namespace

std::optional<std::string_view> WebhookResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoringCase(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

RateLimitHeaders ParseRateLimitHeaders(const WebhookResponse& response) {
  RateLimitHeaders parsed;
  if (auto value = response.Header("X-RateLimit-Limit")) {
    parsed.limit = ParseCount(*value, &parsed.malformed);
  }
  if (auto value = response.Header("X-RateLimit-Remaining")) {
    parsed.remaining = ParseCount(*value, &parsed.malformed);
  }
  if (auto value = response.Header("X-RateLimit-Reset-After")) {
    parsed.reset_after = ParseSeconds(*value, &parsed.malformed);
  }
  if (auto value = response.Header("X-RateLimit-Bucket")) {
    parsed.bucket = OneLine(Trim(*value), 64);
  }
  if (auto value = response.Header("X-RateLimit-Global")) {
    parsed.global = EqualsIgnoringCase(Trim(*value), "true");
  }
  return parsed;
}

std::string_view WebhookOutcomeName(WebhookOutcome outcome) {
  switch (outcome) {
    case WebhookOutcome::kSent:
      return "sent";
    case WebhookOutcome::kRateLimited:
      return "rate_limited";
    case WebhookOutcome::kRetry:
      return "retry";
    case WebhookOutcome::kFailed:
      return "failed";
    case WebhookOutcome::kDead:
      return "dead";
  }
  return "unknown";
}

WebhookVerdict ClassifyWebhookResponse(const WebhookResponse& response) {
  WebhookVerdict verdict;
  verdict.status = response.status;
  verdict.rate_limit = ParseRateLimitHeaders(response);
  verdict.malformed = verdict.rate_limit.malformed;
  int status = response.status;
  if (status >= 200 && status <= 299) {
    verdict.outcome = WebhookOutcome::kSent;
    verdict.message_id = ParseMessageId(response.body);
    return verdict;
  }

  std::optional<ErrorBody> body = ParseErrorBody(response.body, &verdict.malformed);
  if (body) verdict.discord_code = body->code;
  verdict.reason = ErrorReason(status, body, response.body);
  std::optional<core::Millis> header_wait;
  if (auto value = response.Header("Retry-After")) {
    header_wait = ParseSeconds(*value, &verdict.malformed);
  }

  if (status == 429) {
    verdict.outcome = WebhookOutcome::kRateLimited;
    verdict.global = (body && body->global) || verdict.rate_limit.global;
    if (body && body->retry_after) {
      verdict.retry_after = body->retry_after;
    } else if (header_wait) {
      verdict.retry_after = header_wait;
    } else if (verdict.rate_limit.reset_after) {
      verdict.retry_after = verdict.rate_limit.reset_after;
    } else {
      verdict.retry_after = kDefaultRateLimitWait;
      ++verdict.malformed;
    }
  } else if (status >= 500) {
    verdict.outcome = WebhookOutcome::kRetry;
    verdict.retry_after = header_wait;
  } else if (status == 404 && verdict.discord_code == kDiscordUnknownMessage) {
    verdict.outcome = WebhookOutcome::kFailed;
  } else if (status == 401 || status == 404) {
    // Only Discord's own answer kills a webhook. The same status from a proxy, a CDN or a
    // captive portal (no JSON, or another code) says nothing about the webhook: try again.
    const bool webhook_gone =
        verdict.discord_code == kCodeInvalidToken || verdict.discord_code == kCodeUnknownWebhook;
    verdict.outcome = webhook_gone ? WebhookOutcome::kDead : WebhookOutcome::kRetry;
    if (!webhook_gone) verdict.retry_after = header_wait;
  } else {
    verdict.outcome = WebhookOutcome::kFailed;
  }
  return verdict;
}

WebhookVerdict ClassifyTransportFailure(std::string_view what) {
  WebhookVerdict verdict;
  verdict.outcome = WebhookOutcome::kRetry;
  verdict.reason = OneLine(fmt::format("transport: {}", what), kMaxReasonChars);
  return verdict;
}

core::Millis RetryDelay(const WebhookVerdict& verdict, core::Backoff& backoff) {
  switch (verdict.outcome) {
    case WebhookOutcome::kRateLimited:
      return verdict.retry_after.value_or(kDefaultRateLimitWait);
    case WebhookOutcome::kRetry:
      return std::max(backoff.NextDelay(), verdict.retry_after.value_or(0));
    default:
      return 0;
  }
}

}  // namespace scanner::alerts
