// Stream hot path: parse + window update per message, beside the raw simdjson ondemand iteration
// rate over the same bytes (the ceiling: every field and value visited, nothing decoded).
//
// The corpus is synthetic but shaped like the captures in ../shared/data/ws/ and deterministic:
// spot combined streams for kSymbols symbols on 1m/5m/15m/1h (an update every 2 s per stream,
// the x:true message at each bar close) and one `!miniTicker@arr` frame per second. "Mix" is all
// of it in time order; "Klines" is only the kline frames. Each iteration replays the whole
// timeline into freshly cleared windows.
//
//   bench_stream [--benchmark_repetitions=N] [--benchmark_min_time=S]
// After the usual table it prints each parse rate, the raw rate and their ratio.

#include <benchmark/benchmark.h>

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "binance/stream_parser.h"
#include "core/interval.h"
#include "core/types.h"
#include "market/window_set.h"

namespace {

using scanner::binance::ControlReply;
using scanner::binance::KlineEvent;
using scanner::binance::StreamHandler;
using scanner::binance::StreamParser;
using scanner::binance::TickerEvent;
namespace core = scanner::core;
namespace market = scanner::market;

constexpr int kSymbols = 100;
constexpr int kSeconds = 300;
constexpr core::Millis kStart = 1'700'000'000'000 - 1'700'000'000'000 % core::kHour;
constexpr std::size_t kWindowCapacity = 120;

struct Corpus {
  std::string bytes;
  std::vector<std::string_view> frames;
  std::vector<std::string> symbols;  // exchange spelling
  std::size_t kline_frames = 0;
};

struct SymbolState {
  std::string upper;
  std::string lower;
  double price;
  double volume_scale;
};

std::string Decimal(double value) {
  char text[48];
  std::snprintf(text, sizeof(text), "%.8f", value);
  return text;
}

std::vector<SymbolState> MakeSymbols(std::mt19937& random) {
  constexpr std::string_view kQuotes[] = {"USDT", "USDT", "USDT", "BTC", "FDUSD"};
  std::vector<SymbolState> symbols;
  for (int i = 0; i < kSymbols; ++i) {
    std::string base;
    const int length = 2 + static_cast<int>(random() % 5);
    for (int c = 0; c < length; ++c) base += static_cast<char>('A' + random() % 26);
    base += static_cast<char>('A' + i % 26);
    SymbolState state;
    state.upper = base + std::string(kQuotes[random() % 5]);
    for (char c : state.upper) state.lower += static_cast<char>(c - 'A' + 'a');
    state.price = std::pow(10.0, std::uniform_real_distribution<double>(-5, 4.5)(random));
    state.volume_scale = std::pow(10.0, std::uniform_real_distribution<double>(1, 6)(random));
    symbols.push_back(state);
  }
  return symbols;
}

// One synthetic timeline; `with_tickers` adds the per-second !miniTicker@arr frames.
Corpus MakeCorpus(bool with_tickers) {
  std::mt19937 random(20240607);
  std::vector<SymbolState> symbols = MakeSymbols(random);
  const std::vector<core::Interval> intervals = {
      *core::Interval::Parse("1m"), *core::Interval::Parse("5m"), *core::Interval::Parse("15m"),
      *core::Interval::Parse("1h")};
  struct OpenBar {
    double open, high, low, close, volume, quote;
    std::int64_t trades;
    std::int64_t first_trade;
  };
  std::vector<OpenBar> bars(symbols.size() * intervals.size());
  std::int64_t trade_id = 1'000'000;
  auto reset = [&](OpenBar& bar, double price) {
    bar = OpenBar{price, price, price, price, 0, 0, 0, trade_id};
  };
  for (std::size_t s = 0; s < symbols.size(); ++s) {
    for (std::size_t i = 0; i < intervals.size(); ++i)
      reset(bars[s * intervals.size() + i], symbols[s].price);
  }

  Corpus corpus;
  for (const SymbolState& symbol : symbols) corpus.symbols.push_back(symbol.upper);
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  auto add = [&](const std::string& frame) {
    spans.emplace_back(corpus.bytes.size(), frame.size());
    corpus.bytes += frame;
  };
  auto kline = [&](const SymbolState& symbol, core::Interval interval, const OpenBar& bar,
                   core::Millis open_time, core::Millis event_time, bool closed) {
    const core::Millis close_time = open_time + interval.DurationMs() - 1;
    std::string frame;
    frame.reserve(400);
    frame += R"({"stream":")" + symbol.lower + "@kline_" + std::string(interval.Name()) +
             R"(","data":{"e":"kline","E":)" + std::to_string(event_time) + R"(,"s":")" +
             symbol.upper + R"(","k":{"t":)" + std::to_string(open_time) + R"(,"T":)" +
             std::to_string(close_time) + R"(,"s":")" + symbol.upper + R"(","i":")" +
             std::string(interval.Name()) + R"(","f":)" + std::to_string(bar.first_trade) +
             R"(,"L":)" + std::to_string(bar.first_trade + bar.trades) + R"(,"o":")" +
             Decimal(bar.open) + R"(","c":")" + Decimal(bar.close) + R"(","h":")" +
             Decimal(bar.high) + R"(","l":")" + Decimal(bar.low) + R"(","v":")" +
             Decimal(bar.volume) + R"(","n":)" + std::to_string(bar.trades) + R"(,"x":)" +
             (closed ? "true" : "false") + R"(,"q":")" + Decimal(bar.quote) + R"(","V":")" +
             Decimal(bar.volume / 2) + R"(","Q":")" + Decimal(bar.quote / 2) + R"(","B":"0"}}})";
    add(frame);
    ++corpus.kline_frames;
  };

  for (int second = 1; second <= kSeconds; ++second) {
    const core::Millis now = kStart + second * core::kSecond;
    for (SymbolState& symbol : symbols) {
      symbol.price *= 1 + std::normal_distribution<double>(0, 0.0004)(random);
    }
    if (second % 2 == 0) {
      for (std::size_t s = 0; s < symbols.size(); ++s) {
        const std::int64_t trades = static_cast<std::int64_t>(random() % 40);
        const double volume = symbols[s].volume_scale * (random() % 1000) / 1000.0;
        trade_id += trades;
        for (std::size_t i = 0; i < intervals.size(); ++i) {
          OpenBar& bar = bars[s * intervals.size() + i];
          const core::Millis duration = intervals[i].DurationMs();
          const core::Millis open_time = now - now % duration;
          if (now % duration == 0) {  // the previous bar just closed: its final message first
            kline(symbols[s], intervals[i], bar, open_time - duration, now, true);
            reset(bar, bar.close);
          }
          bar.close = symbols[s].price;
          bar.high = std::max(bar.high, bar.close);
          bar.low = std::min(bar.low, bar.close);
          bar.volume += volume;
          bar.quote += volume * bar.close;
          bar.trades += trades;
          kline(symbols[s], intervals[i], bar, open_time, now + 3, false);
        }
      }
    }
    if (with_tickers) {
      std::string frame = R"({"stream":"!miniTicker@arr","data":[)";
      bool first = true;
      for (const SymbolState& symbol : symbols) {
        if (random() % 4 == 0) continue;  // only symbols that changed
        if (!first) frame += ',';
        first = false;
        frame += R"({"e":"24hrMiniTicker","E":)" + std::to_string(now) + R"(,"s":")" +
                 symbol.upper + R"(","c":")" + Decimal(symbol.price) + R"(","o":")" +
                 Decimal(symbol.price * 0.97) + R"(","h":")" + Decimal(symbol.price * 1.05) +
                 R"(","l":")" + Decimal(symbol.price * 0.95) + R"(","v":")" +
                 Decimal(symbol.volume_scale * 100) + R"(","q":")" +
                 Decimal(symbol.volume_scale * 100 * symbol.price) + R"("})";
      }
      frame += "]}";
      add(frame);
    }
  }
  for (const auto& [offset, size] : spans) {
    corpus.frames.emplace_back(corpus.bytes.data() + offset, size);
  }
  return corpus;
}

