#include "binance/stream_parser.h"

#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "core/interval.h"
#include "core/types.h"

namespace scanner::binance {
namespace {

const std::string kFixtures = std::string(SCANNER_TEST_DATA_DIR) + "/ws/";
const std::string kShared = std::string(SCANNER_SHARED_DATA_DIR) + "/ws/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

struct KlineCopy {
  std::string symbol;
  core::Interval interval;
  core::Bar bar;
  core::Millis event_time = 0;
};

struct TickerCopy {
  core::Ticker24h ticker;
  TickerKind kind;
};

struct ReplyCopy {
  ControlReply::Kind kind;
  std::optional<std::int64_t> id;
  std::vector<std::string> streams;
  bool property = false;
  std::int64_t error_code = 0;
  std::string error_message;
};

// Copies everything it is handed, so views may die with the next frame.
class Recorder : public StreamHandler {
 public:
  void OnKline(const KlineEvent& event) override {
    klines.push_back({std::string(event.symbol), event.interval, event.bar, event.event_time});
  }
  void OnTicker(const TickerEvent& event) override {
    tickers.push_back({ToTicker24h(event), event.kind});
  }
  void OnControlReply(const ControlReply& reply) override {
    ReplyCopy copy{reply.kind,     reply.id,         {},
                   reply.property, reply.error_code, std::string(reply.error_message)};
    for (std::string_view stream : reply.streams) copy.streams.emplace_back(stream);
    replies.push_back(copy);
  }
  void OnServerShutdown(core::Millis event_time) override { shutdowns.push_back(event_time); }

  std::size_t Delivered() const {
    return klines.size() + tickers.size() + replies.size() + shutdowns.size();
  }

  std::vector<KlineCopy> klines;
  std::vector<TickerCopy> tickers;
  std::vector<ReplyCopy> replies;
  std::vector<core::Millis> shutdowns;
};

core::Interval Iv(std::string_view name) { return *core::Interval::Parse(name); }

std::string Upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

constexpr std::string_view kCtkKline =
    R"({"stream":"ctkusdt@kline_1m","data":{"e":"kline","E":1626992741424,"s":"CTKUSDT","k":{"t":1626992700000,"T":1626992759999,"s":"CTKUSDT","i":"1m","f":23961275,"L":23961322,"o":"1.01000","c":"1.01100","h":"1.01100","l":"1.01000","v":"3917","n":48,"x":false,"q":"3957.89900","V":"1729","Q":"1748.01900","B":"0"}}})";

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string result(text);
  const std::size_t at = result.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) result.replace(at, from.size(), to);
  return result;
}

TEST(StreamParser, SpotCaptureCountsEveryKind) {
  const std::vector<std::string> lines =
      ReadLines(kFixtures + "spot_combined_stream_capture.jsonl");
  ASSERT_EQ(lines.size(), 265u);
  StreamParser parser;
  Recorder recorder;
  for (const std::string& line : lines) parser.Parse(line, recorder);
  const StreamParseStats& stats = parser.Stats();
  EXPECT_EQ(stats.frames, 265u);
  EXPECT_EQ(stats.kline_frames, 2u);
  EXPECT_EQ(stats.closed_klines, 0u);
  EXPECT_EQ(stats.ignored, 263u);  // 177 depth + 84 bookTicker (no "e") + 2 aggTrade
  EXPECT_EQ(stats.Errors(), 0u);
  ASSERT_EQ(recorder.klines.size(), 2u);
  EXPECT_EQ(recorder.klines[0].symbol, "NKNUSDT");
  EXPECT_EQ(recorder.klines[1].symbol, "LRCBTC");
  EXPECT_EQ(recorder.klines[1].bar.trades, 1);
  EXPECT_DOUBLE_EQ(recorder.klines[1].bar.close, 0.00000638);
}

