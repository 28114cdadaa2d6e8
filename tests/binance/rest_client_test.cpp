// RestClient against the fake Binance REST server on 127.0.0.1, with a FakeClock: weight
// accounting, 429/418 handling, retries, error classification and TLS.

#include "binance/rest_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "fakes/fake_binance_rest.h"
#include "fakes/manual_wake_up_timer.h"
#include "support/fixture_files.h"

namespace scanner::binance {
namespace {

using core::kMinute;
using core::kSecond;
using core::Market;
using fakes::FakeBinanceRest;
using fakes::FakeBinanceRestOptions;
using fakes::RestFault;
using ::testing::HasSubstr;

// 2024-03-10T12:00:05Z.
constexpr core::Millis kT0 = 1710072005000;

std::string Fixture(const std::string& name) { return support::ReadFixture("rest", name); }
std::string Tls(const std::string& name) { return support::FixturePath("tls", name); }

FakeBinanceRestOptions SpotPayloads() {
  FakeBinanceRestOptions options;
  options.market = Market::kSpot;
  options.exchange_info_body = Fixture("spot_exchangeInfo_2021-10-22_trimmed_BTCUSDT_ETHUSDT.json");
  options.tickers_body = Fixture("spot_ticker24hr_all_2024-03-10.json");
  options.klines_body = Fixture("spot_BTCUSDT_1m_2021-10-22_10rows.json");
  return options;
}

// Where a callback puts its result.
template <class T>
struct Outcome {
  int calls = 0;
  std::optional<RestResult<T>> result;

  RestClient::Callback<T> Callback() {
    return [this](RestResult<T> r) {
      ++calls;
      result = std::move(r);
    };
  }
  bool done() const { return calls > 0; }
  bool ok() const { return result && result->has_value(); }
  const T& value() const { return **result; }
  const RestError& error() const { return result->error(); }
};

KlinesQuery Klines(std::string symbol, int limit) {
  KlinesQuery query;
  query.symbol = std::move(symbol);
  query.interval = *core::Interval::Parse("1m");
  query.limit = limit;
  return query;
}

// RestClientOptions for the fake; 0 keeps the default.
RestClientOptions Options(Market market, int weight_limit = 0, std::size_t max_in_flight = 0,
                          int max_attempts = 0) {
  RestClientOptions options;
  options.market = market;
  if (weight_limit > 0) options.weight_limit_per_minute = weight_limit;
  if (max_in_flight > 0) options.max_in_flight = max_in_flight;
  if (max_attempts > 0) options.max_attempts = max_attempts;
  return options;
}

class RestClientTest : public ::testing::Test {
 protected:
  void StartFake(FakeBinanceRestOptions options) {
    auto fake = FakeBinanceRest::Start(io_, clock_, std::move(options));
    ASSERT_TRUE(fake) << fake.error().message;
    fake_ = std::move(*fake);
  }

  void MakeClient(RestClientOptions options, std::string ca_file = "",
                  std::chrono::milliseconds request_timeout = std::chrono::seconds(10)) {
    net::HttpClientOptions http_options;
    http_options.ca_file = std::move(ca_file);
    http_options.request_timeout = request_timeout;
    auto http = net::HttpClient::Create(io_, http_options, nullptr);
    ASSERT_TRUE(http) << http.error().message;
    http_ = std::move(*http);
    if (options.base_url.empty()) options.base_url = fake_->BaseUrl();
    client_ =
        std::make_unique<RestClient>(io_, *http_, timer_, clock_, std::move(options), logger_);
  }

  bool Drive(const std::function<bool()>& done) {
    return fakes::DriveUntil(io_, clock_, {&timer_}, done,
                             [this] { return client_->InFlightCalls() > 0; });
  }

  std::string Logs() const { return log_stream_.str(); }

