// bench_soak: the real `momentum-scanner run` process held at full-market size against an
// in-process FakeWorld on 127.0.0.1 for a long run, to see that nothing accumulates.
//
// Time is accelerated by the bar interval: with spot's 1s bars beside 1m/3m/5m, a 30-minute run
// closes 1 800 bars per 1s window (the bars of 30 hours at 1m), and the universe refresh
// (every --refresh, 2 min: production's is 1 h) and the connection drops come as often.
//   - 400 symbols listed; at every universe refresh the bench swaps --churn of them for as many
//     unlisted ones and back, so each refresh unsubscribes, subscribes and warms up windows.
//   - every --drop-every seconds one WebSocket connection is dropped (reconnect + gap fill).
//   - every --move-every-ms a planned move on a 1s bar of a symbol that stays listed: alerts
//     flow through the database and the outbox to the fake Discord all along.
// Every --sample-every seconds a row: resident memory, open descriptors, database size (with
// its WAL), event-loop lag (worst of the scanner's 1 s probes read every 5 s), connections,
// windows, bars, alerts. The baseline is taken after warm-up plus --settle seconds; the end
// figures after --minutes more. Exit status 1 if the scanner died, resident memory grew by 5 %
// or more from the baseline, or a planned alert was missed or delivered twice.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
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
using Clock = std::chrono::steady_clock;

struct SoakOptions {
  std::string scanner_binary = SCANNER_BINARY;
  std::string dir = "/tmp/bench_soak";
  int symbols = 400;
  int churn = 20;
  std::string intervals = "1s, 1m, 3m, 5m";
  int minutes = 30;
  int refresh_minutes = 2;
  int drop_every_s = 90;
  int move_every_ms = 5000;
  int sample_every_s = 60;
  int settle_s = 120;
  std::string log_level = "info";
};

// The scanner's own counters, read from one /metrics page.
struct ScannerView {
  double lag_s = -1;
  double connections_open = -1;
  double universe_symbols = -1;
  double windows = -1;
  double windows_ready = -1;
  double signal_series = -1;
  double bars_evaluated = -1;
  double reconnects = -1;
  double gap_fill_bars = -1;
  double universe_refreshes = -1;
  double alerts_inserted = -1;
  double deliveries_pending = -1;
};

ScannerView ReadView(std::uint16_t port) {
  const e2e::HttpAnswer answer = e2e::HttpGet(port, "/metrics");
  ScannerView view;
  if (answer.status != 200) return view;
  auto value = [&](const char* name) { return e2e::MetricValue(answer.body, name).value_or(-1); };
  view.lag_s = value("scanner_event_loop_lag_seconds");
  view.connections_open = value("scanner_ws_connections_open");
  view.universe_symbols = value("scanner_universe_symbols");
  view.windows = value("scanner_windows");
  view.windows_ready = value("scanner_windows_ready");
  view.signal_series = value("scanner_signal_series");
  view.bars_evaluated = value("scanner_bars_evaluated_total");
  view.reconnects = value("scanner_ws_reconnects_total");
  view.gap_fill_bars = value("scanner_gap_fill_bars_total");
  view.universe_refreshes = value("scanner_universe_refreshes_total");
  view.alerts_inserted = value("scanner_alerts_inserted_total");
  view.deliveries_pending = value("scanner_deliveries_pending");
  return view;
}

