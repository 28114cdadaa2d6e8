// The key descriptions' derived rules: which keys a change touches and how a reload treats them.

#include "config/config_keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/defaults.h"

namespace scanner::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const core::Interval k5m = *core::Interval::Parse("5m");

Config Defaults() { return DefaultConfig(core::Market::kSpot); }

TEST(ChangedKeys, NamesEachNewKey) {
  const Config running = Defaults();
  EXPECT_THAT(ChangedKeys(running, running), IsEmpty());

  Config next = running;
  next.signals.min_change_percent[k5m] = 2.0;
  EXPECT_THAT(ChangedKeys(running, next), ElementsAre("signals.min_change_percent"));
  // A changed value of an entry given in both is a change too.
  Config again = next;
  again.signals.min_change_percent[k5m] = 0;
  EXPECT_THAT(ChangedKeys(next, again), ElementsAre("signals.min_change_percent"));

  next = running;
  next.alerts.discord.edit_outcomes = !running.alerts.discord.edit_outcomes;
  EXPECT_THAT(ChangedKeys(running, next), ElementsAre("alerts.discord.edit_outcomes"));

  next = running;
  next.alerts.outcome.horizons = {1, 5, 60};
  EXPECT_THAT(ChangedKeys(running, next), ElementsAre("alerts.outcome.horizons"));
}

TEST(ReloadOf, FloorsAndOutcomeEditsApplyHorizonsNeedARestart) {
  // Like the other signals thresholds and Discord settings.
  EXPECT_EQ(ReloadOf("signals.min_change_percent"), Reload::kLive);
  EXPECT_EQ(ReloadOf("signals.min_atr_move"), Reload::kLive);
  EXPECT_EQ(ReloadOf("alerts.discord.edit_outcomes"), Reload::kLive);
  EXPECT_EQ(ReloadOf("alerts.discord.give_up_after"), Reload::kLive);
  // The outcome tracker is built once, at start.
  EXPECT_EQ(ReloadOf("alerts.outcome.horizons"), Reload::kRestart);
  // Charts on or off applies to the next alert; their bar count sizes the windows at start.
  EXPECT_EQ(ReloadOf("alerts.discord.chart.enabled"), Reload::kLive);
  EXPECT_EQ(ReloadOf("alerts.discord.chart.bars"), Reload::kRestart);
}

TEST(ConfigSections, OutcomeIsASectionOfAlertsAndChartOfDiscord) {
  const std::span<const std::string_view> sections = ConfigSections();
  EXPECT_THAT(std::vector<std::string_view>(sections.begin(), sections.end()),
              ElementsAre("exchange", "universe", "streams", "signals", "alerts", "alerts.discord",
                          "alerts.discord.chart", "alerts.outcome", "status", "logging"));
}

TEST(BoundedValues, OneForEachItemOrEntry) {
  Config config = Defaults();
  config.alerts.outcome.horizons = {3, 0};
  config.signals.min_change_percent = {{k5m, -1.0}};
  for (const ConfigKey& key : ConfigKeys()) {
    std::vector<BoundedValue> values = BoundedValues(key, config);
    if (key.path == "alerts.outcome.horizons") {
      ASSERT_EQ(values.size(), 2u);
      EXPECT_EQ(values[1].path, "alerts.outcome.horizons[1]");
      EXPECT_EQ(values[1].value, 0);
    } else if (key.path == "signals.min_change_percent") {
      ASSERT_EQ(values.size(), 1u);
      EXPECT_EQ(values[0].path, "signals.min_change_percent.5m");
      EXPECT_EQ(values[0].value, -1);
    } else if (key.path == "signals.atr_period") {
      ASSERT_EQ(values.size(), 1u);
      EXPECT_EQ(values[0].path, "signals.atr_period");
    } else if (key.path == "logging.format") {
      EXPECT_THAT(values, IsEmpty());
    }
  }
}

}  // namespace
}  // namespace scanner::config
