#pragma once
// Builds signals::SignalSettings from the config file's `signals` section: wiring, so it lives in
// app/ (signals/ knows no configuration).

#include "config/config.h"
#include "signals/signal_settings.h"

namespace scanner::app {

// Every filter switch stays on: the config file expresses "off" through thresholds
// (min_return_z: 0, empty confirm_intervals, cooldown: 0s).
inline signals::SignalSettings SignalSettingsFromConfig(const config::SignalsConfig& config,
                                                        core::Market market) {
  signals::SignalSettings settings;
  settings.market = market;
  settings.windows.atr_period = config.atr_period;
  settings.windows.zscore_window = config.zscore_window;
  settings.windows.momentum_lookback = config.momentum_lookback;
  settings.min_atr_move = config.min_atr_move;
  settings.min_volume_z = config.min_volume_z;
  settings.min_return_z = config.min_return_z;
  switch (config.direction) {
    case config::DirectionFilter::kUp:
      settings.direction = signals::DirectionFilter::kUp;
      break;
    case config::DirectionFilter::kDown:
      settings.direction = signals::DirectionFilter::kDown;
      break;
    case config::DirectionFilter::kBoth:
      settings.direction = signals::DirectionFilter::kBoth;
      break;
  }
  settings.cooldown = config.cooldown;
  settings.confirm_intervals = config.confirm_intervals;
  settings.strong_multiplier = config.strong_multiplier;
  return settings;
}

}  // namespace scanner::app
