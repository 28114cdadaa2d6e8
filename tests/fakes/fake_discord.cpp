#include "fakes/fake_discord.h"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "fakes/multipart_form.h"
#include "net/http_server.h"

namespace scanner::fakes {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr auto kRecheck = std::chrono::milliseconds(5);

// The limits, written out here rather than taken from the code under test.
constexpr std::size_t kContent = 2000;
constexpr std::size_t kUsername = 80;
constexpr std::size_t kEmbeds = 10;
constexpr std::size_t kTitle = 256;
constexpr std::size_t kDescription = 4096;
constexpr std::size_t kFields = 25;
constexpr std::size_t kFieldName = 256;
constexpr std::size_t kFieldValue = 1024;
constexpr std::size_t kFooter = 2048;
constexpr std::size_t kAuthor = 256;
constexpr std::size_t kTotal = 6000;

// Code points of valid UTF-8 (Boost.JSON has validated it): bytes that start a sequence.
std::size_t CodePoints(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "2024-03-10T12:00:00Z" or with fractional seconds and/or an offset.
bool IsIsoTimestamp(std::string_view t) {
  auto digits = [&](std::size_t at, std::size_t n) {
    if (t.size() < at + n) return false;
    return std::all_of(t.begin() + static_cast<long>(at), t.begin() + static_cast<long>(at + n),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!(digits(0, 4) && t.size() > 19 && t[4] == '-' && digits(5, 2) && t[7] == '-' &&
        digits(8, 2) && t[10] == 'T' && digits(11, 2) && t[13] == ':' && digits(14, 2) &&
        t[16] == ':' && digits(17, 2))) {
    return false;
  }
  std::size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  }
  std::string_view zone = t.substr(i);
  return zone == "Z" || (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':');
}

// Checks a message body; returns the first rule it breaks. Fills `message` as it goes.
class BodyChecker {
 public:
  explicit BodyChecker(RecordedMessage& message) : message_(message) {}

  std::optional<std::string> Check(const json::value& root) {
    const json::object* object = root.if_object();
    if (object == nullptr) return "body is not a JSON object";
    const json::value* mentions = object->if_contains("allowed_mentions");
    if (mentions == nullptr) return "allowed_mentions is missing (mentions would be parsed)";
    message_.allowed_mentions = json::serialize(*mentions);
    if (auto bad = CheckMentions(*mentions)) return bad;
    if (auto bad = Text(*object, "content", kContent, &message_.content)) return bad;
    if (auto bad = Text(*object, "username", kUsername, &message_.username)) return bad;
    if (object->contains("username")) {
      std::string lower = Lower(message_.username);
      if (message_.username.find_first_not_of(' ') == std::string::npos ||
          lower.find("discord") != std::string::npos || lower.find("clyde") != std::string::npos) {
        return "username is empty or contains a forbidden word";
      }
    }
    if (auto bad = Text(*object, "avatar_url", 2048, nullptr)) return bad;
    const json::value* embeds = object->if_contains("embeds");
    if (embeds != nullptr) {
      if (!embeds->is_array()) return "embeds is not an array";
      if (embeds->as_array().size() > kEmbeds) return "more than 10 embeds";
      std::size_t total = 0;
      for (const json::value& embed : embeds->as_array()) {
        if (auto bad = CheckEmbed(embed, &total)) return bad;
      }
      if (total > kTotal) return fmt::format("{} embed characters, over 6000", total);
    }
    if (message_.content.empty() && message_.embeds.empty()) return "empty message";
    return std::nullopt;
  }

 private:
  static std::optional<std::string> CheckMentions(const json::value& mentions) {
    const json::object* object = mentions.if_object();
    if (object == nullptr) return "allowed_mentions is not an object";
    const json::value* parse = object->if_contains("parse");
    if (parse == nullptr || !parse->is_array() || !parse->as_array().empty()) {
      return "allowed_mentions.parse is not []";
    }
    for (std::string_view key : {"users", "roles"}) {
      const json::value* list = object->if_contains(key);
      if (list != nullptr && (!list->is_array() || !list->as_array().empty())) {
        return fmt::format("allowed_mentions.{} is not empty", key);
      }
    }
    return std::nullopt;
  }

  // An optional string member of at most `max` code points; its value goes to `out`.
  static std::optional<std::string> Text(const json::object& object, std::string_view key,
                                         std::size_t max, std::string* out,
                                         std::size_t* counted = nullptr, bool required = false) {
    const json::value* value = object.if_contains(key);
    if (value == nullptr) {
      if (required) return fmt::format("{} is missing", key);
      return std::nullopt;
    }
    if (!value->is_string()) return fmt::format("{} is not a string", key);
    std::string_view text = value->as_string();
    std::size_t length = CodePoints(text);
    if (length > max) return fmt::format("{} has {} characters, over {}", key, length, max);
    if (required && text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      return fmt::format("{} is empty", key);
    }
    if (counted != nullptr) *counted += length;
    if (out != nullptr) *out = std::string(text);
    return std::nullopt;
  }

  std::optional<std::string> CheckEmbed(const json::value& value, std::size_t* total) {
    const json::object* embed = value.if_object();
    if (embed == nullptr) return "an embed is not an object";
    RecordedEmbed recorded;
    if (auto bad = Text(*embed, "title", kTitle, &recorded.title, total)) return bad;
    if (auto bad = Text(*embed, "description", kDescription, &recorded.description, total)) {
      return bad;
    }
    if (auto bad = Text(*embed, "url", 2048, &recorded.url)) return bad;
    if (auto bad = Text(*embed, "timestamp", 64, &recorded.timestamp)) return bad;
    if (const json::value* image = embed->if_contains("image")) {
      if (!image->is_object()) return "image is not an object";
      if (auto bad = Text(image->as_object(), "url", 2048, &recorded.image_url, nullptr, true)) {
        return "image." + *bad;
      }
      std::string_view url = recorded.image_url;
      if (!url.starts_with("attachment://") && !url.starts_with("https://") &&
          !url.starts_with("http://")) {
        return "image.url is not an http(s) or attachment:// URL";
      }
    }
    if (embed->contains("timestamp") && !IsIsoTimestamp(recorded.timestamp)) {
      return "timestamp is not ISO 8601";
    }
    if (const json::value* color = embed->if_contains("color")) {
      if (!color->is_int64() || color->as_int64() < 0 || color->as_int64() > 0xFFFFFF) {
        return "color is not an integer 0..0xFFFFFF";
      }
      recorded.color = color->as_int64();
    }
    if (const json::value* author = embed->if_contains("author")) {
      if (!author->is_object()) return "author is not an object";
      if (auto bad = Text(author->as_object(), "name", kAuthor, &recorded.author, total, true)) {
        return "author." + *bad;
      }
    }
    if (const json::value* footer = embed->if_contains("footer")) {
      if (!footer->is_object()) return "footer is not an object";
      if (auto bad = Text(footer->as_object(), "text", kFooter, &recorded.footer, total, true)) {
        return "footer." + *bad;
      }
    }
    if (const json::value* fields = embed->if_contains("fields")) {
      if (!fields->is_array()) return "fields is not an array";
      if (fields->as_array().size() > kFields) return "more than 25 fields";
      for (const json::value& field : fields->as_array()) {
        if (!field.is_object()) return "a field is not an object";
        RecordedField f;
        if (auto bad = Text(field.as_object(), "name", kFieldName, &f.name, total, true)) {
          return "field " + *bad;
        }
        if (auto bad = Text(field.as_object(), "value", kFieldValue, &f.value, total, true)) {
          return "field " + *bad;
        }
        if (const json::value* is_inline = field.as_object().if_contains("inline")) {
          if (!is_inline->is_bool()) return "field inline is not a boolean";
        }
        recorded.fields.push_back(std::move(f));
      }
    }
    message_.embeds.push_back(std::move(recorded));
    return std::nullopt;
  }

  RecordedMessage& message_;
};

std::string ErrorBody(std::string_view message, int code) {
  json::object body;
  body["message"] = message;
  body["code"] = code;
  return json::serialize(body);
}

std::string FormBodyError(std::string_view what) {
  json::object body;
  body["message"] = "Invalid Form Body";
  body["code"] = 50035;
  body["errors"] = json::object{
      {"_errors", json::array{json::object{{"code", "BASE_TYPE_INVALID"}, {"message", what}}}}};
  return json::serialize(body);
}

std::string Seconds(core::Millis millis) { return fmt::format("{:.3f}", millis / 1000.0); }

// Why a request is refused: 400 Invalid Form Body, or 413 for a file over the upload limit.
struct RequestRefusal {
  unsigned status = 400;
  std::string reason;
  bool form = false;  // about the files or the multipart form (counted in invalid_forms)
};

RequestRefusal FormRefusal(std::string reason) {
  return RequestRefusal{400, std::move(reason), true};
}

// "files[12]" -> 12.
std::optional<std::size_t> FileIndex(std::string_view name) {
  constexpr std::string_view kPrefix = "files[";
  if (!name.starts_with(kPrefix) || !name.ends_with("]")) return std::nullopt;
  std::string_view digits = name.substr(kPrefix.size(), name.size() - kPrefix.size() - 1);
  if (digits.empty() || digits.size() > 6) return std::nullopt;
  std::size_t index = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return index;
}

// An attachment id as JSON: a number or a string of digits.
std::optional<std::size_t> AttachmentId(const json::value& id) {
  if (id.is_int64() && id.as_int64() >= 0) return static_cast<std::size_t>(id.as_int64());
  if (id.is_uint64()) return static_cast<std::size_t>(id.as_uint64());
  if (id.is_string()) return FileIndex(fmt::format("files[{}]", std::string_view(id.as_string())));
  return std::nullopt;
}

// The embeds' attachment:// images must each name a file of `attachments`.
std::optional<std::string> CheckImageReferences(
    const std::vector<RecordedEmbed>& embeds, const std::vector<RecordedAttachment>& attachments) {
  constexpr std::string_view kScheme = "attachment://";
  for (std::size_t i = 0; i < embeds.size(); ++i) {
    std::string_view url = embeds[i].image_url;
    if (!url.starts_with(kScheme)) continue;
    url.remove_prefix(kScheme.size());
    const bool known = std::any_of(attachments.begin(), attachments.end(),
                                   [&](const RecordedAttachment& a) { return a.filename == url; });
    if (!known) {
      return fmt::format("embeds[{}].image.url refers to an unknown attachment \"{}\"", i, url);
    }
  }
  return std::nullopt;
}

}  // namespace

class FakeDiscord::Impl {
 public:
  explicit Impl(const FakeDiscordOptions& options)
      : options_(options),
        clock_(options.clock != nullptr ? options.clock : &system_clock_),
        work_(asio::make_work_guard(io_)) {}

