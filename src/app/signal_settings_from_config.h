#pragma once
// Builds signals::SignalSettings from the config file's `signals` section: wiring, so it lives in
// app/ (signals/ knows no configuration).

#include "config/config.h"
#include "signals/signal_settings.h"

namespace scanner::app {

// Every filter switch stays on: the config file expresses "off" through thresholds
// (min_return_z: 0, a min_change_percent entry of 0, empty confirm_intervals, cooldown: 0s).
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
  // The file names only the intervals it overrides; the others keep the signals' own floor.
  for (const auto& [interval, percent] : config.min_change_percent) {
    settings.SetMinChangePercent(interval, percent);
  }
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

// `config` with signals.min_change_percent naming the effective floor of every interval in
// streams.intervals (and still every interval the file named), for check-config: config/ knows
// the floors the file gives, not the signals' defaults. It loads back to the same floors.
inline config::Config WithEffectiveMinChangePercent(config::Config config) {
  const signals::SignalSettings settings =
      SignalSettingsFromConfig(config.signals, config.exchange.market);
  for (core::Interval interval : config.streams.intervals) {
    config.signals.min_change_percent[interval] = settings.MinChangePercent(interval);
  }
  return config;
}

}  // namespace scanner::app
