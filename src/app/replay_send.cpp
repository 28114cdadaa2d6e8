#include "app/replay_send.h"

#include "app/alert_chart_images.h"

#include <fmt/format.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "alerts/alert_dispatcher.h"
#include "alerts/alert_store.h"
#include "alerts/console_sink.h"
#include "app/alert_chart_images.h"
#include "app/discord_routes_from_config.h"
#include "core/clock.h"
#include "core/temporary_directory.h"
#include "storage/database.h"
#include "storage/schema.h"

namespace scanner::app {
namespace {

constexpr auto kPollPeriod = std::chrono::milliseconds(100);

std::int64_t TotalPending(alerts::AlertStore& store) {
  auto pending = store.PendingCounts();
  if (!pending) return -1;
  std::int64_t total = 0;
  for (const alerts::PendingCount& entry : *pending) total += entry.count;
  return total;
}

}  // namespace

int RunReplayAndSend(const ReplayOptions& options, const config::Config& config, std::ostream& out,
                     std::ostream& err, core::Millis deadline) {
  if (config.alerts.discord.webhook_urls.empty() && config.alerts.discord.routes.empty()) {
    err << "replay: --send needs a Discord webhook (alerts.discord.webhook_urls or routes)\n";
    return kExitUsage;
  }
  std::vector<core::Candidate> alerts;
  std::vector<std::optional<core::ChartSpec>> charts;  // by alert
  ReplayHooks hooks;
  hooks.on_alert = [&](const core::Candidate& candidate, const core::ChartSpec* chart) {
    alerts.push_back(candidate);
    charts.push_back(chart != nullptr ? std::optional<core::ChartSpec>(*chart) : std::nullopt);
  };
  // No destinations in the replay's own database: delivery happens in the outbox below.
  const int replayed = RunReplay(options, config, out, err, hooks);
  if (replayed != kExitOk || alerts.empty()) {
    if (replayed == kExitOk) err << "replay: --send: no alert to send\n";
    return replayed;
  }

  auto directory = core::TemporaryDirectory::Create();
  if (!directory) {
    err << "replay: --send: " << directory.error().message << '\n';
    return kExitFailure;
  }
  auto database =
      storage::Database::Open((*directory)->path() + "/outbox.db", storage::ScannerMigrations());
  if (!database) {
    err << "replay: --send: " << database.error().message << '\n';
    return kExitFailure;
  }
  core::SystemClock clock;
  auto store = alerts::AlertStore::Open(**database, clock, config.exchange.market);
  if (!store) {
    err << "replay: --send: " << store.error().message << '\n';
    return kExitFailure;
  }
  boost::asio::io_context io_context;
  auto logger = std::make_shared<spdlog::logger>(
      "replay-send", std::make_shared<spdlog::sinks::ostream_sink_mt>(err));
  logger->set_level(spdlog::level::warn);
  alerts::ConsoleSink console(out);
  // Before the dispatcher, whose senders ask it for the charts.
  AlertChartImages chart_images(io_context, (*store)->charts(), logger);
  alerts::AlertDispatcherOptions dispatcher_options =
      DispatcherOptionsFromConfig(config.alerts.discord);
  dispatcher_options.charts = [&chart_images](alerts::AlertId id) {
    return chart_images.Lookup(id);
  };
  auto dispatcher = alerts::AlertDispatcher::Create(io_context, **store, console, clock,
                                                    std::move(dispatcher_options), logger);
  if (!dispatcher) {
    err << "replay: --send: " << dispatcher.error().message << '\n';
    return kExitFailure;
  }
  if (auto started = (*dispatcher)->Start(); !started) {
    err << "replay: --send: " << started.error().message << '\n';
    return kExitFailure;
  }
  chart_images.SetOnReady([&dispatcher] { (*dispatcher)->Wake(); });
  // Stored first, then delivered from the outbox, as in `run`.
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    const core::Candidate& candidate = alerts[i];
    auto stored = (*store)->Insert(candidate, (*dispatcher)->DestinationsFor(candidate),
                                   charts[i] ? &*charts[i] : nullptr);
    if (!stored) {
      err << "replay: --send: " << stored.error().message << '\n';
      return kExitFailure;
    }
  }
  (*dispatcher)->Wake();

  const core::Millis give_up_at = clock.NowMs() + deadline;
  bool finished = false;
  boost::asio::steady_timer poll(io_context);
  std::function<void()> check = [&] {
    const std::int64_t pending = TotalPending(**store);
    if (pending <= 0 || clock.NowMs() >= give_up_at) {
      finished = pending == 0;
      (*dispatcher)->Stop(5 * core::kSecond, [&io_context] { io_context.stop(); });
      return;
    }
    poll.expires_after(kPollPeriod);
    poll.async_wait([&](boost::system::error_code ec) {
      if (!ec) check();
    });
  };
  check();
  io_context.run();

  auto counters = (*dispatcher)->Counters();
  const std::uint64_t sent = counters ? counters->sent : 0;
  const std::uint64_t failed = counters ? counters->failed + counters->dead : 0;
  err << fmt::format("replay: --send: {} alert(s) submitted; {} delivery(ies) sent, {} failed{}\n",
                     alerts.size(), sent, failed,
                     finished ? "" : ", the rest still pending at the deadline (not sent)");
  return finished && failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace scanner::app
