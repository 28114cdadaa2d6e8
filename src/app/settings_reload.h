#pragma once
// What a configuration reload (SIGHUP) changes, by the keys' own descriptions (config_keys.h,
// their Reload rule): the signal settings (thresholds, min_change floors, filters, cooldown,
// catch_up, window sizes), the Discord settings (webhooks, routes, username, avatar, timeouts,
// give_up_after, edit_outcomes) and alerts.retention apply without dropping a connection; every
// other changed key -- exchange, universe, streams, alerts.database, alerts.outcome, status,
// logging -- is named and keeps its running value.

#include <string>
#include <vector>

#include "config/config.h"

namespace scanner::app {

struct ReloadPlan {
  bool signals_changed = false;
  bool discord_changed = false;
  bool retention_changed = false;
  std::vector<std::string> need_restart;  // the changed keys a restart applies, by key path

  bool nothing_to_apply() const {
    return !signals_changed && !discord_changed && !retention_changed;
  }
};

ReloadPlan PlanReload(const config::Config& running, const config::Config& next);

}  // namespace scanner::app