TEST(StreamParser, UsdmKlineMessagesAllDecode) {
  const std::vector<std::string> lines = ReadLines(kFixtures + "usdm_kline_1m_messages.jsonl");
  ASSERT_EQ(lines.size(), 67u);
  StreamParser parser;
  Recorder recorder;
  for (const std::string& line : lines) EXPECT_EQ(parser.Parse(line, recorder), FrameKind::kKline);
  EXPECT_EQ(parser.Stats().kline_frames, 67u);
  EXPECT_EQ(parser.Stats().closed_klines, 4u);
  EXPECT_EQ(parser.Stats().Errors(), 0u);
  ASSERT_EQ(recorder.klines.size(), 67u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const KlineCopy& kline = recorder.klines[i];
    // The stream name carries the lower-case symbol.
    const std::string stream = lines[i].substr(11, lines[i].find('@') - 11);
    EXPECT_EQ(kline.symbol, Upper(stream));
    EXPECT_EQ(kline.interval, Iv("1m"));
    EXPECT_EQ(kline.bar.close_time, kline.bar.open_time + 59'999);
    EXPECT_LE(kline.bar.low, kline.bar.high);
    EXPECT_GE(kline.event_time, kline.bar.open_time);
  }
}

TEST(StreamParser, UsdmFullCaptureCountsEveryKind) {
  const std::string path = kShared + "usdm_combined_stream_capture.jsonl";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
  const std::vector<std::string> lines = ReadLines(path);
  ASSERT_EQ(lines.size(), 1535u);
  StreamParser parser;
  Recorder recorder;
  for (const std::string& line : lines) parser.Parse(line, recorder);
  const StreamParseStats& stats = parser.Stats();
  EXPECT_EQ(stats.kline_frames, 67u);
  EXPECT_EQ(stats.closed_klines, 4u);
  EXPECT_EQ(stats.ignored, 1468u);  // 764 depth + 613 bookTicker + 91 aggTrade
  EXPECT_EQ(stats.Errors(), 0u);
  EXPECT_EQ(recorder.klines.size(), 67u);
}

TEST(StreamParser, KlineFieldsExactly) {
  StreamParser parser;
  Recorder recorder;
  ASSERT_EQ(parser.Parse(kCtkKline, recorder), FrameKind::kKline);
  ASSERT_EQ(recorder.klines.size(), 1u);
  const KlineCopy& kline = recorder.klines[0];
  EXPECT_EQ(kline.symbol, "CTKUSDT");
  EXPECT_EQ(kline.interval, Iv("1m"));
  EXPECT_EQ(kline.event_time, 1626992741424);
  EXPECT_EQ(kline.bar.open_time, 1626992700000);
  EXPECT_EQ(kline.bar.close_time, 1626992759999);
  EXPECT_DOUBLE_EQ(kline.bar.open, 1.01);
  EXPECT_DOUBLE_EQ(kline.bar.close, 1.011);
  EXPECT_DOUBLE_EQ(kline.bar.high, 1.011);
  EXPECT_DOUBLE_EQ(kline.bar.low, 1.01);
  EXPECT_DOUBLE_EQ(kline.bar.volume, 3917);
  EXPECT_DOUBLE_EQ(kline.bar.quote_volume, 3957.899);
  EXPECT_EQ(kline.bar.trades, 48);
  EXPECT_FALSE(kline.bar.closed);

  const std::string closed =
      R"({"stream":"sushiusdt@kline_1m","data":{"e":"kline","E":1626992760203,"s":"SUSHIUSDT","k":{"t":1626992700000,"T":1626992759999,"s":"SUSHIUSDT","i":"1m","f":126902874,"L":126902986,"o":"7.6080","c":"7.6170","h":"7.6180","l":"7.6070","v":"3005","n":113,"x":true,"q":"22875.8590","V":"1900","Q":"14464.6960","B":"0"}}})";
  ASSERT_EQ(parser.Parse(closed, recorder), FrameKind::kKline);
  const core::Bar& bar = recorder.klines[1].bar;
  EXPECT_TRUE(bar.closed);
  EXPECT_DOUBLE_EQ(bar.open, 7.608);
  EXPECT_DOUBLE_EQ(bar.close, 7.617);
  EXPECT_DOUBLE_EQ(bar.high, 7.618);
  EXPECT_DOUBLE_EQ(bar.low, 7.607);
  EXPECT_DOUBLE_EQ(bar.volume, 3005);
  EXPECT_DOUBLE_EQ(bar.quote_volume, 22875.859);
  EXPECT_EQ(bar.trades, 113);
}

TEST(StreamParser, RawKlineEventAndAnyFieldOrderUnderAKnownStream) {
  StreamParser parser;
  Recorder recorder;
  const std::string raw =
      R"({"e":"kline","E":5,"s":"BNBBTC","k":{"t":0,"T":299999,"s":"BNBBTC","i":"5m","o":"1","c":"2","h":"3","l":"0.5","v":"10","n":7,"x":true,"q":"20"}})";
  EXPECT_EQ(parser.Parse(raw, recorder), FrameKind::kKline);
  // "e" last and "k" first: fine when the stream name says what the data is.
  const std::string shuffled =
      R"({"stream":"bnbbtc@kline_1h","data":{"k":{"x":false,"q":"20","n":7,"v":"10","l":"0.5","h":"3","c":"2","o":"1","i":"1h","T":3599999,"t":0},"s":"BNBBTC","E":6,"e":"kline"}})";
  EXPECT_EQ(parser.Parse(shuffled, recorder), FrameKind::kKline);
  ASSERT_EQ(recorder.klines.size(), 2u);
  EXPECT_EQ(recorder.klines[0].interval, Iv("5m"));
  EXPECT_TRUE(recorder.klines[0].bar.closed);
  EXPECT_EQ(recorder.klines[1].interval, Iv("1h"));
  EXPECT_EQ(recorder.klines[1].bar.close_time, 3599999);
  EXPECT_DOUBLE_EQ(recorder.klines[1].bar.low, 0.5);
  EXPECT_EQ(recorder.klines[1].event_time, 6);
}

TEST(StreamParser, EveryBinanceIntervalIsRecognised) {
  StreamParser parser;
  Recorder recorder;
  for (core::Interval interval : core::Interval::All()) {
    const std::string frame =
        Replace(kCtkKline, R"("i":"1m")", R"("i":")" + std::string(interval.Name()) + "\"");
    EXPECT_EQ(parser.Parse(frame, recorder), FrameKind::kKline) << interval.Name();
    EXPECT_EQ(recorder.klines.back().interval, interval);
  }
}