  std::ostringstream log_stream_;
  std::shared_ptr<spdlog::logger> logger_ = std::make_shared<spdlog::logger>(
      "rest", std::make_shared<spdlog::sinks::ostream_sink_st>(log_stream_));
  boost::asio::io_context io_;
  core::FakeClock clock_{kT0};
  fakes::ManualWakeUpTimer timer_{io_};
  std::unique_ptr<FakeBinanceRest> fake_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<RestClient> client_;
};

TEST_F(RestClientTest, SpotCallsParseRealPayloadsAndAdoptTheLiveWeightLimit) {
  StartFake(SpotPayloads());
  MakeClient(Options(Market::kSpot));
  EXPECT_EQ(client_->limiter().limit_per_minute(), 6000);

  Outcome<ExchangeInfo> info;
  Outcome<Tickers24h> tickers;
  Outcome<std::vector<core::Bar>> bars;
  client_->GetExchangeInfo(info.Callback());
  client_->GetTickers24h(tickers.Callback());
  client_->GetKlines(Klines("BTCUSDT", 10), bars.Callback());
  EXPECT_FALSE(info.done());  // never inside the call
  ASSERT_TRUE(Drive([&] { return info.done() && tickers.done() && bars.done(); }));

  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info.value().symbols.size(), 2u);
  ASSERT_TRUE(tickers.ok()) << tickers.error().message;
  EXPECT_EQ(tickers.value().tickers.size(), 2519u);
  EXPECT_TRUE(tickers.value().skipped.empty());
  ASSERT_TRUE(bars.ok()) << bars.error().message;
  EXPECT_EQ(bars.value().size(), 10u);
  EXPECT_TRUE(bars.value().back().closed);  // 2021 bars, clock in 2024

  // The recorded exchangeInfo states 1200/min: the limiter adopts it.
  EXPECT_EQ(client_->limiter().limit_per_minute(), 1200);
  EXPECT_EQ(client_->limiter().budget(), 960);
  EXPECT_THAT(fake_->stats().targets, ::testing::UnorderedElementsAre(
                                          "/api/v3/exchangeInfo", "/api/v3/ticker/24hr",
                                          "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=10"));
  // Both sides charged 20 + 80 + 2, and the client saw the server's count.
  EXPECT_EQ(fake_->stats().MaxWindowWeight(), 102);
  EXPECT_EQ(client_->limiter().UsedWeight(clock_.NowMs()), 102);
  EXPECT_EQ(client_->stats().succeeded, 3);
}

TEST_F(RestClientTest, UsdmPathsAndLimitDependentKlinesWeight) {
  FakeBinanceRestOptions options;
  options.market = Market::kUsdm;
  options.weight_limit_per_minute = 2400;
  options.exchange_info_body = Fixture("usdm_fapi_exchangeInfo_2021-07-21_full.json");
  options.klines_body = Fixture("usdm_continuousKlines_1row.json");
  StartFake(std::move(options));
  MakeClient(Options(Market::kUsdm));

  Outcome<ExchangeInfo> info;
  Outcome<std::vector<core::Bar>> bars;
  client_->GetExchangeInfo(info.Callback());
  client_->GetKlines(Klines("BTCUSDT", 1500), bars.Callback());
  ASSERT_TRUE(Drive([&] { return info.done() && bars.done(); }));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info.value().symbols.size(), 122u);
  ASSERT_TRUE(bars.ok()) << bars.error().message;
  EXPECT_EQ(fake_->stats().MaxWindowWeight(), 1 + 10);
  EXPECT_THAT(fake_->stats().targets, ::testing::UnorderedElementsAre(
                                          "/fapi/v1/exchangeInfo",
                                          "/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=1500"));
}

TEST_F(RestClientTest, BurstNeverExceedsTheBudgetTheFakeEnforces) {
  FakeBinanceRestOptions options = SpotPayloads();
  options.weight_limit_per_minute = 200;
  StartFake(std::move(options));
  MakeClient(Options(Market::kSpot, 200));  // budget 160

  std::vector<Outcome<std::vector<core::Bar>>> bars(150);  // 300 weight
  std::vector<Outcome<Tickers24h>> tickers(3);             // 240 weight
  for (auto& outcome : bars) client_->GetKlines(Klines("BTCUSDT", 100), outcome.Callback());
  for (auto& outcome : tickers) client_->GetTickers24h(outcome.Callback());
  auto all_done = [&] {
    return std::all_of(bars.begin(), bars.end(), [](auto& o) { return o.done(); }) &&
           std::all_of(tickers.begin(), tickers.end(), [](auto& o) { return o.done(); });
  };
  ASSERT_TRUE(Drive(all_done));

  for (auto& outcome : bars) ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  for (auto& outcome : tickers) ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(fake_->stats().responses_429, 0);
  EXPECT_EQ(fake_->stats().responses_418, 0);
  EXPECT_LE(fake_->stats().MaxWindowWeight(), 160);
  std::int64_t total = 0;
  for (const auto& [window, weight] : fake_->stats().weight_by_window) total += weight;
  EXPECT_EQ(total, 540);
  // 540 weight at 160 per minute: at least four windows, so the clock moved 3+ minutes.
  EXPECT_GE(fake_->stats().weight_by_window.size(), 4u);
  EXPECT_GE(clock_.NowMs(), kT0 + 3 * kMinute - 5 * kSecond);
  EXPECT_EQ(client_->stats().retries, 0);
}

