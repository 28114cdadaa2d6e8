#pragma once
// Typed, asynchronous Binance REST calls for one market (spot /api/v3, usdm /fapi/v1):
// exchangeInfo, ticker/24hr for all symbols, klines.
//
// Every call goes through a WeightLimiter: it is sent only when its weight fits the budget
// (a fraction of the per-minute limit, adopted from exchangeInfo.rateLimits when a call returns
// it); otherwise it waits in a FIFO queue until the window resets. X-MBX-USED-WEIGHT-1M is read
// on every response. A 429 or 418 stops every call until Retry-After; 418 (IP ban) is logged at
// error level and fails the call; a 429'd call is retried once the ban ends. 5xx, timeouts and
// lost connections are retried with jittered exponential backoff, up to max_attempts sends per
// call; other 4xx are not retried; a 451 (or any refusal whose body says so) is reported as
// kRestrictedLocation. Each retry is charged its weight again, as Binance does.
//
// Threading: not thread-safe. Every method runs on the io_context thread (the scanner has one);
// each callback runs exactly once on it, never inside the call that started it.
// Lifetime: the io_context, HttpClient, WakeUpTimer and Clock must outlive the client.
// Shutdown() completes every pending call with kShutdown; destroying the client without it drops
// pending callbacks unrun.

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "binance/endpoints.h"
#include "binance/rest_parser.h"
#include "binance/rest_types.h"
#include "core/wake_up_timer.h"
#include "binance/weight_limiter.h"
#include "core/backoff.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/market.h"
#include "core/types.h"
#include "net/http_client.h"

namespace scanner::binance {

enum class RestErrorKind {
  kTransport,           // connect, TLS, protocol or lost connection (retried when transient)
  kTimeout,             // no response within the HTTP client's request timeout (retried)
  kServerError,         // 5xx after every attempt
  kRateLimited,         // 429 after every attempt
  kIpBanned,            // 418: Binance banned this IP until Retry-After
  kRestrictedLocation,  // Binance refuses this country (451, or a body saying so): never retried
  kRejected,            // another 4xx (invalid symbol, WAF 403, ...): never retried
  kMalformed,           // a 2xx whose body did not parse
  kInvalidRequest,      // refused before sending (bad klines query, weight above the budget)
  kShutdown,            // Shutdown() ran first
};

// "transport", "timeout", "server error", "rate limited", "ip banned", "restricted location",
// "rejected", "malformed", "invalid request", "shutdown".
std::string_view RestErrorKindName(RestErrorKind kind);

struct RestError {
  RestErrorKind kind = RestErrorKind::kTransport;
  unsigned http_status = 0;  // 0 when no response was received
  // Names the endpoint, e.g. "spot exchangeInfo: HTTP 503 after 4 attempts".
  std::string message;

  core::Error ToError() const;
};

template <class T>
using RestResult = std::expected<T, RestError>;

struct RestClientOptions {
  core::Market market = core::Market::kSpot;
  std::string base_url;  // e.g. "https://api.binance.com"; empty: DefaultRestUrl(market)
  double weight_budget_fraction = WeightLimiter::kDefaultBudgetFraction;
  // The per-minute weight limit assumed until exchangeInfo states one; 0: the market default.
  int weight_limit_per_minute = 0;
  // Sends per call, first one included, for retryable failures.
  int max_attempts = 4;
  core::BackoffPolicy retry_backoff{
      .initial = 1 * core::kSecond, .max = 30 * core::kSecond, .multiplier = 2.0, .jitter = 0.5};
  std::uint64_t seed = 0x5eed;  // for the backoff jitter
  // Requests on the wire at once; the rest wait in the queue.
  std::size_t max_in_flight = 4;
};

struct RestClientStats {
  std::int64_t requests_sent = 0;
  std::int64_t retries = 0;    // sends after the first, all calls
  std::int64_t succeeded = 0;  // calls completed with a value
  std::int64_t failed = 0;     // calls completed with an error (kShutdown included)
  // klines answers without a usable Date header: their last bar was taken to be still forming.
  std::int64_t klines_without_server_time = 0;
};

class RestClient {
 public:
  // A lambda may take the result as RestResult<T>&&: with GCC 12 at -O3 a by-value parameter can
  // draw a false -Wmaybe-uninitialized.
  template <class T>
  using Callback = std::function<void(RestResult<T>)>;

