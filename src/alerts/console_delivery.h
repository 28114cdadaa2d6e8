#pragma once
// Delivers the outbox rows of the console destination ("console"): used when no webhook is
// configured. Alerts reach the console through the outbox like any other destination, so the
// store's UNIQUE insert makes each alert print once, and a restart prints what was still pending.
//
// Each line is printed and flushed, then its row marked sent at once (the crash window is one
// line). A line whose mark fails is remembered and its mark retried first on the next call, so
// this process never prints it twice. A failing stream (closed pipe, full disk) marks the alert
// failed: a console that is gone does not come back, and retrying would only repeat the error.
//
// Not thread-safe: the event-loop thread. The store, sink, clock and logger must outlive it.

#include <spdlog/logger.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "alerts/alert_store.h"
#include "alerts/console_sink.h"
#include "core/clock.h"

namespace scanner::alerts {

struct ConsoleDeliveryCounters {
  std::uint64_t sent = 0;
  std::uint64_t failed = 0;
  std::uint64_t store_errors = 0;
};

class ConsoleDelivery {
 public:
  ConsoleDelivery(AlertStore& store, ConsoleSink& sink, const core::Clock& clock,
                  std::shared_ptr<spdlog::logger> logger);
  ConsoleDelivery(const ConsoleDelivery&) = delete;
  ConsoleDelivery& operator=(const ConsoleDelivery&) = delete;

  // Prints every due console row, oldest first. Fails on a store error (what was printed
  // before it is marked).
  core::Status Deliver();

  const ConsoleDeliveryCounters& counters() const { return counters_; }

 private:
  AlertStore& store_;
  ConsoleSink& sink_;
  const core::Clock& clock_;
  std::shared_ptr<spdlog::logger> logger_;
  std::vector<AlertId> printed_unrecorded_;
  ConsoleDeliveryCounters counters_;
};

}  // namespace scanner::alerts
