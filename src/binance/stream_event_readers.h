#pragma once
// The field readers of StreamParser, one per event kind: each takes the fields of one JSON object
// in any order (a switch per key, one forward pass), writes them into a plain struct, and tells
// in Finish() whether every required field came. Header-only so the hot loop inlines them.

#include <cstdint>
#include <string_view>
#include <vector>

#include "binance/stream_json.h"
#include "binance/stream_parser.h"
#include "core/interval.h"
#include "core/time.h"

namespace scanner::binance::stream_internal {

using IntervalCodes = IntervalTable;

// Required-field bookkeeping: each reader sets one bit per field it has read.
template <class Bits>
constexpr std::uint32_t Bit(Bits bit) {
  return std::uint32_t{1} << static_cast<unsigned>(bit);
}

class KlineReader {
 public:
  // `out` is not cleared: Finish() succeeds only when every one of its fields was written.
  KlineReader(const IntervalCodes& intervals, KlineEvent& out) : intervals_(intervals), out_(out) {}

  void SawEvent() { seen_ |= Bit(kEventBit); }

  Fault Field(std::uint64_t key, od::value& value) {
    switch (key) {
      case kKeyE:
        seen_ |= Bit(kEventBit);
        return CheckEvent(value, Event::kKline);
      case kKeyEventTime:
        seen_ |= Bit(kEventTimeBit);
        return ReadInt(value, out_.event_time);
      case kKeyS:
        if (seen_ & Bit(kSymbolBit)) return Fault::kNone;
        seen_ |= Bit(kSymbolBit);
        return ReadText(value, out_.symbol);
      case kKeyK:
        return ForEachField(value,
                            [this](std::uint64_t k, od::value& v) { return BarField(k, v); });
      default:
        return Fault::kNone;
    }
  }

  Fault Finish() {
    if ((seen_ & kRequired) != kRequired) return Fault::kMissingField;
    if (out_.bar.close_time < out_.bar.open_time) return Fault::kBadValue;
    return Fault::kNone;
  }

 private:
  enum Bits : unsigned {
    kEventBit,
    kEventTimeBit,
    kSymbolBit,
    kOpenTimeBit,
    kCloseTimeBit,
    kIntervalBit,
    kOpenBit,
    kCloseBit,
    kHighBit,
    kLowBit,
    kVolumeBit,
    kQuoteVolumeBit,
    kTradesBit,
    kClosedBit,
    kBitCount
  };
  static constexpr std::uint32_t kRequired = (std::uint32_t{1} << kBitCount) - 1;

  Fault BarField(std::uint64_t key, od::value& value) {
    core::Bar& bar = out_.bar;
    switch (key) {
      case kKeyT:
        seen_ |= Bit(kOpenTimeBit);
        return ReadInt(value, bar.open_time);
      case kKeyCloseT:
        seen_ |= Bit(kCloseTimeBit);
        return ReadInt(value, bar.close_time);
      case kKeyO:
        seen_ |= Bit(kOpenBit);
        return ReadDecimal(value, bar.open);
      case kKeyC:
        seen_ |= Bit(kCloseBit);
        return ReadDecimal(value, bar.close);
      case kKeyH:
        seen_ |= Bit(kHighBit);
        return ReadDecimal(value, bar.high);
      case kKeyL:
        seen_ |= Bit(kLowBit);
        return ReadDecimal(value, bar.low);
      case kKeyV:
        seen_ |= Bit(kVolumeBit);
        return ReadDecimal(value, bar.volume);
      case kKeyQ:
        seen_ |= Bit(kQuoteVolumeBit);
        return ReadDecimal(value, bar.quote_volume);
      case kKeyN:
        seen_ |= Bit(kTradesBit);
        return ReadInt(value, bar.trades);
      case kKeyX:
        seen_ |= Bit(kClosedBit);
        return ReadBool(value, bar.closed);
      case kKeyI:
        seen_ |= Bit(kIntervalBit);
        return ReadInterval(value);
      case kKeyS:  // the symbol again inside "k"; the outer one is usually read already
        if (seen_ & Bit(kSymbolBit)) return Fault::kNone;
        seen_ |= Bit(kSymbolBit);
        return ReadText(value, out_.symbol);
      default:
        return Fault::kNone;
    }
  }

  Fault ReadInterval(od::value& value) {
    od::raw_json_string raw;
    if (value.get_raw_json_string().get(raw) != SUCCESS) {
      return Classify(value, od::json_type::string) == Fault::kInvalidJson ? Fault::kInvalidJson
                                                                           : Fault::kWrongType;
    }
    const std::uint64_t code = CodeOf(raw.raw());
    for (std::size_t i = 0; i < intervals_.codes.size(); ++i) {
      if (intervals_.codes[i] == code) {
        out_.interval = intervals_.intervals[i];
        return Fault::kNone;
      }
    }
    return Fault::kBadInterval;
  }

  const IntervalCodes& intervals_;
  KlineEvent& out_;
  std::uint32_t seen_ = 0;
};

class TickerReader {
 public:
  // `out` is not cleared (it may be a reused slot): Finish() succeeds only when every one of its
  // fields was written.
  TickerReader(Event event, TickerEvent& out) : event_(event), out_(out) {
    out_.kind = event == Event::kMiniTicker ? TickerKind::kMini : TickerKind::kFull;
  }

  void SawEvent() { seen_ |= Bit(kEventBit); }

