#pragma once
// An alert's chart as its Discord embed carries it: the PNG the app rendered (or is rendering)
// for the alert, asked for by the webhook senders when they are about to post the alert's
// message, and the attachment's file name. The rendering itself is elsewhere (src/chart, wired
// by app/); this header is what the senders and the app agree on.
//
// Limits (Discord's webhook docs; the figures): at most 10 files per message and 10 MiB
// per attached file. A larger PNG is left out of the message (the alert still goes, without a
// picture). Discord answers a request over its upload limit 413 (code 40005), which no retry
// fixes, so the sender checks before sending.
//
// Pure functions and plain data; thread-safe.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "alerts/alert_store.h"
#include "core/candidate.h"

namespace scanner::alerts {

inline constexpr std::size_t kMaxAttachmentsPerMessage = 10;
inline constexpr std::size_t kMaxAttachmentBytes = 10 * 1024 * 1024;  // 10 MiB

// The chart of an alert for its embed.
struct ChartImage {
  // kNone: no chart (charts disabled, none stored for the alert, or its rendering failed);
  // kPending: being rendered, the app calls WebhookSender::Wake() when it is done;
  // kReady: `png` holds the PNG bytes.
  enum class State { kNone, kPending, kReady };
  State state = State::kNone;
  std::shared_ptr<const std::string> png;  // kReady: the PNG bytes (never null then)
};

// Called on the event-loop thread, once per alert heading an embed of a message about to be
// posted, and again for every later attempt (a retry, a resend after a restart): it must return
// the same bytes each time (the app re-renders the stored chart spec deterministically), so a
// resend shows the same picture. Must not block: a chart still rendering is kPending.
using ChartLookup = std::function<ChartImage(AlertId)>;

// "BTCUSDT-1m-20240301T120400Z.png": the symbol, the interval and the bar's close
// (bar_close_time + 1 ms) in ISO 8601 basic format, UTC, to the second. The attachment's file
// name, also used by `replay --charts`. Characters outside [A-Za-z0-9_-] of the symbol and the
// interval become '_', so the name is safe in a multipart header and a URL.
std::string ChartFileName(const core::Candidate& alert);

}  // namespace scanner::alerts
