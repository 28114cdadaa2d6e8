#include "binance/stream_parser.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "binance/stream_event_readers.h"
#include "binance/stream_json.h"

namespace scanner::binance {
namespace {

using namespace stream_internal;

constexpr std::size_t kInitialCapacity = 64 * 1024;

// Decodes one document into the parser's per-frame results.
class FrameReader {
 public:
  FrameReader(const IntervalCodes& intervals, KlineEvent& kline, std::vector<TickerEvent>& tickers,
              std::vector<std::string_view>& streams, ControlReply& reply,
              core::Millis& shutdown_time)
      : intervals_(intervals),
        kline_(kline),
        tickers_(tickers),
        streams_(streams),
        reply_(reply),
        shutdown_time_(shutdown_time) {}

  Fault Read(od::document& doc) {
    od::json_type type;
    if (doc.type().get(type) != SUCCESS) return Fault::kInvalidJson;
    Fault fault = Fault::kUnknownMessage;
    if (type == od::json_type::object) {
      od::object object;
      if (doc.get_object().get(object) != SUCCESS) return Fault::kInvalidJson;
      fault = ReadTop(object);
    } else if (type == od::json_type::array) {
      od::array array;
      if (doc.get_array().get(array) != SUCCESS) return Fault::kInvalidJson;
      fault = ReadTickerArray(array, Event::kUnknown);
    }
    if (fault == Fault::kStop) return Fault::kNone;  // ignored: the rest is not looked at
    if (fault != Fault::kNone) return fault;
    // The whole frame must be one JSON value: anything after it is a broken frame.
    if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return Fault::kInvalidJson;
    return Fault::kNone;
  }

  FrameKind kind() const { return kind_; }
  // Tickers decoded and wanted: the first ticker_count() entries of the tickers vector.
  std::size_t ticker_count() const { return ticker_count_; }
  std::uint64_t filtered() const { return filtered_; }

 private:
  Fault ReadTop(od::object& object) {
    od::object_iterator it;
    od::object_iterator end;
    if (object.begin().get(it) != SUCCESS || object.end().get(end) != SUCCESS) {
      return Fault::kInvalidJson;
    }
    if (it == end) return Fault::kUnknownMessage;
    simdjson::simdjson_result<od::field> result = *it;
    if (result.error() != SUCCESS) return Fault::kInvalidJson;
    od::field&& first = std::move(result).value_unsafe();
    const std::uint64_t key = CodeOf(first.key().raw());
    switch (key) {
      case kStream:
      case kData:
        return ReadWrapper(key, first.value(), it, end);
      case kKeyE:
        return ReadEvent(key, first.value(), it, end, Event::kUnknown);
      case kResult:
      case kId:
      case kCodeKey:
      case kMsg:
      case kErrorKey: {
        ControlReader reader(reply_, streams_);
        const Fault fault = Continue(reader, key, first.value(), it, end);
        if (fault == Fault::kNone) kind_ = FrameKind::kControlReply;
        return fault;
      }
      default:
        return Fault::kUnknownMessage;
    }
  }

  // Runs `reader` over the field already read (key, value) and the fields after it.
  template <class Reader>
  static Fault Continue(Reader& reader, std::uint64_t key, od::value& value,
                        od::object_iterator& it, const od::object_iterator& end) {
    if (const Fault fault = reader.Field(key, value); fault != Fault::kNone) return fault;
    ++it;
    return Rest(reader, it, end);
  }

  template <class Reader>
  static Fault Rest(Reader& reader, od::object_iterator& it, const od::object_iterator& end) {
    const Fault fault = ForEachField(
        it, end, [&reader](std::uint64_t k, od::value& v) { return reader.Field(k, v); });
    return fault != Fault::kNone ? fault : reader.Finish();
  }

  // {"stream": name, "data": event-or-array}. Binance sends the name first, so an ignored or
  // unknown stream is settled before its data is looked at.
  Fault ReadWrapper(std::uint64_t key, od::value& value, od::object_iterator& it,
                    const od::object_iterator& end) {
    Event stream = Event::kUnknown;
    bool has_data = false;
    auto field = [&](std::uint64_t k, od::value& v) {
      if (k == kStream) {
        std::string_view name;
        if (const Fault fault = ReadText(v, name); fault != Fault::kNone) return fault;
        stream = StreamEvent(name);
        if (has_data) return Fault::kNone;
        if (stream == Event::kUnknown) return Fault::kUnknownStream;
        if (stream == Event::kIgnored) {
          kind_ = FrameKind::kIgnored;
          return Fault::kStop;
        }
        return Fault::kNone;
      }
      if (k != kData || has_data) return Fault::kNone;
      has_data = true;
      return ReadData(v, stream);
    };
    if (const Fault fault = field(key, value); fault != Fault::kNone) return fault;
    ++it;
    if (const Fault fault = ForEachField(it, end, field); fault != Fault::kNone) return fault;
    return has_data ? Fault::kNone : Fault::kMissingField;
  }

