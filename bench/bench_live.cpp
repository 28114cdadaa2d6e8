// bench_live: the real `momentum-scanner run` process against an in-process FakeWorld (fake
// Binance REST + WebSocket, fake Discord) on 127.0.0.1, on the real clock. Two measurements:
//
//   bench_live --memory   400 symbols x [1m,5m,15m,1h] held warm: VmRSS / VmHWM of the scanner
//                         once every window is ready (scanner_windows_ready == windows), and
//                         again after --after seconds more of streaming.
//   bench_live --latency  1s bars, planned moves on --symbols symbols staggered --spacing-ms
//                         apart: from the fake exchange handing the bar's final kline frame to
//                         its server to the fake Discord receiving the webhook POST; median and
//                         99th percentile over --alerts alerts. The spacing keeps the scanner's
//                         per-webhook pacing (4 per 2 s, 25 per minute) out of play, and the fake
//                         Discord's rate limit is off. --charts off: text-only alerts (on: each
//                         POST is multipart with the alert's chart, drawn after the bar closed).
//
// Prints a result table; asserts nothing about times. Scratch files (config, database, log)
// go under --dir.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/clock.h"
#include "core/interval.h"
#include "fakes/fake_world.h"
#include "live_rig.h"

namespace {

using namespace scanner;
using namespace std::chrono_literals;
using bench::Metric;
using bench::Percentile;
using bench::SecondsSince;

struct BenchOptions {
  std::string scanner_binary = SCANNER_BINARY;
  std::string dir = "/tmp/bench_live";
  int symbols = 0;  // 0: the mode's default
  int alerts = 200;
  int spacing_ms = 2500;
  int after_s = 120;
  int settle_s = 30;
  int warm_timeout_s = 900;
  int memory_kline_push_ms = 2000;  // Binance: 2000 ms for 1m and longer, 1000 ms for 1s
  std::string log_level = "info";
  bool charts = true;  // alerts.discord.chart.enabled: every alert carries its chart (PNG)
};

bench::RigOptions RigOptionsFor(const BenchOptions& options, std::string intervals,
                                std::string signals) {
  return {.scanner_binary = options.scanner_binary,
          .dir = options.dir,
          .intervals = std::move(intervals),
          .signals = std::move(signals),
          .universe_refresh = "1h",
          .log_level = options.log_level,
          .warm_timeout_s = options.warm_timeout_s,
          .charts = options.charts};
}

int RunMemory(const BenchOptions& options) {
  const int symbol_count = options.symbols > 0 ? options.symbols : 400;
  fakes::FakeWorldOptions world_options;
  world_options.symbols = bench::MakeSymbols(symbol_count);
  world_options.market.calm = true;
  world_options.discord_rate_limit = 0;
  world_options.ws_ping_period = 20000ms;
  world_options.kline_push_period = std::chrono::milliseconds(options.memory_kline_push_ms);
  auto world = fakes::FakeWorld::Start(std::move(world_options));
  if (!world) {
    std::cerr << "bench_live: " << world.error().message << "\n";
    return 1;
  }
  // Defaults, except a long cooldown: the calm market never alerts anyway.
  bench::Rig rig(RigOptionsFor(options, "1m, 5m, 15m, 1h", "  cooldown: 30m\n"), **world);
  const auto start = std::chrono::steady_clock::now();
  if (!rig.Start()) return 1;
  const double windows = 4.0 * symbol_count;
  if (!rig.WaitWarm(windows, start)) {
    rig.Stop();
    return 1;
  }
  const double warm_at = SecondsSince(start);
  std::cerr << "bench_live: warm after " << warm_at << " s; streaming " << options.settle_s
            << " s\n";
  std::this_thread::sleep_for(std::chrono::seconds(options.settle_s));

  auto sample = [&](const char* label) {
    std::vector<long> rss;
    long hwm = 0;
    for (int i = 0; i < 5; ++i) {
      const bench::ProcessMemory memory = bench::ReadMemory(rig.pid());
      rss.push_back(memory.rss_kib);
      hwm = std::max(hwm, memory.hwm_kib);
      std::this_thread::sleep_for(2s);
    }
    std::sort(rss.begin(), rss.end());
    const double ready = Metric(rig.status_port(), "scanner_windows_ready").value_or(-1);
    const double bars = Metric(rig.status_port(), "scanner_bars_evaluated_total").value_or(-1);
    std::printf("%-26s %8.1f %10.1f %10.1f %10.1f %8.0f %12.0f\n", label, SecondsSince(start),
                rss.front() / 1024.0, rss[rss.size() / 2] / 1024.0, hwm / 1024.0, ready, bars);
    std::fflush(stdout);
    return rss[rss.size() / 2];
  };
  std::printf(
      "memory: %d symbols x 4 intervals = %.0f windows, kline push %d ms; warm after %.1f s\n",
      symbol_count, windows, options.memory_kline_push_ms, warm_at);
  std::printf("%-26s %8s %10s %10s %10s %8s %12s\n", "sample", "t (s)", "RSS min", "RSS med", "HWM",
              "ready", "bars eval");
  std::printf("%-26s %8s %10s %10s %10s %8s %12s\n", "", "", "(MiB)", "(MiB)", "(MiB)", "", "");
  sample("warm (+settle)");
  std::this_thread::sleep_for(std::chrono::seconds(options.after_s));
  const std::string later = "after +" + std::to_string(options.after_s) + " s";
  sample(later.c_str());
  const bool alive = rig.Running();
  rig.Stop();
  std::printf("scanner %s; fake counters %s\n", alive ? "ran throughout" : "EXITED EARLY",
              (*world)->CountersJson().c_str());
  return alive ? 0 : 1;
}

int RunLatency(const BenchOptions& options) {
  const int symbol_count = options.symbols > 0 ? options.symbols : 40;
  const core::Interval interval = *core::Interval::Parse("1s");
  fakes::FakeWorldOptions world_options;
  world_options.symbols = bench::MakeSymbols(symbol_count);
  world_options.market.calm = true;
  world_options.discord_rate_limit = 0;  // off: only the scanner's own pacing could delay
  world_options.kline_push_period = 100ms;
  auto world = fakes::FakeWorld::Start(std::move(world_options));
  if (!world) {
    std::cerr << "bench_live: " << world.error().message << "\n";
    return 1;
  }
  bench::Rig rig(RigOptionsFor(options, "1s",
                               "  atr_period: 14\n  zscore_window: 50\n  momentum_lookback: 1\n"
                               "  min_atr_move: 6\n  min_volume_z: 3\n  min_return_z: 0\n"
                               "  direction: both\n  cooldown: 0s\n  catch_up: 0s\n"),
                 **world);
  const auto start = std::chrono::steady_clock::now();
  if (!rig.Start()) return 1;
  if (!rig.WaitWarm(symbol_count, start)) {
    rig.Stop();
    return 1;
  }
  // Plan the moves: move k opens at first + floor(k * spacing) on symbol k mod N, so each symbol
  // moves at most once per N * spacing and the webhook sees at most one alert per spacing.
  core::SystemClock clock;
  const core::Millis first = interval.BarOpenFor(clock.NowMs()) + 5 * core::kSecond;
  std::map<std::tuple<core::Symbol, core::Millis>, bool> planned;
  fakes::ScriptedMarket& market = (*world)->mutable_market();
  const std::vector<core::Symbol>& symbols = market.symbols();
  core::Millis last_open = first;
  for (int k = 0; k < options.alerts; ++k) {
    const core::Millis open =
        interval.BarOpenFor(first + static_cast<core::Millis>(k) * options.spacing_ms);
    const core::Symbol& symbol = symbols[static_cast<std::size_t>(k) % symbols.size()];
    market.PlanMove(symbol, interval, open,
                    k % 2 == 0 ? fakes::MoveDirection::kUp : fakes::MoveDirection::kDown);
    planned[{symbol, open}] = true;
    last_open = open;
  }
  const double expected_s = static_cast<double>(last_open + core::kSecond - clock.NowMs()) / 1000.0;
  std::cerr << "bench_live: warm; " << options.alerts << " moves planned over " << expected_s
            << " s\n";
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(last_open + 20 * core::kSecond - clock.NowMs());
  std::size_t seen = 0;
  while (std::chrono::steady_clock::now() < deadline && rig.Running()) {
    std::this_thread::sleep_for(2s);
    const std::size_t now_seen = (*world)->Alerts().size();
    if (now_seen / 25 != seen / 25) {
      std::cerr << "bench_live: t=" << static_cast<int>(SecondsSince(start)) << "s alerts "
                << now_seen << "\n";
    }
    seen = now_seen;
    if (seen >= planned.size()) break;
  }
  const double lag = Metric(rig.status_port(), "scanner_event_loop_lag_seconds").value_or(-1);
  const bool alive = rig.Running();
  rig.Stop();

  std::vector<double> latencies_ms;
  std::size_t unmatched = 0;
  std::size_t unplanned = 0;
  std::size_t batched = 0;  // alerts that shared a message with another
  std::map<std::size_t, int> per_message;
  const std::vector<fakes::DeliveredAlert> alerts = (*world)->Alerts();
  for (const fakes::DeliveredAlert& alert : alerts) ++per_message[alert.message];
  for (const fakes::DeliveredAlert& alert : alerts) {
    if (!planned.contains({alert.symbol, alert.open_time})) ++unplanned;
    if (per_message[alert.message] > 1) ++batched;
    if (!alert.final_frame_sent_us) {
      ++unmatched;
      continue;
    }
    latencies_ms.push_back(static_cast<double>(alert.received_us - *alert.final_frame_sent_us) /
                           1000.0);
  }
  const fakes::WorldCounters counters = (*world)->Counters();
  std::printf("latency: %d symbols, 1s bars, %d planned moves %d ms apart, kline push 100 ms\n",
              symbol_count, options.alerts, options.spacing_ms);
  std::printf("%-10s %-10s %-10s %-10s %-10s %-10s %-10s %-10s\n", "alerts", "matched", "min ms",
              "median ms", "p90 ms", "p99 ms", "max ms", "mean ms");
  double mean = 0;
  for (double v : latencies_ms) mean += v;
  if (!latencies_ms.empty()) mean /= static_cast<double>(latencies_ms.size());
  std::printf("%-10zu %-10zu %-10.2f %-10.2f %-10.2f %-10.2f %-10.2f %-10.2f\n", alerts.size(),
              latencies_ms.size(), Percentile(latencies_ms, 0), Percentile(latencies_ms, 50),
              Percentile(latencies_ms, 90), Percentile(latencies_ms, 99),
              Percentile(latencies_ms, 100), mean);
  std::printf(
      "planned %zu, unplanned alerts %zu, without a final frame %zu, batched %zu; discord 429 "
      "%lld, violations %lld; event-loop lag at end %.4f s; scanner %s\n",
      planned.size(), unplanned, unmatched, batched, static_cast<long long>(counters.discord_429),
      static_cast<long long>(counters.discord_violations), lag,
      alive ? "ran throughout" : "EXITED EARLY");
  return alive && latencies_ms.size() >= static_cast<std::size_t>(options.alerts) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("momentum-scanner live benchmarks against the fake world", "bench_live");
  BenchOptions options;
  bool memory = false;
  bool latency = false;
  app.add_flag("--memory", memory, "resident memory with 400 symbols x 4 intervals warm");
  app.add_flag("--latency", latency, "final kline frame -> webhook POST latency");
  app.add_option("--scanner", options.scanner_binary, "momentum-scanner binary");
  app.add_option("--dir", options.dir, "scratch directory (config, database, log)");
  app.add_option("--symbols", options.symbols, "symbols (default: 400 memory, 40 latency)");
  app.add_option("--alerts", options.alerts, "latency: planned moves (alerts expected)");
  app.add_option("--spacing-ms", options.spacing_ms, "latency: time between planned moves");
  app.add_option("--after", options.after_s, "memory: seconds between the two samples");
  app.add_option("--settle", options.settle_s, "memory: seconds of streaming before sampling");
  app.add_option("--kline-push-ms", options.memory_kline_push_ms,
                 "memory: kline update period of the fake exchange");
  app.add_option("--warm-timeout", options.warm_timeout_s, "seconds to wait for warm windows");
  app.add_option("--log-level", options.log_level, "scanner log level");
  std::string charts = "on";
  app.add_option("--charts", charts, "alerts.discord.chart.enabled: on (default) or off")
      ->check(CLI::IsMember({"on", "off"}));
  CLI11_PARSE(app, argc, argv);
  options.charts = charts == "on";
  if (memory == latency) {
    std::cerr << "bench_live: give exactly one of --memory, --latency\n";
    return 2;
  }
  return memory ? RunMemory(options) : RunLatency(options);
}