  core::Result<std::uint16_t> Listen() {
    net::HttpServerOptions server;
    server.cert_file = options_.cert_file;
    server.key_file = options_.key_file;
    // Room for every file at its limit: a file over it gets Discord's 413, not the server's.
    server.max_request_body_bytes = std::max<std::size_t>(
        server.max_request_body_bytes, options_.max_files * options_.max_file_bytes + (1 << 20));
    auto created = net::HttpServer::Create(
        io_, server,
        [this](const net::ServerRequest& request, net::Responder responder) {
          Handle(request, std::move(responder));
        },
        nullptr);
    if (!created) return std::unexpected(created.error());
    server_ = std::move(*created);
    std::uint16_t port = server_->port();
    thread_ = std::thread([this] { io_.run(); });
    return port;
  }

  ~Impl() {
    if (thread_.joinable()) {
      asio::post(io_, [this] {
        server_->Stop();
        for (auto& timer : timers_) timer->cancel();
        std::lock_guard lock(mutex_);
        held_.clear();
      });
      work_.reset();
      thread_.join();
    }
  }

  void AddWebhook(const std::string& id, const std::string& token) {
    std::lock_guard lock(mutex_);
    webhooks_[id] = token;
  }

  void Inject(DiscordFaultSpec fault) {
    std::lock_guard lock(mutex_);
    if (fault.count > 0) faults_.push_back(std::move(fault));
  }

