// ScannerService on its own event loop, with Binance unreachable: the status endpoint tells why
// it is unhealthy without leaking a secret, SIGHUP-style reloads say what applies, and Stop
// completes. (The end-to-end test in tests/e2e runs the whole process against the fakes.)

#include "app/scanner_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <sstream>

#include "support/scratch_dir.h"
#include "alerts/alert_store.h"
#include "config/defaults.h"
#include "storage/schema.h"
#include "net/http_client.h"

namespace scanner::app {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kToken = "sEcReT-wEbHoOk-ToKeN";

// Stores an alert created `age` ago with nothing pending, in the service's database file.
alerts::AlertId StoreOldAlert(const std::string& database, core::Millis age) {
  auto db = storage::Database::Open(database, storage::ScannerMigrations());
  EXPECT_TRUE(db);
  core::FakeClock then(core::SystemClock().NowMs() - age);
  auto store = alerts::AlertStore::Open(**db, then, core::Market::kSpot);
  EXPECT_TRUE(store);
  core::Candidate candidate;
  candidate.symbol = "OLDUSDT";
  candidate.interval = *core::Interval::Parse("1m");
  candidate.bar_close_time = then.NowMs() - 1;
  candidate.bar_open_time = candidate.bar_close_time - core::kMinute + 1;
  auto inserted = (*store)->Insert(candidate, {});
  EXPECT_TRUE(inserted);
  return inserted ? inserted->id : 0;
}

class ScannerServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    old_alert_ = StoreOldAlert(dir_.Path("scanner.db"), 8 * core::kDay);
    recent_alert_ = StoreOldAlert(dir_.Path("scanner.db"), core::kDay);
    logger_ = std::make_shared<spdlog::logger>("test",
                                               std::make_shared<spdlog::sinks::null_sink_mt>());
    config_ = config::DefaultConfig(core::Market::kSpot);
    config_.exchange.rest_url = "http://127.0.0.1:1";  // refused at once
    config_.exchange.ws_url = "ws://127.0.0.1:1";
    config_.streams.intervals = {*core::Interval::Parse("1m")};
    config_.alerts.database = dir_.Path("scanner.db");
    config_.alerts.discord.webhook_urls = {
        "https://discord.com/api/webhooks/999/" + std::string(kToken)};
    config_.status.listen = "127.0.0.1:0";
    ScannerServiceOptions options;
    options.console = &console_;
    auto service = ScannerService::Create(io_, clock_, config_, options, logger_);
    ASSERT_TRUE(service) << service.error().message;
    service_ = std::move(*service);
    auto started = service_->Start();
    ASSERT_TRUE(started) << started.error().message;
    auto http = net::HttpClient::Create(io_, {}, logger_);
    ASSERT_TRUE(http);
    http_ = std::move(*http);
  }

  net::HttpResponse Get(const std::string& path,
                        boost::beast::http::verb method = boost::beast::http::verb::get) {
    net::HttpRequest request;
    request.method = method;
    request.url = fmt::format("http://127.0.0.1:{}{}", service_->status_port(), path);
    std::optional<net::HttpResult> result;
    http_->Send(request, [&](net::HttpResult r) { result = std::move(r); });
    while (!result) io_.run_one();
    EXPECT_TRUE(*result) << result->error().message;
    return result->has_value() ? **result : net::HttpResponse{};
  }

  support::ScratchDir dir_;
  boost::asio::io_context io_;
  core::SystemClock clock_;
  std::ostringstream console_;
  std::shared_ptr<spdlog::logger> logger_;
  config::Config config_;
  std::unique_ptr<ScannerService> service_;
  std::unique_ptr<net::HttpClient> http_;
  alerts::AlertId old_alert_ = 0;
  alerts::AlertId recent_alert_ = 0;
};

TEST_F(ScannerServiceTest, AlertsOlderThanRetentionAreDeletedAtStart) {
  auto db = storage::Database::Open(dir_.Path("scanner.db"), storage::ScannerMigrations());
  ASSERT_TRUE(db);
  auto store = alerts::AlertStore::Open(**db, clock_, core::Market::kSpot);
  ASSERT_TRUE(store);
  EXPECT_FALSE(*(*store)->FindAlert(old_alert_));  // 8 days > the 7-day retention
  EXPECT_TRUE(*(*store)->FindAlert(recent_alert_));
}

