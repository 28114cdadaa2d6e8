#include "binance/rest_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <utility>

namespace scanner::binance {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

constexpr std::string_view kExchangeInfo = "exchangeInfo";
constexpr std::string_view kTicker = "ticker/24hr";
constexpr std::string_view kKlines = "klines";

// Binance's kline arrays have 12 fields; the scanner reads the first 9.
constexpr std::size_t kKlineFieldsRead = 9;

// What a failed read means for the reader: the value had the wrong type (or an unparsable number
// inside a string), or the document itself is broken.
std::string Problem(error_code error, std::string_view expected) {
  switch (error) {
    case simdjson::INCORRECT_TYPE:
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
      return fmt::format("expected {}", expected);
    default:
      return fmt::format("malformed JSON ({})", simdjson::error_message(error));
  }
}

core::Error At(std::string_view endpoint, std::string_view path, std::string_view problem) {
  if (path.empty()) return core::Error{fmt::format("{}: {}", endpoint, problem)};
  return core::Error{fmt::format("{}: {}: {}", endpoint, path, problem)};
}

// "symbols[12].status", "[3]" or "[3][6]".
std::string ElementPath(std::string_view array, std::size_t index, std::string_view field = {}) {
  if (field.empty()) return fmt::format("{}[{}]", array, index);
  return fmt::format("{}[{}].{}", array, index, field);
}

error_code ReadString(od::value& value, std::string& out) {
  std::string_view text;
  error_code error = value.get_string().get(text);
  if (!error) out.assign(text);
  return error;
}

error_code ReadDecimal(od::value& value, double& out) {
  return value.get_double_in_string().get(out);
}

error_code ReadInt64(od::value& value, std::int64_t& out) { return value.get_int64().get(out); }

error_code ReadInt(od::value& value, int& out) {
  std::int64_t wide = 0;
  if (error_code error = value.get_int64().get(wide)) return error;
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
    return simdjson::NUMBER_OUT_OF_RANGE;
  }
  out = static_cast<int>(wide);
  return simdjson::SUCCESS;
}

error_code ReadBool(od::value& value, bool& out) { return value.get_bool().get(out); }

// Reads one field with `read` and turns a failure into the endpoint/path/field error.
template <class Read, class Out>
std::optional<core::Error> ReadField(Read read, od::value& value, Out& out,
                                     std::string_view endpoint, std::string_view array,
                                     std::size_t index, std::string_view field,
                                     std::string_view expected) {
  if (error_code error = read(value, out)) {
    return At(endpoint, ElementPath(array, index, field), Problem(error, expected));
  }
  return std::nullopt;
}

// Bit flags of the required fields seen in one object; names for the "missing" message.
template <std::size_t N>
std::optional<core::Error> CheckRequired(std::uint32_t seen, std::uint32_t required,
                                         const std::string_view (&names)[N],
                                         std::string_view endpoint, std::string_view array,
                                         std::size_t index) {
  for (std::size_t bit = 0; bit < N; ++bit) {
    const std::uint32_t flag = 1u << bit;
    if ((required & flag) && !(seen & flag)) {
      return At(endpoint, ElementPath(array, index, names[bit]), "missing");
    }
  }
  return std::nullopt;
}