  void ClearFaults() {
    std::lock_guard lock(mutex_);
    faults_.clear();
  }

  std::vector<RecordedMessage> Messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }

  std::vector<RecordedEdit> Edits() const {
    std::lock_guard lock(mutex_);
    return edits_;
  }

  std::optional<RecordedMessage> CurrentMessage(std::string_view id) const {
    std::lock_guard lock(mutex_);
    auto it = current_.find(std::string(id));
    if (it == current_.end()) return std::nullopt;
    return it->second;
  }

  void DeleteMessage(std::string_view id) {
    std::lock_guard lock(mutex_);
    current_.erase(std::string(id));
  }

  std::int64_t RequestsFor(std::string_view id) const {
    std::lock_guard lock(mutex_);
    auto it = requests_by_webhook_.find(std::string(id));
    return it == requests_by_webhook_.end() ? 0 : it->second;
  }

  FakeDiscordStats Stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
  }

  std::size_t Held() const {
    std::lock_guard lock(mutex_);
    return held_.size();
  }

  bool WaitFor(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      std::uint64_t seen = 0;
      {
        std::lock_guard lock(mutex_);
        seen = version_;
      }
      if (predicate()) return true;
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return false;
      std::unique_lock lock(mutex_);
      changed_.wait_until(lock, std::min(deadline, now + kRecheck),
                          [&] { return version_ != seen; });
    }
  }

 private:
  struct Route {
    std::string id;
    std::string token;
    std::string message_id;  // set for .../messages/{message_id}
    bool wait = false;
    bool ok = false;
  };

  static Route ParseTarget(std::string_view target) {
    Route route;
    std::string_view path = target.substr(0, target.find('?'));
    std::string_view query =
        target.find('?') == std::string_view::npos ? "" : target.substr(target.find('?') + 1);
    constexpr std::string_view kPrefix = "/api/webhooks/";
    if (!path.starts_with(kPrefix)) return route;
    path.remove_prefix(kPrefix.size());
    std::size_t slash = path.find('/');
    if (slash == std::string_view::npos) return route;
    route.id = std::string(path.substr(0, slash));
    std::string_view token = path.substr(slash + 1);
    constexpr std::string_view kMessages = "/messages/";
    if (std::size_t at = token.find(kMessages); at != std::string_view::npos) {
      route.message_id = std::string(token.substr(at + kMessages.size()));
      token = token.substr(0, at);
      if (route.message_id.empty() || route.message_id.find('/') != std::string::npos) return route;
    }
    route.token = std::string(token);
    route.ok =
        !route.id.empty() && !route.token.empty() && route.token.find('/') == std::string::npos;
    while (!query.empty()) {
      std::string_view pair = query.substr(0, query.find('&'));
      if (pair == "wait=true") route.wait = true;
      if (pair.size() == query.size()) break;
      query.remove_prefix(pair.size() + 1);
    }
    return route;
  }

  // Rate-limit headers of webhook `id` at `now` (its window already pruned).
  net::HttpHeaders RateHeaders(const std::string& id, core::Millis now) const {
    net::HttpHeaders headers;
    if (options_.rate_limit <= 0) return headers;
    const std::deque<core::Millis>& window = windows_.at(id);
    int remaining = std::max(0, options_.rate_limit - static_cast<int>(window.size()));
    core::Millis reset_after = window.empty() ? 0 : window.front() + options_.rate_window - now;
    headers.emplace_back("X-RateLimit-Limit", std::to_string(options_.rate_limit));
    headers.emplace_back("X-RateLimit-Remaining", std::to_string(remaining));
    headers.emplace_back("X-RateLimit-Reset", Seconds(now + reset_after));
    headers.emplace_back("X-RateLimit-Reset-After", Seconds(reset_after));
    headers.emplace_back("X-RateLimit-Bucket", "fakebucket" + id);
    return headers;
  }

  // Called with mutex_ held.
  void Answer(const net::Responder& responder, unsigned status, std::string body,
              net::HttpHeaders headers) {
    headers.emplace_back("Content-Type", "application/json");
    ++stats_.statuses[status];
    responder.Respond(net::ServerResponse{status, std::move(headers), std::move(body), false});
  }

  void Changed() {
    ++version_;
    changed_.notify_all();
  }

  void Handle(const net::ServerRequest& request, net::Responder responder) {
    // Taken before the lock, so that a reader of Messages() does not add to it.
    const std::int64_t received_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                         std::chrono::steady_clock::now().time_since_epoch())
                                         .count();
    std::lock_guard lock(mutex_);
    ++stats_.requests;
    const core::Millis now = clock_->NowMs();
    Route route = ParseTarget(request.target);
    auto known = webhooks_.find(route.id);
    const bool edit = !route.message_id.empty();
    const auto expected = edit ? boost::beast::http::verb::patch : boost::beast::http::verb::post;
    if (!route.ok || request.method != expected) {
      Violation(fmt::format("not a webhook execution: {} {}",
                            boost::beast::http::to_string(request.method),
                            route.ok ? "/api/webhooks/<id>/<token>" : "unknown path"));
      Answer(responder, 404, ErrorBody("404: Not Found", 0), {});
      return Changed();
    }
    ++requests_by_webhook_[route.id];
    if (known == webhooks_.end() || known->second != route.token) {
      ++stats_.unknown_webhook;
      Answer(responder, 404, ErrorBody("Unknown Webhook", 10015), {});
      return Changed();
    }

    std::deque<core::Millis>& window = windows_[route.id];
    while (!window.empty() && window.front() <= now - options_.rate_window) window.pop_front();
    if (options_.rate_limit > 0 && static_cast<int>(window.size()) >= options_.rate_limit) {
      ++stats_.rate_limit_violations;
      Violation(fmt::format("webhook {}: over {} requests per {} ms", route.id, options_.rate_limit,
                            options_.rate_window));
      const core::Millis wait = window.front() + options_.rate_window - now;
      auto headers = RateHeaders(route.id, now);
      headers.emplace_back("Retry-After", std::to_string((wait + 999) / 1000));
      headers.emplace_back("X-RateLimit-Scope", "user");
      json::object body{{"message", "You are being rate limited."},
                        {"retry_after", wait / 1000.0},
                        {"global", false}};
      Answer(responder, 429, json::serialize(body), std::move(headers));
      return Changed();
    }
    window.push_back(now);
    net::HttpHeaders headers = RateHeaders(route.id, now);

    std::optional<DiscordFaultSpec> fault = TakeFault(route.id, edit);
    if (fault) {
      ++stats_.injected;
      if (!Inject(*fault, request, route, responder, headers)) return Changed();
    }
    if (edit) return HandleEdit(request, route, responder, std::move(headers), fault, received_us);

    RecordedMessage message;
    message.webhook_id = route.id;
    message.received_us = received_us;
    message.user_agent = request.Header("User-Agent").value_or("");
    if (auto bad = Validate(request, route, message, options_)) {
      Refuse(responder, *bad, fmt::format("webhook {}", route.id), std::move(headers));
      return Changed();
    }
    if (!options_.refuse_title_containing.empty()) {
      for (const RecordedEmbed& embed : message.embeds) {
        if (embed.title.find(options_.refuse_title_containing) != std::string::npos) {
          ++stats_.refused_titles;
          Answer(responder, 400, FormBodyError("embeds.title: refused by the test"),
                 std::move(headers));
          return Changed();
        }
      }
    }
    if (message.multipart) ++stats_.multipart;
    Accept(std::move(message));
    Succeed(responder, MessageObject(messages_.back()), std::move(headers), fault);
    Changed();
  }

  // A PATCH of a message, past the rate limit and the scripted faults.
  void HandleEdit(const net::ServerRequest& request, const Route& route,
                  const net::Responder& responder, net::HttpHeaders headers,
                  const std::optional<DiscordFaultSpec>& fault, std::int64_t received_us) {
    RecordedMessage body;
    body.id = route.message_id;
    body.webhook_id = route.id;
    body.received_us = received_us;
    body.user_agent = request.Header("User-Agent").value_or("");
    const std::string where = fmt::format("webhook {}: edit of {}", route.id, route.message_id);
    if (auto bad = ValidateEdit(request, body)) {
      Refuse(responder, *bad, where, std::move(headers));
      return Changed();
    }
    auto current = current_.find(route.message_id);
    if (current == current_.end() || current->second.webhook_id != route.id) {
      ++stats_.unknown_message;
      Answer(responder, 404, ErrorBody("Unknown Message", 10008), std::move(headers));
      return Changed();
    }
    // The edit omits attachments, so the message keeps its files: its images may refer to them.
    body.attachments = current->second.attachments;
    if (auto bad = CheckImageReferences(body.embeds, body.attachments)) {
      Refuse(responder, FormRefusal(*bad), where, std::move(headers));
      return Changed();
    }
    ++stats_.edits;
    edits_.push_back(RecordedEdit{route.id, route.message_id, body});
    // An edit replaces what it carries; the username stays the one the message was posted with.
    body.username = current->second.username;
    body.multipart = current->second.multipart;  // as posted; the edit itself was JSON
    current->second = body;
    Succeed(responder, MessageObject(body), std::move(headers), fault);
    Changed();
  }

  // Answers a processed request 200 with `body`, unless a fault holds or delays the answer.
  void Succeed(const net::Responder& responder, std::string body, net::HttpHeaders headers,
               const std::optional<DiscordFaultSpec>& fault) {
    if (fault && fault->fault == DiscordFault::kProcessThenHang) {
      held_.push_back(responder);
    } else if (fault && fault->fault == DiscordFault::kSlow) {
      auto timer = std::make_shared<asio::steady_timer>(io_, fault->delay);
      timers_.push_back(timer);
      timer->async_wait([this, responder, body = std::move(body),
                         headers = std::move(headers)](boost::system::error_code ec) mutable {
        if (ec) return;
        std::lock_guard lock(mutex_);
        Answer(responder, 200, std::move(body), std::move(headers));
        Changed();
      });
    } else {
      Answer(responder, 200, std::move(body), std::move(headers));
    }
  }

  // Applies a scripted fault; true when the request goes on to be processed (kSlow,
  // kProcessThenHang), false when the fault was the whole answer.
  bool Inject(const DiscordFaultSpec& fault, const net::ServerRequest&, const Route&,
              const net::Responder& responder, net::HttpHeaders headers) {
    switch (fault.fault) {
      case DiscordFault::k429: {
        headers.emplace_back(
            "Retry-After", std::to_string(static_cast<long>(std::ceil(fault.retry_after_seconds))));
        if (fault.global) headers.emplace_back("X-RateLimit-Global", "true");
        headers.emplace_back("X-RateLimit-Scope", fault.global ? "global" : "user");
        json::object body{{"message", "You are being rate limited."},
                          {"retry_after", fault.retry_after_seconds},
                          {"global", fault.global}};
        Answer(responder, 429, json::serialize(body), std::move(headers));
        return false;
      }
      case DiscordFault::k5xx:
        Answer(responder, fault.status, ErrorBody("Internal Server Error", 0), std::move(headers));
        return false;
      case DiscordFault::k400:
        Answer(responder, 400, FormBodyError("scripted refusal"), std::move(headers));
        return false;
      case DiscordFault::k401:
        Answer(responder, 401, ErrorBody("Invalid Webhook Token", 50027), std::move(headers));
        return false;
      case DiscordFault::k404:
        Answer(responder, 404, ErrorBody("Unknown Webhook", 10015), std::move(headers));
        return false;
      case DiscordFault::kProxyError:
        // Not Discord's JSON: what a reverse proxy or CDN answers when it cannot route.
        Answer(responder, fault.status,
               fmt::format("<html><head><title>{0}</title></head><body><h1>{0}</h1>"
                           "<hr><center>nginx</center></body></html>",
                           fault.status),
               std::move(headers));
        return false;
      case DiscordFault::kHang:
        held_.push_back(responder);
        return false;
      case DiscordFault::kClose:
        responder.CloseWithoutResponse();
        return false;
      case DiscordFault::kUnknownMessage:
        Answer(responder, 404, ErrorBody("Unknown Message", 10008), std::move(headers));
        return false;
      case DiscordFault::kSlow:
      case DiscordFault::kProcessThenHang:
        return true;
    }
    return false;
  }

  std::optional<DiscordFaultSpec> TakeFault(const std::string& id, bool edit) {
    const DiscordRequestKind kind = edit ? DiscordRequestKind::kEdit : DiscordRequestKind::kPost;
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if (!it->webhook_id.empty() && it->webhook_id != id) continue;
      if (it->requests != DiscordRequestKind::kAny && it->requests != kind) continue;
      DiscordFaultSpec fault = *it;
      if (--it->count <= 0) faults_.erase(it);
      return fault;
    }
    return std::nullopt;
  }

  // Called with mutex_ held.
  void Refuse(const net::Responder& responder, const RequestRefusal& refusal,
              std::string_view where, net::HttpHeaders headers) {
    Violation(fmt::format("{}: {}", where, refusal.reason));
    if (refusal.form) ++stats_.invalid_forms;
    if (refusal.status == 413) {
      ++stats_.too_large;
      Answer(responder, 413, ErrorBody("Request entity too large", 40005), std::move(headers));
      return;
    }
    Answer(responder, refusal.status, FormBodyError(refusal.reason), std::move(headers));
  }

  static std::optional<RequestRefusal> Validate(const net::ServerRequest& request,
                                                const Route& route, RecordedMessage& message,
                                                const FakeDiscordOptions& options) {
    if (!route.wait) return RequestRefusal{400, "the query has no wait=true", false};
    json::value root;
    const std::string content_type = Lower(request.Header("Content-Type").value_or(""));
    if (content_type.starts_with("multipart/")) {
      if (auto refused = ParseForm(request, message, options, root)) return refused;
    } else if (auto refused = ParseJsonBody(request, message, root)) {
      return RequestRefusal{400, *refused, false};
    }
    if (auto bad = BodyChecker(message).Check(root)) return RequestRefusal{400, *bad, false};
    if (auto bad = CheckAttachmentList(root.as_object(), message)) return FormRefusal(*bad);
    if (auto bad = CheckImageReferences(message.embeds, message.attachments)) {
      return FormRefusal(*bad);
    }
    return std::nullopt;
  }

  // A multipart body: its parts, the files recorded in `message`, payload_json parsed to `root`.
  static std::optional<RequestRefusal> ParseForm(const net::ServerRequest& request,
                                                 RecordedMessage& message,
                                                 const FakeDiscordOptions& options,
                                                 json::value& root) {
    if (message.user_agent.empty()) return RequestRefusal{400, "no User-Agent", false};
    auto boundary = MultipartBoundary(request.Header("Content-Type").value_or(""));
    if (!boundary)
      return FormRefusal("malformed multipart Content-Type: " + boundary.error().message);
    auto parts = ParseMultipartForm(*boundary, request.body);
    if (!parts) return FormRefusal("malformed multipart body: " + parts.error().message);
    message.multipart = true;
    const FormPart* payload = nullptr;
    for (FormPart& part : *parts) {
      if (part.name == "payload_json") {
        if (payload != nullptr) return FormRefusal("two payload_json parts");
        if (part.content_type && !Lower(*part.content_type).starts_with("application/json")) {
          return FormRefusal("payload_json is not application/json");
        }
        payload = &part;
        continue;
      }
      std::optional<std::size_t> index = FileIndex(part.name);
      if (!index) return FormRefusal(fmt::format("unknown form field \"{}\"", part.name));
      const bool repeated =
          std::any_of(message.attachments.begin(), message.attachments.end(),
                      [&](const RecordedAttachment& a) { return a.id == *index; });
      if (repeated) return FormRefusal(fmt::format("two {} parts", part.name));
      if (!part.filename || part.filename->empty()) {
        return FormRefusal(fmt::format("{} has no filename", part.name));
      }
      if (!part.content_type || Lower(*part.content_type) != "image/png") {
        return FormRefusal(fmt::format("{} is not image/png", part.name));
      }
      if (part.data.size() > options.max_file_bytes) {
        return RequestRefusal{413,
                              fmt::format("{} has {} bytes, over {}", part.name, part.data.size(),
                                          options.max_file_bytes),
                              true};
      }
      if (!part.data.starts_with("\x89PNG\r\n\x1a\n")) {
        return FormRefusal(fmt::format("{} is not a PNG", part.name));
      }
      message.attachments.push_back(
          RecordedAttachment{*index, *part.filename, *part.content_type, std::move(part.data)});
    }
    if (message.attachments.size() > options.max_files) {
      return FormRefusal(
          fmt::format("{} files, over {}", message.attachments.size(), options.max_files));
    }
    if (payload == nullptr) return FormRefusal("no payload_json part");
    boost::system::error_code ec;
    root = json::parse(payload->data, ec);
    if (ec) return FormRefusal("payload_json is not valid JSON: " + ec.message());
    return std::nullopt;
  }

  // The payload's "attachments" must list exactly the files[n] parts; their filenames become
  // the attachments' names.
  static std::optional<std::string> CheckAttachmentList(const json::object& root,
                                                        RecordedMessage& message) {
    std::vector<bool> listed(message.attachments.size(), false);
    if (const json::value* list = root.if_contains("attachments")) {
      if (!list->is_array()) return "attachments is not an array";
      for (const json::value& entry : list->as_array()) {
        const json::object* object = entry.if_object();
        if (object == nullptr) return "an attachment is not an object";
        const json::value* id_value = object->if_contains("id");
        std::optional<std::size_t> id = id_value ? AttachmentId(*id_value) : std::nullopt;
        if (!id) return "an attachment has no valid id";
        auto file = std::find_if(message.attachments.begin(), message.attachments.end(),
                                 [&](const RecordedAttachment& a) { return a.id == *id; });
        if (file == message.attachments.end()) {
          return fmt::format("attachment id {} has no files[{}] part", *id, *id);
        }
        const auto at = static_cast<std::size_t>(file - message.attachments.begin());
        if (listed[at]) return fmt::format("attachment id {} is listed twice", *id);
        listed[at] = true;
        if (const json::value* name = object->if_contains("filename")) {
          if (!name->is_string() || name->as_string().empty()) {
            return fmt::format("attachment {} has an invalid filename", *id);
          }
          file->filename = std::string(name->as_string());
        }
      }
    }
    for (std::size_t i = 0; i < listed.size(); ++i) {
      if (!listed[i]) {
        return fmt::format("files[{}] is not listed in attachments", message.attachments[i].id);
      }
    }
    return std::nullopt;
  }

  // As a post, without wait=true, and without the fields an edit cannot change; JSON only.
  static std::optional<RequestRefusal> ValidateEdit(const net::ServerRequest& request,
                                                    RecordedMessage& message) {
    json::value root;
    if (auto refused = ParseJsonBody(request, message, root))
      return RequestRefusal{400, *refused, false};
    if (const json::object* object = root.if_object()) {
      for (std::string_view key : {"username", "avatar_url"}) {
        if (object->contains(key)) {
          return RequestRefusal{400, fmt::format("{} is not a field of a message edit", key),
                                false};
        }
      }
      if (object->contains("attachments")) {
        return FormRefusal("an edit carries attachments (the message's files would be replaced)");
      }
    }
    if (auto bad = BodyChecker(message).Check(root)) return RequestRefusal{400, *bad, false};
    return std::nullopt;
  }

  // What every request needs: a JSON content type, a User-Agent, a body that parses.
  static std::optional<std::string> ParseJsonBody(const net::ServerRequest& request,
                                                  const RecordedMessage& message,
                                                  json::value& root) {
    std::string content_type = Lower(request.Header("Content-Type").value_or(""));
    if (!content_type.starts_with("application/json")) {
      return "Content-Type is not application/json";
    }
    if (message.user_agent.empty()) return "no User-Agent";
    boost::system::error_code ec;
    root = json::parse(request.body, ec);
    if (ec) return "body is not valid JSON (or not UTF-8): " + ec.message();
    return std::nullopt;
  }

  void Accept(RecordedMessage message) {
    ++stats_.accepted;
    message.id = std::to_string(1'000'000'000'000'000'000LL + stats_.accepted);
    current_[message.id] = message;
    messages_.push_back(std::move(message));
  }

  // Discord's message object, reduced to what a webhook client may read.
  static std::string MessageObject(const RecordedMessage& message) {
    json::object body{{"id", message.id},           {"type", 0},
                      {"channel_id", "1"},          {"webhook_id", message.webhook_id},
                      {"content", message.content}, {"embeds_count", message.embeds.size()}};
    return json::serialize(body);
  }

  void Violation(std::string reason) {
    ++stats_.violations;
    stats_.violation_reasons.push_back(std::move(reason));
  }

  const FakeDiscordOptions& options_;
  core::SystemClock system_clock_;
  const core::Clock* clock_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::unique_ptr<net::HttpServer> server_;
  std::thread thread_;
  std::vector<std::shared_ptr<asio::steady_timer>> timers_;  // io thread only

  mutable std::mutex mutex_;  // guards everything below
  mutable std::condition_variable changed_;
  std::uint64_t version_ = 0;
  std::map<std::string, std::string> webhooks_;  // id -> token
  std::deque<DiscordFaultSpec> faults_;
  std::map<std::string, std::deque<core::Millis>> windows_;  // accepted request times
  std::map<std::string, std::int64_t> requests_by_webhook_;
  std::vector<RecordedMessage> messages_;
  std::map<std::string, RecordedMessage> current_;  // message id -> as it reads now
  std::vector<RecordedEdit> edits_;
  std::vector<net::Responder> held_;
  FakeDiscordStats stats_;
};

