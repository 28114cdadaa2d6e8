#include "app/dispatcher_handover.h"

#include <boost/asio/post.hpp>

namespace scanner::app {
namespace {

void Accumulate(alerts::DispatcherCounters& total, const alerts::DispatcherCounters& more) {
  total.sent += more.sent;
  total.failed += more.failed;
  total.dead += more.dead;
  total.retried += more.retried;
  total.discord_429 += more.discord_429;
  total.requests += more.requests;
  total.split_batches += more.split_batches;
  total.joins += more.joins;
  total.edits_done += more.edits_done;
  total.edits_failed += more.edits_failed;
  total.store_errors += more.store_errors;
  total.charts_attached += more.charts_attached;
  total.charts_timed_out += more.charts_timed_out;
  total.charts_too_large += more.charts_too_large;
}

}  // namespace

DispatcherHandover::DispatcherHandover(boost::asio::io_context& io_context, Factory factory,
                                       core::Millis grace, std::shared_ptr<spdlog::logger> logger)
    : io_context_(io_context),
      factory_(std::move(factory)),
      grace_(grace),
      logger_(std::move(logger)) {}

DispatcherHandover::~DispatcherHandover() {
  self_.reset();
  next_.reset();
  retiring_.reset();
  active_.reset();
}

core::Status DispatcherHandover::Start(const config::DiscordConfig& discord) {
  auto dispatcher = factory_(discord);
  if (!dispatcher) return std::unexpected(dispatcher.error());
  active_ = std::move(*dispatcher);
  return active_->Start();
}

core::Status DispatcherHandover::Replace(const config::DiscordConfig& discord) {
  if (stopping_) return core::Fail("stopping");
  auto dispatcher = factory_(discord);
  if (!dispatcher) return std::unexpected(dispatcher.error());
  // The newest settings win; a dispatcher that was waiting to start never sent anything.
  next_ = std::move(*dispatcher);
  if (active_) Retire(std::move(active_));
  return {};
}

void DispatcherHandover::Retire(std::unique_ptr<alerts::AlertDispatcher> dispatcher) {
  retiring_ = std::move(dispatcher);
  std::weak_ptr<DispatcherHandover*> weak = self_;
  retiring_->Stop(grace_, [weak] {
    if (auto self = weak.lock()) (*self)->OnRetired();
  });
}

void DispatcherHandover::OnRetired() {
  if (retiring_) {
    if (auto counters = retiring_->Counters()) Accumulate(retired_counters_, *counters);
    // Destroyed outside the call chain that reported it idle.
    boost::asio::post(
        io_context_, [retired = std::shared_ptr<alerts::AlertDispatcher>(std::move(retiring_))] {});
  }
  if (stopping_ || !next_) return;
  active_ = std::move(next_);
  if (auto started = active_->Start(); !started) {
    logger_->error("alert outbox: {}", started.error().message);
  }
}

void DispatcherHandover::Wake() {
  if (active_) active_->Wake();
}

void DispatcherHandover::Stop(std::function<void()> done) {
  stopping_ = true;
  next_.reset();
  std::vector<alerts::AlertDispatcher*> running;
  if (active_) running.push_back(active_.get());
  if (retiring_) running.push_back(retiring_.get());
  if (running.empty()) {
    boost::asio::post(io_context_, std::move(done));
    return;
  }
  auto remaining = std::make_shared<std::size_t>(running.size());
  auto shared_done = std::make_shared<std::function<void()>>(std::move(done));
  for (alerts::AlertDispatcher* dispatcher : running) {
    dispatcher->Stop(grace_, [remaining, shared_done] {
      if (--*remaining == 0 && *shared_done) (*shared_done)();
    });
  }
}

std::vector<std::string> DispatcherHandover::ConfiguredDestinations() const {
  if (next_) return next_->ActiveDestinations();
  if (active_) return active_->ActiveDestinations();
  return {};
}

core::Result<alerts::DispatcherCounters> DispatcherHandover::Counters() const {
  alerts::DispatcherCounters total = retired_counters_;
  for (const alerts::AlertDispatcher* dispatcher : {retiring_.get(), active_.get()}) {
    if (dispatcher == nullptr) continue;
    auto counters = dispatcher->Counters();
    if (!counters) return std::unexpected(counters.error());
    Accumulate(total, *counters);
    total.pending = std::move(counters->pending);
  }
  return total;
}

}  // namespace scanner::app
