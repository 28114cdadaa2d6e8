#pragma once
// Decodes Binance REST bodies (exchangeInfo, ticker/24hr for all symbols, klines, error bodies)
// with simdjson ondemand in one forward pass. Binance's quoted decimals are read once, straight
// into doubles; unknown fields are skipped; a missing or mistyped field fails the whole body with
// a message naming the endpoint and the field, e.g. "exchangeInfo: symbols[12].status: expected
// string" (ticker/24hr excepted: see ParseTickers24h). A body that is a Binance error
// ({"code":..,"msg":..}) instead of the expected payload is reported as such ("exchangeInfo:
// Binance error -1003: ..."), and a restricted-location refusal as "restricted location".
//
// Not thread-safe: one RestParser per thread, reused across calls (it keeps simdjson's parser and
// a padded copy buffer). Results are plain values that own their data.

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "binance/rest_types.h"
#include "core/error.h"
#include "core/market.h"
#include "core/time.h"
#include "core/types.h"

namespace scanner::binance {

class RestParser {
 public:
  RestParser() = default;
  RestParser(const RestParser&) = delete;
  RestParser& operator=(const RestParser&) = delete;

  // exchangeInfo: symbols (symbol, status, baseAsset, quoteAsset, and isSpotTradingAllowed on
  // spot or contractType on usdm, each required for its market) and rateLimits.
  core::Result<ExchangeInfo> ParseExchangeInfo(core::Market market, std::string_view body);

  // ticker/24hr without a symbol: an array of 24 h statistics, event_time being the closeTime.
  // Not the whole-body rule above: a row is usable when it is an object with a string symbol
  // and a quoted-decimal quoteVolume (all the universe selection needs); any other field may be
  // missing (left at 0; a missing priceChangePercent is derived from openPrice and lastPrice)
  // or of another type (ignored). Other rows are left out and counted by kind in `skipped`.
  // The body fails as a whole when it is not an array, when the JSON is broken, or when not
  // one of its rows is usable (a changed format rather than a few bad rows).
  core::Result<Tickers24h> ParseTickers24h(std::string_view body);

  // klines (or continuousKlines): an array of 12-field arrays, kept in the order received.
  // Closedness follows Binance's clock, never the local one: every bar but the last is closed
  // (Binance has opened a later one); the last is closed only when `server_time` (Binance's
  // clock when it answered: the response's Date header) is more than kServerCloseMargin past
  // its closeTime. Without a server time the last bar counts as still forming.
  core::Result<std::vector<core::Bar>> ParseKlines(std::string_view body,
                                                   std::optional<core::Millis> server_time);

  // A Date header has whole seconds and is stamped once the body is built: at the bar boundary
  // itself the body may still hold the bar's last update before the close. A full second later
  // it cannot (unless the server took a second to send what it had built).
  static constexpr core::Millis kServerCloseMargin = core::kSecond;

  // {"code": <integer>, "msg": <string>} (other fields ignored); nullopt for anything else.
  std::optional<BinanceError> ParseBinanceError(std::string_view body);

 private:
  // Copies `body` into buffer_ with simdjson's padding.
  simdjson::padded_string_view Pad(std::string_view body);
  // The failure to return: the body's Binance error when it is one, else `error` unchanged.
  core::Error PreferBinanceError(std::string_view endpoint, std::string_view body,
                                 core::Error error);

  simdjson::ondemand::parser parser_;
  std::string buffer_;
};

// "restricted location (Binance code 0): Service unavailable ..." or "Binance error -1121:
// Invalid symbol.": a one-line description for logs and error messages.
std::string DescribeBinanceError(const BinanceError& error);

// "2 rows skipped: missing quoteVolume (the first: [12] FOOUSDT)", for logs.
std::string DescribeSkippedRows(const SkippedRows& rows);

}  // namespace scanner::binance
