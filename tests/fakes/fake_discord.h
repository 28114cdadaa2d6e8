#pragma once
// A fake Discord webhook API on 127.0.0.1 (ephemeral port), plain or TLS, for loopback tests.
//
//   POST  /api/webhooks/{id}/{token}?wait=true    (URLs from WebhookUrl / AddWebhook)
//   PATCH /api/webhooks/{id}/{token}/messages/{message_id}    (Edit Webhook Message)
//
// It validates every request against Discord's documented limits (BINANCE_DISCORD_FACTS.md) and
// the scanner's own rules: POST, `wait=true`, Content-Type application/json, a User-Agent,
// strict JSON; content <= 2000, username 1..80 (no "discord"/"clyde"), <= 10 embeds, title 256,
// description 4096, <= 25 fields, field name 1..256 and value 1..1024, footer 2048, author 256,
// <= 6000 characters across the embeds (code points), URLs <= 2048 (Discord's undocumented
// limit), timestamps in ISO 8601, colors 0..0xFFFFFF, and
// "allowed_mentions": {"parse": []} on every message. A request that breaks a rule is answered
// 400 with a Discord-style body and counted as a violation; tests assert there were none.
//
// It enforces Discord's commonly observed webhook rate limit (default 5 requests per 2 s per
// webhook): a request over it is answered 429 and counted as a violation too. Every answer to a
// registered webhook carries X-RateLimit-Limit / Remaining / Reset / Reset-After / Bucket.
//
// Accepted messages are recorded (embeds parsed) so tests can count deliveries per alert, and
// answered 200 with a message object whose "id" is a snowflake unique to the fake. Unknown
// webhooks get 404 (code 10015).
//
// Files (messages with a chart): a POST may be multipart/form-data (RFC 7578, read by
// fakes/multipart_form.h): exactly one "payload_json" part (the JSON above; Content-Type
// application/json if given) and "files[n]" parts, each with a filename, Content-Type image/png,
// PNG bytes and at most max_file_bytes (Discord's upload limit; over it: 413, code 40005); at
// most max_files of them. The payload's "attachments": [{"id": n, "filename"}] must list
// exactly the files[n] parts, and every embed "image": {"url": "attachment://<filename>"} must
// name one of them (a JSON post has none to name). Anything else (no or two payload_json, an
// unknown field, a bad boundary or body, a wrong content type, an id without its part) is
// answered 400 Invalid Form Body (code 50035) and counted as a violation and in invalid_forms.
// Accepted files are recorded with the message (RecordedMessage::attachments).
//
// Edits: a PATCH is validated like a POST (JSON, User-Agent, every limit, allowed_mentions),
// except that it needs no wait=true and may not carry username or avatar_url (not edit fields).
// It must name a message this webhook posted and that was not deleted (DeleteMessage), else
// 404 Unknown Message (code 10008), counted but not a violation (a person may delete a message).
// An edit is JSON and must omit "attachments" (Discord then keeps the message's files, which the
// scanner relies on); its attachment:// images must name files of the message as posted.
// Each accepted edit is recorded (Edits) and replaces the message's content (CurrentMessage),
// keeping its attachments;
// Messages() keeps the messages as posted. Edits share the webhook's rate limit with posts.
//
// Scripted faults apply to the next `count` requests (of one webhook, or any), in the order
// injected, after the rate limit check: 429 with retry_after (body float, Retry-After header,
// optionally global), a 5xx, a 400, 401 (code 50027), 404 (code 10015), 404 (code 10008), a
// slow answer, no answer at all (before or after recording the message or edit), or a closed
// connection. A fault may be limited to posts or to edits.
//
// Threading: runs its own io_context thread. Every public method is thread-safe. Destruction
// stops the server, drops held requests and joins the thread.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/error.h"

