#pragma once
// What a configuration reload (SIGHUP) may change while the scanner runs, and what needs a
// restart. Reloadable without dropping a connection: the signal settings (thresholds, filters,
// cooldown, catch_up, window sizes), the Discord settings (webhooks, routes, username, avatar,
// timeouts) and alerts.retention. Everything else -- exchange, universe, streams,
// alerts.database, status, logging -- is reported by key and keeps its running value.

#include <string>
#include <vector>

#include "config/config.h"

namespace scanner::app {

struct ReloadPlan {
  bool signals_changed = false;
  bool discord_changed = false;
  bool retention_changed = false;
  std::vector<std::string> need_restart;  // top-level keys (or alerts.database) that changed

  bool nothing_to_apply() const { return !signals_changed && !discord_changed && !retention_changed; }
};

ReloadPlan PlanReload(const config::Config& running, const config::Config& next);

}  // namespace scanner::app
