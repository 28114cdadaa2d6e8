#pragma once
// The outbox of edits to sent Discord messages (table `message_edits`, storage/schema.cpp v4):
// a message whose content must be rendered again because an alert it shows got its outcome.
// One row per (destination, message id); its content is never stored, the sender renders it
// from the database when it sends (AlertStore::MessageAlerts), so an edit always shows the
// latest state and one request covers every change made meanwhile.
//
//   RequestMissedOutcomeEdits  the same for every message an outcome completed after it was
//                    sent, where no edit followed (recovery after a crash or an error)
//   RequestForAlert  pending edit for each message showing the alert; a message already
//                    pending stays one edit (its request count goes up); a done or failed
//                    one becomes pending again, attempts reset
//   NextDue / NextAttemptTime / Mark*   as the deliveries' outbox: oldest due first; each Mark
//                    moves only pending rows. MarkDone names the request count it rendered:
//                    a request that arrived while the edit was on its way keeps it pending,
//                    so the newer content is sent too.
//
// Markets: a store sees the edits of messages that show alerts of its own market only.
// Not thread-safe; owned by an AlertStore (AlertStore::edits()), whose Database and Clock
// must outlive it.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/market.h"
#include "storage/database.h"

namespace scanner::alerts {

enum class EditState { kPending, kDone, kFailed };
std::string_view EditStateName(EditState state);

struct DueEdit {
  std::string message_id;
  int attempts = 0;
  std::int64_t requests = 0;  // pass to MarkDone
  core::Millis requested_at = 0;
};

struct EditRecord {
  std::string destination;
  std::string message_id;
  EditState state = EditState::kPending;
  std::int64_t requests = 0;
  int attempts = 0;
  core::Millis next_attempt_at = 0;
  std::string last_error;
  core::Millis requested_at = 0;
  core::Millis updated_at = 0;
};

class MessageEditStore {
 public:
  static core::Result<std::unique_ptr<MessageEditStore>> Open(storage::Database& db,
                                                              const core::Clock& clock,
                                                              core::Market market);
  MessageEditStore(const MessageEditStore&) = delete;
  MessageEditStore& operator=(const MessageEditStore&) = delete;

  // See the header comment; returns the edits recorded or renewed. One transaction.
  core::Result<int> RequestForAlert(std::int64_t alert_id);

  // Records the edits that RequestForAlert should have recorded and did not (a crash between
  // an outcome's commit and the request, a refused write, a send recorded late): for every
  // message sent before an alert it shows got its final outcome (completed at or after
  // `completed_since`), unless an edit of it is pending or finished since. Returns the edits
  // recorded. One transaction.
  core::Result<int> RequestMissedOutcomeEdits(core::Millis completed_since);

  // The oldest pending edit of `destination` that is due now, if any.
  core::Result<std::optional<DueEdit>> NextDue(std::string_view destination);
  // The earliest next_attempt_at among the pending edits of `destination`, if any.
  core::Result<std::optional<core::Millis>> NextAttemptTime(std::string_view destination);

  // Done, if no request arrived since the one the sent content rendered (`requests`).
  core::Result<int> MarkDone(std::string_view destination, std::string_view message_id,
                             std::int64_t requests);
  core::Result<int> MarkRetry(std::string_view destination, std::string_view message_id,
                              core::Millis next_attempt_at, std::string_view error);
  // Final: Discord refused it, the message is gone (404, code 10008), or it is too old.
  core::Result<int> MarkFailed(std::string_view destination, std::string_view message_id,
                               std::string_view reason);
  // Every pending edit of `destination` fails: its webhook is dead.
  core::Result<int> FailDestination(std::string_view destination, std::string_view reason);

  // Removes finished edits of messages that no delivery shows any more (retention).
  core::Result<int> DeleteOrphans();

  // For tests and health pages: every edit of `destination`, by message id.
  core::Result<std::vector<EditRecord>> Edits(std::string_view destination);

 private:
  MessageEditStore(storage::Database& db, const core::Clock& clock, core::Market market,
                   std::vector<storage::Statement> statements);
  storage::Statement& Scoped(std::size_t query);
  // Runs a per-message update binding ?1 destination, ?2 message id, ?3 now, then `bind_rest`.
  core::Result<int> RunUpdate(std::size_t query, std::string_view destination,
                              std::string_view message_id,
                              const std::function<void(storage::Statement&)>& bind_rest);

  storage::Database& db_;
  const core::Clock& clock_;
  core::Market market_;
  std::vector<storage::Statement> statements_;  // by the Query enum of message_edit_store.cpp
};

}  // namespace scanner::alerts