namespace scanner::fakes {

enum class DiscordFault {
  k429,              // 429 {"retry_after": s, "global": g} + Retry-After header
  k5xx,              // `status` (default 503) with a JSON error body
  k400,              // 400 Invalid Form Body (code 50035), not a violation
  k401,              // 401 Invalid Webhook Token (code 50027)
  k404,              // 404 Unknown Webhook (code 10015)
  kProxyError,       // `status` (default 404) with an HTML page: a proxy or CDN, not Discord
  kSlow,             // recorded and answered normally after `delay`
  kHang,             // never answered and not recorded: lost before Discord processed it
  kProcessThenHang,  // recorded, never answered: Discord stored it and the reply was lost
  kClose,            // the connection is closed without an answer; not recorded
  kUnknownMessage,   // 404 Unknown Message (code 10008), not recorded
};

// Which requests a scripted fault applies to.
enum class DiscordRequestKind { kAny, kPost, kEdit };

struct DiscordFaultSpec {
  DiscordFault fault = DiscordFault::k5xx;
  int count = 1;
  double retry_after_seconds = 0.1;      // k429
  bool global = false;                   // k429
  unsigned status = 503;                 // k5xx
  std::chrono::milliseconds delay{200};  // kSlow
  std::string webhook_id;                // empty: any webhook
  DiscordRequestKind requests = DiscordRequestKind::kAny;
};

struct FakeDiscordOptions {
  std::string cert_file;  // both set: TLS
  std::string key_file;
  int rate_limit = 5;  // requests per `rate_window` per webhook; 0: no limit
  core::Millis rate_window = 2 * core::kSecond;
  const core::Clock* clock = nullptr;  // for the rate limit; null: the system clock
  // A message with an embed whose title contains this (non-empty) text is refused with 400
  // Invalid Form Body, as Discord refuses a bad embed; scripted, not a violation.
  std::string refuse_title_containing;
  // Discord's upload limits for a webhook message (the figures: 10 MiB, 10 files).
  std::size_t max_file_bytes = 10 * 1024 * 1024;
  std::size_t max_files = 10;
};

struct RecordedField {
  std::string name;
  std::string value;
};

struct RecordedEmbed {
  std::string title;
  std::string description;
  std::string url;
  std::string timestamp;
  std::int64_t color = 0;
  std::string author;
  std::string footer;
  std::vector<RecordedField> fields;
  std::string image_url;  // "image": {"url"}
};

// A file of a multipart message: part "files[<id>]".
struct RecordedAttachment {
  std::size_t id = 0;
  std::string filename;  // as the payload's attachments list names it
  std::string content_type;
  std::string data;
};

struct RecordedMessage {
  std::string id;  // the message id the fake answered with
  std::string webhook_id;
  std::string username;
  std::string content;
  std::string allowed_mentions;  // serialized JSON, e.g. {"parse":[]}
  std::string user_agent;
  std::vector<RecordedEmbed> embeds;
  std::vector<RecordedAttachment> attachments;  // the message's files; an edit keeps them
  bool multipart = false;  // this request (a post) or the message (CurrentMessage) was multipart
  // When the whole request had been read (steady_clock, microseconds since its epoch).
  std::int64_t received_us = 0;
};

// One accepted PATCH: the message it edited and the new content (`body.id` is the message id).
struct RecordedEdit {
  std::string webhook_id;
  std::string message_id;
  RecordedMessage body;
};

struct FakeDiscordStats {
  std::int64_t requests = 0;
  std::int64_t accepted = 0;  // messages recorded (kProcessThenHang included)
  std::int64_t violations = 0;
  std::int64_t rate_limit_violations = 0;     // included in violations
  std::int64_t injected = 0;                  // requests answered by a scripted fault
  std::int64_t refused_titles = 0;            // refuse_title_containing answers
  std::int64_t unknown_webhook = 0;           // 404 for a webhook never added
  std::int64_t edits = 0;                     // edits recorded (kProcessThenHang included)
  std::int64_t unknown_message = 0;           // 404 (10008) for an edit of an unknown message
  std::int64_t multipart = 0;                 // multipart messages recorded
  std::int64_t invalid_forms = 0;             // refused for their files or form (in violations)
  std::int64_t too_large = 0;                 // 413: a file over max_file_bytes (in violations)
  std::map<unsigned, std::int64_t> statuses;  // answers sent, by status
  std::vector<std::string> violation_reasons;
};

class FakeDiscord {
 public:
  static core::Result<std::unique_ptr<FakeDiscord>> Start(FakeDiscordOptions options = {});
  FakeDiscord(const FakeDiscord&) = delete;
  FakeDiscord& operator=(const FakeDiscord&) = delete;
  ~FakeDiscord();

  // Registers a webhook; returns its URL "http(s)://127.0.0.1:<port>/api/webhooks/<id>/<token>".
  std::string AddWebhook(const std::string& id, const std::string& token);
  // The URL of any id/token, registered or not (for 404 tests).
  std::string WebhookUrl(std::string_view id, std::string_view token) const;
  std::uint16_t port() const { return port_; }

  void Inject(DiscordFaultSpec fault);
  // Drops every scripted fault not yet used: Discord is well again.
  void ClearFaults();

  std::vector<RecordedMessage> Messages() const;
  // Accepted edits, in arrival order.
  std::vector<RecordedEdit> Edits() const;
  // The message with id `message_id` as it reads now (posted, then edited); nullopt if unknown.
  std::optional<RecordedMessage> CurrentMessage(std::string_view message_id) const;
  // As if someone deleted the message in Discord: later edits of it get 404 (code 10008).
  void DeleteMessage(std::string_view message_id);
  // Accepted embeds, across messages (of `webhook_id` when not empty), whose title contains
  // `text`.
  std::size_t CountEmbeds(std::string_view title_contains, std::string_view webhook_id = {}) const;
  // Requests that reached the handler for `webhook_id` (any answer).
  std::int64_t RequestsFor(std::string_view webhook_id) const;
  FakeDiscordStats stats() const;
  std::size_t HeldRequests() const;

  // Waits until `predicate` is true or `timeout` passes; wakes on every recorded change.
  bool WaitFor(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) const;

 private:
  class Impl;
  explicit FakeDiscord(FakeDiscordOptions options);

  FakeDiscordOptions options_;
  std::uint16_t port_ = 0;
  bool tls_ = false;
  std::unique_ptr<Impl> impl_;
};

}  // namespace scanner::fakes