TEST_F(ScannerServiceTest, HealthSaysWhyItIsUnhealthyAndNothingLeaksTheWebhook) {
  net::HttpResponse health = Get("/healthz");
  EXPECT_EQ(health.status, 503u);
  EXPECT_THAT(health.body, HasSubstr("\"status\":\"unhealthy\""));
  EXPECT_THAT(health.body, HasSubstr("no universe"));
  net::HttpResponse metrics = Get("/metrics");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_THAT(metrics.body, HasSubstr("scanner_up 0\n"));
  EXPECT_THAT(metrics.body, HasSubstr("scanner_deliveries_sent_total 0\n"));
  for (const auto& body : {health.body, metrics.body}) {
    EXPECT_THAT(body, Not(HasSubstr(kToken)));
    EXPECT_THAT(body, Not(HasSubstr("webhooks/999")));
  }
  EXPECT_EQ(Get("/").status, 404u);
  EXPECT_EQ(Get("/metrics", boost::beast::http::verb::post).status, 405u);
}

TEST_F(ScannerServiceTest, ReloadAppliesSignalsAndNamesWhatNeedsARestart) {
  config::Config next = config_;
  next.signals.min_atr_move = 4;
  next.universe.top_n = 20;
  std::vector<std::string> messages = service_->Reload(next);
  EXPECT_THAT(messages, Contains("signals reloaded"));
  EXPECT_THAT(messages, Contains("universe.top_n changed: takes effect after a restart"));
  EXPECT_THAT(service_->Reload(next), ::testing::ElementsAre("universe.top_n changed: takes effect after a restart"));

  next.alerts.discord.webhook_urls = {"https://discord.com/api/webhooks/1000/other"};
  EXPECT_THAT(service_->Reload(next), Contains("alerts.discord reloaded"));
  // The new dispatcher takes over once the old one is idle (at once: nothing in flight).
  for (int i = 0; i < 100; ++i) io_.poll();
  EXPECT_THAT(Get("/healthz").body, Not(HasSubstr("other")));
}

// A reload the dispatcher could not apply is refused as a whole, every problem by key path,
// before anything changes; a later good reload then applies (nothing was left half done).
TEST_F(ScannerServiceTest, AnInvalidReloadChangesNothingAndListsEveryProblem) {
  config::Config bad = config_;
  bad.signals.min_atr_move = 4;  // valid on its own: must not be applied either
  bad.alerts.discord.username = "Discord alerts";
  bad.alerts.discord.routes = {
      {"https://discord.com/api/webhooks/not-a-number/" + std::string(kToken), {}, config::MinSeverity::kAny}};
  std::vector<std::string> messages = service_->Reload(bad);
  ASSERT_FALSE(messages.empty());
  EXPECT_THAT(messages.front(), HasSubstr("configuration not reloaded"));
  EXPECT_THAT(messages, Contains(HasSubstr("alerts.discord.username: ")));
  EXPECT_THAT(messages, Contains(HasSubstr("alerts.discord.routes[0].webhook_url: ")));
  for (const std::string& message : messages) EXPECT_THAT(message, Not(HasSubstr(kToken)));

  config::Config good = config_;
  good.signals.min_atr_move = 4;
  good.alerts.discord.webhook_urls = {"https://discord.com/api/webhooks/1000/other"};
  EXPECT_THAT(service_->Reload(good), ::testing::UnorderedElementsAre("alerts.discord reloaded",
                                                                      "signals reloaded"));
  for (int i = 0; i < 100; ++i) io_.poll();
  // And again: a hand-over after a hand-over.
  good.alerts.discord.webhook_urls = {"https://discord.com/api/webhooks/1001/again"};
  EXPECT_THAT(service_->Reload(good), ElementsAre("alerts.discord reloaded"));
  for (int i = 0; i < 100; ++i) io_.poll();
  EXPECT_THAT(Get("/metrics").body, HasSubstr("scanner_deliveries_orphaned"));
}

TEST_F(ScannerServiceTest, StopCompletesAndClosesTheStatusEndpoint) {
  bool stopped = false;
  service_->Stop([&] { stopped = true; });
  for (int i = 0; i < 1000 && !stopped; ++i) io_.run_one_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(stopped);
}

}  // namespace
}  // namespace scanner::app
