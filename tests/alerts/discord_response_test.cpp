#include "alerts/discord_response.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

namespace scanner::alerts {
namespace {

WebhookResponse Response(int status, std::string body = "",
                         std::vector<std::pair<std::string, std::string>> headers = {}) {
  return WebhookResponse{status, std::move(headers), std::move(body)};
}

TEST(DiscordResponse, SuccessStatusesAreSent) {
  for (int status : {200, 204, 201}) {
    WebhookVerdict verdict =
        ClassifyWebhookResponse(Response(status, status == 200 ? "{\"id\":\"1\"}" : ""));
    EXPECT_EQ(verdict.outcome, WebhookOutcome::kSent) << status;
    EXPECT_TRUE(verdict.reason.empty());
    EXPECT_EQ(verdict.malformed, 0);
  }
}

TEST(DiscordResponse, TheMessageIdOfASuccessIsKeptWhenItIsASnowflake) {
  EXPECT_EQ(ClassifyWebhookResponse(
                Response(200, R"({"type": 0, "id": "1234567890123456789", "embeds": []})"))
                .message_id,
            "1234567890123456789");
  for (std::string_view body :
       {std::string_view(""), std::string_view("{\"id\": 12}"),
        std::string_view("{\"id\": \"12a\"}"), std::string_view("{\"id\": \"\"}"),
        std::string_view("{\"id\": \"123456789012345678901\"}"), std::string_view("[1]"),
        std::string_view("not json")}) {
    WebhookVerdict verdict = ClassifyWebhookResponse(Response(200, std::string(body)));
    EXPECT_EQ(verdict.outcome, WebhookOutcome::kSent) << body;
    EXPECT_EQ(verdict.message_id, "") << body;
  }
}

// Editing a message someone deleted: that edit is over, the webhook lives on.
TEST(DiscordResponse, UnknownMessageFailsWithoutKillingTheWebhook) {
  WebhookVerdict verdict =
      ClassifyWebhookResponse(Response(404, R"({"message": "Unknown Message", "code": 10008})"));
  EXPECT_EQ(verdict.outcome, WebhookOutcome::kFailed);
  EXPECT_EQ(verdict.discord_code, kDiscordUnknownMessage);
  EXPECT_EQ(verdict.reason, "HTTP 404: Unknown Message (code 10008)");
}

TEST(DiscordResponse, RateLimitedWaitsForTheBodysRetryAfter) {
  WebhookVerdict verdict = ClassifyWebhookResponse(Response(
      429, R"({"message": "You are being rate limited.", "retry_after": 0.512, "global": false})",
      {{"Retry-After", "1"}, {"X-RateLimit-Scope", "user"}}));
  EXPECT_EQ(verdict.outcome, WebhookOutcome::kRateLimited);
  ASSERT_TRUE(verdict.retry_after);
  EXPECT_EQ(*verdict.retry_after, 512);  // the body's float beats the header's rounded seconds
  EXPECT_FALSE(verdict.global);
  EXPECT_EQ(verdict.malformed, 0);
  EXPECT_NE(verdict.reason.find("You are being rate limited."), std::string::npos);

  WebhookVerdict rounded_up = ClassifyWebhookResponse(Response(429, R"({"retry_after": 0.0001})"));
  EXPECT_EQ(*rounded_up.retry_after, 1);  // never wait less than asked
  WebhookVerdict integer = ClassifyWebhookResponse(Response(429, R"({"retry_after": 3})"));
  EXPECT_EQ(*integer.retry_after, 3000);
}

TEST(DiscordResponse, RateLimitedFallsBackToHeaders) {
  WebhookVerdict header = ClassifyWebhookResponse(Response(429, "", {{"retry-after", "2"}}));
  EXPECT_EQ(header.outcome, WebhookOutcome::kRateLimited);
  EXPECT_EQ(*header.retry_after, 2000);
  WebhookVerdict fractional =
      ClassifyWebhookResponse(Response(429, "<html>slow down</html>", {{"Retry-After", " 1.5 "}}));
  EXPECT_EQ(*fractional.retry_after, 1500);
  EXPECT_EQ(fractional.malformed, 0);
  EXPECT_NE(fractional.reason.find("non-JSON body"), std::string::npos);
  EXPECT_EQ(fractional.reason.find("<html>"), std::string::npos);
  WebhookVerdict reset = ClassifyWebhookResponse(
      Response(429, "", {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset-After", "0.75"}}));
  EXPECT_EQ(*reset.retry_after, 750);
  WebhookVerdict nothing = ClassifyWebhookResponse(Response(429));
  EXPECT_EQ(*nothing.retry_after, kDefaultRateLimitWait);
  EXPECT_EQ(nothing.malformed, 1);
}

TEST(DiscordResponse, GlobalFlagFromBodyOrHeader) {
  EXPECT_TRUE(
      ClassifyWebhookResponse(Response(429, R"({"retry_after": 1, "global": true})")).global);
  EXPECT_TRUE(ClassifyWebhookResponse(
                  Response(429, R"({"retry_after": 1})", {{"X-RateLimit-Global", "true"}}))
                  .global);
  EXPECT_FALSE(ClassifyWebhookResponse(Response(429, R"({"retry_after": 1})")).global);
}

TEST(DiscordResponse, ServerErrorsRetryWithBackoff) {
  for (int status : {500, 502, 503, 504, 520}) {
    WebhookVerdict verdict = ClassifyWebhookResponse(Response(status, "Bad Gateway"));
    EXPECT_EQ(verdict.outcome, WebhookOutcome::kRetry) << status;
    EXPECT_FALSE(verdict.retry_after);
    EXPECT_NE(verdict.reason.find("HTTP " + std::to_string(status)), std::string::npos);
  }
  core::Backoff backoff({.initial = 1000, .max = 60'000, .multiplier = 2.0, .jitter = 0.5}, 7);
  WebhookVerdict plain = ClassifyWebhookResponse(Response(502));
  core::Millis first = RetryDelay(plain, backoff);
  EXPECT_GE(first, 500);
  EXPECT_LE(first, 1000);
  core::Millis second = RetryDelay(plain, backoff);
  EXPECT_GE(second, 1000);
  EXPECT_LE(second, 2000);
  // A Retry-After on a 503 is a floor for the backoff.
  WebhookVerdict told = ClassifyWebhookResponse(Response(503, "", {{"Retry-After", "30"}}));
  ASSERT_TRUE(told.retry_after);
  EXPECT_EQ(RetryDelay(told, backoff), 30'000);
}

TEST(DiscordResponse, BadRequestFailsWithDiscordsMessageAndIsNeverRetried) {
  WebhookVerdict verdict = ClassifyWebhookResponse(
      Response(400, R"({"code": 50035, "errors": {"embeds": {"0": {"title": {"_errors": [)"
                    R"({"code": "BASE_TYPE_MAX_LENGTH"}]}}}}, "message": "Invalid Form Body"})"));
  EXPECT_EQ(verdict.outcome, WebhookOutcome::kFailed);
  EXPECT_EQ(verdict.discord_code, 50035);
  EXPECT_NE(verdict.reason.find("HTTP 400: Invalid Form Body (code 50035)"), std::string::npos)
      << verdict.reason;
  EXPECT_NE(verdict.reason.find("BASE_TYPE_MAX_LENGTH"), std::string::npos) << verdict.reason;
  core::Backoff backoff({}, 1);
  EXPECT_EQ(RetryDelay(verdict, backoff), 0);
  EXPECT_EQ(backoff.attempts(), 0);
}

TEST(DiscordResponse, DiscordsUnknownWebhookAndInvalidTokenAnswersMeanTheWebhookIsDead) {
  WebhookVerdict token = ClassifyWebhookResponse(
      Response(401, R"({"message": "Invalid Webhook Token", "code": 50027})"));
  EXPECT_EQ(token.outcome, WebhookOutcome::kDead);
  EXPECT_EQ(token.discord_code, 50027);
  EXPECT_EQ(token.reason, "HTTP 401: Invalid Webhook Token (code 50027)");
  WebhookVerdict unknown =
      ClassifyWebhookResponse(Response(404, R"({"message": "Unknown Webhook", "code": 10015})"));
  EXPECT_EQ(unknown.outcome, WebhookOutcome::kDead);
  EXPECT_EQ(unknown.discord_code, 10015);
  WebhookVerdict revoked = ClassifyWebhookResponse(Response(404, R"({"code": 50027})"));
  EXPECT_EQ(revoked.outcome, WebhookOutcome::kDead);
}

// A 401 or 404 that is not Discord's own verdict on the webhook (a proxy's page, a CDN hiccup,
// a Discord error with another code) must not kill it: it is retried with backoff.
TEST(DiscordResponse, A401Or404WithoutADeadWebhookCodeIsRetried) {
  for (int status : {401, 404}) {
    for (std::string_view body :
         {std::string_view(""), std::string_view("<html><body>404 Not Found</body></html>"),
          std::string_view(R"({"message": "404: Not Found", "code": 0})"),
          std::string_view(R"({"message": "401: Unauthorized"})"),
          std::string_view(R"({"message": "Unknown Channel", "code": 10003})")}) {
      WebhookVerdict verdict = ClassifyWebhookResponse(Response(status, std::string(body)));
      EXPECT_EQ(verdict.outcome, WebhookOutcome::kRetry) << status << " " << body;
      EXPECT_NE(verdict.reason.find(fmt::format("HTTP {}", status)), std::string::npos);
      core::Backoff backoff({}, 1);
      EXPECT_GT(RetryDelay(verdict, backoff), 0);
    }
  }
  // The dead-webhook codes only count on 401 and 404.
  EXPECT_EQ(ClassifyWebhookResponse(Response(403, R"({"code": 50027})")).outcome,
            WebhookOutcome::kFailed);
}

TEST(DiscordResponse, OtherClientErrorsAndOddStatusesFail) {
  for (int status : {403, 405, 408, 413, 415, 301, 302, 100}) {
    EXPECT_EQ(ClassifyWebhookResponse(Response(status, R"({"message": "x", "code": 1})")).outcome,
              WebhookOutcome::kFailed)
        << status;
  }
  // A 5xx carrying a dead-webhook code is still a server error.
  EXPECT_EQ(ClassifyWebhookResponse(Response(500, R"({"code": 10015})")).outcome,
            WebhookOutcome::kRetry);
}

TEST(DiscordResponse, TransportFailuresRetry) {
  WebhookVerdict verdict = ClassifyTransportFailure("read timed out\nafter 10s");
  EXPECT_EQ(verdict.outcome, WebhookOutcome::kRetry);
  EXPECT_EQ(verdict.status, 0);
  EXPECT_EQ(verdict.reason, "transport: read timed out\uFFFDafter 10s");
}

TEST(DiscordResponse, RateLimitHeadersAreParsedCaseInsensitively) {
  RateLimitHeaders headers =
      ParseRateLimitHeaders(Response(204, "",
                                     {{"x-ratelimit-limit", "5"},
                                      {"X-RATELIMIT-REMAINING", "4"},
                                      {"X-RateLimit-Reset", "1470173023.123"},
                                      {"X-RateLimit-Reset-After", "1.25"},
                                      {"X-RateLimit-Bucket", "abcd1234"}}));
  EXPECT_EQ(headers.limit, 5);
  EXPECT_EQ(headers.remaining, 4);
  EXPECT_EQ(headers.reset_after, 1250);
  EXPECT_EQ(headers.bucket, "abcd1234");
  EXPECT_FALSE(headers.global);
  EXPECT_EQ(headers.malformed, 0);
}

TEST(DiscordResponse, MalformedHeadersAreIgnoredAndCounted) {
  RateLimitHeaders headers = ParseRateLimitHeaders(Response(204, "",
                                                            {{"X-RateLimit-Limit", "five"},
                                                             {"X-RateLimit-Remaining", "-1"},
                                                             {"X-RateLimit-Reset-After", "nan"}}));
  EXPECT_FALSE(headers.limit);
  EXPECT_FALSE(headers.remaining);
  EXPECT_FALSE(headers.reset_after);
  EXPECT_EQ(headers.malformed, 3);

  for (std::string value :
       {"", " ", "inf", "-3", "1e400", "0x10", "1.5s", "99999999999999999999999"}) {
    WebhookVerdict verdict = ClassifyWebhookResponse(
        Response(429, "", {{"Retry-After", value}, {"X-RateLimit-Reset-After", value}}));
    EXPECT_EQ(verdict.outcome, WebhookOutcome::kRateLimited) << value;
    ASSERT_TRUE(verdict.retry_after) << value;
    EXPECT_GE(*verdict.retry_after, 0) << value;
    EXPECT_LE(*verdict.retry_after, kMaxRateLimitWait) << value;
    EXPECT_GE(verdict.malformed, 2) << value;
  }
  // Huge but well-formed: clamped to the maximum and counted.
  WebhookVerdict huge = ClassifyWebhookResponse(Response(429, R"({"retry_after": 1e12})"));
  EXPECT_EQ(*huge.retry_after, kMaxRateLimitWait);
  EXPECT_EQ(huge.malformed, 1);
}

TEST(DiscordResponse, MalformedBodiesNeverCrash) {
  const std::string bodies[] = {"{",
                                "[]",
                                "null",
                                "42",
                                "\"str\"",
                                "{\"retry_after\": \"soon\"}",
                                "{\"retry_after\": -1}",
                                "{\"retry_after\": null, \"global\": 1}",
                                "{\"message\": 5, \"code\": \"x\"}",
                                "{\"retry_after\": 1e999}",
                                "\xFF\xFE{\"a\":",
                                "{\"retry_after\": 0.5, \"retry_after\": ",
                                std::string(100'000, '['),
                                "{\"errors\": [1,2], \"message\": \"m\xFF\"}",
                                std::string("{\"message\": \"a\0b\"}", 17)};
  for (const std::string& body : bodies) {
    for (int status : {400, 429, 500}) {
      WebhookVerdict verdict = ClassifyWebhookResponse(Response(status, body));
      if (status == 429) {
        EXPECT_EQ(verdict.outcome, WebhookOutcome::kRateLimited);
        ASSERT_TRUE(verdict.retry_after);
        EXPECT_GT(*verdict.retry_after, 0);
      }
      EXPECT_LE(verdict.reason.size(), 4 * 300u);
      EXPECT_EQ(verdict.reason.find('\n'), std::string::npos);
    }
  }
  WebhookVerdict wrong_type =
      ClassifyWebhookResponse(Response(429, "{\"retry_after\": \"soon\", \"global\": true}"));
  EXPECT_EQ(*wrong_type.retry_after, kDefaultRateLimitWait);
  EXPECT_TRUE(wrong_type.global);      // later fields still read
  EXPECT_EQ(wrong_type.malformed, 2);  // the bad retry_after, and no usable wait at all
}

}  // namespace
}  // namespace scanner::alerts
