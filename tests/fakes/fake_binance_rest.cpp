#include "fakes/fake_binance_rest.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "binance/endpoints.h"
#include "binance/weight_limiter.h"
#include "fakes/query_string.h"
#include "net/http_date.h"

namespace scanner::fakes {
namespace {

constexpr std::string_view kRestrictedBody =
    R"({"code":0,"msg":"Service unavailable from a restricted location according to 'b. )"
    R"(Eligibility' in https://www.binance.com/en/terms. Please contact customer service if you )"
    R"(believe you received this message in error."})";

// Retry-After in whole seconds, rounded up so that a client honouring it is never early.
core::Millis RetryAfterSeconds(core::Millis duration) {
  return std::max<core::Millis>((duration + core::kSecond - 1) / core::kSecond, 0);
}

}  // namespace

std::int64_t FakeBinanceRestStats::MaxWindowWeight() const {
  std::int64_t max = 0;
  for (const auto& [window, weight] : weight_by_window) max = std::max(max, weight);
  return max;
}

FakeBinanceRest::FakeBinanceRest(const core::Clock& clock, FakeBinanceRestOptions options)
    : clock_(clock), options_(std::move(options)) {}

FakeBinanceRest::~FakeBinanceRest() {
  if (server_) server_->Stop();
}

core::Result<std::unique_ptr<FakeBinanceRest>> FakeBinanceRest::Start(
    boost::asio::io_context& io_context, const core::Clock& clock, FakeBinanceRestOptions options) {
  std::unique_ptr<FakeBinanceRest> fake(new FakeBinanceRest(clock, std::move(options)));
  net::HttpServerOptions server_options;
  server_options.cert_file = fake->options_.cert_file;
  server_options.key_file = fake->options_.key_file;
  FakeBinanceRest* self = fake.get();
  auto server = net::HttpServer::Create(
      io_context, server_options,
      [self](const net::ServerRequest& request, net::Responder responder) {
        self->Handle(request, std::move(responder));
      },
      nullptr);
  if (!server) return std::unexpected(server.error());
  fake->server_ = std::move(*server);
  return fake;
}

std::string FakeBinanceRest::BaseUrl() const { return server_->BaseUrl(); }

std::uint16_t FakeBinanceRest::port() const { return server_->port(); }

void FakeBinanceRest::InjectFault(RestFault fault, int count) {
  for (int i = 0; i < count; ++i) faults_.push_back(fault);
}

void FakeBinanceRest::ChargeWeight(std::int64_t weight) { WindowWeight(ServerNowMs()) += weight; }

void FakeBinanceRest::ReleaseHeld() {
  std::vector<Held> held = std::move(held_);
  held_.clear();
  for (Held& request : held) request.responder.Respond(Answer(request.target, ServerNowMs()));
}

std::int64_t& FakeBinanceRest::WindowWeight(core::Millis now) {
  return stats_.weight_by_window[binance::WeightLimiter::WindowStart(now)];
}

net::ServerResponse FakeBinanceRest::Reply(unsigned status, std::string body, core::Millis now,
                                           std::optional<core::Millis> retry_after) {
  net::ServerResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers.emplace_back("Content-Type", "application/json;charset=UTF-8");
  response.headers.emplace_back("X-MBX-USED-WEIGHT-1M", std::to_string(WindowWeight(now)));
  if (options_.send_date) {
    response.headers.emplace_back(
        "Date", options_.date_value.empty() ? net::FormatHttpDate(now) : options_.date_value);
  }
  if (retry_after) {
    response.headers.emplace_back("Retry-After", std::to_string(RetryAfterSeconds(*retry_after)));
  }
  return response;
}