const Corpus& MixCorpus() {
  static const Corpus corpus = MakeCorpus(true);
  return corpus;
}

const Corpus& KlineCorpus() {
  static const Corpus corpus = MakeCorpus(false);
  return corpus;
}

// What the app does per message, minus signals: klines into windows, tickers kept.
class WindowFeeder final : public StreamHandler {
 public:
  explicit WindowFeeder(market::WindowSet& windows) : windows_(windows) {}
  void OnKline(const KlineEvent& event) override {
    const std::optional<market::ApplyOutcome> outcome =
        windows_.Apply(event.symbol, event.interval, event.bar, event.event_time);
    if (outcome) ++outcomes_[static_cast<std::size_t>(*outcome)];
  }
  void OnTicker(const TickerEvent& event) override {
    last_price_sum_ += event.last_price;
    ++tickers_;
  }
  void OnControlReply(const ControlReply&) override {}
  void OnServerShutdown(core::Millis) override {}

  std::array<std::uint64_t, 16> outcomes_{};
  std::uint64_t tickers_ = 0;
  double last_price_sum_ = 0;

 private:
  market::WindowSet& windows_;
};

void ParseAndWindow(benchmark::State& state, const Corpus& corpus) {
  const std::vector<core::Interval> intervals = {
      *core::Interval::Parse("1m"), *core::Interval::Parse("5m"), *core::Interval::Parse("15m"),
      *core::Interval::Parse("1h")};
  market::WindowSet windows(intervals, kWindowCapacity);
  for (const std::string& symbol : corpus.symbols) windows.AddSymbol(symbol);
  StreamParser parser;
  WindowFeeder feeder(windows);
  for (auto _ : state) {
    state.PauseTiming();
    windows.ForEach(
        [](std::string_view, core::Interval, market::BarWindow& window) { window.Clear(); });
    state.ResumeTiming();
    for (std::string_view frame : corpus.frames) parser.Parse(frame, feeder);
  }
  if (parser.Stats().Errors() != 0) state.SkipWithError("frames dropped");
  const auto appended = feeder.outcomes_[static_cast<std::size_t>(market::ApplyOutcome::kAppended)];
  if (appended == 0) state.SkipWithError("no closed bar reached a window");
  benchmark::DoNotOptimize(feeder.last_price_sum_);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * corpus.frames.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus.bytes.size()));
  state.counters["frames"] = static_cast<double>(corpus.frames.size());
}

