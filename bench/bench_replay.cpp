// Replay throughput: closed bars per second through the replay pipeline (market windows +
// signals + the in-memory cooldown and the windows' idempotence), without the alert database,
// with alerts rare as in real data; beside it each stage alone, the file reader, and the
// database cost per alert (the cooldown lookup and the insert into AlertStore) on its own.
//
// The corpus is synthetic and deterministic: kSymbols 1m series of kBarsPerSymbol bars, a
// log-normal random walk with log-normal volumes and, about once per 20 000 bars, a jump on
// heavy volume; interleaved in time order as BarMerger delivers them. Each pipeline iteration
// replays the whole corpus into a freshly created driver (its set-up is included: ~0.1% of it).
//
//   bench_replay [--benchmark_repetitions=N] [--benchmark_min_time=S]
// items_per_second is bars per second (per alert for the AlertStore benchmarks).

#include <benchmark/benchmark.h>
#include <unistd.h>
#include <zip.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "alerts/alert_store.h"
#include "alerts/alert_store_cooldown.h"
#include "app/replay_driver.h"
#include "core/clock.h"
#include "core/interval.h"
#include "core/types.h"
#include "market/window_set.h"
#include "replay/issue_log.h"
#include "replay/kline_file_reader.h"
#include "signals/signal_engine.h"
#include "storage/database.h"
#include "storage/schema.h"
#include "support/candidates.h"

namespace {

namespace core = scanner::core;
namespace app = scanner::app;
namespace replay = scanner::replay;
namespace signals = scanner::signals;

constexpr int kSymbols = 200;
constexpr int kBarsPerSymbol = 2500;
constexpr core::Millis kStart = 1'700'000'000'000 - 1'700'000'000'000 % core::kHour;

struct FedBar {
  std::uint32_t symbol;
  core::Bar bar;
};

struct Corpus {
  std::vector<std::string> symbols;
  std::vector<FedBar> bars;  // time order, symbols interleaved
};

const Corpus& TheCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    std::mt19937_64 random(20240310);
    std::normal_distribution<double> noise(0, 1);
    std::uniform_real_distribution<double> uniform(0, 1);
    std::vector<double> price(kSymbols);
    for (int s = 0; s < kSymbols; ++s) {
      c.symbols.push_back("SYM" + std::to_string(s) + "USDT");
      price[static_cast<std::size_t>(s)] = 10 + s;
    }
    const core::Millis minute = core::kMinute;
    c.bars.reserve(static_cast<std::size_t>(kSymbols) * kBarsPerSymbol);
    for (int t = 0; t < kBarsPerSymbol; ++t) {
      for (int s = 0; s < kSymbols; ++s) {
        double& p = price[static_cast<std::size_t>(s)];
        const bool jump = uniform(random) < 1.0 / 20000;
        const double r = 0.001 * noise(random) + (jump ? 0.02 : 0);
        core::Bar bar;
        bar.open_time = kStart + t * minute;
        bar.close_time = bar.open_time + minute - 1;
        bar.open = p;
        bar.close = p * std::exp(r);
        bar.high = std::max(bar.open, bar.close) * (1 + 0.0005 * std::fabs(noise(random)));
        bar.low = std::min(bar.open, bar.close) * (1 - 0.0005 * std::fabs(noise(random)));
        bar.volume = 1000 * std::exp(0.3 * noise(random)) * (jump ? 8 : 1);
        bar.quote_volume = bar.volume * bar.close;
        bar.trades = 100;
        bar.closed = true;
        p = bar.close;
        c.bars.push_back({static_cast<std::uint32_t>(s), bar});
      }
    }
    return c;
  }();
  return corpus;
}

const std::vector<core::Interval>& Intervals() {
  static const std::vector<core::Interval> intervals = {*core::Interval::Parse("1m")};
  return intervals;
}

// Windows + signals + dedup, no database: what a replay does per bar after reading it.
void BM_ReplayPipeline(benchmark::State& state) {
  const Corpus& corpus = TheCorpus();
  const core::Interval interval = Intervals()[0];
  std::uint64_t alerts = 0;
  for (auto _ : state) {
    core::FakeClock clock;
    app::ReplayDriver::Dependencies dependencies;
    dependencies.clock = &clock;
    auto driver = app::ReplayDriver::Create({}, Intervals(), std::move(dependencies));
    if (!driver) {
      state.SkipWithError(driver.error().message.c_str());
      return;
    }
    std::vector<app::ReplayDriver::SeriesId> ids;
    for (const std::string& symbol : corpus.symbols) {
      ids.push_back(*(*driver)->AddSeries(symbol, interval));
    }
    for (const FedBar& fed : corpus.bars) {
      auto result = (*driver)->OnClosedBar(ids[fed.symbol], fed.bar);
      benchmark::DoNotOptimize(result);
    }
    alerts = (*driver)->counters().alerts;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(corpus.bars.size()));
  state.counters["alerts_per_pass"] = static_cast<double>(alerts);
  state.counters["bars_per_pass"] = static_cast<double>(corpus.bars.size());
}
BENCHMARK(BM_ReplayPipeline)->Unit(benchmark::kMillisecond);

