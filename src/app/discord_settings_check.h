#pragma once
// What the alert dispatcher would refuse in `alerts.discord`, as configuration checks: a webhook
// URL without /webhooks/<numeric id>/<token>, one webhook id given with two tokens, a username
// Discord refuses (blank, too long, containing "discord" or "clyde"), a ca_file that does not
// load. Loading a configuration (start, check-config, and every SIGHUP reload) runs them, so a
// reload the dispatcher could not apply is refused as a whole, every problem by key path, and
// the running settings stay in force.
//
// Pure checks (the CA file is read); thread-safe. Messages never repeat a webhook URL.

#include "config/config.h"
#include "config/config_loader.h"
#include "config/problem_list.h"

namespace scanner::app {

// The checks in the form config::LoadConfig takes them.
config::ExtraChecks DiscordSettingsChecks();

// Every check on an already typed configuration (what ExtraChecks::config does, plus the
// webhook_urls entries, by their position in the typed list).
void CheckDiscordSettings(const config::DiscordConfig& discord, config::ProblemList& problems);

}  // namespace scanner::app
