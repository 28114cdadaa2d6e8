#include "alerts/console_delivery.h"

#include <utility>

#include "alerts/alert_format.h"

namespace scanner::alerts {
namespace {

constexpr std::size_t kBatch = 100;

}  // namespace

ConsoleDelivery::ConsoleDelivery(AlertStore& store, ConsoleSink& sink, const core::Clock& clock,
                                 std::shared_ptr<spdlog::logger> logger)
    : store_(store), sink_(sink), clock_(clock), logger_(std::move(logger)) {}

core::Status ConsoleDelivery::Deliver() {
  if (!printed_unrecorded_.empty()) {
    auto marked = store_.MarkSent(kConsoleDestination, printed_unrecorded_);
    if (!marked) {
      ++counters_.store_errors;
      return std::unexpected(marked.error());
    }
    counters_.sent += static_cast<std::uint64_t>(*marked);
    printed_unrecorded_.clear();
  }
  for (;;) {
    auto due = store_.DueDeliveries(kConsoleDestination, kBatch);
    if (!due) {
      ++counters_.store_errors;
      return std::unexpected(due.error());
    }
    for (const DueDelivery& d : *due) {
      const AlertId id[] = {d.alert_id};
      auto printed = sink_.Print(d.candidate, IsLate(d.candidate, clock_.NowMs()));
      auto marked = printed ? store_.MarkSent(kConsoleDestination, id)
                            : store_.MarkFailed(kConsoleDestination, id, printed.error().message);
      if (!marked) {
        ++counters_.store_errors;
        if (printed) printed_unrecorded_.push_back(d.alert_id);
        return std::unexpected(marked.error());
      }
      if (printed) {
        counters_.sent += static_cast<std::uint64_t>(*marked);
      } else {
        counters_.failed += static_cast<std::uint64_t>(*marked);
        logger_->error("console: cannot print alert {}: {}", d.alert_id, printed.error().message);
      }
    }
    if (due->size() < kBatch) return {};
  }
}

}  // namespace scanner::alerts
