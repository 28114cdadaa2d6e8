#include "app/closed_bar_pipeline.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <sstream>

#include "alerts/alert_dispatcher.h"
#include "alerts/alert_routes.h"
#include "alerts/alert_store.h"
#include "alerts/console_sink.h"
#include "app/chart_spec_from_window.h"
#include "market/bar_window.h"
#include "support/alert_store_on_disk.h"
#include "support/bar_series.h"
#include "support/database_on_disk.h"
#include "support/null_logger.h"
#include "support/scratch_dir.h"

namespace scanner::app {
namespace {

using support::ScratchDir;
using support::SeriesMaker;

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

// The scanner's pipeline on one database: what `run` builds, minus the network. Delivery goes
// to the console; `dispatcher` false leaves it out altogether (as during a dispatcher
// hand-over, or a reload whose dispatcher could not be built).
class Scanner {
 public:
  Scanner(const std::string& database, core::FakeClock& clock, core::Millis catch_up,
          bool dispatcher = true, storage::DatabaseOptions database_options = {})
      : store_(database, clock, core::Market::kSpot, database_options), console_(out_) {
    store_.Open();
    cooldown_ = std::make_unique<alerts::AlertStoreCooldown>(*store_);
    engine_ = std::move(*signals::SignalEngine::Create({}, {.cooldown_store = cooldown_.get()}));
    if (dispatcher) {
      dispatcher_ =
          std::move(*alerts::AlertDispatcher::Create(io_, *store_, console_, clock, {}, logger_));
      EXPECT_TRUE(dispatcher_->Start());
    }
    pipeline_ = std::make_unique<ClosedBarPipeline>(
        ClosedBarPipeline::Dependencies{.engine = engine_.get(),
                                        .store = store_.get(),
                                        .cooldown = cooldown_.get(),
                                        .clock = &clock,
                                        .logger = logger_});
    pipeline_->SetCatchUp(catch_up);
    pipeline_->SetDestinations(
        [routes = *alerts::AlertRoutes::Build({})](const core::Candidate& c) {
          return alerts::OutboxDestinationsFor(routes, c);
        });
    pipeline_->SetOnAlert([this](const core::Candidate&, const ClosedBarPipeline::KeptAlert&) {
      if (dispatcher_) dispatcher_->Wake();
    });
  }

  ClosedBarPipeline& pipeline() { return *pipeline_; }
  alerts::AlertStore& store() { return *store_; }
  // Lets the console delivery print what was stored.
  std::string Printed() {
    io_.restart();
    io_.poll();
    return out_.str();
  }
  // The alerts stored for `symbol`, by bar close time.
  std::vector<core::Millis> Stored(std::string_view symbol) {
    std::vector<core::Millis> closes;
    for (alerts::AlertId id = 1; id < 100; ++id) {
      auto alert = store_->FindAlert(id);
      if (alert && *alert && (*alert)->candidate.symbol == symbol) {
        closes.push_back((*alert)->candidate.bar_close_time);
      }
    }
    return closes;
  }

 private:
  boost::asio::io_context io_;
  std::shared_ptr<spdlog::logger> logger_ = support::NullLogger();
  support::AlertStoreOnDisk store_;
  std::ostringstream out_;
  alerts::ConsoleSink console_;
  std::unique_ptr<alerts::AlertStoreCooldown> cooldown_;
  std::unique_ptr<signals::SignalEngine> engine_;
  std::unique_ptr<alerts::AlertDispatcher> dispatcher_;
  std::unique_ptr<ClosedBarPipeline> pipeline_;
};

TEST(ClosedBarPipeline, StreamBarsAlertOnceAndARestartReplayingThemIsDeduplicated) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = CalmThenSpike();
  core::FakeClock clock(bars.back().close_time + 1);
  {
    Scanner scanner(dir.Path("scanner.db"), clock, 10 * core::kMinute);
    for (const core::Bar& bar : bars) {
      scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, market::BarOrigin::kStream);
    }
    EXPECT_EQ(scanner.pipeline().counters().bars_evaluated, bars.size());
    EXPECT_EQ(scanner.pipeline().counters().alerts_inserted, 1u);
    EXPECT_NE(scanner.Printed().find("BTCUSDT"), std::string::npos);
  }
  // Restarted: the same bars come back as warm-up, inside catch_up. Nothing is stored twice.
  Scanner restarted(dir.Path("scanner.db"), clock, 10 * core::kMinute);
  for (const core::Bar& bar : bars) {
    restarted.pipeline().OnClosedBar("BTCUSDT", k1m, bar, market::BarOrigin::kWarmUp);
  }
  const ClosedBarCounters& counters = restarted.pipeline().counters();
  EXPECT_EQ(counters.alerts_inserted, 0u);
  EXPECT_EQ(counters.warm_up_bars, bars.size());
  EXPECT_EQ(restarted.Printed(), "");
}