  Fault ReadData(od::value& value, Event expected) {
    od::json_type type;
    if (value.type().get(type) != SUCCESS) return Fault::kInvalidJson;
    if (type == od::json_type::array) {
      if (expected != Event::kUnknown && expected != Event::kTicker &&
          expected != Event::kMiniTicker) {
        return Fault::kWrongType;
      }
      od::array array;
      if (value.get_array().get(array) != SUCCESS) return Fault::kInvalidJson;
      return ReadTickerArray(array, expected);
    }
    if (type != od::json_type::object) return Fault::kWrongType;
    od::object object;
    if (value.get_object().get(object) != SUCCESS) return Fault::kInvalidJson;
    od::object_iterator it;
    od::object_iterator end;
    if (object.begin().get(it) != SUCCESS || object.end().get(end) != SUCCESS) {
      return Fault::kInvalidJson;
    }
    if (it == end) return Fault::kMissingField;
    simdjson::simdjson_result<od::field> result = *it;
    if (result.error() != SUCCESS) return Fault::kInvalidJson;
    od::field&& first = std::move(result).value_unsafe();
    return ReadEvent(CodeOf(first.key().raw()), first.value(), it, end, expected);
  }

  // An event object whose first field (key, value) is read. When `expected` is unknown the
  // first field must be "e" and says what the event is.
  Fault ReadEvent(std::uint64_t key, od::value& value, od::object_iterator& it,
                  const od::object_iterator& end, Event expected) {
    const bool typed_by_e = expected == Event::kUnknown;
    if (typed_by_e) {
      if (key != kKeyE) return Fault::kUnknownEvent;
      od::raw_json_string raw;
      if (value.get_raw_json_string().get(raw) != SUCCESS) {
        return Classify(value, od::json_type::string) == Fault::kInvalidJson ? Fault::kInvalidJson
                                                                             : Fault::kWrongType;
      }
      expected = EventOf(raw);
    }
    switch (expected) {
      case Event::kKline: {
        KlineReader reader(intervals_, kline_);
        const Fault fault = Run(reader, typed_by_e, key, value, it, end);
        if (fault == Fault::kNone) kind_ = FrameKind::kKline;
        return fault;
      }
      case Event::kTicker:
      case Event::kMiniTicker: {
        const Fault fault = ReadTicker(expected, typed_by_e, key, value, it, end);
        if (fault == Fault::kNone) kind_ = FrameKind::kTickers;
        return fault;
      }
      case Event::kShutdown: {
        ShutdownReader reader(shutdown_time_);
        const Fault fault = Run(reader, typed_by_e, key, value, it, end);
        if (fault == Fault::kNone) kind_ = FrameKind::kServerShutdown;
        return fault;
      }
      case Event::kIgnored:
        kind_ = FrameKind::kIgnored;
        return Fault::kStop;
      case Event::kUnknown:
        return Fault::kUnknownEvent;
    }
    return Fault::kUnknownEvent;
  }

  // Feeds a reader: when the first field was the "e" that chose it, that field is done.
  template <class Reader>
  static Fault Run(Reader& reader, bool typed_by_e, std::uint64_t key, od::value& value,
                   od::object_iterator& it, const od::object_iterator& end) {
    if (!typed_by_e) return Continue(reader, key, value, it, end);
    reader.SawEvent();
    ++it;
    return Rest(reader, it, end);
  }

  Fault ReadTicker(Event event, bool typed_by_e, std::uint64_t key, od::value& value,
                   od::object_iterator& it, const od::object_iterator& end) {
    // Slots are reused across frames; only a frame larger than any before grows the vector.
    if (ticker_count_ == tickers_.size()) tickers_.emplace_back();
    TickerReader reader(event, tickers_[ticker_count_]);
    const Fault fault = Run(reader, typed_by_e, key, value, it, end);
    if (fault == Fault::kNone) {
      if (reader.Wanted()) {
        ++ticker_count_;
      } else {
        ++filtered_;
      }
    }
    return fault;
  }

