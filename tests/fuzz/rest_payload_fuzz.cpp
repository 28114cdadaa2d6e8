// Fuzzes RestParser with Binance REST bodies: every input goes through each endpoint's parser
// (exchangeInfo for both markets, ticker/24hr, klines, the error body), as any of them may
// receive anything a server or proxy sends.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "binance/rest_parser.h"

namespace {
volatile std::size_t g_sink = 0;  // keeps the results observable
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static scanner::binance::RestParser parser;  // one per thread, reused
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::size_t seen = 0;

  for (scanner::core::Market market : {scanner::core::Market::kSpot, scanner::core::Market::kUsdm}) {
    auto info = parser.ParseExchangeInfo(market, body);
    seen += info ? info->symbols.size() : info.error().message.size();
  }
  auto tickers = parser.ParseTickers24h(body);
  seen +=
      tickers ? tickers->tickers.size() + tickers->skipped.size() : tickers.error().message.size();
  auto klines = parser.ParseKlines(body, /*server_time=*/1'700'000'000'000);
  seen += klines ? klines->size() : klines.error().message.size();
  if (auto error = parser.ParseBinanceError(body)) {
    seen += scanner::binance::DescribeBinanceError(*error).size();
  }
  g_sink = seen;
  return 0;
}