core::Result<std::unique_ptr<FakeDiscord>> FakeDiscord::Start(FakeDiscordOptions options) {
  std::unique_ptr<FakeDiscord> fake(new FakeDiscord(std::move(options)));
  fake->impl_ = std::make_unique<Impl>(fake->options_);
  auto port = fake->impl_->Listen();
  if (!port) return std::unexpected(port.error());
  fake->port_ = *port;
  return fake;
}

FakeDiscord::FakeDiscord(FakeDiscordOptions options)
    : options_(std::move(options)),
      tls_(!options_.cert_file.empty() && !options_.key_file.empty()) {}

FakeDiscord::~FakeDiscord() = default;

std::string FakeDiscord::AddWebhook(const std::string& id, const std::string& token) {
  impl_->AddWebhook(id, token);
  return WebhookUrl(id, token);
}

std::string FakeDiscord::WebhookUrl(std::string_view id, std::string_view token) const {
  return fmt::format("{}://127.0.0.1:{}/api/webhooks/{}/{}", tls_ ? "https" : "http", port_, id,
                     token);
}

void FakeDiscord::Inject(DiscordFaultSpec fault) { impl_->Inject(std::move(fault)); }

void FakeDiscord::ClearFaults() { impl_->ClearFaults(); }

std::vector<RecordedMessage> FakeDiscord::Messages() const { return impl_->Messages(); }