// The signal engine alone (its own in-memory cooldown).
void BM_SignalEngineOnly(benchmark::State& state) {
  const Corpus& corpus = TheCorpus();
  const core::Interval interval = Intervals()[0];
  for (auto _ : state) {
    auto engine = signals::SignalEngine::Create({}, {});
    if (!engine) {
      state.SkipWithError(engine.error().message.c_str());
      return;
    }
    for (const FedBar& fed : corpus.bars) {
      auto candidate = (*engine)->OnClosedBar(corpus.symbols[fed.symbol], interval, fed.bar);
      benchmark::DoNotOptimize(candidate);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(corpus.bars.size()));
}
BENCHMARK(BM_SignalEngineOnly)->Unit(benchmark::kMillisecond);

// The market windows alone.
void BM_WindowsOnly(benchmark::State& state) {
  const Corpus& corpus = TheCorpus();
  const core::Interval interval = Intervals()[0];
  for (auto _ : state) {
    scanner::market::WindowSet windows(Intervals(), signals::WindowCapacityFor({}));
    for (const std::string& symbol : corpus.symbols) windows.AddSymbol(symbol);
    for (const FedBar& fed : corpus.bars) {
      auto outcome =
          windows.Apply(corpus.symbols[fed.symbol], interval, fed.bar, fed.bar.close_time);
      benchmark::DoNotOptimize(outcome);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(corpus.bars.size()));
}
BENCHMARK(BM_WindowsOnly)->Unit(benchmark::kMillisecond);

// A scratch folder in the temp directory, removed at exit.
class Scratch {
 public:
  Scratch()
      : path_(std::filesystem::temp_directory_path() /
              ("bench_replay_" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~Scratch() { std::filesystem::remove_all(path_); }
  std::string Path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

Scratch& TheScratch() {
  static Scratch scratch;
  return scratch;
}

// One symbol's bars as a Binance CSV (µs timestamps, like 2025 spot files), plain or zipped.
std::string WriteKlineFile(bool zipped) {
  const Corpus& corpus = TheCorpus();
  std::string text;
  char row[512];
  // Symbol after symbol, each shifted after the previous one: one long series in time order.
  for (int s = 0; s < kSymbols; ++s) {
    const core::Millis shift = static_cast<core::Millis>(s) * kBarsPerSymbol * core::kMinute;
    for (int t = 0; t < kBarsPerSymbol; ++t) {
      const core::Bar& b = corpus.bars[static_cast<std::size_t>(t) * kSymbols + s].bar;
      const int length =
          std::snprintf(row, sizeof row, "%lld,%.8f,%.8f,%.8f,%.8f,%.8f,%lld,%.8f,%lld,0,0,0\n",
                        static_cast<long long>((b.open_time + shift) * 1000), b.open, b.high, b.low,
                        b.close, b.volume, static_cast<long long>((b.close_time + shift) * 1000),
                        b.quote_volume, static_cast<long long>(b.trades));
      text.append(row, static_cast<std::size_t>(length));
    }
  }
  if (!zipped) {
    const std::string path = TheScratch().Path("BENCH-1m-2025-01.csv");
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  const std::string path = TheScratch().Path("BENCH-1m-2025-01.zip");
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  zip_source_t* source = zip_source_buffer(archive, text.data(), text.size(), 0);
  zip_file_add(archive, "BENCH-1m-2025-01.csv", source, ZIP_FL_OVERWRITE);
  zip_close(archive);
  return path;
}

// KlineFileReader over a 500 000-row file: arg 0 plain CSV, 1 the same zipped.
void BM_ReadKlineFile(benchmark::State& state) {
  const std::string path = WriteKlineFile(state.range(0) == 1);
  std::uint64_t bars = 0;
  for (auto _ : state) {
    replay::IssueLog issues;
    auto reader = replay::KlineFileReader::Open(path, Intervals()[0], issues);
    if (!reader) {
      state.SkipWithError(reader.error().message.c_str());
      return;
    }
    bars = 0;
    while (auto bar = (*reader)->Next()) {
      benchmark::DoNotOptimize(bar);
      ++bars;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bars));
  state.counters["bars_per_pass"] = static_cast<double>(bars);
}
BENCHMARK(BM_ReadKlineFile)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// The n-th alert: symbols in turn, one 1m bar later each time.
core::Candidate MakeCandidate(std::int64_t n) {
  return scanner::support::MakeCandidate("SYM" + std::to_string(n % kSymbols) + "USDT",
                                         kStart + (n + 1) * core::kMinute - 1, "1m");
}

// The database cost of one alert: arg 0 the insert alone; arg 1 the cooldown lookup
// (AlertStoreCooldown) and the insert, as the replay driver pays it per alert.
void BM_AlertStorePerAlert(benchmark::State& state) {
  const std::string path = TheScratch().Path("alerts-" + std::to_string(state.range(0)) + ".db");
  std::filesystem::remove(path);
  auto db = scanner::storage::Database::Open(path, scanner::storage::ScannerMigrations());
  core::FakeClock clock(kStart);
  if (!db) {
    state.SkipWithError(db.error().message.c_str());
    return;
  }
  auto store = scanner::alerts::AlertStore::Open(**db, clock, core::Market::kSpot);
  if (!store) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  scanner::alerts::AlertStoreCooldown cooldown(**store);
  const bool with_lookup = state.range(0) == 1;
  std::int64_t n = 0;
  for (auto _ : state) {
    const core::Candidate candidate = MakeCandidate(n++);
    if (with_lookup) {
      benchmark::DoNotOptimize(
          cooldown.LastAlertCloseTime(candidate.symbol, candidate.interval, candidate.direction));
    }
    auto inserted = (*store)->Insert(candidate, {});
    if (!inserted) {
      state.SkipWithError(inserted.error().message.c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AlertStorePerAlert)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  TheCorpus();  // built before any timing (and outside a profiler's collection window)
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