TEST_F(RestClientTest, ServerCountAheadOfOursIsRespected) {
  FakeBinanceRestOptions options = SpotPayloads();
  options.weight_limit_per_minute = 200;
  StartFake(std::move(options));
  fake_->ChargeWeight(150);  // another process on the same IP
  MakeClient(Options(Market::kSpot, 200));

  std::vector<Outcome<std::vector<core::Bar>>> bars(30);  // 60 weight
  for (auto& outcome : bars) client_->GetKlines(Klines("BTCUSDT", 100), outcome.Callback());
  ASSERT_TRUE(Drive(
      [&] { return std::all_of(bars.begin(), bars.end(), [](auto& o) { return o.done(); }); }));
  for (auto& outcome : bars) ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(fake_->stats().responses_429, 0);
  EXPECT_LE(fake_->stats().MaxWindowWeight(), 200);
  // The first window could not take the 60: the rest went in the next one.
  EXPECT_GE(fake_->stats().weight_by_window.size(), 2u);
}

TEST_F(RestClientTest, Status429WithRetryAfterStopsEveryCallUntilItPasses) {
  FakeBinanceRestOptions options = SpotPayloads();
  options.fault_retry_after = 7 * kSecond;
  StartFake(std::move(options));
  fake_->InjectFault(RestFault::k429);
  MakeClient(Options(Market::kSpot, 0, 1));

  Outcome<Tickers24h> first;
  Outcome<ExchangeInfo> second;
  Outcome<std::vector<core::Bar>> third;
  client_->GetTickers24h(first.Callback());
  client_->GetExchangeInfo(second.Callback());
  client_->GetKlines(Klines("BTCUSDT", 5), third.Callback());
  ASSERT_TRUE(Drive([&] { return first.done() && second.done() && third.done(); }));

  ASSERT_TRUE(first.ok()) << first.error().message;  // retried once the ban ended
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_TRUE(third.ok()) << third.error().message;
  EXPECT_EQ(fake_->stats().responses_429, 1);
  EXPECT_EQ(fake_->stats().responses_418, 0);  // nothing was sent before Retry-After
  EXPECT_EQ(client_->limiter().stats().responses_429, 1);
  EXPECT_EQ(client_->limiter().stats().banned_until, kT0 + 7 * kSecond);
  EXPECT_GE(clock_.NowMs(), kT0 + 7 * kSecond);
  EXPECT_EQ(fake_->stats().targets,
            (std::vector<std::string>{"/api/v3/ticker/24hr", "/api/v3/ticker/24hr",
                                      "/api/v3/exchangeInfo",
                                      "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=5"}));
  EXPECT_EQ(client_->stats().retries, 1);
  EXPECT_THAT(Logs(), HasSubstr("answered 429"));
}

TEST_F(RestClientTest, Status418FailsTheCallLoudlyAndStopsEveryOtherUntilTheBanEnds) {
  FakeBinanceRestOptions options = SpotPayloads();
  options.ban_duration = 3 * kMinute;
  StartFake(std::move(options));
  fake_->InjectFault(RestFault::k418);
  MakeClient(Options(Market::kSpot, 0, 1));

  Outcome<ExchangeInfo> banned;
  Outcome<std::vector<core::Bar>> later;
  client_->GetExchangeInfo(banned.Callback());
  client_->GetKlines(Klines("BTCUSDT", 5), later.Callback());
  ASSERT_TRUE(Drive([&] { return banned.done() && later.done(); }));

  ASSERT_FALSE(banned.ok());
  EXPECT_EQ(banned.error().kind, RestErrorKind::kIpBanned);
  EXPECT_EQ(banned.error().http_status, 418u);
  EXPECT_THAT(banned.error().message, HasSubstr("IP banned until 2024-03-10T12:03:05.000Z"));
  ASSERT_TRUE(later.ok()) << later.error().message;
  EXPECT_GE(clock_.NowMs(), kT0 + 3 * kMinute);
  EXPECT_EQ(fake_->stats().responses_418, 1);  // the client did not call during the ban
  EXPECT_EQ(client_->limiter().stats().responses_418, 1);
  EXPECT_EQ(fake_->stats().requests, 2);
  EXPECT_THAT(Logs(), HasSubstr("BINANCE IP BAN"));
}

