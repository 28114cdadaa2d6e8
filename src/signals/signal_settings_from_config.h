#pragma once
// Builds SignalSettings from the config file's `signals` section. Header-only so that
// scanner_signals needs no config library: config/config.h declares plain structs.

#include "config/config.h"
#include "signals/signal_settings.h"

namespace scanner::signals {

// Every filter switch stays on: the config file expresses "off" through thresholds
// (min_return_z: 0, empty confirm_intervals, cooldown: 0s).
inline SignalSettings SignalSettingsFromConfig(const config::SignalsConfig& config,
                                               core::Market market) {
  SignalSettings settings;
  settings.market = market;
  settings.windows.atr_period = config.atr_period;
  settings.windows.zscore_window = config.zscore_window;
  settings.windows.momentum_lookback = config.momentum_lookback;
  settings.min_atr_move = config.min_atr_move;
  settings.min_volume_z = config.min_volume_z;
  settings.min_return_z = config.min_return_z;
  switch (config.direction) {
    case config::DirectionFilter::kUp:
      settings.direction = DirectionFilter::kUp;
      break;
    case config::DirectionFilter::kDown:
      settings.direction = DirectionFilter::kDown;
      break;
    case config::DirectionFilter::kBoth:
      settings.direction = DirectionFilter::kBoth;
      break;
  }
  settings.cooldown = config.cooldown;
  settings.confirm_intervals = config.confirm_intervals;
  settings.strong_multiplier = config.strong_multiplier;
  return settings;
}

}  // namespace scanner::signals
