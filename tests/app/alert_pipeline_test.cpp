#include "app/alert_pipeline.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <sstream>

#include "../replay/replay_test_support.h"
#include "alerts/alert_store.h"
#include "alerts/console_sink.h"
#include "storage/schema.h"

namespace scanner::app {
namespace {

using replay::testing::ScratchDir;
using replay::testing::SeriesMaker;

constexpr core::Millis kStart = 1'700'000'000'000 - 1'700'000'000'000 % core::kHour;
const core::Interval k1m = *core::Interval::Parse("1m");

// 60 calm bars, then a spike that alerts on the default settings.
std::vector<core::Bar> CalmThenSpike() {
  SeriesMaker maker(kStart, k1m);
  std::vector<core::Bar> bars;
  for (int i = 0; i < 60; ++i) bars.push_back(maker.Calm());
  bars.push_back(maker.Spike(5));
  return bars;
}

// The scanner's pipeline on one database: what `run` builds, minus the network.
class Scanner {
 public:
  Scanner(const std::string& database, core::FakeClock& clock, core::Millis catch_up)
      : logger_(std::make_shared<spdlog::logger>(
            "test", std::make_shared<spdlog::sinks::null_sink_mt>())),
        console_(out_) {
    db_ = std::move(*storage::Database::Open(database, storage::ScannerMigrations()));
    store_ = std::move(*alerts::AlertStore::Open(*db_, clock));
    cooldown_ = std::make_unique<replay::AlertStoreCooldown>(*store_);
    engine_ = std::move(
        *signals::SignalEngine::Create({}, {.cooldown_store = cooldown_.get()}));
    dispatcher_ =
        std::move(*alerts::AlertDispatcher::Create(io_, *store_, console_, clock, {}, logger_));
    EXPECT_TRUE(dispatcher_->Start());
    pipeline_ = std::make_unique<AlertPipeline>(*engine_, *cooldown_, clock, catch_up, logger_);
  }

  AlertPipeline& pipeline() { return *pipeline_; }
  alerts::AlertDispatcher& dispatcher() { return *dispatcher_; }
  // Lets the console delivery print what was stored.
  std::string Printed() {
    io_.restart();
    io_.poll();
    return out_.str();
  }

 private:
  boost::asio::io_context io_;
  std::shared_ptr<spdlog::logger> logger_;
  std::ostringstream out_;
  alerts::ConsoleSink console_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<alerts::AlertStore> store_;
  std::unique_ptr<replay::AlertStoreCooldown> cooldown_;
  std::unique_ptr<signals::SignalEngine> engine_;
  std::unique_ptr<alerts::AlertDispatcher> dispatcher_;
  std::unique_ptr<AlertPipeline> pipeline_;
};

TEST(AlertPipeline, StreamBarsAlertOnceAndARestartReplayingThemIsDeduplicated) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = CalmThenSpike();
  core::FakeClock clock(bars.back().close_time + 1);
  {
    Scanner scanner(dir.Path("scanner.db"), clock, 10 * core::kMinute);
    scanner.pipeline().SetDispatcher(&scanner.dispatcher());
    for (const core::Bar& bar : bars) {
      scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, binance::BarOrigin::kStream);
    }
    EXPECT_EQ(scanner.pipeline().counters().bars_evaluated, bars.size());
    EXPECT_EQ(scanner.pipeline().counters().alerts_inserted, 1u);
    EXPECT_NE(scanner.Printed().find("BTCUSDT"), std::string::npos);
  }
  // Restarted: the same bars come back as warm-up, inside catch_up. Nothing is stored twice.
  Scanner restarted(dir.Path("scanner.db"), clock, 10 * core::kMinute);
  restarted.pipeline().SetDispatcher(&restarted.dispatcher());
  for (const core::Bar& bar : bars) {
    restarted.pipeline().OnClosedBar("BTCUSDT", k1m, bar, binance::BarOrigin::kWarmUp);
  }
  const AlertPipelineCounters& counters = restarted.pipeline().counters();
  EXPECT_EQ(counters.alerts_inserted, 0u);
  EXPECT_EQ(counters.warm_up_bars, bars.size());
  EXPECT_EQ(restarted.Printed(), "");
}

TEST(AlertPipeline, AMoveThatClosedWhileTheScannerWasDownAlertsFromTheWarmUp) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = CalmThenSpike();
  core::FakeClock clock(bars.back().close_time + 3 * core::kMinute);
  Scanner scanner(dir.Path("scanner.db"), clock, 10 * core::kMinute);
  scanner.pipeline().SetDispatcher(&scanner.dispatcher());
  for (const core::Bar& bar : bars) {
    scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, binance::BarOrigin::kWarmUp);
  }
  EXPECT_EQ(scanner.pipeline().counters().alerts_inserted, 1u);
  // Three bar lengths after its close: flagged late.
  EXPECT_NE(scanner.Printed().find("LATE"), std::string::npos);
}

TEST(AlertPipeline, WarmUpMovesOlderThanCatchUpOnlyPrimeTheIndicators) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = CalmThenSpike();
  core::FakeClock clock(bars.back().close_time + 11 * core::kMinute);
  Scanner scanner(dir.Path("scanner.db"), clock, 10 * core::kMinute);
  scanner.pipeline().SetDispatcher(&scanner.dispatcher());
  for (const core::Bar& bar : bars) {
    scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, binance::BarOrigin::kWarmUp);
  }
  EXPECT_EQ(scanner.pipeline().counters().candidates, 1u);
  EXPECT_EQ(scanner.pipeline().counters().warm_up_candidates_dropped, 1u);
  EXPECT_EQ(scanner.pipeline().counters().alerts_inserted, 0u);
  EXPECT_EQ(scanner.Printed(), "");
}

TEST(AlertPipeline, CandidatesWaitWhileTheDispatcherIsReplaced) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = CalmThenSpike();
  core::FakeClock clock(bars.back().close_time + 1);
  Scanner scanner(dir.Path("scanner.db"), clock, 10 * core::kMinute);
  for (const core::Bar& bar : bars) {
    scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, binance::BarOrigin::kStream);
  }
  EXPECT_EQ(scanner.pipeline().held_candidates(), 1u);
  EXPECT_EQ(scanner.pipeline().counters().alerts_inserted, 0u);
  scanner.pipeline().SetDispatcher(&scanner.dispatcher());
  EXPECT_EQ(scanner.pipeline().held_candidates(), 0u);
  EXPECT_EQ(scanner.pipeline().counters().alerts_inserted, 1u);
}

}  // namespace
}  // namespace scanner::app