TEST_F(RestClientTest, ServerErrorsAreRetriedWithBackoff) {
  StartFake(SpotPayloads());
  fake_->InjectFault(RestFault::k503, 2);
  MakeClient(Options(Market::kSpot));

  Outcome<ExchangeInfo> info;
  client_->GetExchangeInfo(info.Callback());
  ASSERT_TRUE(Drive([&] { return info.done(); }));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(fake_->stats().requests, 3);
  EXPECT_EQ(client_->stats().retries, 2);
  // Two back-offs of at least half of 1 s and 2 s (jitter 0.5).
  EXPECT_GE(clock_.NowMs(), kT0 + 1500);
  EXPECT_THAT(Logs(), HasSubstr("HTTP 503"));
}

TEST_F(RestClientTest, ServerErrorsGiveUpAfterMaxAttempts) {
  StartFake(SpotPayloads());
  fake_->InjectFault(RestFault::k500, 10);
  MakeClient(Options(Market::kSpot, 0, 0, 3));

  Outcome<Tickers24h> tickers;
  client_->GetTickers24h(tickers.Callback());
  ASSERT_TRUE(Drive([&] { return tickers.done(); }));
  ASSERT_FALSE(tickers.ok());
  EXPECT_EQ(tickers.error().kind, RestErrorKind::kServerError);
  EXPECT_EQ(tickers.error().http_status, 500u);
  EXPECT_THAT(tickers.error().message, HasSubstr("after 3 attempts"));
  EXPECT_EQ(fake_->stats().requests, 3);
}

TEST_F(RestClientTest, OtherClientErrorsAreNotRetried) {
  FakeBinanceRestOptions options = SpotPayloads();
  options.klines_for = [](std::string_view symbol) -> std::optional<std::string> {
    if (symbol == "BTCUSDT") return Fixture("spot_BTCUSDT_1m_2021-10-22_10rows.json");
    return std::nullopt;
  };
  StartFake(std::move(options));
  MakeClient(Options(Market::kSpot));

  Outcome<std::vector<core::Bar>> bars;
  client_->GetKlines(Klines("NOSUCHUSDT", 5), bars.Callback());
  ASSERT_TRUE(Drive([&] { return bars.done(); }));
  ASSERT_FALSE(bars.ok());
  EXPECT_EQ(bars.error().kind, RestErrorKind::kRejected);
  EXPECT_EQ(bars.error().http_status, 400u);
  EXPECT_THAT(bars.error().message, HasSubstr("Binance error -1121: Invalid symbol."));
  EXPECT_EQ(fake_->stats().requests, 1);
}

TEST_F(RestClientTest, KlinesQueryReachesTheServerWhole) {
  FakeBinanceRestOptions options = SpotPayloads();
  std::vector<std::string> seen;
  options.klines_for_target = [&seen](std::string_view target) -> std::optional<std::string> {
    seen.emplace_back(target);
    return Fixture("spot_BTCUSDT_1m_2021-10-22_10rows.json");
  };
  StartFake(std::move(options));
  fake_->InjectFault(RestFault::kHold);  // answered later by ReleaseHeld, with its own target
  MakeClient(Options(Market::kSpot));

  KlinesQuery query = Klines("BTCUSDT", 10);
  query.start_time = 1634943780000;
  query.end_time = 1634944379999;
  Outcome<std::vector<core::Bar>> bars;
  client_->GetKlines(query, bars.Callback());
  ASSERT_TRUE(Drive([&] { return fake_->HeldRequests() == 1; }));
  fake_->ReleaseHeld();
  ASSERT_TRUE(Drive([&] { return bars.done(); }));
  ASSERT_TRUE(bars.ok()) << bars.error().message;
  EXPECT_EQ(seen, (std::vector<std::string>{KlinesTarget(Market::kSpot, query)}));
  EXPECT_EQ(bars.value().front().open_time, 1634943780000);
}

