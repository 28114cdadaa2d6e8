#include "download/vision_layout.h"

#include <fmt/format.h>

namespace scanner::download {

std::string_view FileInterval(core::Interval interval) {
  return interval.Name() == "1M" ? std::string_view("1mo") : interval.Name();
}

std::string FileName(const DumpFile& file) {
  const std::string day = FormatDay(file.date);
  return fmt::format("{}-{}-{}.zip", file.symbol, FileInterval(file.interval),
                     file.period == Period::kMonthly ? day.substr(0, 7) : day);
}

std::string UrlPath(core::Market market, const DumpFile& file) {
  return fmt::format("data/{}/{}/klines/{}/{}/{}",
                     market == core::Market::kSpot ? "spot" : "futures/um",
                     file.period == Period::kMonthly ? "monthly" : "daily", file.symbol,
                     FileInterval(file.interval), FileName(file));
}

std::string FileUrl(std::string_view base, core::Market market, const DumpFile& file) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return fmt::format("{}/{}", base, UrlPath(market, file));
}

std::filesystem::path LocalPath(const std::filesystem::path& dir, const DumpFile& file) {
  return dir / file.symbol / std::string(FileInterval(file.interval)) / FileName(file);
}

}  // namespace scanner::download
