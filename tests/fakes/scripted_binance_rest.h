#pragma once
// ScriptedBinanceRest: the fake REST API (FakeBinanceRest: weights, 429/418, faults) answering
// klines from a ScriptedMarket, so that warm-up and gap-fill requests get exactly the bars the
// fake WebSocket streams (FakeBinanceWs) deliver, with Binance's startTime / endTime / limit
// semantics, by the fake server's own clock (FakeBinanceRest::ServerNowMs: a test may set it
// ahead of or behind the client's), with the bar still forming at that time as the last one.
//
// FakeBinanceRest hands its klines_for hook the symbol only, so this wrapper reads the rest of
// the query from the request target the fake records just before it answers (the newest entry of
// stats().targets). Limitation: a klines request held by RestFault::kHold and answered later by
// ReleaseHeld() cannot be matched to its own target; it is answered 400 unless it happens to be
// the newest request. (Asked of FakeBinanceRest's owner: pass the target to the hook.)
//
// Threading: like FakeBinanceRest, on the test's io_context thread. The io_context, the clock
// and the script must outlive it.

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "core/interval.h"
#include "fakes/fake_binance_rest.h"
#include "fakes/scripted_market.h"

namespace scanner::fakes {

// One klines request as the fake received it.
struct KlinesRequest {
  std::string symbol;
  std::optional<core::Interval> interval;
  std::optional<core::Millis> start_time;
  std::optional<core::Millis> end_time;
  int limit = 0;
};

// Parses "/api/v3/klines?symbol=...&interval=...&startTime=...&endTime=...&limit=..."; nullopt
// for another endpoint.
std::optional<KlinesRequest> ParseKlinesTarget(std::string_view target);

class ScriptedBinanceRest {
 public:
  // `base` supplies everything but the klines answers (market, weight limit, exchangeInfo...).
  static core::Result<std::unique_ptr<ScriptedBinanceRest>> Start(
      boost::asio::io_context& io_context, const core::Clock& clock,
      std::shared_ptr<const ScriptedMarket> script, FakeBinanceRestOptions base = {});

  ScriptedBinanceRest(const ScriptedBinanceRest&) = delete;
  ScriptedBinanceRest& operator=(const ScriptedBinanceRest&) = delete;

  FakeBinanceRest& rest() { return *rest_; }
  const FakeBinanceRest& rest() const { return *rest_; }
  std::string BaseUrl() const { return rest_->BaseUrl(); }
  // Every klines request so far, in order.
  std::vector<KlinesRequest> KlinesRequests() const;

 private:
  explicit ScriptedBinanceRest(std::shared_ptr<const ScriptedMarket> script);
  std::optional<std::string> Answer(std::string_view symbol) const;

  std::shared_ptr<const ScriptedMarket> script_;
  std::unique_ptr<FakeBinanceRest> rest_;
};

}  // namespace scanner::fakes
