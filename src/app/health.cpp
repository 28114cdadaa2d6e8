#include "app/health.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace scanner::app {
namespace {

boost::json::array ToArray(const std::vector<std::string>& items) {
  boost::json::array array;
  for (const std::string& item : items) array.emplace_back(item);
  return array;
}

}  // namespace

HealthReport JudgeHealth(const HealthInputs& in) {
  HealthReport report;
  auto& problems = report.problems;
  auto& notes = report.notes;

  if (!in.universe_known) {
    problems.push_back(in.universe_error.empty()
                           ? std::string("starting: no universe yet")
                           : fmt::format("no universe: {}", in.universe_error));
  } else if (!in.universe_error.empty()) {
    notes.push_back(fmt::format("last universe refresh failed: {}", in.universe_error));
  }
  if (in.connections_planned > 0 && in.connections_open == 0) {
    problems.push_back(fmt::format("all {} stream connection(s) are down", in.connections_planned));
  } else if (in.connections_open < in.connections_planned) {
    notes.push_back(fmt::format("{} of {} stream connection(s) open", in.connections_open,
                                in.connections_planned));
  }
  if (in.streams_unsubscribed > 0) {
    std::string streams = fmt::format("{}", fmt::join(in.unsubscribed_streams, ", "));
    if (in.streams_unsubscribed > in.unsubscribed_streams.size()) {
      streams +=
          fmt::format(" and {} more", in.streams_unsubscribed - in.unsubscribed_streams.size());
    }
    const core::Millis refused_for = in.now - in.unsubscribed_since;
    if (refused_for > in.unsubscribed_grace) {
      problems.push_back(fmt::format("{} stream(s) refused by Binance for {}, no data for them: {}",
                                     in.streams_unsubscribed,
                                     core::FormatDuration(refused_for / 1000 * 1000), streams));
    } else {
      notes.push_back(fmt::format("{} stream(s) refused by Binance, retrying: {}",
                                  in.streams_unsubscribed, streams));
    }
  }
  if (in.universe_known && in.universe_symbols > 0) {
    // Before the first message, count from the start, so a stream that never delivers fails too.
    const core::Millis since = in.last_market_data_at > 0 ? in.last_market_data_at : in.started_at;
    if (in.now - since > in.stale_after) {
      problems.push_back(
          fmt::format("no market data for {}", core::FormatDuration(in.now - since)));
    }
  }
  if (in.rest_banned_until > in.now) {
    problems.push_back(fmt::format("Binance REST rate limit or ban until {}",
                                   core::FormatIsoUtc(in.rest_banned_until)));
  }
  for (const std::string& destination : in.dead_destinations) {
    problems.push_back(fmt::format(
        "webhook {} is dead (Discord: unknown webhook or invalid token): fix alerts.discord",
        destination));
  }
  for (const std::string& destination : in.stalled_destinations) {
    problems.push_back(fmt::format("outbox not draining for {}", destination));
  }
  if (in.unstored_alerts > 0) {
    problems.push_back(fmt::format(
        "{} alert(s) waiting for the database, which refuses to store them (locked? disk full?)",
        in.unstored_alerts));
  }
  for (const alerts::PendingCount& orphaned : in.orphaned_deliveries) {
    notes.push_back(fmt::format(
        "{} alert(s) pending for {}, which is not configured: they are sent when it is again",
        orphaned.count, orphaned.destination));
  }
  if (in.series_warm < in.series) {
    const core::Millis cold_for = in.warming_since > 0 ? in.now - in.warming_since : 0;
    if (cold_for > in.warm_up_grace) {
      problems.push_back(fmt::format(
          "{} of {} windows not warm for {}: their series are blind (REST warm-up not getting "
          "through?)",
          in.series - in.series_warm, in.series, core::FormatDuration(cold_for / 1000 * 1000)));
    } else {
      notes.push_back(fmt::format("warming up: {} of {} windows ready", in.series_warm, in.series));
    }
  }
  if (in.signal_series_warm < in.signal_series) {
    notes.push_back(fmt::format(
        "{} of {} signal series not warm yet (no alert on them before zscore_window + 2 bars)",
        in.signal_series - in.signal_series_warm, in.signal_series));
  }
  report.healthy = problems.empty();

  boost::json::object body;
  body["status"] = report.healthy ? "ok" : "unhealthy";
  body["problems"] = ToArray(problems);
  body["notes"] = ToArray(notes);
  // Integers: Boost.JSON writes every double in exponent form, which is hard to read at a glance.
  body["uptime_seconds"] = (in.now - in.started_at) / 1000;
  body["universe_symbols"] = in.universe_symbols;
  body["connections"] = {{"open", in.connections_open}, {"planned", in.connections_planned}};
  body["unsubscribed_streams"] = {{"count", in.streams_unsubscribed},
                                  {"names", ToArray(in.unsubscribed_streams)}};
  if (in.last_market_data_at > 0) {
    body["last_message_age_ms"] = in.now - in.last_market_data_at;
  } else {
    body["last_message_age_ms"] = nullptr;
  }
  body["windows"] = {{"ready", in.series_warm}, {"total", in.series}};
  body["signal_series"] = {{"warm", in.signal_series_warm}, {"total", in.signal_series}};
  body["pending_deliveries"] = in.pending_deliveries;
  boost::json::object orphaned;
  for (const alerts::PendingCount& entry : in.orphaned_deliveries) {
    orphaned[entry.destination] = entry.count;
  }
  body["orphaned_deliveries"] = std::move(orphaned);
  body["unstored_alerts"] = in.unstored_alerts;
  body["dead_webhooks"] = ToArray(in.dead_destinations);
  body["event_loop_lag_ms"] = static_cast<std::int64_t>(in.event_loop_lag_seconds * 1000.0);
  report.json = boost::json::serialize(body);
  report.json += '\n';
  return report;
}

void OutboxWatch::Observe(const std::vector<alerts::PendingCount>& pending,
                          std::uint64_t total_sent, core::Millis now) {
  std::map<std::string, Waiting> next;
  total_pending_ = 0;
  for (const alerts::PendingCount& entry : pending) {
    if (entry.count <= 0) continue;
    total_pending_ += entry.count;
    auto it = waiting_.find(entry.destination);
    Waiting waiting = it != waiting_.end() ? it->second : Waiting{now, total_sent};
    if (total_sent != waiting.sent_at_since) {
      // Something was sent since we last looked: the queue moves; measure afresh from now.
      waiting = Waiting{now, total_sent};
    }
    next.emplace(entry.destination, waiting);
  }
  waiting_ = std::move(next);
}

std::vector<std::string> OutboxWatch::Stalled(core::Millis now) const {
  std::vector<std::string> stalled;
  for (const auto& [destination, waiting] : waiting_) {
    if (now - waiting.since > stall_after_) stalled.push_back(destination);
  }
  return stalled;
}

}  // namespace scanner::app
