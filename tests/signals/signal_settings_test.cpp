#include "signals/signal_settings.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>


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

}  // namespace
}  // namespace scanner::signals
