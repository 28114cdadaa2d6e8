#pragma once
// One kline file of data.binance.vision: a symbol's bars of one interval for one month (the
// monthly file) or one day (the daily file). A plain value type.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/interval.h"
#include "core/types.h"

namespace scanner::download {

enum class Period { kMonthly, kDaily };

struct DumpFile {
  core::Symbol symbol;
  core::Interval interval;
  Period period = Period::kDaily;
  // The month's first day for a monthly file, the day for a daily file.
  std::chrono::year_month_day date{};

  friend bool operator==(const DumpFile&, const DumpFile&) = default;
};

// "2024-03-05" (exactly YYYY-MM-DD, a real calendar day) or nullopt.
std::optional<std::chrono::year_month_day> ParseDay(std::string_view text);
// "2024-03-05".
std::string FormatDay(std::chrono::year_month_day day);

}  // namespace scanner::download