TEST(StreamParser, CombinedMiniTicker) {
  StreamParser parser;
  Recorder recorder;
  const std::string frame =
      ReadFile(kFixtures + "spot_combined_btcusdt_miniTicker_2025-11-08.json");
  ASSERT_EQ(parser.Parse(frame, recorder), FrameKind::kTickers);
  ASSERT_EQ(recorder.tickers.size(), 1u);
  const core::Ticker24h& ticker = recorder.tickers[0].ticker;
  EXPECT_EQ(recorder.tickers[0].kind, TickerKind::kMini);
  EXPECT_EQ(ticker.symbol, "BTCUSDT");
  EXPECT_EQ(ticker.event_time, 1762578803031);
  EXPECT_DOUBLE_EQ(ticker.last_price, 102571.17);
  EXPECT_DOUBLE_EQ(ticker.open_price, 102339.76);
  EXPECT_DOUBLE_EQ(ticker.high_price, 104096.36);
  EXPECT_DOUBLE_EQ(ticker.low_price, 99260.86);
  EXPECT_DOUBLE_EQ(ticker.base_volume, 30195.39867);
  EXPECT_DOUBLE_EQ(ticker.quote_volume, 3065280135.2811397);
  EXPECT_NEAR(ticker.price_change_percent, (102571.17 - 102339.76) / 102339.76 * 100, 1e-9);
}

TEST(StreamParser, FuturesTickerEventAndMarketTypeFilter) {
  StreamParser parser;
  Recorder recorder;
  const std::string event = ReadFile(kFixtures + "usdm_24hrTicker_event_2022-12-31.json");
  ASSERT_EQ(parser.Parse(event, recorder), FrameKind::kTickers);
  ASSERT_EQ(recorder.tickers.size(), 1u);
  const core::Ticker24h& ticker = recorder.tickers[0].ticker;
  EXPECT_EQ(recorder.tickers[0].kind, TickerKind::kFull);
  EXPECT_EQ(ticker.symbol, "BTCUSDT");
  EXPECT_EQ(ticker.event_time, 1672515782136);
  EXPECT_DOUBLE_EQ(ticker.last_price, 16584.6);
  EXPECT_DOUBLE_EQ(ticker.open_price, 16716.0);
  EXPECT_DOUBLE_EQ(ticker.high_price, 16764.89);
  EXPECT_DOUBLE_EQ(ticker.low_price, 16456.51);
  EXPECT_DOUBLE_EQ(ticker.base_volume, 122474.816);
  EXPECT_DOUBLE_EQ(ticker.quote_volume, 2036102085.697464);
  EXPECT_DOUBLE_EQ(ticker.price_change_percent, -0.786);

  // COIN-M ("st":2) is dropped on purpose, not as an error.
  const std::string coin_m = Replace(event, R"("st": 1)", R"("st": 2)");
  EXPECT_EQ(parser.Parse(coin_m, recorder), FrameKind::kTickers);
  EXPECT_EQ(recorder.tickers.size(), 1u);
  EXPECT_EQ(parser.Stats().filtered_tickers, 1u);
  EXPECT_EQ(parser.Stats().Errors(), 0u);
  // No "st" at all (spot, older futures): kept.
  const std::string no_st = Replace(event, R"(,
  "st": 1)",
                                    "");
  EXPECT_EQ(parser.Parse(no_st, recorder), FrameKind::kTickers);
  EXPECT_EQ(recorder.tickers.size(), 2u);
}

