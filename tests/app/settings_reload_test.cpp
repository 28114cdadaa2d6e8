#include "app/settings_reload.h"
#include "config/defaults.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace scanner::app {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(PlanReload, NothingChangedAppliesNothing) {
  config::Config config = config::DefaultConfig(core::Market::kSpot);
  config.streams.intervals = {core::Interval::Parse("1m").value()};
  ReloadPlan plan = PlanReload(config, config);
  EXPECT_TRUE(plan.nothing_to_apply());
  EXPECT_THAT(plan.need_restart, IsEmpty());
}

TEST(PlanReload, SignalsDiscordAndRetentionApplyTheRestNeedsARestart) {
  config::Config running = config::DefaultConfig(core::Market::kSpot);
  running.streams.intervals = {core::Interval::Parse("1m").value()};
  config::Config next = running;
  next.signals.min_atr_move = 4;
  next.alerts.discord.routes.push_back(
      {"https://discord.com/api/webhooks/1/a", {}, config::MinSeverity::kStrong});
  next.alerts.retention = 30 * core::kDay;
  next.universe.top_n = 20;
  next.status.listen = "0.0.0.0:9102";
  next.alerts.database = "other.db";
  ReloadPlan plan = PlanReload(running, next);
  EXPECT_TRUE(plan.signals_changed);
  EXPECT_TRUE(plan.discord_changed);
  EXPECT_TRUE(plan.retention_changed);
  EXPECT_THAT(plan.need_restart, ElementsAre("universe.top_n", "alerts.database", "status.listen"));
}

TEST(PlanReload, FloorsAndOutcomeEditsApplyHorizonsNeedARestart) {
  config::Config running = config::DefaultConfig(core::Market::kSpot);
  config::Config next = running;
  next.signals.min_change_percent[core::Interval::Parse("5m").value()] = 0.5;
  ReloadPlan plan = PlanReload(running, next);
  EXPECT_TRUE(plan.signals_changed);
  EXPECT_FALSE(plan.discord_changed);
  EXPECT_THAT(plan.need_restart, IsEmpty());

  next = running;
  next.alerts.discord.edit_outcomes = false;
  plan = PlanReload(running, next);
  EXPECT_TRUE(plan.discord_changed);
  EXPECT_FALSE(plan.signals_changed);
  EXPECT_THAT(plan.need_restart, IsEmpty());

  next = running;
  next.alerts.outcome.horizons = {1, 5, 60};
  plan = PlanReload(running, next);
  EXPECT_TRUE(plan.nothing_to_apply());
  EXPECT_THAT(plan.need_restart, ElementsAre("alerts.outcome.horizons"));
}

TEST(PlanReload, AWebhookTokenChangeIsSeenThoughItPrintsMasked) {
  config::Config running = config::DefaultConfig(core::Market::kSpot);
  running.streams.intervals = {core::Interval::Parse("1m").value()};
  running.alerts.discord.webhook_urls = {"https://discord.com/api/webhooks/1/old"};
  config::Config next = running;
  next.alerts.discord.webhook_urls = {"https://discord.com/api/webhooks/1/new"};
  ReloadPlan plan = PlanReload(running, next);
  EXPECT_TRUE(plan.discord_changed);
  EXPECT_FALSE(plan.signals_changed);
  EXPECT_THAT(plan.need_restart, IsEmpty());
}

}  // namespace
}  // namespace scanner::app