std::optional<core::Error> ParseSymbol(od::value& element, core::Market market, std::size_t index,
                                       SymbolInfo& out) {
  enum : std::uint32_t {
    kSymbol = 1,
    kStatus = 2,
    kBase = 4,
    kQuote = 8,
    kSpotAllowed = 16,
    kContract = 32
  };
  static constexpr std::string_view kNames[] = {
      "symbol", "status", "baseAsset", "quoteAsset", "isSpotTradingAllowed", "contractType"};
  od::object object;
  if (error_code error = element.get_object().get(object)) {
    return At(kExchangeInfo, ElementPath("symbols", index), Problem(error, "object"));
  }
  std::uint32_t seen = 0;
  for (auto field_result : object) {
    od::field field;
    if (error_code error = std::move(field_result).get(field)) {
      return At(kExchangeInfo, ElementPath("symbols", index), Problem(error, "object"));
    }
    const od::raw_json_string key = field.key();
    od::value& value = field.value();
    std::optional<core::Error> failed;
    if (key == "symbol") {
      seen |= kSymbol;
      failed = ReadField(ReadString, value, out.symbol, kExchangeInfo, "symbols", index, "symbol",
                         "string");
    } else if (key == "status") {
      seen |= kStatus;
      failed = ReadField(ReadString, value, out.status, kExchangeInfo, "symbols", index, "status",
                         "string");
    } else if (key == "baseAsset") {
      seen |= kBase;
      failed = ReadField(ReadString, value, out.base_asset, kExchangeInfo, "symbols", index,
                         "baseAsset", "string");
    } else if (key == "quoteAsset") {
      seen |= kQuote;
      failed = ReadField(ReadString, value, out.quote_asset, kExchangeInfo, "symbols", index,
                         "quoteAsset", "string");
    } else if (key == "isSpotTradingAllowed" && market == core::Market::kSpot) {
      seen |= kSpotAllowed;
      failed = ReadField(ReadBool, value, out.spot_trading_allowed, kExchangeInfo, "symbols", index,
                         "isSpotTradingAllowed", "boolean");
    } else if (key == "contractType" && market == core::Market::kUsdm) {
      seen |= kContract;
      failed = ReadField(ReadString, value, out.contract_type, kExchangeInfo, "symbols", index,
                         "contractType", "string");
    }
    if (failed) return failed;
  }
  std::uint32_t required = kSymbol | kStatus | kBase | kQuote;
  required |= market == core::Market::kSpot ? kSpotAllowed : kContract;
  return CheckRequired(seen, required, kNames, kExchangeInfo, "symbols", index);
}

std::optional<core::Error> ParseRateLimit(od::value& element, std::size_t index, RateLimit& out) {
  enum : std::uint32_t { kType = 1, kInterval = 2, kIntervalNum = 4, kLimit = 8 };
  static constexpr std::string_view kNames[] = {"rateLimitType", "interval", "intervalNum",
                                                "limit"};
  od::object object;
  if (error_code error = element.get_object().get(object)) {
    return At(kExchangeInfo, ElementPath("rateLimits", index), Problem(error, "object"));
  }
  std::uint32_t seen = 0;
  for (auto field_result : object) {
    od::field field;
    if (error_code error = std::move(field_result).get(field)) {
      return At(kExchangeInfo, ElementPath("rateLimits", index), Problem(error, "object"));
    }
    const od::raw_json_string key = field.key();
    od::value& value = field.value();
    std::optional<core::Error> failed;
    if (key == "rateLimitType") {
      seen |= kType;
      failed = ReadField(ReadString, value, out.type, kExchangeInfo, "rateLimits", index,
                         "rateLimitType", "string");
    } else if (key == "interval") {
      seen |= kInterval;
      failed = ReadField(ReadString, value, out.interval, kExchangeInfo, "rateLimits", index,
                         "interval", "string");
    } else if (key == "intervalNum") {
      seen |= kIntervalNum;
      failed = ReadField(ReadInt, value, out.interval_num, kExchangeInfo, "rateLimits", index,
                         "intervalNum", "integer");
    } else if (key == "limit") {
      seen |= kLimit;
      failed = ReadField(ReadInt, value, out.limit, kExchangeInfo, "rateLimits", index, "limit",
                         "integer");
    }
    if (failed) return failed;
  }
  return CheckRequired(seen, kType | kInterval | kIntervalNum | kLimit, kNames, kExchangeInfo,
                       "rateLimits", index);
}

// Iterates the array in `value`, calling parse(element, index) for each element.
template <class Parse>
std::optional<core::Error> ForEachElement(od::value& value, std::string_view endpoint,
                                          std::string_view path, Parse parse) {
  od::array array;
  if (error_code error = value.get_array().get(array)) {
    return At(endpoint, path, Problem(error, "array"));
  }
  std::size_t index = 0;
  for (auto element_result : array) {
    od::value element;
    if (error_code error = std::move(element_result).get(element)) {
      return At(endpoint, ElementPath(path, index), Problem(error, "value"));
    }
    if (auto failed = parse(element, index)) return failed;
    ++index;
  }
  return std::nullopt;
}

