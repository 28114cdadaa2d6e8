#include "signals/signal_settings.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "signals/signal_settings_from_config.h"

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

TEST(SignalSettings, FromConfigCopiesEveryField) {
  config::SignalsConfig config;
  config.atr_period = 21;
  config.zscore_window = 30;
  config.momentum_lookback = 3;
  config.min_atr_move = 1.5;
  config.min_volume_z = 2.5;
  config.min_return_z = 4;
  config.direction = config::DirectionFilter::kDown;
  config.cooldown = 15 * core::kMinute;
  config.confirm_intervals = {*core::Interval::Parse("1h"), *core::Interval::Parse("4h")};
  config.strong_multiplier = 3;
  const SignalSettings settings = SignalSettingsFromConfig(config, core::Market::kUsdm);
  EXPECT_EQ(settings.market, core::Market::kUsdm);
  EXPECT_EQ(settings.windows, (IndicatorWindows{21, 30, 3}));
  EXPECT_EQ(settings.min_atr_move, 1.5);
  EXPECT_EQ(settings.min_volume_z, 2.5);
  EXPECT_EQ(settings.min_return_z, 4);
  EXPECT_EQ(settings.direction, DirectionFilter::kDown);
  EXPECT_EQ(settings.cooldown, 15 * core::kMinute);
  EXPECT_EQ(settings.confirm_intervals, config.confirm_intervals);
  EXPECT_EQ(settings.strong_multiplier, 3);
  EXPECT_EQ(settings.filters, FilterSwitches{});
  config.direction = config::DirectionFilter::kUp;
  EXPECT_EQ(SignalSettingsFromConfig(config, core::Market::kSpot).direction, DirectionFilter::kUp);
  config.direction = config::DirectionFilter::kBoth;
  EXPECT_EQ(SignalSettingsFromConfig(config, core::Market::kSpot).direction,
            DirectionFilter::kBoth);
}

TEST(SignalSettings, ConfigDefaultsMatchSettingsDefaults) {
  const SignalSettings settings =
      SignalSettingsFromConfig(config::SignalsConfig{}, core::Market::kSpot);
  EXPECT_EQ(settings, SignalSettings{});
}

}  // namespace
}  // namespace scanner::signals