void FakeBinanceRest::Handle(const net::ServerRequest& request, net::Responder responder) {
  const core::Millis now = ServerNowMs();
  ++stats_.requests;
  stats_.targets.push_back(request.target);

  // Binance's escalation: calling during a ban, or before a 429's Retry-After, earns a ban.
  if (now < banned_until_ || now < backoff_until_) {
    if (now >= banned_until_) banned_until_ = now + options_.ban_duration;
    ++stats_.responses_418;
    responder.Respond(Reply(418, R"({"code":-1003,"msg":"Way too many requests; IP banned."})", now,
                            banned_until_ - now));
    return;
  }

  if (!faults_.empty()) {
    const RestFault fault = faults_.front();
    faults_.pop_front();
    ++stats_.injected;
    switch (fault) {
      case RestFault::k429:
        backoff_until_ = now + options_.fault_retry_after;
        ++stats_.responses_429;
        responder.Respond(Reply(429, R"({"code":-1003,"msg":"Too many requests."})", now,
                                options_.fault_retry_after));
        return;
      case RestFault::k418:
        banned_until_ = now + options_.ban_duration;
        ++stats_.responses_418;
        responder.Respond(Reply(418, R"({"code":-1003,"msg":"Way too many requests; IP banned."})",
                                now, options_.ban_duration));
        return;
      case RestFault::k500:
        responder.Respond(Reply(500, "<html><body>500 Internal Server Error</body></html>", now));
        return;
      case RestFault::k503:
        responder.Respond(Reply(
            503,
            R"({"code":-1001,"msg":"Internal error; unable to process your request. Please try again."})",
            now));
        return;
      case RestFault::kMalformed: {
        std::string body = Answer(request.target, now).body;
        responder.Respond(Reply(200, body.substr(0, body.size() / 2), now));
        return;
      }
      case RestFault::kRestricted:
        responder.Respond(Reply(451, std::string(kRestrictedBody), now));
        return;
      case RestFault::kHold:
        held_.push_back(Held{request.target, std::move(responder)});
        return;
    }
  }
  responder.Respond(Answer(request.target, now));
}

net::ServerResponse FakeBinanceRest::Answer(const std::string& target, core::Millis now) {
  const std::string_view path = std::string_view(target).substr(0, target.find('?'));
  std::optional<binance::Endpoint> endpoint;
  for (binance::Endpoint candidate :
       {binance::Endpoint::kExchangeInfo, binance::Endpoint::kTicker24hAll,
        binance::Endpoint::kKlines}) {
    if (path == binance::EndpointPath(options_.market, candidate)) endpoint = candidate;
  }
  if (!endpoint) return Reply(404, "<html><body>404 Not Found</body></html>", now);

  const int limit = static_cast<int>(QueryParam(target, "limit").and_then(ParseInt).value_or(0));
  const int weight = binance::RequestWeight(options_.market, *endpoint, limit);
  std::int64_t& used = WindowWeight(now);
  if (used + weight > options_.weight_limit_per_minute) {
    const core::Millis window_end = binance::WeightLimiter::WindowStart(now) + core::kMinute;
    backoff_until_ = window_end;
    ++stats_.responses_429;
    return Reply(429,
                 fmt::format(R"({{"code":-1003,"msg":"Too much request weight used; current limit )"
                             R"(is {} request weight per 1 MINUTE."}})",
                             options_.weight_limit_per_minute),
                 now, window_end - now);
  }
  used += weight;

  switch (*endpoint) {
    case binance::Endpoint::kExchangeInfo:
      ++stats_.ok;
      return Reply(200, options_.exchange_info_body, now);
    case binance::Endpoint::kTicker24hAll:
      ++stats_.ok;
      return Reply(200, options_.tickers_body, now);
    case binance::Endpoint::kKlines: {
      const std::string symbol = QueryParam(target, "symbol").value_or("");
      std::optional<std::string> body;
      if (options_.klines_for_target) {
        body = options_.klines_for_target(target);
      } else if (options_.klines_for) {
        body = options_.klines_for(symbol);
      } else {
        body = options_.klines_body;
      }
      if (!body) return Reply(400, R"({"code":-1121,"msg":"Invalid symbol."})", now);
      ++stats_.ok;
      return Reply(200, std::move(*body), now);
    }
  }
  return Reply(500, "", now);
}

}  // namespace scanner::fakes