// A value of another type than expected (the row is wrong), as opposed to a broken document.
bool IsTypeError(error_code error) {
  return error == simdjson::INCORRECT_TYPE || error == simdjson::NUMBER_ERROR ||
         error == simdjson::NUMBER_OUT_OF_RANGE;
}

// One ticker row into `out`: nullopt when it is usable, else why not (SkippedRows::kind); an
// error when the document itself is broken. Only what the universe selection reads is required
// (symbol, quoteVolume); a mistyped other field is ignored, a missing one left at 0.
core::Result<std::optional<std::string>> ParseTicker(od::value& element, std::size_t index,
                                                     core::Ticker24h& out) {
  using Kind = std::optional<std::string>;
  od::object object;
  if (error_code error = element.get_object().get(object)) {
    if (IsTypeError(error)) return Kind("not an object");
    return std::unexpected(At(kTicker, ElementPath("", index), Problem(error, "object")));
  }
  enum class State { kMissing, kMistyped, kRead };
  State symbol = State::kMissing;
  State quote_volume = State::kMissing;
  bool has_change = false;
  bool has_open = false;
  bool has_last = false;
  // The optional decimal fields, as (name, destination, whether it was read or null).
  struct Decimal {
    std::string_view name;
    double* out;
    bool* read;
  };
  const Decimal decimals[] = {{"priceChangePercent", &out.price_change_percent, &has_change},
                              {"lastPrice", &out.last_price, &has_last},
                              {"openPrice", &out.open_price, &has_open},
                              {"highPrice", &out.high_price, nullptr},
                              {"lowPrice", &out.low_price, nullptr},
                              {"volume", &out.base_volume, nullptr}};
  for (auto field_result : object) {
    od::field field;
    if (error_code error = std::move(field_result).get(field)) {
      return std::unexpected(At(kTicker, ElementPath("", index), Problem(error, "object")));
    }
    const od::raw_json_string key = field.key();
    od::value& value = field.value();
    std::string_view name;
    std::string_view expected = "quoted decimal";
    error_code error = simdjson::SUCCESS;
    State* required = nullptr;
    if (key == "symbol") {
      name = "symbol";
      expected = "string";
      error = ReadString(value, out.symbol);
      required = &symbol;
    } else if (key == "quoteVolume") {
      name = "quoteVolume";
      error = ReadDecimal(value, out.quote_volume);
      required = &quote_volume;
    } else if (key == "closeTime") {
      name = "closeTime";
      expected = "integer";
      error = ReadInt64(value, out.event_time);
    } else {
      for (const Decimal& decimal : decimals) {
        if (key != decimal.name) continue;
        name = decimal.name;
        error = ReadDecimal(value, *decimal.out);
        if (decimal.read != nullptr) *decimal.read = !error;
        break;
      }
    }
    // A value of the wrong type is skipped by the next field's read; a broken document is not.
    if (error && !IsTypeError(error)) {
      return std::unexpected(At(kTicker, ElementPath("", index, name), Problem(error, expected)));
    }
    if (required != nullptr) *required = error ? State::kMistyped : State::kRead;
  }
  auto unusable = [](State state, std::string_view name, std::string_view expected) -> Kind {
    if (state == State::kMissing) return fmt::format("missing {}", name);
    if (state == State::kMistyped) return fmt::format("{}: expected {}", name, expected);
    return std::nullopt;
  };
  if (Kind kind = unusable(symbol, "symbol", "string")) return kind;
  if (Kind kind = unusable(quote_volume, "quoteVolume", "quoted decimal")) return kind;
  // As for mini tickers, which carry no such field.
  if (!has_change && has_open && has_last && out.open_price != 0) {
    out.price_change_percent = (out.last_price - out.open_price) / out.open_price * 100.0;
  }
  return Kind();
}

