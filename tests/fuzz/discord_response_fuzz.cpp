// Fuzzes the classification of Discord webhook responses. The input is a response written as
// text, so seeds are readable and mutations stay meaningful:
//
//   <status>\n<Name>: <value>\n...\n\n<body>
//
// (a first line that is no number gives status 0; "429" exercises the rate-limit paths). Header
// lines without ':' are skipped. The verdict and the retry delay it leads to must be sane.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "alerts/discord_response.h"
#include "core/backoff.h"

namespace {

std::string_view NextLine(std::string_view& input) {
  const std::size_t end = input.find('\n');
  const std::string_view line = input.substr(0, end);
  input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  scanner::alerts::WebhookResponse response;
  const std::string_view status = NextLine(input);
  std::from_chars(status.data(), status.data() + status.size(), response.status);
  while (!input.empty()) {
    const std::string_view line = NextLine(input);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  response.body.assign(input);

  const scanner::alerts::WebhookVerdict verdict =
      scanner::alerts::ClassifyWebhookResponse(response);
  (void)scanner::alerts::WebhookOutcomeName(verdict.outcome);
  if (verdict.retry_after &&
      (*verdict.retry_after < 0 || *verdict.retry_after > scanner::alerts::kMaxRateLimitWait)) {
    __builtin_trap();  // discord_response.h: waits are clamped to [0, kMaxRateLimitWait]
  }
  scanner::core::Backoff backoff(scanner::core::BackoffPolicy{}, /*seed=*/1);
  if (scanner::alerts::RetryDelay(verdict, backoff) < 0) __builtin_trap();
  return 0;
}