  RestClient(boost::asio::io_context& io_context, net::HttpClient& http, core::WakeUpTimer& timer,
             const core::Clock& clock, RestClientOptions options,
             std::shared_ptr<spdlog::logger> logger);
  RestClient(const RestClient&) = delete;
  RestClient& operator=(const RestClient&) = delete;
  ~RestClient();

  // exchangeInfo. Its REQUEST_WEIGHT/MINUTE/1 limit, when present, becomes the limiter's.
  void GetExchangeInfo(Callback<ExchangeInfo> done);
  // ticker/24hr without a symbol: every symbol's 24 h statistics. Rows that cannot be used are
  // left out (RestParser::ParseTickers24h) and logged, one warning per kind of problem.
  void GetTickers24h(Callback<Tickers24h> done);
  // exchangeInfo, then ticker/24hr: what the universe is selected from. fetched_at is the clock
  // when the tickers arrived. Fails with the first call's error.
  void GetMarketSnapshot(Callback<MarketSnapshot> done);
  // klines; the query is checked first (ValidateKlinesQuery). Closedness follows Binance's clock
  // (RestParser::ParseKlines): the response's Date header decides for the last bar; a response
  // without a usable one leaves the last bar forming (counted, and logged once).
  void GetKlines(KlinesQuery query, Callback<std::vector<core::Bar>> done);

  // Completes every queued and in-flight call with kShutdown (posted) and refuses new ones.
  // Idempotent.
  void Shutdown();

  core::Market market() const { return options_.market; }
  const WeightLimiter& limiter() const { return limiter_; }
  const RestClientStats& stats() const { return stats_; }
  // Calls waiting for budget, a ban or a retry delay.
  std::size_t QueuedCalls() const { return queue_.size(); }
  std::size_t InFlightCalls() const { return in_flight_.size(); }

 private:
  // The outcome of one send: the body of a 2xx, or the error to report or retry.
  struct SendError {
    RestError error;
    bool retryable = false;
  };
  // The body of a 2xx (or the error) and Binance's clock from the response's Date header.
  using Finish =
      std::function<void(RestResult<std::string>, std::optional<core::Millis> server_time)>;
  struct Call {
    Endpoint endpoint;
    std::string target;
    int weight = 0;
    int attempts = 0;             // sends so far
    core::Millis not_before = 0;  // retry delay
    core::Backoff backoff;
    Finish finish;  // parses the body and Delivers to the caller's callback
    std::uint64_t id = 0;
  };

  void Enqueue(Endpoint endpoint, std::string target, int weight, Finish finish);
  // Sends every call that may go now, then arms the timer for the next one that must wait.
  void Pump();
  void Send(Call call);
  void OnResponse(std::uint64_t id, net::HttpResult result);
  // Classifies a response or transport failure; body of a 2xx otherwise.
  std::expected<std::string, SendError> Classify(const Call& call, net::HttpResult result,
                                                 core::Millis now);
  // Runs the call's Finish, which parses and Delivers.
  void Complete(Call& call, RestResult<std::string> result,
                std::optional<core::Millis> server_time = std::nullopt);
  // Counts the outcome and posts the caller's callback.
  template <class T>
  void Deliver(Callback<T>& done, RestResult<T> result);
  std::string Describe(const Call& call) const;

  boost::asio::io_context& io_context_;
  net::HttpClient& http_;
  core::WakeUpTimer& timer_;
  const core::Clock& clock_;
  RestClientOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  WeightLimiter limiter_;
  RestParser parser_;
  std::deque<Call> queue_;
  std::map<std::uint64_t, Call> in_flight_;  // by Call::id
  std::uint64_t next_call_id_ = 0;
  bool shut_down_ = false;
  bool warned_no_server_time_ = false;
  RestClientStats stats_;
  // Held weakly by HTTP callbacks: they do nothing once the client is gone.
  std::shared_ptr<RestClient*> self_;
};

}  // namespace scanner::binance