std::optional<core::Error> ParseKline(od::value& element, std::size_t index, core::Bar& out) {
  od::array row;
  if (error_code error = element.get_array().get(row)) {
    return At(kKlines, ElementPath("", index), Problem(error, "array"));
  }
  double* const decimals[] = {nullptr,    &out.open,   &out.high, &out.low,
                              &out.close, &out.volume, nullptr,   &out.quote_volume};
  std::size_t position = 0;
  for (auto item_result : row) {
    od::value item;
    if (error_code error = std::move(item_result).get(item)) {
      return At(kKlines, fmt::format("[{}][{}]", index, position), Problem(error, "value"));
    }
    error_code error = simdjson::SUCCESS;
    std::string_view expected;
    if (position == 0) {
      error = ReadInt64(item, out.open_time);
      expected = "integer";
    } else if (position == 6) {
      error = ReadInt64(item, out.close_time);
      expected = "integer";
    } else if (position == 8) {
      error = ReadInt64(item, out.trades);
      expected = "integer";
    } else if (position < 8) {
      error = ReadDecimal(item, *decimals[position]);
      expected = "quoted decimal";
    }
    if (error) {
      return At(kKlines, fmt::format("[{}][{}]", index, position), Problem(error, expected));
    }
    ++position;
  }
  if (position < kKlineFieldsRead) {
    return At(kKlines, ElementPath("", index), fmt::format("expected 12 fields, got {}", position));
  }
  out.closed = true;  // a later bar exists; ParseKlines decides for the last one
  return std::nullopt;
}

