#include "app/settings_reload.h"

#include "config/config_keys.h"

namespace scanner::app {

ReloadPlan PlanReload(const config::Config& running, const config::Config& next) {
  ReloadPlan plan;
  for (std::string_view key : config::ChangedKeys(running, next)) {
    if (config::ReloadOf(key) == config::Reload::kRestart) {
      plan.need_restart.emplace_back(key);
    } else if (key.starts_with("signals.")) {
      plan.signals_changed = true;
    } else if (key.starts_with("alerts.discord.")) {
      plan.discord_changed = true;
    } else if (key == "alerts.retention") {
      plan.retention_changed = true;
    }
  }
  return plan;
}

}  // namespace scanner::app
