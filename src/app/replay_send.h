#pragma once
// `momentum-scanner replay --send`: a replay whose new alerts are also delivered to the
// configured Discord webhooks and routes (to check a tuned configuration against the real
// channel before running it live).
//
// The replay runs first (RunReplay, its own database as usual: temporary unless
// --database); its new alerts are then submitted, in replay order, to an AlertDispatcher over a
// temporary outbox of their own -- the same routes, batching, rate limits and retries as `run`
// -- and the command waits until every delivery is sent, failed or dead (bounded by `deadline`).
// A second --send of the same data sends again: the replay's dedup stops repeats within one
// run only, on purpose, since sending is what was asked.
//
// Without any webhook configured, --send is a usage error (the console already shows the
// alerts). Exit: the replay's code, or kExitFailure when a delivery did not succeed.

#include <ostream>

#include "app/replay_command.h"
#include "config/config.h"
#include "core/time.h"

namespace scanner::app {

int RunReplayAndSend(const ReplayOptions& options, const config::Config& config, std::ostream& out,
                     std::ostream& err, core::Millis deadline = 10 * core::kMinute);

}  // namespace scanner::app