std::string MiniEntry(std::string_view symbol, std::string_view extra = "") {
  return std::string(R"({"e":"24hrMiniTicker","E":1700000000000,"s":")") + std::string(symbol) +
         R"(","c":"2.0","o":"1.0","h":"2.5","l":"0.5","v":"100","q":"150")" + std::string(extra) +
         "}";
}

std::string FullEntry(std::string_view symbol, std::string_view st) {
  return std::string(R"({"e":"24hrTicker","E":1700000000001,"s":")") + std::string(symbol) +
         R"(","p":"1.0","P":"100.000","w":"1.5","c":"2.0","Q":"1","o":"1.0","h":"2.5","l":"0.5","v":"100","q":"150","O":1,"C":2,"F":1,"L":2,"n":2)" +
         std::string(st) + "}";
}

TEST(StreamParser, MiniTickerArrayCombinedAndRaw) {
  StreamParser parser;
  Recorder recorder;
  const std::string entries = MiniEntry("AAAUSDT") + "," + MiniEntry("BBBUSDT");
  EXPECT_EQ(parser.Parse(R"({"stream":"!miniTicker@arr","data":[)" + entries + "]}", recorder),
            FrameKind::kTickers);
  EXPECT_EQ(parser.Parse("[" + entries + "]", recorder), FrameKind::kTickers);
  EXPECT_EQ(parser.Parse(R"({"stream":"!miniTicker@arr","data":[]})", recorder),
            FrameKind::kTickers);
  ASSERT_EQ(recorder.tickers.size(), 4u);
  EXPECT_EQ(recorder.tickers[0].ticker.symbol, "AAAUSDT");
  EXPECT_EQ(recorder.tickers[1].ticker.symbol, "BBBUSDT");
  EXPECT_EQ(recorder.tickers[3].ticker.symbol, "BBBUSDT");
  EXPECT_DOUBLE_EQ(recorder.tickers[0].ticker.price_change_percent, 100.0);
  EXPECT_EQ(parser.Stats().ticker_frames, 3u);
  EXPECT_EQ(parser.Stats().tickers, 4u);
}

// "[a,b,...]", built by appending (GCC 12 warns falsely on "[" + std::string at -O3).
std::string JsonArray(const std::vector<std::string>& entries) {
  std::string array(1, '[');
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) array.push_back(',');
    array.append(entries[i]);
  }
  array.push_back(']');
  return array;
}

TEST(StreamParser, ReusedTickerSlotsCarryNothingOver) {
  StreamParser parser;
  Recorder recorder;
  ASSERT_EQ(parser.Parse(JsonArray({MiniEntry("AUSDT"), MiniEntry("BUSDT")}), recorder),
            FrameKind::kTickers);
  // A smaller frame in the same slots: a mini ticker with open 0 has no percent change, not the
  // previous frame's 100 %; and only its own entry is delivered.
  const std::string zero_open = Replace(MiniEntry("CUSDT"), R"("o":"1.0")", R"("o":"0")");
  ASSERT_EQ(parser.Parse(JsonArray({zero_open}), recorder), FrameKind::kTickers);
  ASSERT_EQ(recorder.tickers.size(), 3u);
  EXPECT_EQ(recorder.tickers[2].ticker.symbol, "CUSDT");
  EXPECT_DOUBLE_EQ(recorder.tickers[2].ticker.open_price, 0.0);
  EXPECT_DOUBLE_EQ(recorder.tickers[2].ticker.price_change_percent, 0.0);
  // A full ticker in a slot a mini ticker used is a full ticker.
  ASSERT_EQ(parser.Parse(FullEntry("DUSDT", ""), recorder), FrameKind::kTickers);
  EXPECT_EQ(recorder.tickers[3].kind, TickerKind::kFull);
  EXPECT_DOUBLE_EQ(recorder.tickers[3].ticker.price_change_percent, 100.0);
  EXPECT_EQ(parser.Stats().tickers, 4u);
}

