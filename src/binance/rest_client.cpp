#include "binance/rest_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <charconv>
#include <limits>
#include <optional>
#include <utility>

#include "net/http_date.h"

namespace scanner::binance {
namespace {

std::optional<std::int64_t> ParseInteger(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const char* begin = text->data();
  const char* end = begin + text->size();
  while (begin != end && *begin == ' ') ++begin;
  while (end != begin && end[-1] == ' ') --end;
  auto [ptr, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || ptr != end || value < 0) return std::nullopt;
  return value;
}

std::string TrimTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// A short, single-line excerpt of a body for error messages.
std::string Excerpt(std::string_view body) {
  constexpr std::size_t kMax = 200;
  std::string text(body.substr(0, kMax));
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (body.size() > kMax) text += "...";
  return text;
}

}  // namespace

std::string_view RestErrorKindName(RestErrorKind kind) {
  switch (kind) {
    case RestErrorKind::kTransport:
      return "transport";
    case RestErrorKind::kTimeout:
      return "timeout";
    case RestErrorKind::kServerError:
      return "server error";
    case RestErrorKind::kRateLimited:
      return "rate limited";
    case RestErrorKind::kIpBanned:
      return "ip banned";
    case RestErrorKind::kRestrictedLocation:
      return "restricted location";
    case RestErrorKind::kRejected:
      return "rejected";
    case RestErrorKind::kMalformed:
      return "malformed";
    case RestErrorKind::kInvalidRequest:
      return "invalid request";
    case RestErrorKind::kShutdown:
      return "shutdown";
  }
  return "unknown";
}

core::Error RestError::ToError() const {
  return core::Error{fmt::format("{}: {}", RestErrorKindName(kind), message)};
}

RestClient::RestClient(boost::asio::io_context& io_context, net::HttpClient& http,
                       core::WakeUpTimer& timer, const core::Clock& clock, RestClientOptions options,
                       std::shared_ptr<spdlog::logger> logger)
    : io_context_(io_context),
      http_(http),
      timer_(timer),
      clock_(clock),
      options_(std::move(options)),
      logger_(std::move(logger)),
      limiter_(options_.weight_limit_per_minute > 0 ? options_.weight_limit_per_minute
                                                    : DefaultWeightLimitPerMinute(options_.market),
               options_.weight_budget_fraction),
      self_(std::make_shared<RestClient*>(this)) {
  options_.base_url = TrimTrailingSlash(
      options_.base_url.empty() ? std::string(DefaultRestUrl(options_.market)) : options_.base_url);
  options_.max_attempts = std::max(options_.max_attempts, 1);
  options_.max_in_flight = std::max<std::size_t>(options_.max_in_flight, 1);
}

RestClient::~RestClient() { timer_.Cancel(); }

void RestClient::GetExchangeInfo(Callback<ExchangeInfo> done) {
  Enqueue(
      Endpoint::kExchangeInfo, std::string(EndpointPath(options_.market, Endpoint::kExchangeInfo)),
      RequestWeight(options_.market, Endpoint::kExchangeInfo),
      [this, done = std::move(done)](RestResult<std::string> body,
                                     std::optional<core::Millis>) mutable {
        if (!body) return Deliver(done, RestResult<ExchangeInfo>(std::unexpected(body.error())));
        auto info = parser_.ParseExchangeInfo(options_.market, *body);
        if (!info) {
          return Deliver(done, RestResult<ExchangeInfo>(std::unexpected(RestError{
                                   RestErrorKind::kMalformed, 200, info.error().message})));
        }
        if (auto limit = info->RequestWeightPerMinute();
            limit && *limit != limiter_.limit_per_minute()) {
          if (logger_) {
            logger_->info("{} REST weight limit {}/min from exchangeInfo (was {})",
                          core::MarketName(options_.market), *limit, limiter_.limit_per_minute());
          }
          limiter_.SetLimitPerMinute(*limit);
        }
        Deliver(done, RestResult<ExchangeInfo>(std::move(*info)));
      });
}

void RestClient::GetTickers24h(Callback<Tickers24h> done) {
  Enqueue(Endpoint::kTicker24hAll,
          std::string(EndpointPath(options_.market, Endpoint::kTicker24hAll)),
          RequestWeight(options_.market, Endpoint::kTicker24hAll),
          [this, done = std::move(done)](RestResult<std::string> body,
                                         std::optional<core::Millis>) mutable {
            using Result = RestResult<Tickers24h>;
            if (!body) return Deliver(done, Result(std::unexpected(body.error())));
            auto tickers = parser_.ParseTickers24h(*body);
            if (!tickers) {
              return Deliver(done, Result(std::unexpected(RestError{RestErrorKind::kMalformed, 200,
                                                                    tickers.error().message})));
            }
            if (logger_) {
              for (const SkippedRows& rows : tickers->skipped) {
                logger_->warn("{} ticker/24hr: {}", core::MarketName(options_.market),
                              DescribeSkippedRows(rows));
              }
            }
            Deliver(done, Result(std::move(*tickers)));
          });
}

void RestClient::GetMarketSnapshot(Callback<MarketSnapshot> done) {
  // Callbacks run after the Get* call returns, possibly after the client is gone: they hold the
  // client weakly and the clock (which outlives it) by pointer. They take their result by
  // rvalue reference: by value, GCC 12 -O3 warns (falsely) of a maybe-uninitialized vector.
  GetExchangeInfo([self = std::weak_ptr<RestClient*>(self_), clock = &clock_,
                   done = std::move(done)](RestResult<ExchangeInfo>&& info) mutable {
    if (!info) return done(std::unexpected(std::move(info.error())));
    auto client = self.lock();
    if (!client) {
      return done(std::unexpected(
          RestError{RestErrorKind::kShutdown, 0, "market snapshot: the client was destroyed"}));
    }
    (*client)->GetTickers24h([clock, info = std::move(*info),
                              done = std::move(done)](RestResult<Tickers24h>&& tickers) mutable {
      if (!tickers) return done(std::unexpected(std::move(tickers.error())));
      done(MarketSnapshot{.exchange_info = std::move(info),
                          .tickers = std::move(tickers->tickers),
                          .skipped_tickers = std::move(tickers->skipped),
                          .fetched_at = clock->NowMs()});
    });
  });
}

void RestClient::GetKlines(KlinesQuery query, Callback<std::vector<core::Bar>> done) {
  if (auto problem = ValidateKlinesQuery(options_.market, query)) {
    Deliver(done, RestResult<std::vector<core::Bar>>(std::unexpected(
                      RestError{RestErrorKind::kInvalidRequest, 0, std::move(*problem)})));
    return;
  }
  Enqueue(Endpoint::kKlines, KlinesTarget(options_.market, query),
          RequestWeight(options_.market, Endpoint::kKlines, query.limit),
          [this, done = std::move(done)](RestResult<std::string> body,
                                         std::optional<core::Millis> server_time) mutable {
            using Result = RestResult<std::vector<core::Bar>>;
            if (!body) return Deliver(done, Result(std::unexpected(body.error())));
            if (!server_time) {
              ++stats_.klines_without_server_time;
              if (logger_ && !std::exchange(warned_no_server_time_, true)) {
                logger_->warn(
                    "{}: klines answer without a usable Date header: its newest bar is taken to "
                    "be still forming (never stored as closed by the local clock); counted in "
                    "klines_without_server_time, not logged again",
                    options_.base_url);
              }
            }
            auto bars = parser_.ParseKlines(*body, server_time);
            if (!bars) {
              return Deliver(done, Result(std::unexpected(RestError{RestErrorKind::kMalformed, 200,
                                                                    bars.error().message})));
            }
            Deliver(done, Result(std::move(*bars)));
          });
}

void RestClient::Enqueue(Endpoint endpoint, std::string target, int weight, Finish finish) {
  Call call{.endpoint = endpoint,
            .target = std::move(target),
            .weight = weight,
            .attempts = 0,
            .not_before = 0,
            .backoff = core::Backoff(options_.retry_backoff, options_.seed + next_call_id_),
            .finish = std::move(finish),
            .id = ++next_call_id_};
  if (shut_down_) {
    Complete(call, std::unexpected(RestError{RestErrorKind::kShutdown, 0,
                                             Describe(call) + ": the client was shut down"}));
    return;
  }
  queue_.push_back(std::move(call));
  // Posted, so that the callback never runs inside the Get* call that started it.
  boost::asio::post(io_context_, [self = std::weak_ptr<RestClient*>(self_)] {
    if (auto client = self.lock()) (*client)->Pump();
  });
}

void RestClient::Pump() {
  if (shut_down_) return;
  const core::Millis now = clock_.NowMs();
  for (auto it = queue_.begin();
       it != queue_.end() && in_flight_.size() < options_.max_in_flight;) {
    if (!limiter_.Fits(it->weight)) {
      // Only a limit lowered by exchangeInfo can get here; such a call can never be sent.
      Call call = std::move(*it);
      it = queue_.erase(it);
      Complete(call, std::unexpected(RestError{
                         RestErrorKind::kInvalidRequest, 0,
                         fmt::format("{}: weight {} exceeds the whole budget of {} per minute",
                                     Describe(call), call.weight, limiter_.budget())}));
      continue;
    }
    if (it->not_before > now) {
      ++it;
      continue;
    }
    // FIFO: when the oldest ready call does not fit, later ones wait behind it.
    if (!limiter_.TryAcquire(it->weight, now)) break;
    Call call = std::move(*it);
    it = queue_.erase(it);
    Send(std::move(call));
  }

  if (queue_.empty() || in_flight_.size() >= options_.max_in_flight) {
    timer_.Cancel();  // nothing waits, or the next completion pumps again
    return;
  }
  core::Millis wake = WeightLimiter::kNever;
  for (const Call& call : queue_) {
    wake = std::min(wake, std::max(call.not_before, limiter_.NextAvailableTime(call.weight, now)));
  }
  timer_.WakeAt(std::max(wake, now), [this] { Pump(); });
}

void RestClient::Send(Call call) {
  ++call.attempts;
  ++stats_.requests_sent;
  if (call.attempts > 1) ++stats_.retries;
  net::HttpRequest request;
  request.url = options_.base_url + call.target;
  const std::uint64_t id = call.id;
  in_flight_.emplace(id, std::move(call));
  http_.Send(std::move(request),
             [self = std::weak_ptr<RestClient*>(self_), id](net::HttpResult result) {
               if (auto client = self.lock()) (*client)->OnResponse(id, std::move(result));
             });
}

void RestClient::OnResponse(std::uint64_t id, net::HttpResult result) {
  auto found = in_flight_.find(id);
  if (found == in_flight_.end()) return;  // completed by Shutdown
  Call call = std::move(found->second);
  in_flight_.erase(found);

  const core::Millis now = clock_.NowMs();
  std::optional<core::Millis> server_time;
  if (result) {
    if (auto date = result->Header("Date")) server_time = net::ParseHttpDate(*date);
  }
  auto outcome = Classify(call, std::move(result), now);
  if (outcome) {
    Complete(call, std::move(*outcome), server_time);
  } else if (outcome.error().retryable && call.attempts < options_.max_attempts) {
    const RestError& error = outcome.error().error;
    // A 429 waits for the limiter's ban to end; other failures back off.
    call.not_before = error.kind == RestErrorKind::kRateLimited ? limiter_.stats().banned_until
                                                                : now + call.backoff.NextDelay();
    if (logger_) {
      logger_->warn("{}; retry {} of {} at {}", error.message, call.attempts,
                    options_.max_attempts - 1, core::FormatIsoUtc(call.not_before));
    }
    queue_.push_front(std::move(call));
  } else {
    RestError error = std::move(outcome.error().error);
    if (outcome.error().retryable) {
      error.message += fmt::format(" (after {} attempts)", call.attempts);
    }
    Complete(call, std::unexpected(std::move(error)));
  }
  Pump();
}

std::expected<std::string, RestClient::SendError> RestClient::Classify(const Call& call,
                                                                       net::HttpResult result,
                                                                       core::Millis now) {
  const std::string what = Describe(call);
  if (!result) {
    const net::HttpError& error = result.error();
    const std::string message =
        fmt::format("{}: {}: {}", what, net::HttpErrorKindName(error.kind), error.message);
    switch (error.kind) {
      case net::HttpErrorKind::kTimeout:
        return std::unexpected(SendError{{RestErrorKind::kTimeout, 0, message}, true});
      case net::HttpErrorKind::kConnect:
      case net::HttpErrorKind::kConnectionLost:
        return std::unexpected(SendError{{RestErrorKind::kTransport, 0, message}, true});
      case net::HttpErrorKind::kShutdown:
        return std::unexpected(SendError{{RestErrorKind::kShutdown, 0, message}, false});
      case net::HttpErrorKind::kInvalidRequest:
        return std::unexpected(SendError{{RestErrorKind::kInvalidRequest, 0, message}, false});
      case net::HttpErrorKind::kTls:
      case net::HttpErrorKind::kTooLarge:
      case net::HttpErrorKind::kProtocol:
        break;  // a retry would meet the same answer
    }
    return std::unexpected(SendError{{RestErrorKind::kTransport, 0, message}, false});
  }

  net::HttpResponse& response = *result;
  if (auto used = ParseInteger(response.Header("X-MBX-USED-WEIGHT-1M"))) {
    limiter_.OnUsedWeightHeader(*used, now);
  }
  const unsigned status = response.status;
  if (status >= 200 && status < 300) return std::move(response.body);

  std::optional<BinanceError> binance = parser_.ParseBinanceError(response.body);
  const std::string detail = binance ? DescribeBinanceError(*binance) : Excerpt(response.body);
  const std::string message = fmt::format("{}: HTTP {}: {}", what, status, detail);

  if (status == 429 || status == 418) {
    std::optional<core::Millis> retry_after;
    if (auto seconds = ParseInteger(response.Header("Retry-After"))) {
      retry_after = *seconds * core::kSecond;
    }
    limiter_.OnBan(static_cast<int>(status), retry_after, now);
    const std::string until = core::FormatIsoUtc(limiter_.stats().banned_until);
    if (status == 418) {
      if (logger_) {
        logger_->error(
            "BINANCE IP BAN: {} answered 418; every {} REST call is stopped until {}. Repeated "
            "429s earn longer bans (2 minutes to 3 days): check what else uses this IP's budget.",
            options_.base_url, core::MarketName(options_.market), until);
      }
      return std::unexpected(SendError{
          {RestErrorKind::kIpBanned, status, message + "; IP banned until " + until}, false});
    }
    if (logger_) {
      logger_->warn("{} answered 429: every {} REST call waits until {}", options_.base_url,
                    core::MarketName(options_.market), until);
    }
    return std::unexpected(SendError{
        {RestErrorKind::kRateLimited, status, message + "; backing off until " + until}, true});
  }
  if (status == 451 || (binance && binance->restricted_location)) {
    if (logger_) {
      logger_->error("{}: Binance refuses this location; use another endpoint or host", message);
    }
    return std::unexpected(SendError{{RestErrorKind::kRestrictedLocation, status, message}, false});
  }
  if (status >= 500) {
    return std::unexpected(SendError{{RestErrorKind::kServerError, status, message}, true});
  }
  return std::unexpected(SendError{{RestErrorKind::kRejected, status, message}, false});
}

void RestClient::Complete(Call& call, RestResult<std::string> result,
                          std::optional<core::Millis> server_time) {
  Finish finish = std::move(call.finish);
  finish(std::move(result), server_time);
}

template <class T>
void RestClient::Deliver(Callback<T>& done, RestResult<T> result) {
  if (result) {
    ++stats_.succeeded;
  } else {
    ++stats_.failed;
  }
  // Posted: a callback never runs inside the call (Get*, Shutdown) that completes it, may start
  // new calls freely, and does not touch the client (which may be gone by then).
  boost::asio::post(io_context_, [done = std::move(done), result = std::move(result)]() mutable {
    done(std::move(result));
  });
}

void RestClient::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  timer_.Cancel();
  auto fail = [this](Call& call) {
    Complete(call, std::unexpected(RestError{RestErrorKind::kShutdown, 0,
                                             Describe(call) + ": the client was shut down"}));
  };
  std::deque<Call> queued = std::move(queue_);
  queue_.clear();
  for (Call& call : queued) fail(call);
  std::map<std::uint64_t, Call> in_flight = std::move(in_flight_);
  in_flight_.clear();
  for (auto& [id, call] : in_flight) fail(call);
}

std::string RestClient::Describe(const Call& call) const {
  return fmt::format("{} {}", core::MarketName(options_.market), EndpointName(call.endpoint));
}

}  // namespace scanner::binance
