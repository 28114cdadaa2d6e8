#pragma once
// DispatcherHandover: which alerts::AlertDispatcher delivers the outbox, and the change of
// dispatcher when a reload changes `alerts.discord`.
//
// A reload builds the next dispatcher first. If that fails (it should not: the configuration
// was checked as a whole before, discord_settings_check.h), the running one stays and keeps
// delivering. Otherwise the running one stops taking new work and finishes its request in flight
// (within `grace`), and only then does the next one start: no pending row is ever in flight
// twice. Meanwhile new alerts are stored as always and simply wait in the outbox; a second
// reload during the wait replaces the dispatcher that was about to start.
//
// Not thread-safe: the event-loop thread. The io_context and logger must outlive it; the
// factory's dependencies (store, clock, console) too.

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert_dispatcher.h"
#include "config/config.h"
#include "core/error.h"

namespace scanner::app {

class DispatcherHandover {
 public:
  using Factory = std::function<core::Result<std::unique_ptr<alerts::AlertDispatcher>>(
      const config::DiscordConfig& discord)>;

  DispatcherHandover(boost::asio::io_context& io_context, Factory factory, core::Millis grace,
                     std::shared_ptr<spdlog::logger> logger);
  DispatcherHandover(const DispatcherHandover&) = delete;
  DispatcherHandover& operator=(const DispatcherHandover&) = delete;
  ~DispatcherHandover();

  // Builds and starts the first dispatcher.
  core::Status Start(const config::DiscordConfig& discord);
  // See the header comment. Fails (and changes nothing) when the next dispatcher cannot be
  // built.
  core::Status Replace(const config::DiscordConfig& discord);
  // Looks for due deliveries (after an alert was stored). Nothing during a hand-over.
  void Wake();
  // Stops whatever runs; `done` runs once (posted) when no request is in flight.
  void Stop(std::function<void()> done);

  // The dispatcher delivering now; null during a hand-over and after Stop.
  alerts::AlertDispatcher* active() const { return active_.get(); }
  // The destinations delivered to now, or about to be (during a hand-over).
  std::vector<std::string> ConfiguredDestinations() const;
  // Sums over every dispatcher this object ran (pending: the store's, now).
  core::Result<alerts::DispatcherCounters> Counters() const;
  bool handing_over() const { return next_ != nullptr; }

 private:
  void Retire(std::unique_ptr<alerts::AlertDispatcher> dispatcher);
  void OnRetired();

  boost::asio::io_context& io_context_;
  Factory factory_;
  core::Millis grace_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<alerts::AlertDispatcher> active_;
  std::unique_ptr<alerts::AlertDispatcher> next_;      // built, waiting for the old to finish
  std::unique_ptr<alerts::AlertDispatcher> retiring_;  // finishing its request in flight
  alerts::DispatcherCounters retired_counters_;
  bool stopping_ = false;
  // Held weakly by posted work: it does nothing once the hand-over object is gone.
  std::shared_ptr<DispatcherHandover*> self_ = std::make_shared<DispatcherHandover*>(this);
};

}  // namespace scanner::app
