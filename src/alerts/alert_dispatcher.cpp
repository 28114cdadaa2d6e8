#include "alerts/alert_dispatcher.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>
#include <random>
#include <utility>

#include <fmt/format.h>

namespace scanner::alerts {
namespace {

// Discord's answers are small; a huge body is a misbehaving proxy.
constexpr std::size_t kMaxResponseBytes = 1024 * 1024;

}  // namespace

core::Result<std::unique_ptr<AlertDispatcher>> AlertDispatcher::Create(
    boost::asio::io_context& io_context, AlertStore& store, ConsoleSink& console,
    const core::Clock& clock, AlertDispatcherOptions options,
    std::shared_ptr<spdlog::logger> logger) {
  auto routes = AlertRoutes::Build(options.routes);
  if (!routes) return std::unexpected(routes.error());
  if (!options.identity.username.empty()) {
    if (auto ok = CheckWebhookUsername(options.identity.username); !ok) {
      return std::unexpected(ok.error());
    }
  }
  if (logger == nullptr) logger = std::make_shared<spdlog::logger>("alerts");

  net::HttpClientOptions http;
  http.ca_file = options.ca_file;
  http.connect_timeout = std::chrono::milliseconds(options.connect_timeout);
  http.request_timeout = std::chrono::milliseconds(options.request_timeout);
  http.max_response_bytes = kMaxResponseBytes;
  http.user_agent = options.user_agent;
  auto client = net::HttpClient::Create(io_context, std::move(http), logger);
  if (!client) return std::unexpected(client.error());

  std::unique_ptr<AlertDispatcher> dispatcher(
      new AlertDispatcher(io_context, store, clock, std::move(*routes), logger));
  dispatcher->client_ = std::move(*client);
  dispatcher->give_up_after_ = options.give_up_after;
  dispatcher->edit_outcomes_ = options.edit_outcomes;
  AlertDispatcher* self = dispatcher.get();
  std::uint64_t seed = options.seed != 0 ? options.seed : std::random_device{}();
  for (const DiscordWebhook& webhook : dispatcher->routes_.webhooks()) {
    WebhookSenderOptions sender;
    sender.identity = options.identity;
    sender.pacing = options.pacing;
    sender.backoff = options.backoff;
    sender.give_up_after = options.give_up_after;
    sender.seed = seed++;
    sender.assets = options.assets;
    sender.outcomes = options.outcomes;
    sender.edit_outcomes = options.edit_outcomes;
    sender.charts = options.charts;
    sender.chart_wait = options.chart_wait;
    // The hooks run synchronously inside a sender, which the dispatcher owns.
    WebhookSender::Hooks hooks{[self](core::Millis until) { self->OnGlobalRateLimit(until); },
                               [self] { self->OnSenderIdle(); }};
    dispatcher->senders_.push_back(
        std::make_unique<WebhookSender>(io_context, *dispatcher->client_, store, clock, webhook,
                                        std::move(sender), logger, std::move(hooks)));
  }
  if (dispatcher->senders_.empty()) {
    dispatcher->console_delivery_ =
        std::make_unique<ConsoleDelivery>(store, console, clock, logger);
  }
  return dispatcher;
}

AlertDispatcher::AlertDispatcher(boost::asio::io_context& io_context, AlertStore& store,
                                 const core::Clock& clock, AlertRoutes routes,
                                 std::shared_ptr<spdlog::logger> logger)
    : io_context_(io_context),
      store_(store),
      clock_(clock),
      routes_(std::move(routes)),
      logger_(std::move(logger)),
      grace_timer_(io_context) {}

AlertDispatcher::~AlertDispatcher() {
  // Senders first: a completion posted by the client's shutdown then finds them gone.
  senders_.clear();
  if (client_ != nullptr) client_->Shutdown();
}

core::Status AlertDispatcher::Start() {
  if (started_) return {};
  started_ = true;
  const std::vector<std::string> active = ActiveDestinations();
  auto pending = store_.PendingCounts();
  if (!pending) return std::unexpected(pending.error());
  for (const PendingCount& p : *pending) {
    if (std::find(active.begin(), active.end(), p.destination) != active.end()) {
      logger_->info("alerts: {} delivery(ies) pending for {}", p.count, p.destination);
    } else {
      logger_->warn(
          "alerts: {} delivery(ies) pending for {}, which is not configured now: they wait for "
          "it to come back (or are given up after {})",
          p.count, p.destination, core::FormatDuration(give_up_after_));
    }
  }
  logger_->info("alerts: delivering to {}",
                console_delivery_ != nullptr
                    ? std::string("the console")
                    : fmt::format("{} Discord webhook(s)", senders_.size()));
  Wake();
  return {};
}

std::vector<std::string> AlertDispatcher::DestinationsFor(const core::Candidate& candidate) const {
  return OutboxDestinationsFor(routes_, candidate);
}

std::vector<std::string> AlertDispatcher::ActiveDestinations() const {
  std::vector<std::string> active;
  for (const auto& sender : senders_) active.push_back(sender->destination());
  if (console_delivery_ != nullptr) active.emplace_back(kConsoleDestination);
  return active;
}

void AlertDispatcher::Wake() {
  if (!started_ || stopping_) return;
  if (console_delivery_ != nullptr) {
    if (auto delivered = console_delivery_->Deliver(); !delivered) {
      logger_->error("console: cannot deliver alerts: {}", delivered.error().message);
    }
  }
  for (const auto& sender : senders_) sender->Wake();
}

core::Result<int> AlertDispatcher::RequestOutcomeEdit(AlertId alert) {
  if (!edit_outcomes_) return 0;
  auto recorded = store_.RequestOutcomeEdit(alert);
  if (recorded && *recorded > 0) Wake();
  return recorded;
}

void AlertDispatcher::Stop(core::Millis grace, std::function<void()> on_stopped) {
  if (on_stopped) on_stopped_.push_back(std::move(on_stopped));
  if (!stopping_) {
    stopping_ = true;
    for (const auto& sender : senders_) sender->Stop();
    if (InFlightRequests() > 0) {
      logger_->info("alerts: stopping; waiting up to {} ms for {} request(s) in flight", grace,
                    InFlightRequests());
      grace_timer_.expires_after(std::chrono::milliseconds(std::max<core::Millis>(grace, 0)));
      grace_timer_.async_wait([this,
                               alive = std::weak_ptr<int>(alive_)](boost::system::error_code ec) {
        if (ec || alive.expired()) return;
        logger_->warn("alerts: abandoning {} request(s) in flight at shutdown", InFlightRequests());
        client_->Shutdown();  // their callbacks follow, posted, with kShutdown
      });
    }
  }
  if (InFlightRequests() == 0) FinishStop();
}

std::vector<std::string> AlertDispatcher::DeadDestinations() const {
  std::vector<std::string> dead;
  for (const auto& sender : senders_) {
    if (sender->dead()) dead.push_back(sender->destination());
  }
  return dead;
}

std::vector<WebhookSenderStatus> AlertDispatcher::WebhookStatuses() const {
  std::vector<WebhookSenderStatus> statuses;
  for (const auto& sender : senders_) statuses.push_back(sender->Status());
  return statuses;
}

core::Result<DispatcherCounters> AlertDispatcher::Counters() const {
  DispatcherCounters out;
  for (const auto& sender : senders_) {
    const WebhookSenderCounters& c = sender->counters();
    out.sent += c.sent;
    out.failed += c.failed;
    out.dead += c.dead;
    out.retried += c.retried;
    out.discord_429 += c.rate_limited;
    out.requests += c.requests;
    out.split_batches += c.split_batches;
    out.joins += c.joins;
    out.edits_done += c.edits_done;
    out.edits_failed += c.edits_failed;
    out.store_errors += c.store_errors;
    out.charts_attached += c.charts_attached;
    out.charts_timed_out += c.charts_timed_out;
    out.charts_too_large += c.charts_too_large;
  }
  if (console_delivery_ != nullptr) {
    const ConsoleDeliveryCounters& c = console_delivery_->counters();
    out.sent += c.sent;
    out.failed += c.failed;
    out.store_errors += c.store_errors;
  }
  auto pending = store_.PendingCounts();
  if (!pending) return std::unexpected(pending.error());
  out.pending = std::move(*pending);
  return out;
}

void AlertDispatcher::OnGlobalRateLimit(core::Millis until) {
  logger_->warn("alerts: global Discord rate limit; no webhook request for {} ms",
                until - clock_.NowMs());
  for (const auto& sender : senders_) sender->BlockUntil(until);
}

void AlertDispatcher::OnSenderIdle() {
  if (stopping_ && InFlightRequests() == 0) FinishStop();
}

std::size_t AlertDispatcher::InFlightRequests() const {
  std::size_t count = 0;
  for (const auto& sender : senders_) count += sender->in_flight() ? 1 : 0;
  return count;
}

void AlertDispatcher::FinishStop() {
  grace_timer_.cancel();
  client_->Shutdown();
  std::vector<std::function<void()>> callbacks;
  callbacks.swap(on_stopped_);
  for (auto& callback : callbacks) boost::asio::post(io_context_, std::move(callback));
}

}  // namespace scanner::alerts
