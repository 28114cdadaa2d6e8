#include "app/run_command.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>

#include "app/cli.h"
#include "app/scanner_service.h"
#include "core/clock.h"

namespace scanner::app {
namespace {

// Beyond the service's own grace for Discord: closing sockets and the database is quick, so a
// stop that takes longer than this is stuck and the process leaves anyway.
constexpr auto kStopDeadline = std::chrono::seconds(10);

class SignalLoop {
 public:
  SignalLoop(boost::asio::io_context& io_context, ScannerService& service, RunContext& context)
      : io_context_(io_context),
        service_(service),
        context_(context),
        signals_(io_context, SIGINT, SIGTERM, SIGHUP),
        deadline_(io_context) {}

  void Wait() {
    signals_.async_wait([this](boost::system::error_code ec, int signal_number) {
      if (ec) return;
      OnSignal(signal_number);
    });
  }

 private:
  void OnSignal(int signal_number) {
    if (signal_number == SIGHUP) {
      Reload();
      Wait();
      return;
    }
    if (stopping_) {
      context_.logger->warn("second stop signal: leaving now");
      io_context_.stop();
      return;
    }
    stopping_ = true;
    context_.logger->info("{} received", signal_number == SIGINT ? "SIGINT" : "SIGTERM");
    deadline_.expires_after(kStopDeadline);
    deadline_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      context_.logger->error("stop took longer than {}s: leaving now", kStopDeadline.count());
      io_context_.stop();
    });
    service_.Stop([this] {
      deadline_.cancel();
      signals_.cancel();
      io_context_.stop();
    });
    Wait();
  }

  void Reload() {
    context_.logger->info("SIGHUP: reloading the configuration");
    auto next = config::LoadConfig(context_.load_options, *context_.env);
    if (!next) {
      context_.logger->error("configuration not reloaded, the running settings stay:\n{}",
                             next.error().message);
      return;
    }
    for (const std::string& message : service_.Reload(next->config)) {
      context_.logger->info("reload: {}", message);
    }
  }

  boost::asio::io_context& io_context_;
  ScannerService& service_;
  RunContext& context_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer deadline_;
  bool stopping_ = false;
};

}  // namespace

int RunScanner(RunContext context) {
  boost::asio::io_context io_context(1);
  core::SystemClock clock;
  ScannerServiceOptions options;
  options.console = context.console;
  options.record_path = context.record_path;
  auto service =
      ScannerService::Create(io_context, clock, context.loaded.config, options, context.logger);
  if (!service) {
    context.logger->critical("cannot start: {}", service.error().message);
    return kExitFailure;
  }
  SignalLoop signals(io_context, **service, context);
  signals.Wait();
  if (auto started = (*service)->Start(); !started) {
    context.logger->critical("cannot start: {}", started.error().message);
    return kExitFailure;
  }
  io_context.run();
  service->reset();
  context.logger->flush();
  return kExitSuccess;
}

}  // namespace scanner::app
