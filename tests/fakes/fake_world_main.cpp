// fake_world: the scripted fake Binance (spot REST + WebSocket) and a fake Discord webhook on
// 127.0.0.1, on the real clock, for container smoke tests and soak runs of `momentum-scanner
// run`. Writes its URLs as one JSON object (--ports-file, else stdout), then serves until
// SIGINT/SIGTERM (or --duration). Faults and counters: the control endpoint (see FakeWorld,
// tests/fakes/fake_world.h; `curl <control_url>/help`).
//
//   fake_world --symbols AAAUSDT,BBBUSDT,CCCUSDT --move-every 30 --ports-file /tmp/ports.json

#include <signal.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "fakes/fake_world.h"

namespace {

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string part =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) parts.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace scanner;
  CLI::App app("fake Binance (spot REST + WebSocket) and fake Discord on 127.0.0.1", "fake_world");
  std::string symbols = "AAAUSDT,BBBUSDT,CCCUSDT,DDDUSDT,EEEUSDT";
  std::string listed;
  std::string ports_file;
  std::string move_interval = "1s";
  std::int64_t move_every = 0;
  std::int64_t moves_from_ms = 0;
  std::int64_t moves_until_ms = 0;
  std::int64_t moves_delay_s = 30;
  std::uint64_t seed = 1;
  bool tls = false;
  std::string cert_file;
  std::string key_file;
  int discord_rate_limit = 5;
  int kline_push_ms = 250;
  int ping_period_ms = 20000;
  int control_port = 0;
  int duration_s = 0;
  bool legacy_bars = false;
  app.add_option("--symbols", symbols, "every symbol the market knows, comma-separated");
  app.add_option("--listed", listed, "symbols listed at start (default: all)");
  app.add_option("--ports-file", ports_file, "write the URLs/ports JSON here (default: stdout)");
  app.add_option("--move-every", move_every,
                 "every Nth bar of each symbol on --move-interval is a 12-ATR move with 20x "
                 "volume (0: none)");
  app.add_option("--move-interval", move_interval, "interval of the planned moves");
  app.add_option("--moves-from-ms", moves_from_ms,
                 "first open time of a planned move (default: now + --moves-delay)");
  app.add_option("--moves-delay", moves_delay_s, "seconds from start to the first planned move");
  app.add_option("--moves-until-ms", moves_until_ms, "no planned move opens at or after this");
  app.add_option("--seed", seed, "market seed");
  app.add_flag("--tls", tls, "https/wss with tests/fixtures/tls/server.pem (CA: ca.pem)");
  app.add_option("--cert", cert_file, "TLS certificate (PEM); implies TLS");
  app.add_option("--key", key_file, "TLS key (PEM)");
  app.add_option("--discord-rate-limit", discord_rate_limit, "requests per 2 s per webhook");
  app.add_option("--kline-push-ms", kline_push_ms, "kline push period");
  app.add_option("--ping-period-ms", ping_period_ms, "server ping period (0: none)");
  app.add_option("--control-port", control_port, "control endpoint port (0: ephemeral)");
  app.add_option("--duration", duration_s, "exit after this many seconds (0: until a signal)");
  app.add_flag("--legacy-bars", legacy_bars, "free-drifting bars instead of calm ones");
  CLI11_PARSE(app, argc, argv);

#ifdef SCANNER_TEST_DATA_DIR
  if (tls && cert_file.empty()) {
    cert_file = std::string(SCANNER_TEST_DATA_DIR) + "/tls/server.pem";
    key_file = std::string(SCANNER_TEST_DATA_DIR) + "/tls/server.key";
  }
#endif

  // Block the stop signals before any thread starts, so that only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  fakes::FakeWorldOptions options;
  options.symbols = SplitCommas(symbols);
  options.listed = SplitCommas(listed);
  options.market.seed = seed;
  options.market.calm = !legacy_bars;
  const std::optional<core::Interval> interval = core::Interval::Parse(move_interval);
  if (!interval) {
    std::cerr << "fake_world: unknown interval " << move_interval << '\n';
    return 2;
  }
  if (move_every > 0) {
    fakes::MoveRule rule;
    rule.interval = *interval;
    rule.every = move_every;
    rule.from = moves_from_ms > 0 ? moves_from_ms
                                  : core::SystemClock().NowMs() + moves_delay_s * core::kSecond;
    if (moves_until_ms > 0) rule.until = moves_until_ms;
    options.market.move_rules.push_back(rule);
  }
  options.cert_file = cert_file;
  options.key_file = key_file;
  options.discord_rate_limit = discord_rate_limit;
  options.kline_push_period = std::chrono::milliseconds(kline_push_ms);
  options.ws_ping_period = std::chrono::milliseconds(ping_period_ms);
  options.control_port = static_cast<std::uint16_t>(control_port);

  auto world = fakes::FakeWorld::Start(std::move(options));
  if (!world) {
    std::cerr << "fake_world: " << world.error().message << '\n';
    return 1;
  }
  const std::string ports = (*world)->PortsJson();
  if (ports_file.empty()) {
    std::cout << ports << std::endl;
  } else {
    // Written whole and renamed, so a reader never sees half a file.
    const std::string temporary = ports_file + ".tmp";
    std::ofstream(temporary) << ports << '\n';
    if (std::rename(temporary.c_str(), ports_file.c_str()) != 0) {
      std::cerr << "fake_world: cannot write " << ports_file << '\n';
      return 1;
    }
  }

  if (duration_s > 0) {
    timespec timeout{duration_s, 0};
    sigtimedwait(&stop_signals, nullptr, &timeout);
  } else {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
  }
  std::cerr << "fake_world: stopping; counters " << (*world)->CountersJson() << '\n';
  return 0;
}
