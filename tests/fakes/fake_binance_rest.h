#pragma once
// A fake Binance REST API (spot /api/v3 or usdm /fapi/v1: exchangeInfo, ticker/24hr, klines) on
// 127.0.0.1, plain or TLS, serving recorded payloads and enforcing Binance's request-weight rules
// so that tests can prove a client never exceeds them:
// - Its own clock: the injected clock plus server_clock_offset (ahead when positive), as a real
//   Binance whose clock differs from the client's. Every response carries a Date header
//   (IMF-fixdate, the second it falls in) from that clock, unless send_date is false.
// - Weight per request as Binance charges it (binance::RequestWeight), counted per UTC minute
//   window of the server's clock; every response carries X-MBX-USED-WEIGHT-1M.
// - Over the limit: 429 with Retry-After (seconds to the window's end), counted.
// - A request before that Retry-After has passed, or during a ban: 418 with Retry-After, counted
//   (the client ignored the back-off: Binance bans the IP).
// - Scripted faults for the next N requests: 429, 418, 500, 503, malformed JSON, a 451
//   restricted-location refusal, or no answer at all until ReleaseHeld() ("slow").
//
// Threading: runs on the test's io_context (single-threaded, like the scanner), so a test drives
// client and fake with one loop and a FakeClock. Not thread-safe. The io_context and the clock
// must outlive it.

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/market.h"
#include "net/http_server.h"

namespace scanner::fakes {

enum class RestFault {
  k429,         // 429 + Retry-After (options.fault_retry_after); a request before it passes: 418
  k418,         // 418 + Retry-After (options.ban_duration)
  k500,         // 500 with an HTML body
  k503,         // 503 with Binance's "unknown error" body
  kMalformed,   // 200 with half a JSON document
  kRestricted,  // 451 with the restricted-location body
  kHold,        // no answer until ReleaseHeld() (for client timeouts)
};

struct FakeBinanceRestOptions {
  core::Market market = core::Market::kSpot;
  int weight_limit_per_minute = 6000;
  std::string exchange_info_body;
  std::string tickers_body;
  // The klines answer for a request; nullopt: 400 {"code":-1121,"msg":"Invalid symbol."}.
  // klines_for_target gets the whole target (path and query: startTime, endTime, limit, ...) and
  // wins over klines_for, which gets the symbol only. Neither set: `klines_body` for every
  // symbol.
  std::function<std::optional<std::string>(std::string_view target)> klines_for_target;
  std::function<std::optional<std::string>(std::string_view symbol)> klines_for;
  std::string klines_body;
  core::Millis fault_retry_after = 5 * core::kSecond;  // Retry-After of an injected 429
  core::Millis ban_duration = 2 * core::kMinute;       // Retry-After of every 418
  core::Millis server_clock_offset = 0;                // the server's clock minus the injected one
  bool send_date = true;                               // false: responses without a Date header
  std::string date_value;                              // non-empty: the Date sent, clock ignored
  std::string cert_file;                               // both set: TLS
  std::string key_file;
};

struct FakeBinanceRestStats {
  std::int64_t requests = 0;
  std::int64_t ok = 0;  // 200 answers with a payload
  std::int64_t responses_429 = 0;
  std::int64_t responses_418 = 0;
  std::int64_t injected = 0;                              // requests answered by a scripted fault
  std::map<core::Millis, std::int64_t> weight_by_window;  // window start -> weight charged
  std::vector<std::string> targets;                       // every request target, in order

  std::int64_t MaxWindowWeight() const;
};

class FakeBinanceRest {
 public:
  static core::Result<std::unique_ptr<FakeBinanceRest>> Start(boost::asio::io_context& io_context,
                                                              const core::Clock& clock,
                                                              FakeBinanceRestOptions options);
  FakeBinanceRest(const FakeBinanceRest&) = delete;
  FakeBinanceRest& operator=(const FakeBinanceRest&) = delete;
  ~FakeBinanceRest();

  // "http://127.0.0.1:<port>" or "https://127.0.0.1:<port>".
  std::string BaseUrl() const;
  std::uint16_t port() const;

  // The next `count` requests (after the ban checks) get `fault` instead of their answer.
  void InjectFault(RestFault fault, int count = 1);
  // Weight used by someone else on the same IP, charged to the current window.
  void ChargeWeight(std::int64_t weight);
  // Replaces the exchangeInfo / ticker/24hr answers (a listing change, a universe refresh).
  void SetExchangeInfoBody(std::string body) { options_.exchange_info_body = std::move(body); }
  void SetTickersBody(std::string body) { options_.tickers_body = std::move(body); }
  // The server's clock from now on: the injected clock plus `offset`.
  void SetServerClockOffset(core::Millis offset) { options_.server_clock_offset = offset; }
  void SetSendDate(bool send) { options_.send_date = send; }
  void SetDateValue(std::string value) { options_.date_value = std::move(value); }
  // The server's clock now (what its Date header says, to the millisecond).
  core::Millis ServerNowMs() const { return clock_.NowMs() + options_.server_clock_offset; }
  // Answers every request held by kHold normally (weight rules included).
  void ReleaseHeld();
  std::size_t HeldRequests() const { return held_.size(); }

  const FakeBinanceRestStats& stats() const { return stats_; }

 private:
  struct Held {
    std::string target;
    net::Responder responder;
  };

  FakeBinanceRest(const core::Clock& clock, FakeBinanceRestOptions options);
  void Handle(const net::ServerRequest& request, net::Responder responder);
  // The normal answer: weight rules, then the payload.
  net::ServerResponse Answer(const std::string& target, core::Millis now);
  net::ServerResponse Reply(unsigned status, std::string body, core::Millis now,
                            std::optional<core::Millis> retry_after = std::nullopt);
  std::int64_t& WindowWeight(core::Millis now);

  const core::Clock& clock_;
  FakeBinanceRestOptions options_;
  std::unique_ptr<net::HttpServer> server_;
  std::deque<RestFault> faults_;
  std::vector<Held> held_;
  core::Millis backoff_until_ = 0;  // after a 429: earlier requests earn a ban
  core::Millis banned_until_ = 0;
  FakeBinanceRestStats stats_;
};

}  // namespace scanner::fakes
