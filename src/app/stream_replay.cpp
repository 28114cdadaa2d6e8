#include "app/stream_replay.h"

#include <fmt/format.h>

#include <optional>

#include "app/replay_command.h"
#include "binance/stream_parser.h"
#include "replay/stream_recording.h"

namespace scanner::app {
namespace {

constexpr std::size_t kMaxIssuesShown = 20;

// Final klines into the driver; everything else only parsed.
class BarFeeder final : public binance::StreamHandler {
 public:
  explicit BarFeeder(ReplayDriver& driver) : driver_(driver) {}

  void OnKline(const binance::KlineEvent& event) override {
    if (!event.bar.closed || error_) return;
    symbol_.assign(event.symbol);
    auto result = driver_.OnClosedBar(symbol_, event.interval, event.bar);
    if (!result) {
      error_ = result.error();
      return;
    }
    ++closed_bars_;
    if (result->gap) {
      gaps_.push_back(fmt::format("no {} {} bars from {} to {}; the series warms up again", symbol_,
                                  event.interval.Name(), core::FormatIsoUtc(result->gap->from),
                                  core::FormatIsoUtc(result->gap->to)));
    }
  }
  void OnTicker(const binance::TickerEvent&) override {}
  void OnControlReply(const binance::ControlReply&) override {}
  void OnServerShutdown(core::Millis) override {}

  std::uint64_t closed_bars() const { return closed_bars_; }
  const std::optional<core::Error>& error() const { return error_; }
  std::vector<std::string>& gaps() { return gaps_; }

 private:
  ReplayDriver& driver_;
  std::string symbol_;  // reused
  std::uint64_t closed_bars_ = 0;
  std::optional<core::Error> error_;
  std::vector<std::string> gaps_;
};

}  // namespace

int PlayStreamRecordings(const std::vector<std::string>& files, ReplayDriver& driver,
                         const ReplaySummary& summary, std::ostream& err) {
  binance::StreamParser parser;
  BarFeeder feeder(driver);
  std::uint64_t frames = 0;
  std::uint64_t damaged = 0;
  std::size_t opened = 0;
  std::vector<std::string> issues;
  for (const std::string& file : files) {
    auto reader = replay::StreamRecordingReader::Open(file);
    if (!reader) {
      issues.push_back(fmt::format("{}: unreadable: {}", file, reader.error().message));
      continue;
    }
    ++opened;
    std::uint64_t file_frames = 0;
    while (auto frame = (*reader)->Next()) {
      ++file_frames;
      parser.Parse(frame->text, feeder);
      if (feeder.error()) {
        err << fmt::format("replay: stopped at {}:{}: {}\n", file, frame->line,
                           feeder.error()->message);
        return kExitFailure;
      }
      for (std::string& gap : feeder.gaps()) {
        issues.push_back(fmt::format("{}:{}: gap: {}", file, frame->line, gap));
      }
      feeder.gaps().clear();
    }
    for (const auto& damage : (*reader)->TakeDamage()) {
      issues.push_back(fmt::format("{}:{}: damaged line: {}", file, damage.line, damage.reason));
    }
    frames += file_frames;
    damaged += (*reader)->damaged_lines();
    err << fmt::format("replay: {}: {} frames\n", file, file_frames);
  }

  const binance::StreamParseStats& stats = parser.Stats();
  const ReplayCounters& counters = driver.counters();
  err << fmt::format(
      "replay: {} frames from {} recording(s): {} kline frames ({} final), {} ticker frames, "
      "{} dropped as malformed, {} damaged lines\n",
      frames, opened, stats.kline_frames, stats.closed_klines, stats.ticker_frames, stats.Errors(),
      damaged);
  for (const binance::StreamParseStatField& field : binance::StreamParseStatFields()) {
    const std::uint64_t count = stats.*field.member;
    if (field.error && count > 0) err << fmt::format("replay:   {}: {}\n", field.name, count);
  }
  err << fmt::format(
      "replay: {} closed bars: {} evaluated, {} duplicates or re-deliveries ignored, {} gaps; "
      "{} alert(s)\n",
      counters.bars, counters.evaluated, counters.duplicates + counters.invalid, counters.gaps,
      summary.alerts());
  for (std::size_t i = 0; i < issues.size() && i < kMaxIssuesShown; ++i) {
    err << "replay: " << issues[i] << '\n';
  }
  if (issues.size() > kMaxIssuesShown) {
    err << fmt::format("replay: ... and {} more\n", issues.size() - kMaxIssuesShown);
  }
  if (opened == 0) {
    err << "replay: no recording could be read\n";
    return kExitFailure;
  }
  if (feeder.closed_bars() == 0) {
    err << "replay: no closed kline in the recordings\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace scanner::app
