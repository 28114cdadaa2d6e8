#include "fakes/scripted_binance_rest.h"

#include <utility>
#include <vector>

#include "fakes/query_string.h"

namespace scanner::fakes {

std::optional<KlinesRequest> ParseKlinesTarget(std::string_view target) {
  if (!target.substr(0, target.find('?')).ends_with("/klines")) return std::nullopt;
  KlinesRequest request;
  request.symbol = QueryParam(target, "symbol").value_or("");
  if (auto interval = QueryParam(target, "interval")) {
    request.interval = core::Interval::Parse(*interval);
  }
  request.start_time = QueryParam(target, "startTime").and_then(ParseInt);
  request.end_time = QueryParam(target, "endTime").and_then(ParseInt);
  request.limit = static_cast<int>(QueryParam(target, "limit").and_then(ParseInt).value_or(0));
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