std::vector<RecordedEdit> FakeDiscord::Edits() const { return impl_->Edits(); }

std::optional<RecordedMessage> FakeDiscord::CurrentMessage(std::string_view message_id) const {
  return impl_->CurrentMessage(message_id);
}

void FakeDiscord::DeleteMessage(std::string_view message_id) { impl_->DeleteMessage(message_id); }

std::size_t FakeDiscord::CountEmbeds(std::string_view title_contains,
                                     std::string_view webhook_id) const {
  std::size_t count = 0;
  for (const RecordedMessage& message : Messages()) {
    if (!webhook_id.empty() && message.webhook_id != webhook_id) continue;
    for (const RecordedEmbed& embed : message.embeds) {
      if (embed.title.find(title_contains) != std::string::npos) ++count;
    }
  }
  return count;
}

std::int64_t FakeDiscord::RequestsFor(std::string_view webhook_id) const {
  return impl_->RequestsFor(webhook_id);
}

FakeDiscordStats FakeDiscord::stats() const { return impl_->Stats(); }

std::size_t FakeDiscord::HeldRequests() const { return impl_->Held(); }

bool FakeDiscord::WaitFor(const std::function<bool()>& predicate,
                          std::chrono::milliseconds timeout) const {
  return impl_->WaitFor(predicate, timeout);
}

}  // namespace scanner::fakes