bool MentionsRestrictedLocation(std::string_view message) {
  constexpr std::string_view kNeedle = "restricted location";
  auto it = std::search(message.begin(), message.end(), kNeedle.begin(), kNeedle.end(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it != message.end();
}

}  // namespace

std::string DescribeSkippedRows(const SkippedRows& rows) {
  std::string first = fmt::format("[{}]", rows.first_index);
  if (!rows.first_symbol.empty()) first += " " + rows.first_symbol;
  return fmt::format("{} {} skipped: {} (the first: {})", rows.count,
                     rows.count == 1 ? "row" : "rows", rows.kind, first);
}

std::string DescribeBinanceError(const BinanceError& error) {
  if (error.restricted_location) {
    return fmt::format("restricted location (Binance code {}): {}", error.code, error.msg);
  }
  return fmt::format("Binance error {}: {}", error.code, error.msg);
}

simdjson::padded_string_view RestParser::Pad(std::string_view body) {
  buffer_.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  buffer_.assign(body);
  return simdjson::padded_string_view(buffer_.data(), buffer_.size(), buffer_.capacity());
}

core::Error RestParser::PreferBinanceError(std::string_view endpoint, std::string_view body,
                                           core::Error error) {
  if (auto binance = ParseBinanceError(body)) {
    return core::Error{fmt::format("{}: {}", endpoint, DescribeBinanceError(*binance))};
  }
  return error;
}

core::Result<ExchangeInfo> RestParser::ParseExchangeInfo(core::Market market,
                                                         std::string_view body) {
  ExchangeInfo info;
  auto parse = [&]() -> std::optional<core::Error> {
    od::document document;
    if (error_code error = parser_.iterate(Pad(body)).get(document)) {
      return At(kExchangeInfo, "", Problem(error, "object"));
    }
    od::object root;
    if (error_code error = document.get_object().get(root)) {
      return At(kExchangeInfo, "", Problem(error, "object"));
    }
    bool saw_symbols = false;
    for (auto field_result : root) {
      od::field field;
      if (error_code error = std::move(field_result).get(field)) {
        return At(kExchangeInfo, "", Problem(error, "object"));
      }
      const od::raw_json_string key = field.key();
      if (key == "symbols") {
        saw_symbols = true;
        auto failed = ForEachElement(
            field.value(), kExchangeInfo, "symbols", [&](od::value& element, std::size_t index) {
              info.symbols.emplace_back();
              return ParseSymbol(element, market, index, info.symbols.back());
            });
        if (failed) return failed;
      } else if (key == "rateLimits") {
        auto failed = ForEachElement(
            field.value(), kExchangeInfo, "rateLimits", [&](od::value& element, std::size_t index) {
              info.rate_limits.emplace_back();
              return ParseRateLimit(element, index, info.rate_limits.back());
            });
        if (failed) return failed;
      }
    }
    if (!saw_symbols) return At(kExchangeInfo, "symbols", "missing");
    return std::nullopt;
  };
  if (auto failed = parse()) {
    return std::unexpected(PreferBinanceError(kExchangeInfo, body, std::move(*failed)));
  }
  return info;
}

core::Result<Tickers24h> RestParser::ParseTickers24h(std::string_view body) {
  Tickers24h result;
  auto parse = [&]() -> std::optional<core::Error> {
    od::document document;
    if (error_code error = parser_.iterate(Pad(body)).get(document)) {
      return At(kTicker, "", Problem(error, "array"));
    }
    od::array array;
    if (error_code error = document.get_array().get(array)) {
      return At(kTicker, "", Problem(error, "array"));
    }
    std::size_t index = 0;
    for (auto element_result : array) {
      od::value element;
      if (error_code error = std::move(element_result).get(element)) {
        return At(kTicker, ElementPath("", index), Problem(error, "object"));
      }
      core::Ticker24h ticker;
      auto skipped = ParseTicker(element, index, ticker);
      if (!skipped) return std::move(skipped.error());
      if (!*skipped) {
        result.tickers.push_back(std::move(ticker));
      } else {
        auto same = std::find_if(result.skipped.begin(), result.skipped.end(),
                                 [&](const SkippedRows& rows) { return rows.kind == **skipped; });
        if (same == result.skipped.end()) {
          result.skipped.push_back(SkippedRows{std::move(**skipped), 1, index, ticker.symbol});
        } else {
          ++same->count;
        }
      }
      ++index;
    }
    // Not one usable row is a changed format, not a few bad rows: refuse the answer.
    if (result.tickers.empty() && !result.skipped.empty()) {
      return At(kTicker, "",
                fmt::format("none of the {} rows is usable; {}", index,
                            DescribeSkippedRows(result.skipped.front())));
    }
    return std::nullopt;
  };
  if (auto failed = parse()) {
    return std::unexpected(PreferBinanceError(kTicker, body, std::move(*failed)));
  }
  return result;
}

core::Result<std::vector<core::Bar>> RestParser::ParseKlines(
    std::string_view body, std::optional<core::Millis> server_time) {
  std::vector<core::Bar> bars;
  auto parse = [&]() -> std::optional<core::Error> {
    od::document document;
    if (error_code error = parser_.iterate(Pad(body)).get(document)) {
      return At(kKlines, "", Problem(error, "array"));
    }
    od::array array;
    if (error_code error = document.get_array().get(array)) {
      return At(kKlines, "", Problem(error, "array"));
    }
    std::size_t index = 0;
    for (auto element_result : array) {
      od::value element;
      if (error_code error = std::move(element_result).get(element)) {
        return At(kKlines, ElementPath("", index), Problem(error, "array"));
      }
      bars.emplace_back();
      if (auto failed = ParseKline(element, index, bars.back())) return failed;
      ++index;
    }
    return std::nullopt;
  };
  if (auto failed = parse()) {
    return std::unexpected(PreferBinanceError(kKlines, body, std::move(*failed)));
  }
  if (!bars.empty()) {
    core::Bar& last = bars.back();
    last.closed = server_time && last.close_time + kServerCloseMargin < *server_time;
  }
  return bars;
}

std::optional<BinanceError> RestParser::ParseBinanceError(std::string_view body) {
  od::document document;
  if (parser_.iterate(Pad(body)).get(document)) return std::nullopt;
  od::object root;
  if (document.get_object().get(root)) return std::nullopt;
  BinanceError result;
  bool saw_code = false;
  bool saw_msg = false;
  for (auto field_result : root) {
    od::field field;
    if (std::move(field_result).get(field)) return std::nullopt;
    const od::raw_json_string key = field.key();
    if (key == "code") {
      if (ReadInt(field.value(), result.code)) return std::nullopt;
      saw_code = true;
    } else if (key == "msg") {
      if (ReadString(field.value(), result.msg)) return std::nullopt;
      saw_msg = true;
    }
  }
  if (!saw_code || !saw_msg) return std::nullopt;
  result.restricted_location = MentionsRestrictedLocation(result.msg);
  return result;
}

}  // namespace scanner::binance