TEST_F(RestClientTest, MalformedJsonIsReportedNotRetried) {
  StartFake(SpotPayloads());
  fake_->InjectFault(RestFault::kMalformed);
  MakeClient(Options(Market::kSpot));

  Outcome<Tickers24h> tickers;
  client_->GetTickers24h(tickers.Callback());
  ASSERT_TRUE(Drive([&] { return tickers.done(); }));
  ASSERT_FALSE(tickers.ok());
  EXPECT_EQ(tickers.error().kind, RestErrorKind::kMalformed);
  EXPECT_THAT(tickers.error().message, ::testing::StartsWith("ticker/24hr: "));
  EXPECT_EQ(fake_->stats().requests, 1);
}

TEST_F(RestClientTest, RestrictedLocationIsReportedAsSuch) {
  StartFake(SpotPayloads());
  fake_->InjectFault(RestFault::kRestricted);
  MakeClient(Options(Market::kSpot));

  Outcome<ExchangeInfo> info;
  client_->GetExchangeInfo(info.Callback());
  ASSERT_TRUE(Drive([&] { return info.done(); }));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().kind, RestErrorKind::kRestrictedLocation);
  EXPECT_EQ(info.error().http_status, 451u);
  EXPECT_THAT(info.error().message, HasSubstr("restricted location (Binance code 0)"));
  EXPECT_EQ(fake_->stats().requests, 1);
}

TEST_F(RestClientTest, TimeoutsAreRetried) {
  StartFake(SpotPayloads());
  fake_->InjectFault(RestFault::kHold);
  MakeClient(Options(Market::kSpot), "", std::chrono::milliseconds(200));

  Outcome<ExchangeInfo> info;
  client_->GetExchangeInfo(info.Callback());
  ASSERT_TRUE(Drive([&] { return info.done(); }));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(fake_->HeldRequests(), 1u);
  EXPECT_EQ(fake_->stats().requests, 2);
  EXPECT_EQ(client_->stats().retries, 1);
  EXPECT_THAT(Logs(), HasSubstr("timeout"));
}

TEST_F(RestClientTest, TlsAcceptedWithTheTestCa) {
  FakeBinanceRestOptions options = SpotPayloads();
  options.cert_file = Tls("server.pem");
  options.key_file = Tls("server.key");
  StartFake(std::move(options));
  ASSERT_THAT(fake_->BaseUrl(), ::testing::StartsWith("https://"));
  MakeClient(Options(Market::kSpot), Tls("ca.pem"));

  Outcome<ExchangeInfo> info;
  client_->GetExchangeInfo(info.Callback());
  ASSERT_TRUE(Drive([&] { return info.done(); }));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info.value().symbols.size(), 2u);
}

TEST_F(RestClientTest, TlsRejectedWithoutTheTestCaAndNotRetried) {
  FakeBinanceRestOptions options = SpotPayloads();
  options.cert_file = Tls("server.pem");
  options.key_file = Tls("server.key");
  StartFake(std::move(options));
  MakeClient(Options(Market::kSpot));

  Outcome<ExchangeInfo> info;
  client_->GetExchangeInfo(info.Callback());
  ASSERT_TRUE(Drive([&] { return info.done(); }));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().kind, RestErrorKind::kTransport);
  EXPECT_THAT(info.error().message, HasSubstr("tls"));
  EXPECT_EQ(fake_->stats().requests, 0);
  EXPECT_EQ(client_->stats().requests_sent, 1);
}

TEST_F(RestClientTest, InvalidQueriesAndOversizedWeightsNeverReachTheServer) {
  StartFake(SpotPayloads());
  MakeClient(Options(Market::kSpot, 50));  // budget 40 < 80

  Outcome<std::vector<core::Bar>> bad_limit;
  Outcome<Tickers24h> too_heavy;
  client_->GetKlines(Klines("BTCUSDT", 1001), bad_limit.Callback());
  client_->GetTickers24h(too_heavy.Callback());
  ASSERT_TRUE(Drive([&] { return bad_limit.done() && too_heavy.done(); }));
  EXPECT_EQ(bad_limit.error().kind, RestErrorKind::kInvalidRequest);
  EXPECT_EQ(too_heavy.error().kind, RestErrorKind::kInvalidRequest);
  EXPECT_THAT(too_heavy.error().message, HasSubstr("weight 80 exceeds the whole budget of 40"));
  EXPECT_EQ(fake_->stats().requests, 0);
}