// Decoding alone, for the breakdown: every event is delivered to a handler that only sums.
class Sink final : public StreamHandler {
 public:
  void OnKline(const KlineEvent& event) override { sum_ += event.bar.close + event.bar.volume; }
  void OnTicker(const TickerEvent& event) override { sum_ += event.last_price; }
  void OnControlReply(const ControlReply&) override {}
  void OnServerShutdown(core::Millis) override {}
  double sum_ = 0;
};

void ParseOnly(benchmark::State& state, const Corpus& corpus) {
  StreamParser parser;
  Sink sink;
  for (auto _ : state) {
    for (std::string_view frame : corpus.frames) parser.Parse(frame, sink);
  }
  if (parser.Stats().Errors() != 0) state.SkipWithError("frames dropped");
  benchmark::DoNotOptimize(sink.sum_);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * corpus.frames.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus.bytes.size()));
}

namespace od = simdjson::ondemand;

// Visits every value; scalars are not decoded (the iterator skips them).
simdjson::error_code Walk(od::value value, std::uint64_t& visited) {
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  ++visited;
  if (type == od::json_type::object) {
    od::object object;
    if (auto error = value.get_object().get(object)) return error;
    for (auto field_result : object) {
      if (auto error = field_result.error()) return error;
      od::field&& field = std::move(field_result).value_unsafe();  // in place, as the parser
      if (auto error = Walk(field.value(), visited)) return error;
    }
  } else if (type == od::json_type::array) {
    od::array array;
    if (auto error = value.get_array().get(array)) return error;
    for (auto element : array) {
      od::value item;
      if (auto error = element.get(item)) return error;
      if (auto error = Walk(item, visited)) return error;
    }
  }
  return simdjson::SUCCESS;
}