TEST(StreamParser, FuturesTickerArrayKeepsOnlyUsdm) {
  StreamParser parser;
  Recorder recorder;
  const std::string frame =
      R"({"stream":"!ticker@arr","data":[)" + FullEntry("AUSDT", R"(,"st":1)") + "," +
      FullEntry("BUSD_PERP", R"(,"st":2)") + "," + FullEntry("CUSDT", "") + "]}";
  EXPECT_EQ(parser.Parse(frame, recorder), FrameKind::kTickers);
  ASSERT_EQ(recorder.tickers.size(), 2u);
  EXPECT_EQ(recorder.tickers[0].ticker.symbol, "AUSDT");
  EXPECT_EQ(recorder.tickers[1].ticker.symbol, "CUSDT");
  EXPECT_EQ(parser.Stats().filtered_tickers, 1u);
  EXPECT_EQ(parser.Stats().tickers, 2u);
}

TEST(StreamParser, ControlReplies) {
  StreamParser parser;
  Recorder recorder;
  EXPECT_EQ(parser.Parse(R"({"result":null,"id":1})", recorder), FrameKind::kControlReply);
  EXPECT_EQ(parser.Parse(R"({"result":["btcusdt@kline_1m","!miniTicker@arr"],"id":3})", recorder),
            FrameKind::kControlReply);
  EXPECT_EQ(parser.Parse(R"({"id":4,"result":true})", recorder), FrameKind::kControlReply);
  EXPECT_EQ(
      parser.Parse(
          R"({"code":2,"msg":"Invalid request: request ID must be an unsigned integer","id":5})",
          recorder),
      FrameKind::kControlReply);
  EXPECT_EQ(parser.Parse(R"({"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":2})",
                         recorder),
            FrameKind::kControlReply);
  EXPECT_EQ(parser.Parse(
                R"({"code":3,"msg":"Invalid JSON: expected value at line 1 column 1","id":null})",
                recorder),
            FrameKind::kControlReply);
  ASSERT_EQ(recorder.replies.size(), 6u);

  EXPECT_EQ(recorder.replies[0].kind, ControlReply::Kind::kAck);
  EXPECT_EQ(recorder.replies[0].id, 1);
  EXPECT_EQ(recorder.replies[1].kind, ControlReply::Kind::kSubscriptions);
  EXPECT_EQ(recorder.replies[1].id, 3);
  EXPECT_EQ(recorder.replies[1].streams,
            (std::vector<std::string>{"btcusdt@kline_1m", "!miniTicker@arr"}));
  EXPECT_EQ(recorder.replies[2].kind, ControlReply::Kind::kProperty);
  EXPECT_TRUE(recorder.replies[2].property);
  EXPECT_EQ(recorder.replies[3].kind, ControlReply::Kind::kError);
  EXPECT_EQ(recorder.replies[3].id, 5);
  EXPECT_EQ(recorder.replies[3].error_code, 2);
  EXPECT_EQ(recorder.replies[3].error_message,
            "Invalid request: request ID must be an unsigned integer");
  EXPECT_EQ(recorder.replies[4].kind, ControlReply::Kind::kError);
  EXPECT_EQ(recorder.replies[4].id, 2);
  EXPECT_EQ(recorder.replies[4].error_message, "Invalid request: invalid stream");
  EXPECT_EQ(recorder.replies[5].error_code, 3);
  EXPECT_FALSE(recorder.replies[5].id.has_value());
  EXPECT_EQ(parser.Stats().control_replies, 6u);
  EXPECT_EQ(parser.Stats().Errors(), 0u);
}

TEST(StreamParser, ServerShutdownRawAndCombined) {
  StreamParser parser;
  Recorder recorder;
  EXPECT_EQ(parser.Parse(R"({"e":"serverShutdown","E":1700000000123})", recorder),
            FrameKind::kServerShutdown);
  EXPECT_EQ(parser.Parse(
                R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1700000000456}})",
                recorder),
            FrameKind::kServerShutdown);
  EXPECT_EQ(parser.Parse(R"({"e":"serverShutdown"})", recorder), FrameKind::kServerShutdown);
  EXPECT_EQ(recorder.shutdowns, (std::vector<core::Millis>{1700000000123, 1700000000456, 0}));
  EXPECT_EQ(parser.Stats().server_shutdowns, 3u);
}