  // An array of ticker objects (`!ticker@arr`, `!miniTicker@arr`). Entries must all be tickers.
  Fault ReadTickerArray(od::array& array, Event expected) {
    for (auto element : array) {
      od::value value;
      if (element.get(value) != SUCCESS) return Fault::kInvalidJson;
      od::object object;
      if (value.get_object().get(object) != SUCCESS) {
        return Classify(value, od::json_type::object) == Fault::kInvalidJson ? Fault::kInvalidJson
                                                                             : Fault::kWrongType;
      }
      od::object_iterator it;
      od::object_iterator end;
      if (object.begin().get(it) != SUCCESS || object.end().get(end) != SUCCESS) {
        return Fault::kInvalidJson;
      }
      if (it == end) return Fault::kMissingField;
      simdjson::simdjson_result<od::field> result = *it;
      if (result.error() != SUCCESS) return Fault::kInvalidJson;
      od::field&& first = std::move(result).value_unsafe();
      const Fault fault = ReadEntry(CodeOf(first.key().raw()), first.value(), it, end, expected);
      if (fault != Fault::kNone) return fault;
    }
    kind_ = FrameKind::kTickers;
    return Fault::kNone;
  }

  Fault ReadEntry(std::uint64_t key, od::value& value, od::object_iterator& it,
                  const od::object_iterator& end, Event expected) {
    if (expected != Event::kUnknown) return ReadTicker(expected, false, key, value, it, end);
    if (key != kKeyE) return Fault::kUnknownEvent;
    od::raw_json_string raw;
    if (value.get_raw_json_string().get(raw) != SUCCESS) return Fault::kWrongType;
    const Event event = EventOf(raw);
    if (event != Event::kTicker && event != Event::kMiniTicker) return Fault::kUnknownEvent;
    return ReadTicker(event, true, key, value, it, end);
  }

