// `run --record` files and `replay --stream`: the recording format round-trips, and a recording
// plays back through the real stream parser into the same windows and signals as a file replay.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "app/replay_command.h"
#include "config/defaults.h"
#include "fakes/scripted_market.h"
#include "replay/stream_recording.h"
#include "support/bar_series.h"
#include "support/intervals.h"
#include "support/scratch_dir.h"

namespace scanner::app {
namespace {

using support::I;
using support::ScratchDir;
using support::SeriesMaker;
using ::testing::HasSubstr;

constexpr core::Millis kStreamStart = 1'735'689'600'000;  // 2025-01-01T00:00:00Z

// The final kline frame Binance sends for `bar`, as the fake exchange writes it.
std::string KlineFrame(const std::string& symbol, const core::Bar& bar) {
  return fakes::ScriptedMarket::KlineFrame(symbol, I("1m"), bar, bar.close_time);
}

struct StreamOutcome {
  int code = -1;
  std::string out;
  std::string err;
};

StreamOutcome ReplayStream(std::vector<std::string> files) {
  ReplayOptions options;
  options.files = std::move(files);
  options.stream = true;
  options.format = "jsonl";
  std::ostringstream out;
  std::ostringstream err;
  StreamOutcome outcome;
  outcome.code = RunReplay(options, config::DefaultConfig(core::Market::kSpot), out, err);
  outcome.out = out.str();
  outcome.err = err.str();
  return outcome;
}

TEST(StreamRecording, RoundTripsFramesAndReportsDamagedLines) {
  ScratchDir dir;
  const std::string path = dir.Path("session.rec");
  {
    auto recorder = replay::StreamRecorder::Open(path);
    ASSERT_TRUE(recorder) << recorder.error().message;
    (*recorder)->Record(1000, R"({"a":1})");
    (*recorder)->Record(1001, "{\"b\":\n2}");  // JSON whitespace: written as a space
    EXPECT_TRUE((*recorder)->Flush());
    EXPECT_EQ((*recorder)->frames(), 2u);
  }
  {
    std::ofstream(path, std::ios::app) << "not a frame\nx7\t{}\n";
    auto recorder = replay::StreamRecorder::Open(path);  // appends, no second header
    ASSERT_TRUE(recorder);
    (*recorder)->Record(1002, "{}");
  }
  auto reader = replay::StreamRecordingReader::Open(path);
  ASSERT_TRUE(reader);
  std::vector<std::pair<core::Millis, std::string>> frames;
  while (auto frame = (*reader)->Next()) frames.emplace_back(frame->received_at, frame->text);
  EXPECT_EQ(frames, (std::vector<std::pair<core::Millis, std::string>>{
                        {1000, R"({"a":1})"}, {1001, "{\"b\": 2}"}, {1002, "{}"}}));
  EXPECT_EQ((*reader)->damaged_lines(), 2u);
  auto damage = (*reader)->TakeDamage();
  ASSERT_EQ(damage.size(), 2u);
  EXPECT_EQ(damage[0].line, 4u);  // after the header and two frames
  EXPECT_THAT(damage[0].reason, HasSubstr("no tab"));
  EXPECT_THAT(damage[1].reason, HasSubstr("not a number"));
}

TEST(ReplayStream, ARecordedSpikeAlertsOnceThroughTheStreamParser) {
  ScratchDir dir;
  const std::string path = dir.Path("session.rec");
  SeriesMaker maker(kStreamStart, I("1m"));
  std::vector<core::Bar> bars;
  for (int i = 0; i < 60; ++i) bars.push_back(maker.Calm());
  bars.push_back(maker.Spike(5));
  {
    auto recorder = replay::StreamRecorder::Open(path);
    ASSERT_TRUE(recorder);
    for (std::size_t i = 0; i < bars.size(); ++i) {
      const std::string frame = KlineFrame("BTCUSDT", bars[i]);
      (*recorder)->Record(bars[i].close_time + 5, frame);
      if (i == 30) {
        (*recorder)->Record(bars[i].close_time + 6, frame);  // a reconnect overlap
        (*recorder)->Record(bars[i].close_time + 7, R"({"stream":"btcusdt@kline_1m","data":{)");
      }
    }
  }
  StreamOutcome first = ReplayStream({path});
  EXPECT_EQ(first.code, kExitOk) << first.err;
  EXPECT_THAT(first.out, HasSubstr("\"symbol\":\"BTCUSDT\""));
  EXPECT_EQ(std::count(first.out.begin(), first.out.end(), '\n'), 1) << first.out;
  EXPECT_THAT(first.err, HasSubstr("63 frames from 1 recording(s): 62 kline frames (62 final)"));
  EXPECT_THAT(first.err, HasSubstr("1 dropped as malformed"));
  EXPECT_THAT(first.err, HasSubstr("invalid_json: 1"));
  EXPECT_THAT(first.err, HasSubstr("62 closed bars: 61 evaluated, 1 duplicates"));
}

TEST(ReplayStream, PlaysTheRealFuturesCaptureAndCountsWhatItDoesNotUse) {
  ScratchDir dir;
  // The capture has no receive times: give each line one.
  std::ifstream capture(std::string(SCANNER_SHARED_DATA_DIR) +
                        "/ws/usdm_combined_stream_capture.jsonl");
  ASSERT_TRUE(capture);
  std::ofstream recording(dir.Path("usdm.rec"));
  core::Millis t = 1626992741017;
  int lines = 0;
  for (std::string line; std::getline(capture, line); ++lines) {
    recording << t++ << '\t' << line << '\n';
  }
  recording.close();
  ASSERT_EQ(lines, 1535);
  StreamOutcome outcome = ReplayStream({dir.Path("usdm.rec")});
  EXPECT_EQ(outcome.code, kExitOk) << outcome.err;
  EXPECT_THAT(outcome.err, HasSubstr("1535 frames from 1 recording(s): 67 kline frames (4 final)"));
  EXPECT_THAT(outcome.err, HasSubstr("0 dropped as malformed, 0 damaged lines"));
  EXPECT_THAT(outcome.err, HasSubstr("4 closed bars"));
}

TEST(ReplayStream, NoRecordingOrNoClosedBarIsAFailure) {
  ScratchDir dir;
  EXPECT_EQ(ReplayStream({dir.Path("missing.rec")}).code, kExitFailure);
  std::ofstream(dir.Path("empty.rec")) << "1\t{\"result\":null,\"id\":1}\n";
  StreamOutcome outcome = ReplayStream({dir.Path("empty.rec")});
  EXPECT_EQ(outcome.code, kExitFailure);
  EXPECT_THAT(outcome.err, HasSubstr("no closed kline"));
}

}  // namespace
}  // namespace scanner::app
