#pragma once
// What one Discord message of the outbox shows, rendered from its alerts (the database's, plus
// those being added): one embed per message head, in alert order; an alert whose head is among
// the message's alerts is a line of its head's embed instead (alerts/episode.h). An alert whose
// head is elsewhere (its head's message failed or was full) heads an embed of its own. Posts,
// joins and outcome edits all render through here, so a message always reads the same however
// it was reached. Pure functions; thread-safe.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "alerts/alert_embed.h"
#include "alerts/alert_store.h"
#include "alerts/discord_payload.h"
#include "core/candidate.h"
#include "core/outcome.h"

namespace scanner::alerts {

// One alert of the message, with what its rendering needs.
struct MessageItem {
  AlertId id = 0;
  core::Candidate candidate;
  MessagePlace place;
  bool late = false;       // decided when the alert was (or is being) sent
  std::string base_asset;  // for the trade link; empty: unknown
  std::string quote_asset;
  std::optional<core::Outcome> outcome;  // shown when complete
  // The file name of the chart attached to the message for this alert (alert_chart.h); when it
  // heads an embed, the embed's image is "attachment://<chart_file>". Empty: no image.
  std::string chart_file;
};

// An embed: the alert heading it and the alerts shown as its lines, as indexes into the items.
struct MessageGroup {
  std::size_t head = 0;
  std::vector<std::size_t> joined;
};

// The groups of `items` (in alert order), in the order of their heads.
std::vector<MessageGroup> GroupByHead(std::span<const MessageItem> items);

// The embed of `group` (clamped, like AlertEmbed).
DiscordEmbed GroupEmbed(std::span<const MessageItem> items, const MessageGroup& group);

// Every group's embed, in order.
std::vector<DiscordEmbed> MessageEmbeds(std::span<const MessageItem> items);

// The line of a complete outcome (FormatOutcomeLine); empty for none or an incomplete one.
std::string CompleteOutcomeLine(const std::optional<core::Outcome>& outcome);

}  // namespace scanner::alerts