  const IntervalCodes& intervals_;
  KlineEvent& kline_;
  std::vector<TickerEvent>& tickers_;
  std::vector<std::string_view>& streams_;
  ControlReply& reply_;
  core::Millis& shutdown_time_;
  FrameKind kind_ = FrameKind::kDropped;
  std::size_t ticker_count_ = 0;
  std::uint64_t filtered_ = 0;
};

void CountFault(Fault fault, StreamParseStats& stats) {
  switch (fault) {
    case Fault::kNone:
    case Fault::kStop:
      return;
    case Fault::kInvalidJson:
      ++stats.invalid_json;
      return;
    case Fault::kUnknownMessage:
      ++stats.unknown_message;
      return;
    case Fault::kUnknownStream:
      ++stats.unknown_stream;
      return;
    case Fault::kUnknownEvent:
      ++stats.unknown_event;
      return;
    case Fault::kMissingField:
      ++stats.missing_field;
      return;
    case Fault::kWrongType:
      ++stats.wrong_type;
      return;
    case Fault::kBadNumber:
      ++stats.bad_number;
      return;
    case Fault::kBadInterval:
      ++stats.bad_interval;
      return;
    case Fault::kBadValue:
      ++stats.bad_value;
      return;
  }
}

constexpr std::array<StreamParseStatField, 19> kStatFields = {{
    {"frames", &StreamParseStats::frames, false},
    {"kline_frames", &StreamParseStats::kline_frames, false},
    {"closed_klines", &StreamParseStats::closed_klines, false},
    {"ticker_frames", &StreamParseStats::ticker_frames, false},
    {"tickers", &StreamParseStats::tickers, false},
    {"filtered_tickers", &StreamParseStats::filtered_tickers, false},
    {"control_replies", &StreamParseStats::control_replies, false},
    {"server_shutdowns", &StreamParseStats::server_shutdowns, false},
    {"ignored", &StreamParseStats::ignored, false},
    {"empty_frame", &StreamParseStats::empty_frame, true},
    {"invalid_json", &StreamParseStats::invalid_json, true},
    {"unknown_message", &StreamParseStats::unknown_message, true},
    {"unknown_stream", &StreamParseStats::unknown_stream, true},
    {"unknown_event", &StreamParseStats::unknown_event, true},
    {"missing_field", &StreamParseStats::missing_field, true},
    {"wrong_type", &StreamParseStats::wrong_type, true},
    {"bad_number", &StreamParseStats::bad_number, true},
    {"bad_interval", &StreamParseStats::bad_interval, true},
    {"bad_value", &StreamParseStats::bad_value, true},
}};

}  // namespace

core::Ticker24h ToTicker24h(const TickerEvent& event) {
  core::Ticker24h ticker;
  ticker.symbol.assign(event.symbol);
  ticker.event_time = event.event_time;
  ticker.last_price = event.last_price;
  ticker.open_price = event.open_price;
  ticker.high_price = event.high_price;
  ticker.low_price = event.low_price;
  ticker.base_volume = event.base_volume;
  ticker.quote_volume = event.quote_volume;
  ticker.price_change_percent = event.price_change_percent;
  return ticker;
}

std::span<const StreamParseStatField> StreamParseStatFields() { return kStatFields; }

std::uint64_t StreamParseStats::Errors() const {
  std::uint64_t total = 0;
  for (const StreamParseStatField& field : kStatFields) {
    if (field.error) total += this->*field.member;
  }
  return total;
}

StreamParseStats& StreamParseStats::operator+=(const StreamParseStats& other) {
  for (const StreamParseStatField& field : kStatFields) this->*field.member += other.*field.member;
  return *this;
}

StreamParser::StreamParser() {
  const std::span<const core::Interval> all = core::Interval::All();
  for (std::size_t i = 0; i < all.size() && i < intervals_.codes.size(); ++i) {
    intervals_.codes[i] = Code(all[i].Name());
    intervals_.intervals[i] = all[i];
  }
  // Best effort: iterate() allocates on demand and reports a failure per frame.
  [[maybe_unused]] const simdjson::error_code allocated = parser_.allocate(kInitialCapacity);
  buffer_capacity_ = kInitialCapacity + simdjson::SIMDJSON_PADDING;
  buffer_ = std::make_unique<char[]>(buffer_capacity_);
}

simdjson::padded_string_view StreamParser::Pad(std::string_view frame) {
  const std::size_t needed = frame.size() + simdjson::SIMDJSON_PADDING;
  if (needed > buffer_capacity_) {
    buffer_capacity_ = std::max(needed, 2 * buffer_capacity_);
    buffer_ = std::make_unique<char[]>(buffer_capacity_);
  }
  if (!frame.empty()) std::memcpy(buffer_.get(), frame.data(), frame.size());
  // Stale bytes of a longer previous frame would sit in the padding, and a '}' right after the
  // document makes simdjson rescan the whole document to check its balance.
  std::memset(buffer_.get() + frame.size(), 0, simdjson::SIMDJSON_PADDING);
  return simdjson::padded_string_view(buffer_.get(), frame.size(), buffer_capacity_);
}

FrameKind StreamParser::Parse(std::string_view frame, StreamHandler& handler) {
  ++stats_.frames;
  streams_.clear();
  od::document doc;
  if (const auto error = parser_.iterate(Pad(frame)).get(doc); error != SUCCESS) {
    if (error == simdjson::EMPTY) {
      ++stats_.empty_frame;
    } else {
      ++stats_.invalid_json;
    }
    return FrameKind::kDropped;
  }
  FrameReader reader(intervals_, kline_, tickers_, streams_, reply_, shutdown_time_);
  if (const Fault fault = reader.Read(doc); fault != Fault::kNone) {
    CountFault(fault, stats_);
    return FrameKind::kDropped;
  }
  switch (reader.kind()) {
    case FrameKind::kKline:
      ++stats_.kline_frames;
      if (kline_.bar.closed) ++stats_.closed_klines;
      handler.OnKline(kline_);
      break;
    case FrameKind::kTickers:
      ++stats_.ticker_frames;
      stats_.tickers += reader.ticker_count();
      stats_.filtered_tickers += reader.filtered();
      for (std::size_t i = 0; i < reader.ticker_count(); ++i) handler.OnTicker(tickers_[i]);
      break;
    case FrameKind::kControlReply:
      ++stats_.control_replies;
      handler.OnControlReply(reply_);
      break;
    case FrameKind::kServerShutdown:
      ++stats_.server_shutdowns;
      handler.OnServerShutdown(shutdown_time_);
      break;
    case FrameKind::kIgnored:
      ++stats_.ignored;
      break;
    case FrameKind::kDropped:
      ++stats_.unknown_message;
      break;
  }
  return reader.kind();
}

}  // namespace scanner::binance