void RawIterate(benchmark::State& state, const Corpus& corpus) {
  od::parser parser;
  // The same copy into a reused padded buffer the StreamParser makes.
  std::size_t largest = 0;
  for (std::string_view frame : corpus.frames) largest = std::max(largest, frame.size());
  const std::size_t capacity = largest + simdjson::SIMDJSON_PADDING;
  auto buffer = std::make_unique<char[]>(capacity);
  std::uint64_t visited = 0;
  std::uint64_t errors = 0;
  for (auto _ : state) {
    for (std::string_view frame : corpus.frames) {
      std::memcpy(buffer.get(), frame.data(), frame.size());
      std::memset(buffer.get() + frame.size(), 0, simdjson::SIMDJSON_PADDING);
      od::document doc;
      if (parser.iterate(buffer.get(), frame.size(), capacity).get(doc)) {
        ++errors;
        continue;
      }
      od::value root;
      // A document is not a value; its object/array is walked through a value of it.
      od::object object;
      od::array array;
      if (doc.get_object().get(object) == simdjson::SUCCESS) {
        for (auto field_result : object) {
          if (field_result.error() ||
              Walk(std::move(field_result).value_unsafe().value(), visited)) {
            ++errors;
            break;
          }
        }
      } else if (doc.get_array().get(array) == simdjson::SUCCESS) {
        for (auto element : array) {
          if (element.get(root) || Walk(root, visited)) {
            ++errors;
            break;
          }
        }
      }
    }
  }
  if (errors != 0) state.SkipWithError("raw iteration failed");
  benchmark::DoNotOptimize(visited);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * corpus.frames.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus.bytes.size()));
}

void BM_ParseAndWindow_Mix(benchmark::State& state) { ParseAndWindow(state, MixCorpus()); }
void BM_RawIterate_Mix(benchmark::State& state) { RawIterate(state, MixCorpus()); }
void BM_ParseAndWindow_Klines(benchmark::State& state) { ParseAndWindow(state, KlineCorpus()); }
void BM_RawIterate_Klines(benchmark::State& state) { RawIterate(state, KlineCorpus()); }
void BM_ParseOnly_Klines(benchmark::State& state) { ParseOnly(state, KlineCorpus()); }

BENCHMARK(BM_ParseAndWindow_Mix)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RawIterate_Mix)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseAndWindow_Klines)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RawIterate_Klines)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseOnly_Klines)->Unit(benchmark::kMillisecond);

// The console table, then each parse rate beside the raw rate over the same bytes.
class RatioReporter final : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "median") continue;
      const auto found = run.counters.find("items_per_second");
      if (found == run.counters.end()) continue;
      rates_[run.run_name.function_name] = found->second.value;
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nmessages per second (one core; median when repeated)\n");
    for (const char* corpus : {"Mix", "Klines"}) {
      const auto parse = rates_.find(std::string("BM_ParseAndWindow_") + corpus);
      const auto raw = rates_.find(std::string("BM_RawIterate_") + corpus);
      if (parse == rates_.end() || raw == rates_.end()) continue;
      std::printf("  %-6s parse+window %12.0f/s   raw ondemand iteration %12.0f/s   ratio %.2f\n",
                  corpus, parse->second, raw->second, parse->second / raw->second);
    }
    const auto parse_only = rates_.find("BM_ParseOnly_Klines");
    if (parse_only != rates_.end()) {
      std::printf("  Klines parse only  %12.0f/s (no window update)\n", parse_only->second);
    }
  }

 private:
  std::map<std::string, double> rates_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const Corpus& mix = MixCorpus();
  const Corpus& klines = KlineCorpus();
  std::printf(
      "corpus: %d symbols x 4 intervals, %d s; mix %zu frames (%zu kline, %zu B), "
      "klines %zu frames (%zu B)\n",
      kSymbols, kSeconds, mix.frames.size(), mix.kline_frames, mix.bytes.size(),
      klines.frames.size(), klines.bytes.size());
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