TEST(StreamParser, IgnoredStreamsAreNotErrors) {
  StreamParser parser;
  Recorder recorder;
  for (
      std::string_view frame : {
          R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT"}})",
          R"({"stream":"btcusdt@depth20@100ms","data":{"lastUpdateId":1,"bids":[],"asks":[]}})",
          R"({"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1}})",
          R"({"stream":"!bookTicker","data":{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"1","A":"1"}})",
          R"({"e":"aggTrade","E":1,"s":"BTCUSDT"})",
          R"({"e":"1hTicker","E":1,"s":"BTCUSDT"})",
      }) {
    EXPECT_EQ(parser.Parse(frame, recorder), FrameKind::kIgnored) << frame;
  }
  EXPECT_EQ(parser.Stats().ignored, 6u);
  EXPECT_EQ(parser.Stats().Errors(), 0u);
  EXPECT_EQ(recorder.Delivered(), 0u);
}

struct Malformed {
  std::string name;
  std::string frame;
  std::uint64_t StreamParseStats::*counter;
};

TEST(StreamParser, MalformedFramesAreCountedPerKindAndNeverDelivered) {
  const std::string kline(kCtkKline);
  const std::vector<Malformed> cases = {
      {"empty", "", &StreamParseStats::empty_frame},
      {"blank", " \r\n\t", &StreamParseStats::empty_frame},
      {"truncated", kline.substr(0, kline.size() / 2), &StreamParseStats::invalid_json},
      {"truncated close", kline.substr(0, kline.size() - 1), &StreamParseStats::invalid_json},
      {"trailing content", kline + "}", &StreamParseStats::invalid_json},
      {"two documents", kline + kline, &StreamParseStats::invalid_json},
      {"not json", "hello", &StreamParseStats::invalid_json},
      {"bad utf8", Replace(kline, "CTKUSDT\",\"k\"", "CTK\xFF\xFE\",\"k\""),
       &StreamParseStats::invalid_json},
      {"scalar", "42", &StreamParseStats::unknown_message},
      {"unknown object", R"({"foo":1})", &StreamParseStats::unknown_message},
      {"empty object", "{}", &StreamParseStats::unknown_message},
      {"unknown stream", Replace(kline, "ctkusdt@kline_1m", "ctkusdt@fancy_1m"),
       &StreamParseStats::unknown_stream},
      {"stream without @", Replace(kline, "ctkusdt@kline_1m", "ctkusdt"),
       &StreamParseStats::unknown_stream},
      {"unknown raw event", R"({"e":"fancyEvent","E":1})", &StreamParseStats::unknown_event},
      {"event contradicts stream", Replace(kline, R"("e":"kline")", R"("e":"24hrTicker")"),
       &StreamParseStats::unknown_event},
      {"raw event without e", R"({"E":1,"e":"kline"})", &StreamParseStats::unknown_message},
      {"missing T", Replace(kline, R"("T":1626992759999,)", ""), &StreamParseStats::missing_field},
      {"missing x", Replace(kline, R"("x":false,)", ""), &StreamParseStats::missing_field},
      {"missing k", R"({"stream":"ctkusdt@kline_1m","data":{"e":"kline","E":1,"s":"CTKUSDT"}})",
       &StreamParseStats::missing_field},
      {"missing data", R"({"stream":"ctkusdt@kline_1m"})", &StreamParseStats::missing_field},
      {"reply without result", R"({"id":7})", &StreamParseStats::missing_field},
      {"trades as string", Replace(kline, R"("n":48)", R"("n":"48")"),
       &StreamParseStats::wrong_type},
      {"price as number", Replace(kline, R"("o":"1.01000")", R"("o":1.01)"),
       &StreamParseStats::wrong_type},
      {"closed as string", Replace(kline, R"("x":false)", R"("x":"false")"),
       &StreamParseStats::wrong_type},
      {"k is array", R"({"stream":"ctkusdt@kline_1m","data":{"e":"kline","E":1,"s":"C","k":[]}})",
       &StreamParseStats::wrong_type},
      {"symbol as number", Replace(kline, R"("s":"CTKUSDT","k")", R"("s":12,"k")"),
       &StreamParseStats::wrong_type},
      {"kline data as array", R"({"stream":"ctkusdt@kline_1m","data":[]})",
       &StreamParseStats::wrong_type},
      {"interval 7m", Replace(kline, R"("i":"1m")", R"("i":"7m")"),
       &StreamParseStats::bad_interval},
      {"interval 1min", Replace(kline, R"("i":"1m")", R"("i":"1minute")"),
       &StreamParseStats::bad_interval},
      {"price abc", Replace(kline, R"("c":"1.01100")", R"("c":"abc")"),
       &StreamParseStats::bad_number},
      {"price empty", Replace(kline, R"("c":"1.01100")", R"("c":"")"),
       &StreamParseStats::bad_number},
      {"price 1.2.3", Replace(kline, R"("c":"1.01100")", R"("c":"1.2.3")"),
       &StreamParseStats::bad_number},
      {"price huge", Replace(kline, R"("h":"1.01100")", R"("h":"1e400")"),
       &StreamParseStats::bad_number},
      {"open time huge",
       Replace(kline, R"("t":1626992700000)", R"("t":123456789012345678901234567890)"),
       &StreamParseStats::bad_number},
      {"trades fractional", Replace(kline, R"("n":48)", R"("n":48.5)"),
       &StreamParseStats::bad_number},
      {"close before open", Replace(kline, R"("T":1626992759999)", R"("T":1626992699999)"),
       &StreamParseStats::bad_value},
      {"ticker entry broken",
       R"({"stream":"!miniTicker@arr","data":[)" + MiniEntry("A") + "," +
           Replace(MiniEntry("B"), R"("c":"2.0")", R"("c":"x")") + "]}",
       &StreamParseStats::bad_number},
      {"ticker entry not object", R"({"stream":"!miniTicker@arr","data":[1]})",
       &StreamParseStats::wrong_type},
      {"kline inside ticker array", R"([{"e":"kline","E":1}])", &StreamParseStats::unknown_event},
  };
  for (const Malformed& test : cases) {
    StreamParser parser;
    Recorder recorder;
    EXPECT_EQ(parser.Parse(test.frame, recorder), FrameKind::kDropped) << test.name;
    EXPECT_EQ(recorder.Delivered(), 0u) << test.name;
    const StreamParseStats& stats = parser.Stats();
    EXPECT_EQ(stats.*test.counter, 1u) << test.name;
    EXPECT_EQ(stats.Errors(), 1u) << test.name;  // counted once, under that kind only
    // The parser is fine afterwards.
    EXPECT_EQ(parser.Parse(kCtkKline, recorder), FrameKind::kKline) << test.name;
    EXPECT_EQ(recorder.klines.size(), 1u) << test.name;
  }
}

