#include "fakes/scripted_binance_rest.h"

#include <charconv>
#include <utility>
#include <vector>

namespace scanner::fakes {
namespace {

std::optional<std::string_view> Param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::int64_t> Number(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<KlinesRequest> ParseKlinesTarget(std::string_view target) {
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  if (!path.ends_with("/klines")) return std::nullopt;
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  KlinesRequest request;
  request.symbol = std::string(Param(query, "symbol").value_or(""));
  if (auto interval = Param(query, "interval")) request.interval = core::Interval::Parse(*interval);
  request.start_time = Number(Param(query, "startTime"));
  request.end_time = Number(Param(query, "endTime"));
  request.limit = static_cast<int>(Number(Param(query, "limit")).value_or(0));
  return request;
}

core::Result<std::unique_ptr<ScriptedBinanceRest>> ScriptedBinanceRest::Start(
    boost::asio::io_context& io_context, const core::Clock& clock,
    std::shared_ptr<const ScriptedMarket> script, FakeBinanceRestOptions base) {
  if (!script) return core::Fail("scripted binance rest: no script");
  std::unique_ptr<ScriptedBinanceRest> fake(new ScriptedBinanceRest(std::move(script)));
  ScriptedBinanceRest* self = fake.get();
  base.klines_for = [self](std::string_view symbol) { return self->Answer(symbol); };
  auto rest = FakeBinanceRest::Start(io_context, clock, std::move(base));
  if (!rest) return std::unexpected(rest.error());
  fake->rest_ = std::move(*rest);
  return fake;
}

ScriptedBinanceRest::ScriptedBinanceRest(std::shared_ptr<const ScriptedMarket> script)
    : script_(std::move(script)) {}

std::optional<std::string> ScriptedBinanceRest::Answer(std::string_view symbol) const {
  const std::vector<std::string>& targets = rest_->stats().targets;
  if (targets.empty()) return std::nullopt;
  const std::optional<KlinesRequest> request = ParseKlinesTarget(targets.back());
  // Not this request's target (see the header): refuse rather than answer another query.
  if (!request || request->symbol != symbol || !request->interval) return std::nullopt;
  if (!script_->Lists(symbol)) return std::nullopt;
  return script_->KlinesJson(symbol, *request->interval, request->start_time, request->end_time,
                             request->limit, rest_->ServerNowMs());
}

std::vector<KlinesRequest> ScriptedBinanceRest::KlinesRequests() const {
  std::vector<KlinesRequest> requests;
  for (const std::string& target : rest_->stats().targets) {
    if (auto request = ParseKlinesTarget(target)) requests.push_back(std::move(*request));
  }
  return requests;
}

}  // namespace scanner::fakes