TEST_F(RestClientTest, ShutdownCompletesEveryPendingCall) {
  FakeBinanceRestOptions options = SpotPayloads();
  StartFake(std::move(options));
  MakeClient(Options(Market::kSpot, 100));  // budget 80: one ticker

  std::vector<Outcome<Tickers24h>> tickers(3);
  for (auto& outcome : tickers) client_->GetTickers24h(outcome.Callback());
  ASSERT_TRUE(Drive([&] { return tickers[0].done(); }));
  EXPECT_TRUE(tickers[0].ok());
  EXPECT_EQ(client_->QueuedCalls(), 2u);  // waiting for the next window

  client_->Shutdown();
  Outcome<ExchangeInfo> after;
  client_->GetExchangeInfo(after.Callback());
  ASSERT_TRUE(Drive([&] { return tickers[1].done() && tickers[2].done() && after.done(); }));
  EXPECT_EQ(tickers[1].error().kind, RestErrorKind::kShutdown);
  EXPECT_EQ(tickers[2].error().kind, RestErrorKind::kShutdown);
  EXPECT_EQ(after.error().kind, RestErrorKind::kShutdown);
  EXPECT_EQ(fake_->stats().requests, 1);
  for (auto& outcome : tickers) EXPECT_EQ(outcome.calls, 1);
}

// The recorded 10 bars end with the bar closing at 2021-10-22T23:12:59.999Z; the fake's own
// clock (its Date header) decides whether that last bar was final when Binance answered.
constexpr core::Millis kLastBarEnd = 1634944380000;  // its close time + 1

class RestClientKlinesTest : public RestClientTest {
 protected:
  std::vector<core::Bar> FetchTenBars() {
    Outcome<std::vector<core::Bar>> bars;
    client_->GetKlines(Klines("BTCUSDT", 10), bars.Callback());
    EXPECT_TRUE(Drive([&] { return bars.done(); }));
    EXPECT_TRUE(bars.ok()) << bars.error().message;
    return bars.ok() ? bars.value() : std::vector<core::Bar>{};
  }
};

TEST_F(RestClientKlinesTest, LastBarFollowsBinancesClockWhenOursRunsAhead) {
  StartFake(SpotPayloads());
  MakeClient(Options(Market::kSpot));

  // The scanner's clock is in 2024; Binance's is half a second past the bar's close time.
  fake_->SetServerClockOffset(kLastBarEnd + 500 - clock_.NowMs());
  std::vector<core::Bar> bars = FetchTenBars();
  ASSERT_EQ(bars.size(), 10u);
  EXPECT_FALSE(bars.back().closed) << "a bar Binance may still update was marked closed";
  EXPECT_TRUE(bars[8].closed);

  fake_->SetServerClockOffset(kLastBarEnd + 1000 - clock_.NowMs());
  bars = FetchTenBars();
  ASSERT_EQ(bars.size(), 10u);
  EXPECT_TRUE(bars.back().closed);
}

TEST_F(RestClientKlinesTest, LastBarFollowsBinancesClockWhenOursLagsBehind) {
  StartFake(SpotPayloads());
  clock_.Set(kLastBarEnd - 10 * kMinute);
  MakeClient(Options(Market::kSpot));

  // Binance's clock is ten minutes and a second ahead: the bar is over for Binance.
  fake_->SetServerClockOffset(10 * kMinute + 1000);
  std::vector<core::Bar> bars = FetchTenBars();
  ASSERT_EQ(bars.size(), 10u);
  for (const core::Bar& bar : bars) EXPECT_TRUE(bar.closed) << bar.open_time;
}

