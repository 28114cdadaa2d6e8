#pragma once
// Episodes: one move, one Discord message. A pump alerted on 1m, then 5m, 15m and 1h is one
// episode; its later alerts add to the first alert's message instead of posting their own,
// unless they escalate it. Pure function; thread-safe.
//
// The rule, for a new alert N against the earlier alerts of its (market, symbol, direction):
//   - Episode: N joins the latest episode (highest episode id) whose time span, the union of
//     its alerts' bars [bar_open_time, bar_close_time], overlaps N's bar; otherwise N starts
//     an episode of its own (its id is N's).
//   - Message: within the episode N is shown by the message of the episode's latest message
//     head H (the latest alert that posted its own message), unless N escalates H:
//       severity: H normal and N strong; or
//       the move doubles: d * (N.close / ref - 1) >= kEscalationMoveFactor * |H.change| / 100,
//       where ref = H.close / (1 + H.change / 100) is the price H's move started from and
//       d = +1 for up, -1 for down.
//     An escalating alert posts its own message (it becomes the episode's next head), which
//     refers to H.
// Inputs are whatever the store read; alerts of another market, symbol or direction are
// ignored, so a superset is harmless.

#include <cstdint>
#include <span>

#include "alerts/alert_store.h"
#include "core/candidate.h"

namespace scanner::alerts {

// The move doubles when it reaches twice the head's move, measured from the head's start.
inline constexpr double kEscalationMoveFactor = 2.0;

// What the rule needs of an earlier alert.
struct EpisodeAlert {
  AlertId id = 0;
  AlertId episode_id = 0;
  AlertId message_head_id = 0;  // == id: it posted its own message
  core::Candidate candidate;
};

struct EpisodePlacement {
  AlertId episode_id = 0;       // 0: the new alert starts an episode (its own id)
  AlertId message_head_id = 0;  // 0: the new alert posts its own message
  AlertId escalates = 0;        // the head it escalates (it then posts its own message), or 0

  bool posts_message() const { return message_head_id == 0; }
  friend bool operator==(const EpisodePlacement&, const EpisodePlacement&) = default;
};

// Whether the bars [a_open, a_close] and [b_open, b_close] (inclusive, ms) share an instant.
bool BarsOverlap(const core::Candidate& a, const core::Candidate& b);

// Whether `alert` escalates the move of the message head `head` (see the header comment).
bool Escalates(const core::Candidate& alert, const core::Candidate& head);

// Where `alert` goes, given the `earlier` alerts (any order).
EpisodePlacement PlaceInEpisode(const core::Candidate& alert,
                                std::span<const EpisodeAlert> earlier);

}  // namespace scanner::alerts