TEST(ClosedBarPipeline, AMoveThatClosedWhileTheScannerWasDownAlertsFromTheWarmUp) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = CalmThenSpike();
  core::FakeClock clock(bars.back().close_time + 3 * core::kMinute);
  Scanner scanner(dir.Path("scanner.db"), clock, 10 * core::kMinute);
  for (const core::Bar& bar : bars) {
    scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, market::BarOrigin::kWarmUp);
  }
  EXPECT_EQ(scanner.pipeline().counters().alerts_inserted, 1u);
  // Three bar lengths after its close: flagged late.
  EXPECT_NE(scanner.Printed().find("LATE"), std::string::npos);
}

TEST(ClosedBarPipeline, WarmUpMovesOlderThanCatchUpOnlyPrimeTheIndicators) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = CalmThenSpike();
  core::FakeClock clock(bars.back().close_time + 11 * core::kMinute);
  Scanner scanner(dir.Path("scanner.db"), clock, 10 * core::kMinute);
  for (const core::Bar& bar : bars) {
    scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, market::BarOrigin::kWarmUp);
  }
  EXPECT_EQ(scanner.pipeline().counters().candidates, 1u);
  EXPECT_EQ(scanner.pipeline().counters().warm_up_candidates_dropped, 1u);
  EXPECT_EQ(scanner.pipeline().counters().alerts_inserted, 0u);
  EXPECT_EQ(scanner.Printed(), "");
}

// Store first: with no dispatcher at all (a reload between two dispatchers, or one that could
// not be built), the alert is in the outbox at once, where a crash cannot take it.
TEST(ClosedBarPipeline, AnAlertIsStoredAtOnceEvenWithNoDispatcher) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = CalmThenSpike();
  core::FakeClock clock(bars.back().close_time + 1);
  {
    Scanner scanner(dir.Path("scanner.db"), clock, 10 * core::kMinute, /*dispatcher=*/false);
    for (const core::Bar& bar : bars) {
      scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, market::BarOrigin::kStream);
    }
    EXPECT_EQ(scanner.pipeline().counters().alerts_inserted, 1u);
    EXPECT_EQ(scanner.Stored("BTCUSDT"), std::vector<core::Millis>{bars.back().close_time});
    auto pending = scanner.store().PendingCounts();
    ASSERT_TRUE(pending);
    EXPECT_EQ(*pending, (std::vector<alerts::PendingCount>{{"console", 1}}));
  }
  // The process ends; the next one with a dispatcher delivers it.
  Scanner next(dir.Path("scanner.db"), clock, 10 * core::kMinute);
  EXPECT_NE(next.Printed().find("BTCUSDT"), std::string::npos);
}

// A warm-up move older than catch_up is dropped. It must not start the cooldown: a real move a
// few minutes later, on the stream, alerts.
TEST(ClosedBarPipeline, ADroppedWarmUpMoveDoesNotSilenceALaterMove) {
  ScratchDir dir;
  SeriesMaker maker(kStart, k1m);
  std::vector<core::Bar> warm_up;
  for (int i = 0; i < 60; ++i) warm_up.push_back(maker.Calm());
  warm_up.push_back(maker.Spike(5));  // closed long before now: only primes the indicators
  for (int i = 0; i < 20; ++i) warm_up.push_back(maker.Calm());
  std::vector<core::Bar> live;
  for (int i = 0; i < 3; ++i) live.push_back(maker.Calm());
  live.push_back(maker.Spike(6));  // 24 minutes after the first spike: inside the 30m cooldown

  // The warm-up runs at start, when the first spike closed 20 minutes ago (catch_up: 10m).
  core::FakeClock clock(warm_up.back().close_time + 1);
  Scanner scanner(dir.Path("scanner.db"), clock, /*catch_up=*/10 * core::kMinute);
  for (const core::Bar& bar : warm_up) {
    scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, market::BarOrigin::kWarmUp);
  }
  ASSERT_EQ(scanner.pipeline().counters().warm_up_candidates_dropped, 1u);
  for (const core::Bar& bar : live) {
    clock.Set(bar.close_time + 1);
    scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, market::BarOrigin::kStream);
  }
  EXPECT_EQ(scanner.Stored("BTCUSDT"), std::vector<core::Millis>{live.back().close_time});
}

// Another process holds the database's write lock: the insert fails at once (short busy
// timeout), the alert waits in memory, and it is stored once the lock is gone -- never lost,
// never twice.
TEST(ClosedBarPipeline, ALockedDatabaseDelaysTheAlertButDoesNotLoseIt) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = CalmThenSpike();
  core::FakeClock clock(bars.back().close_time + 1);
  Scanner scanner(dir.Path("scanner.db"), clock, 10 * core::kMinute, true,
                  {.busy_timeout = std::chrono::milliseconds(10)});
  support::DatabaseOnDisk other_process(dir.Path("scanner.db"));
  ASSERT_NO_FATAL_FAILURE(other_process.Open());
  ASSERT_TRUE(other_process->Exec("BEGIN IMMEDIATE"));

  for (const core::Bar& bar : bars) {
    scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, market::BarOrigin::kStream);
  }
  EXPECT_EQ(scanner.pipeline().unstored(), 1u);
  EXPECT_EQ(scanner.pipeline().counters().alerts_inserted, 0u);
  EXPECT_GE(scanner.pipeline().counters().store_errors, 1u);
  scanner.pipeline().RetryUnstored();  // too early, and still locked anyway
  EXPECT_EQ(scanner.pipeline().unstored(), 1u);

  ASSERT_TRUE(other_process->Exec("ROLLBACK"));
  clock.Advance(core::kSecond);
  scanner.pipeline().RetryUnstored();
  EXPECT_EQ(scanner.pipeline().unstored(), 0u);
  EXPECT_EQ(scanner.pipeline().counters().alerts_inserted, 1u);
  EXPECT_EQ(scanner.Stored("BTCUSDT"), std::vector<core::Millis>{bars.back().close_time});
  EXPECT_NE(scanner.Printed().find("BTCUSDT"), std::string::npos);
}

