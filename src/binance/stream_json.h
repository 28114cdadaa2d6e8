#pragma once
// Building blocks of StreamParser, shared by its source files and nothing else: why a frame is
// dropped, what an event is, key matching, typed reads of one value, and field iteration over
// simdjson ondemand objects. Every read classifies its failure (broken JSON, wrong type, bad
// number) so the parser can count it. Values and views live in the frame being parsed.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include <simdjson.h>

namespace scanner::binance::stream_internal {

namespace od = simdjson::ondemand;
using simdjson::SUCCESS;

// Why a frame is not delivered. kStop ends the frame early on purpose (an ignored stream).
enum class Fault : std::uint8_t {
  kNone,
  kStop,
  kInvalidJson,
  kUnknownMessage,
  kUnknownStream,
  kUnknownEvent,
  kMissingField,
  kWrongType,
  kBadNumber,
  kBadInterval,
  kBadValue,
};

// What an event object is, from its "e" or from the stream name that carries it.
enum class Event : std::uint8_t { kUnknown, kKline, kTicker, kMiniTicker, kShutdown, kIgnored };

// Keys are matched by packing their bytes (up to 8) into an integer: one switch per field.
constexpr std::uint64_t Code(std::string_view key) {
  std::uint64_t code = 0;
  for (std::size_t i = 0; i < key.size(); ++i) {
    code |= std::uint64_t{static_cast<unsigned char>(key[i])} << (8 * i);
  }
  return code;
}
constexpr std::uint64_t kLongKey = ~std::uint64_t{0};

// `raw` points after a string's opening quote; the buffer is padded, so 8 bytes can be read.
// Keys with escapes never match ours, and longer keys are none of ours.
inline std::uint64_t CodeOf(const char* raw) {
  static_assert(std::endian::native == std::endian::little, "Code() packs little-endian");
  if (raw[1] == '"') return static_cast<unsigned char>(raw[0]);  // most of Binance's keys
  std::uint64_t word;
  std::memcpy(&word, raw, sizeof(word));
  const std::uint64_t quotes = word ^ 0x2222222222222222ULL;  // zero bytes where '"' was
  const std::uint64_t found = (quotes - 0x0101010101010101ULL) & ~quotes & 0x8080808080808080ULL;
  if (found == 0) return kLongKey;
  const int length = std::countr_zero(found) / 8;  // the lowest hit is exact
  return length == 0 ? 0 : word & (~std::uint64_t{0} >> (64 - 8 * length));
}

constexpr std::uint64_t kStream = Code("stream"), kData = Code("data"), kResult = Code("result"),
                        kId = Code("id"), kCodeKey = Code("code"), kMsg = Code("msg"),
                        kErrorKey = Code("error"), kSt = Code("st");
constexpr std::uint64_t kKeyE = 'e', kKeyEventTime = 'E', kKeyS = 's', kKeyK = 'k', kKeyT = 't',
                        kKeyCloseT = 'T', kKeyI = 'i', kKeyO = 'o', kKeyC = 'c', kKeyH = 'h',
                        kKeyL = 'l', kKeyV = 'v', kKeyQ = 'q', kKeyN = 'n', kKeyX = 'x',
                        kKeyP = 'P';

// "kline", "24hrTicker", ...: the event an "e" value names (kIgnored for Binance market
// events the scanner does not use, kUnknown for anything else).
Event EventOf(od::raw_json_string raw);

// "<symbol>@<type>[@<option>]" or "!<type>[@arr]": the events a combined stream carries.
Event StreamEvent(std::string_view name);

// A failed typed read: the JSON itself is broken, or the value has another type, or it has the
// expected type but does not parse or fit (a bad number).
Fault Classify(od::value& value, od::json_type expected);

// The value of 8 digit values (0..9 per byte), first digit in the lowest byte.
inline std::uint32_t ParseEightDigitValues(std::uint64_t word) {
  word = (word * 10) + (word >> 8);
  return static_cast<std::uint32_t>(
      (((word & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
       (((word >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
      32);
}

inline constexpr std::uint64_t kPowersOfTen[] = {1,
                                                 10,
                                                 100,
                                                 1000,
                                                 10000,
                                                 100000,
                                                 1000000,
                                                 10000000,
                                                 100000000};
inline constexpr double kExactPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Reads the run of ASCII digits at `p`, eight bytes at a time (the buffer is padded), into
// `mantissa` (which wraps past 19 digits: the caller checks the count). Returns the digit count.
[[gnu::always_inline]] inline std::size_t ReadDigitRun(const char* p, std::uint64_t& mantissa) {
  std::size_t count = 0;
  for (;;) {
    std::uint64_t word;
    std::memcpy(&word, p + count, sizeof(word));
    const std::uint64_t values = word ^ 0x3030303030303030ULL;  // digits become 0..9
    // A byte is no digit when its high nibble is set or it is 10..15; a carry out of such a byte
    // can only spoil higher bytes, and the lowest flagged byte is the one that counts.
    const std::uint64_t non_digits = (values & 0xF0F0F0F0F0F0F0F0ULL) |
                                     ((values + 0x0606060606060606ULL) & 0x1010101010101010ULL);
    if (non_digits == 0) {
      mantissa = mantissa * 100000000 + ParseEightDigitValues(values);
      count += 8;
      continue;
    }
    const int digits = std::countr_zero(non_digits) / 8;
    if (digits != 0) {
      // The digits move to the top bytes; the zero bytes below them read as leading zeros.
      mantissa = mantissa * kPowersOfTen[digits] +
                 ParseEightDigitValues(values << (8 * (8 - digits)));
      count += static_cast<std::size_t>(digits);
    }
    return count;
  }
}

// Everything ReadDecimal() does not settle itself: simdjson's get_double_in_string(), which
// decides and reports. Out of line so the fast path stays small where it is inlined.
Fault ReadDecimalSlow(od::value& value, double& out);

// Binance's quoted decimals ("0.35270000", "-1.250"). The common shape (optional minus, digits,
// optional fraction, at most 19 digits whose value fits a double exactly, at most 22 decimals)
// is read here in a few word operations: the mantissa as an integer divided by an exact power of
// ten is one correctly rounded IEEE operation, the same result simdjson's own fast path gives.
// Anything else (exponents, longer mantissas, malformed text, other types) goes to
// ReadDecimalSlow(), so results and failures are exactly simdjson's.
inline Fault ReadDecimal(od::value& value, double& out) {
  const char* p = value.raw_json_token().data();  // the opening quote, if it is a string
  if (*p == '"') {
    const bool negative = p[1] == '-';
    const char* const start = p + 1 + negative;
    std::uint64_t mantissa = 0;
    const std::size_t whole = ReadDigitRun(start, mantissa);
    std::size_t decimals = 0;
    const char* end = start + whole;
    if (*end == '.') {
      decimals = ReadDigitRun(end + 1, mantissa);
      end += 1 + decimals;
    }
    constexpr std::uint64_t kExactLimit = std::uint64_t{1} << 53;
    const bool plain = *end == '"' && whole != 0 && (start[0] != '0' || whole == 1) &&
                       end[-1] != '.' && whole + decimals <= 19 && decimals <= 22;
    if (plain && mantissa <= kExactLimit) [[likely]] {
      const double magnitude = static_cast<double>(mantissa) / kExactPowersOfTen[decimals];
      out = negative ? -magnitude : magnitude;
      return Fault::kNone;
    }
    if (plain && decimals > 0 && mantissa % 10 == 0) {
      // Trailing zeros ("1234567890.00000000") do not count against the exact range.
      while (mantissa > kExactLimit && decimals > 0 && mantissa % 10 == 0) {
        mantissa /= 10;
        --decimals;
      }
      if (mantissa <= kExactLimit) {
        const double magnitude = static_cast<double>(mantissa) / kExactPowersOfTen[decimals];
        out = negative ? -magnitude : magnitude;
        return Fault::kNone;
      }
    }
  }
  return ReadDecimalSlow(value, out);
}

// Non-negative integers of up to 18 digits straight from the token, eight digits at a time:
// simdjson's get_int64() takes a digit per step, and every kline carries three 13-digit times.
// Anything else (sign, leading zero, fraction, exponent, 19+ digits, not a number) goes to
// get_int64(), which decides and reports exactly as before.
inline Fault ReadInt(od::value& value, std::int64_t& out) {
  const std::string_view token = value.raw_json_token();  // digits, then whitespace at most
  const char* digits = token.data();
  // The run cannot pass the token: whatever ends the token (a structural character or
  // whitespace) is no digit.
  std::uint64_t result = 0;
  const std::size_t count = ReadDigitRun(digits, result);
  const bool ends_well = count == token.size() || digits[count] == ' ' || digits[count] == '\n' ||
                         digits[count] == '\r' || digits[count] == '\t';
  if (count > 0 && count <= 18 && ends_well && (digits[0] != '0' || count == 1)) {
    out = static_cast<std::int64_t>(result);
    return Fault::kNone;
  }
  if (value.get_int64().get(out) == SUCCESS) return Fault::kNone;
  return Classify(value, od::json_type::number);
}

inline Fault ReadBool(od::value& value, bool& out) {
  if (value.get_bool().get(out) == SUCCESS) return Fault::kNone;
  return Classify(value, od::json_type::boolean) == Fault::kInvalidJson ? Fault::kInvalidJson
                                                                        : Fault::kWrongType;
}

inline Fault ReadString(od::value& value, std::string_view& out) {
  if (value.get_string().get(out) == SUCCESS) return Fault::kNone;
  // A string that does not unescape is broken JSON, not a bad number.
  return Classify(value, od::json_type::string) == Fault::kWrongType ? Fault::kWrongType
                                                                     : Fault::kInvalidJson;
}

// A string's text without copying when it has no escapes (a view into the frame buffer), else
// unescaped into the parser's string buffer. raw_json_token() only peeks, so the fallback can
// still read the value.
inline Fault ReadText(od::value& value, std::string_view& out) {
  const std::string_view token = value.raw_json_token();  // up to the next structural character
  if (!token.empty() && token.front() == '"') {
    std::size_t end = token.size();
    while (end > 1 && (token[end - 1] == ' ' || token[end - 1] == '\t' || token[end - 1] == '\n' ||
                       token[end - 1] == '\r')) {
      --end;
    }
    if (end >= 2 && token[end - 1] == '"') {
      const std::string_view text = token.substr(1, end - 2);
      if (std::ranges::find(text, '\\') == text.end()) {  // short: a loop beats a memchr call
        out = text;
        return Fault::kNone;
      }
    }
  }
  return ReadString(value, out);
}

// Checks an "e" value against the event the reader decodes.
inline Fault CheckEvent(od::value& value, Event expected) {
  od::raw_json_string raw;
  if (value.get_raw_json_string().get(raw) != SUCCESS) {
    return Classify(value, od::json_type::string) == Fault::kInvalidJson ? Fault::kInvalidJson
                                                                         : Fault::kWrongType;
  }
  return EventOf(raw) == expected ? Fault::kNone : Fault::kUnknownEvent;
}

// Calls on_field(key code, value) for each field from `it` to `end`, stopping at a fault.
template <class OnField>
Fault ForEachField(od::object_iterator& it, const od::object_iterator& end, OnField&& on_field) {
  for (; it != end; ++it) {
    // Used in place: moving the field out of the result costs a store-forwarding stall per field.
    simdjson::simdjson_result<od::field> result = *it;
    if (result.error() != SUCCESS) return Fault::kInvalidJson;
    od::field&& field = std::move(result).value_unsafe();
    const Fault fault = on_field(CodeOf(field.key().raw()), field.value());
    if (fault != Fault::kNone) return fault;
  }
  return Fault::kNone;
}

template <class OnField>
Fault ForEachField(od::value& value, OnField&& on_field) {
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
  return ForEachField(it, end, on_field);
}

}  // namespace scanner::binance::stream_internal
