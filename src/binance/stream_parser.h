#pragma once
// StreamParser: decodes the text frames of one Binance market-data WebSocket connection (spot or
// USD-M futures, raw `/ws/<stream>` or combined `/stream?streams=...`) into plain structs and hands
// them to a StreamHandler.
//
// Understood frames:
// - combined-stream wrapper {"stream":"<name>","data":...} and raw events;
// - kline events (open and closed bars);
// - 24hrTicker (`@ticker`, futures `!ticker@arr`) and 24hrMiniTicker (`@miniTicker`,
//   `!miniTicker@arr`); a ticker carrying "st" other than 1 (futures: 2 = COIN-M) is filtered;
// - control replies: {"result":null,"id":N} (SUBSCRIBE/UNSUBSCRIBE), {"result":[...],"id":N}
//   (LIST_SUBSCRIPTIONS), {"result":true,"id":N} (GET_PROPERTY), and errors in both shapes seen
//   from Binance: {"code":2,"msg":"...","id":N} and {"error":{"code":2,"msg":"..."},"id":N};
// - serverShutdown, raw or as the combined stream `!serverShutdown`.
// Market streams the scanner does not use (depth, trades, bookTicker, markPrice, ...) are
// counted as `ignored` without decoding their data. Anything malformed or unknown is counted
// once per frame under its kind (see StreamParseStats) and nothing of that frame is delivered:
// a frame is decoded completely before the handler sees any of it.
//
// Binance writes "stream" before "data" and "e" first in every event; the parser relies on that
// only where it must (an event is recognised by a leading "e" when no stream name says what it
// is). Keys are matched in one forward pass; prices and volumes are Binance's quoted decimals.
// Timestamps are milliseconds (the default; `timeUnit=MICROSECOND` is not supported).
//
// Performance: one simdjson ondemand parser and one padded copy buffer per StreamParser, both
// reused; no allocation per frame in steady state (buffers only grow to the largest frame seen).
// Not thread-safe: one StreamParser per connection. String views in delivered events point into
// the parser and stay valid until the next Parse() call; copy what must outlive it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/interval.h"
#include "core/time.h"
#include "core/types.h"

namespace scanner::binance {

// One kline event: the bar as it stands at event_time (closed when bar.closed).
struct KlineEvent {
  std::string_view symbol;  // exchange spelling ("BTCUSDT"), bytes as sent; valid until next Parse
  core::Interval interval;
  core::Bar bar;
  core::Millis event_time = 0;
};

enum class TickerKind : std::uint8_t {
  kFull,  // 24hrTicker
  kMini,  // 24hrMiniTicker
};

// One 24 h ticker entry.
struct TickerEvent {
  std::string_view symbol;  // valid until the next Parse()
  TickerKind kind = TickerKind::kFull;
  core::Millis event_time = 0;
  double last_price = 0;
  double open_price = 0;
  double high_price = 0;
  double low_price = 0;
  double base_volume = 0;
  double quote_volume = 0;
  // 24hrTicker's "P"; for mini tickers derived from open and last (0 when open is 0).
  double price_change_percent = 0;
};

// An owning copy for code off the hot path (allocates the symbol).
core::Ticker24h ToTicker24h(const TickerEvent& event);

// The answer to a SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / property request.
struct ControlReply {
  enum class Kind : std::uint8_t {
    kAck,            // "result": null
    kSubscriptions,  // "result": ["btcusdt@kline_1m", ...]
    kProperty,       // "result": true | false
    kError,          // "code"/"msg", top level or under "error"
  };
  Kind kind = Kind::kAck;
  std::optional<std::int64_t> id;             // absent or null in some error replies
  std::span<const std::string_view> streams;  // kSubscriptions; valid until next Parse
  bool property = false;                      // kProperty
  std::int64_t error_code = 0;                // kError
  std::string_view error_message;             // kError; valid until next Parse
};

// Receives decoded frames. Called from Parse(), on the caller's thread, only for frames that
// decoded completely.
class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  virtual void OnKline(const KlineEvent& event) = 0;
  // Once per ticker entry; an array frame gives several calls in its order.
  virtual void OnTicker(const TickerEvent& event) = 0;
  virtual void OnControlReply(const ControlReply& reply) = 0;
  // Binance will close the connection: reconnect now. event_time is 0 when the frame has none.
  virtual void OnServerShutdown(core::Millis event_time) = 0;
};