TEST_F(RestClientKlinesTest, WithoutADateHeaderTheLastBarStaysForming) {
  FakeBinanceRestOptions options = SpotPayloads();
  options.send_date = false;
  StartFake(std::move(options));
  MakeClient(Options(Market::kSpot));  // its clock in 2024: every bar closed long ago

  for (int call = 0; call < 2; ++call) {
    std::vector<core::Bar> bars = FetchTenBars();
    ASSERT_EQ(bars.size(), 10u);
    EXPECT_FALSE(bars.back().closed) << "closed by the local clock alone";
    EXPECT_TRUE(bars[8].closed);
  }
  EXPECT_EQ(client_->stats().klines_without_server_time, 2);
  const std::string logs = Logs();
  const auto first = logs.find("without a usable Date header");
  ASSERT_NE(first, std::string::npos) << logs;
  EXPECT_EQ(logs.find("without a usable Date header", first + 1), std::string::npos)
      << "logged once only";
}

TEST_F(RestClientKlinesTest, AnUnparsableDateHeaderIsNoServerTime) {
  StartFake(SpotPayloads());
  MakeClient(Options(Market::kSpot));
  // Binance's clock years past every bar, but written in the obsolete RFC 850 form.
  fake_->SetDateValue("Sunday, 10-Mar-24 12:00:05 GMT");
  std::vector<core::Bar> bars = FetchTenBars();
  ASSERT_EQ(bars.size(), 10u);
  EXPECT_FALSE(bars.back().closed);
  EXPECT_EQ(client_->stats().klines_without_server_time, 1);
}

TEST_F(RestClientTest, MarketSnapshotFetchesExchangeInfoThenTickers) {
  StartFake(SpotPayloads());
  MakeClient(Options(Market::kSpot));

  Outcome<MarketSnapshot> snapshot;
  client_->GetMarketSnapshot(snapshot.Callback());
  ASSERT_TRUE(Drive([&] { return snapshot.done(); }));
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
  EXPECT_EQ(snapshot.value().exchange_info.symbols.size(), 2u);
  EXPECT_EQ(snapshot.value().tickers.size(), 2519u);
  EXPECT_EQ(snapshot.value().fetched_at, clock_.NowMs());
  EXPECT_EQ(fake_->stats().targets,
            (std::vector<std::string>{"/api/v3/exchangeInfo", "/api/v3/ticker/24hr"}));
  EXPECT_TRUE(snapshot.value().skipped_tickers.empty());
}

TEST_F(RestClientTest, MarketSnapshotKeepsTheUsableTickerRowsAndLogsEachKindOfBadRowOnce) {
  FakeBinanceRestOptions options = SpotPayloads();
  options.tickers_body =
      R"([{"symbol":"BTCUSDT","priceChangePercent":"1.5","quoteVolume":"100"},)"
      R"({"symbol":"ETHUSDT","openPrice":"2","lastPrice":"3","quoteVolume":"50"},)"
      R"({"symbol":"XUSDT","priceChangePercent":"1","lastPrice":"1"},)"
      R"({"symbol":"YUSDT","priceChangePercent":"1"},)"
      R"({"quoteVolume":"5"},)"
      R"(7])";
  StartFake(std::move(options));
  MakeClient(Options(Market::kSpot));

  Outcome<MarketSnapshot> snapshot;
  client_->GetMarketSnapshot(snapshot.Callback());
  ASSERT_TRUE(Drive([&] { return snapshot.done(); }));
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
  ASSERT_EQ(snapshot.value().tickers.size(), 2u);
  EXPECT_EQ(snapshot.value().tickers[1].symbol, "ETHUSDT");
  EXPECT_DOUBLE_EQ(snapshot.value().tickers[1].price_change_percent, 50);  // from open and last
  EXPECT_EQ(snapshot.value().skipped_tickers,
            (std::vector<SkippedRows>{{"missing quoteVolume", 2, 2, "XUSDT"},
                                      {"missing symbol", 1, 4, ""},
                                      {"not an object", 1, 5, ""}}));
  const std::string logs = Logs();
  EXPECT_THAT(logs, HasSubstr("spot ticker/24hr: 2 rows skipped: missing quoteVolume (the first: "
                              "[2] XUSDT)"));
  EXPECT_THAT(logs, HasSubstr("spot ticker/24hr: 1 row skipped: not an object (the first: [5])"));
  std::size_t lines = 0;
  for (std::size_t at = logs.find("ticker/24hr: "); at != std::string::npos;
       at = logs.find("ticker/24hr: ", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 3u);  // one per kind, not one per row
}

}  // namespace
}  // namespace scanner::binance