// The chart is cut from the window when the alert is raised, and it waits with the alert while
// the database is locked: what is stored later ends at the alert's bar, not at the window's
// newest bar by then.
TEST(ClosedBarPipeline, TheChartIsTakenWhenTheAlertIsRaisedAndWaitsWithIt) {
  ScratchDir dir;
  const std::vector<core::Bar> bars = CalmThenSpike();
  core::FakeClock clock(bars.back().close_time + 1);
  Scanner scanner(dir.Path("scanner.db"), clock, 10 * core::kMinute, false,
                  {.busy_timeout = std::chrono::milliseconds(10)});
  market::BarWindow window(100);
  scanner.pipeline().SetChartFor([&window](const core::Candidate& alert) {
    return ChartSpecFromWindow(window, alert, {.bars = 40, .band_atrs = 2.5});
  });
  const core::ChartSpec* announced = nullptr;
  std::size_t announced_bars = 0;
  scanner.pipeline().SetOnAlert(
      [&](const core::Candidate&, const ClosedBarPipeline::KeptAlert& kept) {
        announced = kept.chart;
        announced_bars = kept.chart != nullptr ? kept.chart->bars.size() : 0;
      });
  support::DatabaseOnDisk other_process(dir.Path("scanner.db"));
  ASSERT_NO_FATAL_FAILURE(other_process.Open());
  ASSERT_TRUE(other_process->Exec("BEGIN IMMEDIATE"));
  for (const core::Bar& bar : bars) {
    window.Apply(bar);
    scanner.pipeline().OnClosedBar("BTCUSDT", k1m, bar, market::BarOrigin::kStream);
  }
  ASSERT_EQ(scanner.pipeline().unstored(), 1u);
  SeriesMaker later(bars.back().close_time + 1, k1m);
  for (int i = 0; i < 3; ++i) window.Apply(later.Calm());

  ASSERT_TRUE(other_process->Exec("ROLLBACK"));
  clock.Advance(core::kSecond);
  scanner.pipeline().RetryUnstored();
  ASSERT_EQ(scanner.pipeline().counters().alerts_inserted, 1u);
  EXPECT_NE(announced, nullptr);
  EXPECT_EQ(announced_bars, 40u);
  auto stored = scanner.store().charts().Load(1);
  ASSERT_TRUE(stored && stored->has_value());
  const core::ChartSpec& spec = **stored;
  ASSERT_EQ(spec.bars.size(), 40u);
  EXPECT_EQ(spec.bars.back(), bars.back());
  EXPECT_EQ(spec.bars.front(), bars[bars.size() - 40]);
  EXPECT_EQ(spec.symbol, "BTCUSDT");
  EXPECT_EQ(spec.band_atrs, 2.5);
  EXPECT_GT(spec.atr, 0);
}

TEST(ChartSpecFromWindow, EndsAtTheAlertBarWithWhatTheWindowHolds) {
  const std::vector<core::Bar> bars = CalmThenSpike();
  market::BarWindow window(30);
  for (const core::Bar& bar : bars) window.Apply(bar);
  core::Candidate alert;
  alert.symbol = "ETHUSDT";
  alert.interval = k1m;
  alert.market = core::Market::kUsdm;
  alert.atr = 0.4;
  alert.bar_open_time = bars[bars.size() - 3].open_time;

  auto spec = ChartSpecFromWindow(window, alert, {.bars = 60, .band_atrs = 3, .width = 640,
                                                  .height = 360});
  ASSERT_TRUE(spec);
  ASSERT_EQ(spec->bars.size(), 28u) << "the window's 30 bars, less the two after the alert's";
  EXPECT_EQ(spec->bars.back(), bars[bars.size() - 3]);
  EXPECT_EQ(spec->market, core::Market::kUsdm);
  EXPECT_EQ(spec->width, 640);
  EXPECT_EQ(spec->height, 360);
  EXPECT_EQ(spec->atr, 0.4);

  alert.bar_open_time = bars.front().open_time;  // long gone from the window
  EXPECT_FALSE(ChartSpecFromWindow(window, alert, {}));
  alert.bar_open_time = bars.back().open_time + 30;  // no such bar
  EXPECT_FALSE(ChartSpecFromWindow(window, alert, {}));
}

}  // namespace
}  // namespace scanner::app
