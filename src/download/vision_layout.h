#pragma once
// Where a kline file lives on data.binance.vision and where `download` puts it:
//   URL    <vision_url>/data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2024-03.zip
//          <vision_url>/data/futures/um/daily/klines/BTCUSDT/5m/BTCUSDT-5m-2024-03-05.zip
//          and the same with ".CHECKSUM" appended: "<sha256 hex>  <file name>"
//   disk   <dir>/BTCUSDT/1m/BTCUSDT-1m-2024-03.zip (+ its .CHECKSUM once verified)
// The interval 1M is spelled "1mo" in folders and names, as Binance does (so 1m and 1M never
// share a folder on a case-insensitive file system); replay reads either name as it is.
// Pure functions; thread-safe.

#include <filesystem>
#include <string>
#include <string_view>

#include "core/interval.h"
#include "core/market.h"
#include "download/dump_file.h"

namespace scanner::download {

// "1m" ... "1w", "1mo" for 1M.
std::string_view FileInterval(core::Interval interval);

// "BTCUSDT-1m-2024-03.zip" (monthly) or "BTCUSDT-1m-2024-03-05.zip" (daily).
std::string FileName(const DumpFile& file);

// "data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2024-03.zip", no leading '/'.
std::string UrlPath(core::Market market, const DumpFile& file);

// `base` without trailing '/' + "/" + UrlPath.
std::string FileUrl(std::string_view base, core::Market market, const DumpFile& file);

// <dir>/SYMBOL/<file interval>/<file name>.
std::filesystem::path LocalPath(const std::filesystem::path& dir, const DumpFile& file);

}  // namespace scanner::download