TEST(StreamParser, NonAsciiSymbolsKeepTheirBytes) {
  StreamParser parser;
  Recorder recorder;
  const std::string symbol = "\xE5\xB8\x81\xE5\xAE\x89USDT";  // "币安USDT"
  std::string frame = Replace(kCtkKline, R"("s":"CTKUSDT","k")", "\"s\":\"" + symbol + "\",\"k\"");
  frame = Replace(frame, R"("s":"CTKUSDT","i")", "\"s\":\"" + symbol + "\",\"i\"");
  ASSERT_EQ(parser.Parse(frame, recorder), FrameKind::kKline);
  EXPECT_EQ(recorder.klines.back().symbol, symbol);
  // Escaped in JSON, the same bytes come out.
  const std::string escaped = Replace(MiniEntry("X"), R"("s":"X")", R"("s":"\u5e01\u5b89USDT")");
  ASSERT_EQ(parser.Parse(escaped, recorder), FrameKind::kTickers);
  EXPECT_EQ(recorder.tickers.back().ticker.symbol, symbol);
}

// What simdjson's own get_double_in_string() makes of a quoted value: the reference the
// parser's fast decimal path must match bit for bit (and fail where it fails).
std::optional<double> SimdjsonDecimal(const std::string& text) {
  simdjson::ondemand::parser parser;
  const simdjson::padded_string json(R"({"v":")" + text + R"("})");
  simdjson::ondemand::document doc;
  double value = 0;
  if (parser.iterate(json).get(doc) != simdjson::SUCCESS) return std::nullopt;
  if (doc["v"].get_double_in_string().get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

TEST(StreamParser, DecimalsMatchSimdjsonBitForBit) {
  std::vector<std::string> texts = {
      "0", "0.0", "-0", "-0.00000000", "1", "1.0", "0.35270000", "0.00001234", "1.01100",
      "-1.250", "-0.5", "12345678", "123456789", "1234567812345678", "9007199254740992",
      "9007199254740993", "9007199254740993.0", "90071992547409930", "12345678.12345678",
      "123456789.12345678", "27000000000000.12345678", "1000000000.00000000",
      "0.1234567890123456789", "0.0000000000000000000000001", "1234567890123456789",
      "12345678901234567890", "0.12345678901234567890123", "1.7976931348623157", "4.9",
      "99999999.99999999", "100000000", "0.30000000000000004", "5e-324", "1e5", "1E+5",
      "1.5e3", "", "-", ".5", "1.", "01.5", "00", "+1", " 1", "1 ", "1.2.3", "1..2", "--1",
      "abc", "1a", "0x10", "\\u0031",
  };
  std::mt19937_64 random(7);
  for (int i = 0; i < 20000; ++i) {
    std::string text = random() % 8 == 0 ? "-" : "";
    const int whole = static_cast<int>(random() % 12);
    const int decimals = static_cast<int>(random() % 14);
    text += whole == 0 ? "0" : std::to_string(1 + random() % 9);
    for (int d = 1; d < whole; ++d) text += static_cast<char>('0' + random() % 10);
    if (decimals > 0 || random() % 2 == 0) text += '.';
    for (int d = 0; d < decimals; ++d) {
      text += random() % 3 == 0 ? '0' : static_cast<char>('0' + random() % 10);
    }
    texts.push_back(text);
  }
  StreamParser parser;
  Recorder recorder;
  for (const std::string& text : texts) {
    const std::optional<double> expected = SimdjsonDecimal(text);
    const std::string frame = Replace(kCtkKline, R"("c":"1.01100")", "\"c\":\"" + text + "\"");
    const FrameKind kind = parser.Parse(frame, recorder);
    if (!expected) {
      EXPECT_EQ(kind, FrameKind::kDropped) << text;
      continue;
    }
    ASSERT_EQ(kind, FrameKind::kKline) << text;
    const double close = recorder.klines.back().bar.close;
    EXPECT_EQ(std::bit_cast<std::uint64_t>(close), std::bit_cast<std::uint64_t>(*expected))
        << text << ": " << close << " vs " << *expected;
  }
  EXPECT_EQ(parser.Stats().Errors(), parser.Stats().bad_number);
}

TEST(StreamParser, LargeArrayFrameGrowsTheBuffers) {
  StreamParser parser;
  Recorder recorder;
  std::string frame = R"({"stream":"!miniTicker@arr","data":[)";
  for (int i = 0; i < 3000; ++i) {
    if (i > 0) frame += ",";
    frame += MiniEntry("SYM" + std::to_string(i) + "USDT");
  }
  frame += "]}";
  ASSERT_GT(frame.size(), 300'000u);
  EXPECT_EQ(parser.Parse(frame, recorder), FrameKind::kTickers);
  ASSERT_EQ(recorder.tickers.size(), 3000u);
  EXPECT_EQ(recorder.tickers[2999].ticker.symbol, "SYM2999USDT");
  // And small frames still work afterwards.
  EXPECT_EQ(parser.Parse(kCtkKline, recorder), FrameKind::kKline);
}

TEST(StreamParseStats, FieldsCoverEveryCounterOnceAndAdd) {
  std::set<std::string_view> names;
  StreamParseStats stats;
  std::uint64_t value = 1;
  for (const StreamParseStatField& field : StreamParseStatFields()) {
    EXPECT_TRUE(names.insert(field.name).second) << field.name;
    stats.*field.member = value++;
  }
  EXPECT_EQ(sizeof(StreamParseStats), names.size() * sizeof(std::uint64_t));
  EXPECT_EQ(stats.Errors(), 10u + 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19);
  StreamParseStats total;
  total += stats;
  total += stats;
  EXPECT_EQ(total.kline_frames, 4u);
  EXPECT_EQ(total.Errors(), 2 * stats.Errors());
}

}  // namespace
}  // namespace scanner::binance