std::uintmax_t FileBytes(const std::string& path) {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

// Medians of five readings two seconds apart: one reading can catch a transient buffer.
long MedianRssKib(pid_t pid) {
  std::vector<double> readings;
  for (int i = 0; i < 5; ++i) {
    readings.push_back(static_cast<double>(bench::ReadMemory(pid).rss_kib));
    if (i < 4) std::this_thread::sleep_for(2s);
  }
  return static_cast<long>(bench::Percentile(readings, 50));
}

// Plans 1s moves on the symbols that stay listed, one every `every_ms`, in rotation; a symbol's
// direction alternates from one visit to the next, so the cooldown (per symbol, interval and
// direction) only suppresses a move when two visits in one direction come within it.
class MovePlanner {
 public:
  MovePlanner(fakes::ScriptedMarket& market, std::vector<core::Symbol> symbols, int every_ms)
      : market_(market), symbols_(std::move(symbols)), every_ms_(every_ms) {}

  // Plans every move opening before now + 10 s (from `first_open` on, once).
  void PlanUpTo(core::Millis now) {
    static const core::Interval kOneSecond = *core::Interval::Parse("1s");
    if (next_open_ == 0) next_open_ = kOneSecond.BarOpenFor(now) + 5 * core::kSecond;
    while (next_open_ < now + 10 * core::kSecond) {
      const core::Symbol& symbol = symbols_[count_ % symbols_.size()];
      market_.PlanMove(symbol, kOneSecond, next_open_,
                       (count_ / symbols_.size()) % 2 == 0 ? fakes::MoveDirection::kUp
                                                           : fakes::MoveDirection::kDown);
      planned_[{symbol, next_open_}] = 0;
      ++count_;
      next_open_ = kOneSecond.BarOpenFor(next_open_ + every_ms_);
    }
  }

  struct Tally {
    std::size_t due = 0;  // planned bars that closed before the cut-off
    std::size_t delivered = 0;
    std::size_t missing = 0;
    std::size_t duplicated = 0;
    std::size_t unplanned = 0;
  };
  // Matches the delivered alerts against the moves whose bars opened before `due_before`.
  Tally Count(const std::vector<fakes::DeliveredAlert>& alerts, core::Millis due_before) {
    for (auto& [key, seen] : planned_) seen = 0;
    Tally tally;
    for (const fakes::DeliveredAlert& alert : alerts) {
      auto it = planned_.find({alert.symbol, alert.open_time});
      if (it == planned_.end() || alert.interval.Name() != "1s") {
        ++tally.unplanned;
        continue;
      }
      ++it->second;
    }
    for (const auto& [key, seen] : planned_) {
      if (std::get<1>(key) >= due_before) continue;
      ++tally.due;
      if (seen == 0) ++tally.missing;
      if (seen >= 1) ++tally.delivered;
      if (seen > 1) ++tally.duplicated;
    }
    return tally;
  }

 private:
  fakes::ScriptedMarket& market_;
  std::vector<core::Symbol> symbols_;
  int every_ms_;
  std::size_t count_ = 0;
  core::Millis next_open_ = 0;
  std::map<std::tuple<core::Symbol, core::Millis>, int> planned_;
};

struct Row {
  double t_s = 0;
  long rss_kib = 0;
  long hwm_kib = 0;
  int fds = 0;
  std::uintmax_t db_bytes = 0;   // the database file
  std::uintmax_t wal_bytes = 0;  // its write-ahead log (checkpointed into it every 1000 pages)
  double lag_max_ms = 0;
  ScannerView view;
  std::size_t alerts = 0;
};

void PrintHeader() {
  std::printf("%7s %8s %8s %5s %8s %8s %8s %5s %7s %11s %7s %11s %6s %8s %7s\n", "t (min)",
              "RSS MiB", "HWM MiB", "fds", "DB KiB", "WAL KiB", "lag max", "conns", "symbols",
              "windows", "series", "bars eval", "recon", "gap bars", "alerts");
}

void PrintRow(const Row& row) {
  char windows[32];
  std::snprintf(windows, sizeof windows, "%.0f/%.0f", row.view.windows_ready, row.view.windows);
  std::printf(
      "%7.1f %8.1f %8.1f %5d %8.0f %8.0f %6.1fms %5.0f %7.0f %11s %7.0f %11.0f %6.0f %8.0f %7zu\n",
      row.t_s / 60.0, static_cast<double>(row.rss_kib) / 1024.0,
      static_cast<double>(row.hwm_kib) / 1024.0, row.fds,
      static_cast<double>(row.db_bytes) / 1024.0, static_cast<double>(row.wal_bytes) / 1024.0,
      row.lag_max_ms, row.view.connections_open, row.view.universe_symbols, windows,
      row.view.signal_series, row.view.bars_evaluated, row.view.reconnects, row.view.gap_fill_bars,
      row.alerts);
  std::fflush(stdout);
}

int RunSoak(const SoakOptions& options) {
  const std::vector<core::Symbol> all = bench::MakeSymbols(options.symbols + options.churn);
  const auto listed_end = all.begin() + options.symbols;
  const std::vector<core::Symbol> listing_a(all.begin(), listed_end);
  std::vector<core::Symbol> listing_b(all.begin(), listed_end - options.churn);
  listing_b.insert(listing_b.end(), listed_end, all.end());
  const std::vector<core::Symbol> steady(all.begin(), listed_end - options.churn);

  fakes::FakeWorldOptions world_options;
  world_options.symbols = all;
  world_options.listed = listing_a;
  world_options.market.calm = true;
  world_options.discord_rate_limit = 0;
  world_options.kline_push_period = 1000ms;  // Binance: 1000 ms for 1s bars, 2000 ms otherwise
  auto world = fakes::FakeWorld::Start(std::move(world_options));
  if (!world) {
    std::cerr << "bench_soak: " << world.error().message << "\n";
    return 1;
  }
  const std::size_t interval_count = static_cast<std::size_t>(std::count(
                                         options.intervals.begin(), options.intervals.end(), ',')) +
                                     1;
  bench::Rig rig({.scanner_binary = options.scanner_binary,
                  .dir = options.dir,
                  .intervals = options.intervals,
                  .signals = "  atr_period: 14\n  zscore_window: 50\n  momentum_lookback: 1\n"
                             "  min_atr_move: 6\n  min_volume_z: 3\n  min_return_z: 0\n"
                             "  direction: both\n  cooldown: 1m\n  catch_up: 10m\n",
                  .universe_refresh = std::to_string(options.refresh_minutes) + "m",
                  .log_level = options.log_level,
                  .warm_timeout_s = 900},
                 **world);
  const auto start = Clock::now();
  if (!rig.Start()) return 1;
  if (!rig.WaitWarm(static_cast<double>(interval_count) * options.symbols, start)) {
    rig.Stop();
    return 1;
  }
  const double warm_s = bench::SecondsSince(start);
  std::printf(
      "soak: %d symbols listed (+/- %d at each refresh) x [%s]; refresh every %d min, a "
      "drop every %d s, a planned 1s move every %d ms; warm after %.1f s\n",
      options.symbols, options.churn, options.intervals.c_str(), options.refresh_minutes,
      options.drop_every_s, options.move_every_ms, warm_s);
  PrintHeader();

  core::SystemClock clock;
  MovePlanner planner((*world)->mutable_market(), steady, options.move_every_ms);
  std::vector<double> lag_samples_ms;
  Row baseline;
  bool have_baseline = false;
  double row_lag_max_ms = 0;
  bool on_listing_b = false;
  int drops = 0;
  int listing_changes = 0;
  const auto soak_start = Clock::now();
  const auto baseline_at = soak_start + std::chrono::seconds(options.settle_s);
  const auto end_at = baseline_at + std::chrono::minutes(options.minutes);
  auto next_view = soak_start;
  auto next_drop = soak_start + std::chrono::seconds(options.drop_every_s);
  // Half a period after the scanner's own refresh timer (it started with the process).
  const auto refresh_period = std::chrono::minutes(options.refresh_minutes);
  auto next_listing = start + refresh_period / 2;
  while (next_listing < soak_start) next_listing += refresh_period;
  auto next_row = soak_start;
  ScannerView view;

  auto make_row = [&]() {
    Row row;
    row.t_s = bench::SecondsSince(soak_start);
    const bench::ProcessMemory memory = bench::ReadMemory(rig.pid());
    row.rss_kib = memory.rss_kib;
    row.hwm_kib = memory.hwm_kib;
    row.fds = bench::CountOpenFiles(rig.pid());
    row.db_bytes = FileBytes(rig.database_path());
    row.wal_bytes = FileBytes(rig.database_path() + "-wal");
    row.lag_max_ms = row_lag_max_ms;
    row.view = view;
    row.alerts = (*world)->Alerts().size();
    return row;
  };

  while (Clock::now() < end_at) {
    if (!rig.Running()) {
      std::printf("the scanner EXITED after %.0f s; log %s/scanner.log\n",
                  bench::SecondsSince(soak_start), options.dir.c_str());
      return 1;
    }
    const auto now = Clock::now();
    planner.PlanUpTo(clock.NowMs());
    if (now >= next_view) {
      view = ReadView(rig.status_port());
      if (view.lag_s >= 0) {
        lag_samples_ms.push_back(view.lag_s * 1000.0);
        row_lag_max_ms = std::max(row_lag_max_ms, view.lag_s * 1000.0);
      }
      next_view += 5s;
    }
    if (now >= next_drop) {
      drops += static_cast<int>((*world)->DropConnections(1));
      next_drop += std::chrono::seconds(options.drop_every_s);
    }
    if (now >= next_listing) {
      on_listing_b = !on_listing_b;
      (*world)->SetListed(on_listing_b ? listing_b : listing_a);
      ++listing_changes;
      next_listing += refresh_period;
    }
    if (!have_baseline && now >= baseline_at) {
      baseline = make_row();
      baseline.rss_kib = MedianRssKib(rig.pid());
      have_baseline = true;
      std::printf("-- baseline (median RSS of 5 readings): %.1f MiB\n",
                  static_cast<double>(baseline.rss_kib) / 1024.0);
    }
    if (now >= next_row) {
      PrintRow(make_row());
      row_lag_max_ms = 0;
      next_row += std::chrono::seconds(options.sample_every_s);
    }
    std::this_thread::sleep_for(250ms);
  }

  view = ReadView(rig.status_port());
  Row end = make_row();
  end.rss_kib = MedianRssKib(rig.pid());
  PrintRow(end);
  // Moves whose bar closed at least 30 s before the end have had time to be delivered.
  const MovePlanner::Tally tally =
      planner.Count((*world)->Alerts(), clock.NowMs() - 30 * core::kSecond);
  const fakes::WorldCounters counters = (*world)->Counters();
  const std::optional<int> exit_code = rig.Stop();

  const double growth = 100.0 * static_cast<double>(end.rss_kib - baseline.rss_kib) /
                        static_cast<double>(std::max(baseline.rss_kib, 1L));
  const bool flat = growth < 5.0;
  const bool exact = tally.missing == 0 && tally.duplicated == 0;
  std::printf("\nsoak summary (%.1f min after warm-up and %d s settle)\n",
              bench::SecondsSince(baseline_at) / 60.0, options.settle_s);
  std::printf("  resident memory: %.1f MiB -> %.1f MiB (%+.2f %%, %s); peak %.1f MiB\n",
              static_cast<double>(baseline.rss_kib) / 1024.0,
              static_cast<double>(end.rss_kib) / 1024.0, growth, flat ? "flat" : "GROWING",
              static_cast<double>(end.hwm_kib) / 1024.0);
  std::printf("  open descriptors: %d -> %d\n", baseline.fds, end.fds);
  std::printf("  database: %.0f KiB -> %.0f KiB (WAL %.0f KiB -> %.0f KiB), %.0f alerts stored\n",
              static_cast<double>(baseline.db_bytes) / 1024.0,
              static_cast<double>(end.db_bytes) / 1024.0,
              static_cast<double>(baseline.wal_bytes) / 1024.0,
              static_cast<double>(end.wal_bytes) / 1024.0, end.view.alerts_inserted);
  std::printf("  event-loop lag over %zu probes: median %.2f ms, p99 %.2f ms, max %.2f ms\n",
              lag_samples_ms.size(), bench::Percentile(lag_samples_ms, 50),
              bench::Percentile(lag_samples_ms, 99), bench::Percentile(lag_samples_ms, 100));
  std::printf(
      "  bars evaluated %.0f; reconnects %.0f after %d drops; gap-fill bars %.0f; universe "
      "refreshes %.0f with %d listing changes\n",
      end.view.bars_evaluated, end.view.reconnects, drops, end.view.gap_fill_bars,
      end.view.universe_refreshes, listing_changes);
  std::printf(
      "  planned alerts due %zu: delivered %zu, missing %zu, duplicated %zu; unplanned %zu\n",
      tally.due, tally.delivered, tally.missing, tally.duplicated, tally.unplanned);
  std::printf(
      "  fake world: %zu connections, %zu stream-limit and %zu rate violations, REST 429 "
      "%lld, Discord violations %lld; scanner stopped with %s\n",
      counters.ws_connections, counters.ws_over_stream_limit, counters.ws_rate_violations,
      static_cast<long long>(counters.rest_429),
      static_cast<long long>(counters.discord_violations),
      exit_code ? ("exit " + std::to_string(*exit_code)).c_str() : "no clean exit");
  return flat && exact && exit_code == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("momentum-scanner soak against the fake world at full-market size", "bench_soak");
  SoakOptions options;
  app.add_option("--scanner", options.scanner_binary, "momentum-scanner binary");
  app.add_option("--dir", options.dir, "scratch directory (config, database, log)");
  app.add_option("--symbols", options.symbols, "symbols listed at a time")
      ->check(CLI::Range(2, 5000));
  app.add_option("--churn", options.churn, "symbols swapped at each universe refresh");
  app.add_option("--intervals", options.intervals, "kline intervals, e.g. \"1s, 1m, 3m, 5m\"");
  app.add_option("--minutes", options.minutes, "soak length after the baseline");
  app.add_option("--refresh", options.refresh_minutes, "universe refresh period, minutes (>= 1)")
      ->check(CLI::Range(1, 60));
  app.add_option("--drop-every", options.drop_every_s, "seconds between connection drops")
      ->check(CLI::Range(5, 3600));
  app.add_option("--move-every-ms", options.move_every_ms, "milliseconds between planned moves")
      ->check(CLI::Range(1000, 600000));
  app.add_option("--sample-every", options.sample_every_s, "seconds between table rows")
      ->check(CLI::Range(5, 3600));
  app.add_option("--settle", options.settle_s, "seconds after warm-up before the baseline");
  app.add_option("--log-level", options.log_level, "scanner log level");
  CLI11_PARSE(app, argc, argv);
  if (options.churn < 0 || options.churn >= options.symbols) {
    std::cerr << "bench_soak: --churn must be in [0, --symbols)\n";
    return 2;
  }
  if (options.intervals.find("1s") == std::string::npos) {
    std::cerr << "bench_soak: --intervals must hold 1s (the planned moves are 1s bars)\n";
    return 2;
  }
  // A symbol moves in one direction every second visit; the signals' cooldown is 1 minute.
  if (2LL * (options.symbols - options.churn) * options.move_every_ms <= 60'000) {
    std::cerr << "bench_soak: moves would repeat within the 1 m cooldown; raise --move-every-ms\n";
    return 2;
  }
  return RunSoak(options);
}
