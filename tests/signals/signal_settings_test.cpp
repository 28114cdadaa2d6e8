#include "signals/signal_settings.h"

#include <gtest/gtest.h>

#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace scanner::signals {
namespace {

std::string ErrorOf(const SignalSettings& settings) {
  auto status = ValidateSignalSettings(settings);
  return status ? std::string() : status.error().message;
}

TEST(SignalSettings, DefaultsAreValid) { EXPECT_TRUE(ValidateSignalSettings(SignalSettings{})); }

TEST(SignalSettings, RejectsOutOfRangeValuesNamingTheKey) {
  SignalSettings settings;
  settings.windows.atr_period = 0;
  EXPECT_NE(ErrorOf(settings).find("signals.atr_period"), std::string::npos);
  settings = {};
  settings.windows.zscore_window = 1;
  EXPECT_NE(ErrorOf(settings).find("signals.zscore_window"), std::string::npos);
  settings = {};
  settings.windows.momentum_lookback = kMaxWindow + 1;
  EXPECT_NE(ErrorOf(settings).find("signals.momentum_lookback"), std::string::npos);
  settings = {};
  settings.min_atr_move = -1;
  EXPECT_NE(ErrorOf(settings).find("signals.min_atr_move"), std::string::npos);
  settings = {};
  settings.min_return_z = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(ErrorOf(settings).find("signals.min_return_z"), std::string::npos);
  settings = {};
  settings.min_volume_z = std::numeric_limits<double>::infinity();
  EXPECT_NE(ErrorOf(settings).find("signals.min_volume_z"), std::string::npos);
  settings = {};
  settings.strong_multiplier = -2;
  EXPECT_NE(ErrorOf(settings).find("signals.strong_multiplier"), std::string::npos);
  settings = {};
  settings.cooldown = -1;
  EXPECT_NE(ErrorOf(settings).find("signals.cooldown"), std::string::npos);
  // A negative volume threshold is meaningful (z_v is signed).
  settings = {};
  settings.min_volume_z = -1;
  EXPECT_TRUE(ValidateSignalSettings(settings));
}

// The rule of the default floors, 1 % x (minutes)^(1/3) to one decimal, written out per interval.
TEST(DefaultMinChangePercent, FollowsTheCubeRootRuleForEveryInterval) {
  const std::pair<std::string_view, double> expected[] = {
      {"1s", 0.3},  {"1m", 1.0},  {"3m", 1.4},  {"5m", 1.7}, {"15m", 2.5}, {"30m", 3.1},
      {"1h", 3.9},  {"2h", 4.9},  {"4h", 6.2},  {"6h", 7.1}, {"8h", 7.8},  {"12h", 9.0},
      {"1d", 11.3}, {"3d", 16.3}, {"1w", 21.6}, {"1M", 35.1}};
  ASSERT_EQ(std::size(expected), core::Interval::All().size());
  for (const auto& [name, percent] : expected) {
    const core::Interval interval = *core::Interval::Parse(name);
    EXPECT_EQ(DefaultMinChangePercent(interval), percent) << name;
    // And what a default SignalSettings holds.
    EXPECT_EQ(SignalSettings{}.MinChangePercent(interval), percent) << name;
  }
}

TEST(SignalSettings, SettingOneFloorKeepsTheOthers) {
  const core::Interval k5m = *core::Interval::Parse("5m");
  SignalSettings settings;
  settings.SetMinChangePercent(k5m, 0.5);
  for (core::Interval interval : core::Interval::All()) {
    EXPECT_EQ(settings.MinChangePercent(interval),
              interval == k5m ? 0.5 : DefaultMinChangePercent(interval))
        << interval.Name();
  }
  settings.SetMinChangePercent(k5m, 0);  // off
  EXPECT_TRUE(ValidateSignalSettings(settings));
}

TEST(SignalSettings, RejectsANegativeOrNonFiniteFloorNamingTheInterval) {
  const core::Interval k1h = *core::Interval::Parse("1h");
  SignalSettings settings;
  settings.SetMinChangePercent(k1h, -0.1);
  EXPECT_EQ(ErrorOf(settings),
            "signals.min_change_percent.1h must be a finite, non-negative number");
  settings.SetMinChangePercent(k1h, std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(ErrorOf(settings),
            "signals.min_change_percent.1h must be a finite, non-negative number");
  settings.SetMinChangePercent(k1h, std::numeric_limits<double>::infinity());
  EXPECT_EQ(ErrorOf(settings),
            "signals.min_change_percent.1h must be a finite, non-negative number");
}

}  // namespace
}  // namespace scanner::signals