  Fault Field(std::uint64_t key, od::value& value) {
    switch (key) {
      case kKeyE:
        seen_ |= Bit(kEventBit);
        return CheckEvent(value, event_);
      case kKeyEventTime:
        seen_ |= Bit(kEventTimeBit);
        return ReadInt(value, out_.event_time);
      case kKeyS:
        seen_ |= Bit(kSymbolBit);
        return ReadText(value, out_.symbol);
      case kKeyC:
        seen_ |= Bit(kLastBit);
        return ReadDecimal(value, out_.last_price);
      case kKeyO:
        seen_ |= Bit(kOpenBit);
        return ReadDecimal(value, out_.open_price);
      case kKeyH:
        seen_ |= Bit(kHighBit);
        return ReadDecimal(value, out_.high_price);
      case kKeyL:
        seen_ |= Bit(kLowBit);
        return ReadDecimal(value, out_.low_price);
      case kKeyV:
        seen_ |= Bit(kVolumeBit);
        return ReadDecimal(value, out_.base_volume);
      case kKeyQ:
        seen_ |= Bit(kQuoteVolumeBit);
        return ReadDecimal(value, out_.quote_volume);
      case kKeyP:
        if (event_ != Event::kTicker) return Fault::kNone;
        seen_ |= Bit(kPercentBit);
        return ReadDecimal(value, out_.price_change_percent);
      case kSt:
        return ReadInt(value, market_type_);
      default:
        return Fault::kNone;
    }
  }

  Fault Finish() {
    std::uint32_t required = Bit(kPercentBit) - 1;
    if (event_ == Event::kTicker) required |= Bit(kPercentBit);
    if ((seen_ & required) != required) return Fault::kMissingField;
    if (event_ == Event::kMiniTicker) {
      out_.price_change_percent =
          out_.open_price != 0 ? (out_.last_price - out_.open_price) / out_.open_price * 100.0 : 0;
    }
    return Fault::kNone;
  }

  // Futures tickers may carry "st": 1 = USD-M, 2 = COIN-M. Absent means the market we asked.
  bool Wanted() const { return market_type_ == 1; }

 private:
  enum Bits : unsigned {
    kEventBit,
    kEventTimeBit,
    kSymbolBit,
    kLastBit,
    kOpenBit,
    kHighBit,
    kLowBit,
    kVolumeBit,
    kQuoteVolumeBit,
    kPercentBit
  };

  Event event_;
  TickerEvent& out_;
  std::uint32_t seen_ = 0;
  std::int64_t market_type_ = 1;
};

class ShutdownReader {
 public:
  explicit ShutdownReader(core::Millis& out) : out_(out) { out_ = 0; }
  void SawEvent() { saw_event_ = true; }
  Fault Field(std::uint64_t key, od::value& value) {
    if (key == kKeyE) {
      saw_event_ = true;
      return CheckEvent(value, Event::kShutdown);
    }
    return key == kKeyEventTime ? ReadInt(value, out_) : Fault::kNone;
  }
  // "E" is optional: a shutdown notice must not be lost for want of a timestamp.
  Fault Finish() const { return saw_event_ ? Fault::kNone : Fault::kMissingField; }

 private:
  core::Millis& out_;
  bool saw_event_ = false;
};

class ControlReader {
 public:
  ControlReader(ControlReply& out, std::vector<std::string_view>& streams)
      : out_(out), streams_(streams) {
    out_ = ControlReply{};
  }

  Fault Field(std::uint64_t key, od::value& value) {
    switch (key) {
      case kResult:
        return ReadResult(value);
      case kId:
        return ReadId(value);
      case kCodeKey:
        has_code_ = true;
        return ReadInt(value, out_.error_code);
      case kMsg:
        return ReadString(value, out_.error_message);
      case kErrorKey:
        return ForEachField(value, [this](std::uint64_t k, od::value& v) {
          if (k == kCodeKey) {
            has_code_ = true;
            return ReadInt(v, out_.error_code);
          }
          return k == kMsg ? ReadString(v, out_.error_message) : Fault::kNone;
        });
      default:
        return Fault::kNone;
    }
  }

  Fault Finish() {
    if (has_code_) {
      out_.kind = ControlReply::Kind::kError;
    } else if (!has_result_) {
      return Fault::kMissingField;
    }
    if (out_.kind == ControlReply::Kind::kSubscriptions) out_.streams = streams_;
    return Fault::kNone;
  }

 private:
  Fault ReadResult(od::value& value) {
    has_result_ = true;
    od::json_type type;
    if (value.type().get(type) != SUCCESS) return Fault::kInvalidJson;
    switch (type) {
      case od::json_type::null:
        out_.kind = ControlReply::Kind::kAck;
        return Fault::kNone;
      case od::json_type::boolean:
        out_.kind = ControlReply::Kind::kProperty;
        return ReadBool(value, out_.property);
      case od::json_type::array: {
        out_.kind = ControlReply::Kind::kSubscriptions;
        od::array array;
        if (value.get_array().get(array) != SUCCESS) return Fault::kInvalidJson;
        for (auto element : array) {
          od::value item;
          std::string_view name;
          if (element.get(item) != SUCCESS) return Fault::kInvalidJson;
          if (const Fault fault = ReadString(item, name); fault != Fault::kNone) return fault;
          streams_.push_back(name);
        }
        return Fault::kNone;
      }
      default:
        return Fault::kWrongType;
    }
  }

  Fault ReadId(od::value& value) {
    od::json_type type;
    if (value.type().get(type) != SUCCESS) return Fault::kInvalidJson;
    if (type == od::json_type::null) return Fault::kNone;
    std::int64_t id = 0;
    if (const Fault fault = ReadInt(value, id); fault != Fault::kNone) return fault;
    out_.id = id;
    return Fault::kNone;
  }

  ControlReply& out_;
  std::vector<std::string_view>& streams_;
  bool has_result_ = false;
  bool has_code_ = false;
};

}  // namespace scanner::binance::stream_internal