// Counters per connection, exported as metrics. Each frame lands in exactly one of: a delivered
// kind (kline_frames, ticker_frames, control_replies, server_shutdowns), ignored, or one error
// kind; tickers and filtered_tickers count array entries.
struct StreamParseStats {
  std::uint64_t frames = 0;
  // Delivered.
  std::uint64_t kline_frames = 0;
  std::uint64_t closed_klines = 0;  // of kline_frames
  std::uint64_t ticker_frames = 0;
  std::uint64_t tickers = 0;           // entries delivered
  std::uint64_t filtered_tickers = 0;  // entries with "st" != 1, dropped on purpose
  std::uint64_t control_replies = 0;
  std::uint64_t server_shutdowns = 0;
  // Recognised and skipped on purpose: streams the scanner does not consume.
  std::uint64_t ignored = 0;
  // Dropped, one per frame, by kind.
  std::uint64_t empty_frame = 0;      // no JSON at all
  std::uint64_t invalid_json = 0;     // syntax error, truncation, bad UTF-8, trailing content
  std::uint64_t unknown_message = 0;  // valid JSON that is no event, wrapper or reply
  std::uint64_t unknown_stream = 0;   // wrapper whose stream name is not one Binance serves
  std::uint64_t unknown_event = 0;    // "e" unknown or not the one the stream name promises
  std::uint64_t missing_field = 0;    // a required field is absent
  std::uint64_t wrong_type = 0;       // a field has the wrong JSON type
  std::uint64_t bad_number = 0;       // a number (quoted or not) that does not parse or fit
  std::uint64_t bad_interval = 0;     // kline interval not one of Binance's
  std::uint64_t bad_value = 0;        // parsed but impossible (close time before open time)

  std::uint64_t Errors() const;
  StreamParseStats& operator+=(const StreamParseStats& other);
  friend bool operator==(const StreamParseStats&, const StreamParseStats&) = default;
};

// Every counter with its metric-friendly name, for exporting without listing fields again.
struct StreamParseStatField {
  std::string_view name;  // "kline_frames", "invalid_json", ...
  std::uint64_t StreamParseStats::*member;
  bool error;  // true for the dropped kinds
};
std::span<const StreamParseStatField> StreamParseStatFields();

namespace stream_internal {
// core::Interval::All() with each name packed like a JSON key, so the interval lookup only
// compares integers. Built once per StreamParser.
struct IntervalTable {
  std::array<std::uint64_t, core::kIntervalCount> codes{};
  std::array<core::Interval, core::kIntervalCount> intervals{};
};
}  // namespace stream_internal

// What Parse() made of a frame.
enum class FrameKind : std::uint8_t {
  kKline,
  kTickers,  // possibly with every entry filtered
  kControlReply,
  kServerShutdown,
  kIgnored,
  kDropped,  // malformed or unknown: see the stats
};

class StreamParser {
 public:
  StreamParser();
  StreamParser(const StreamParser&) = delete;
  StreamParser& operator=(const StreamParser&) = delete;

  // Decodes one text frame and, when it decoded completely, delivers it to `handler`.
  FrameKind Parse(std::string_view frame, StreamHandler& handler);

  const StreamParseStats& Stats() const { return stats_; }

 private:
  // Copies `frame` into buffer_ (growing it if needed) and returns the padded view.
  simdjson::padded_string_view Pad(std::string_view frame);

  stream_internal::IntervalTable intervals_;
  simdjson::ondemand::parser parser_;
  std::unique_ptr<char[]> buffer_;
  std::size_t buffer_capacity_ = 0;
  StreamParseStats stats_;

  // One frame's results, reused.
  KlineEvent kline_;
  std::vector<TickerEvent> tickers_;  // slots reused; a frame's count lives in its FrameReader
  std::vector<std::string_view> streams_;
  ControlReply reply_;
  core::Millis shutdown_time_ = 0;
};

}  // namespace scanner::binance
