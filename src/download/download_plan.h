#pragma once
// Which files of data.binance.vision cover a date range: for every symbol and interval, the
// monthly file of each month the range holds whole, the daily files of the days of the months it
// holds in part. Intervals Binance publishes no daily files for (3d, 1w, 1M) always take the
// monthly file of every month the range touches. Pure functions; thread-safe.

#include <chrono>
#include <vector>

#include "core/interval.h"
#include "core/types.h"
#include "download/dump_file.h"

namespace scanner::download {

struct PlanRequest {
  std::vector<core::Symbol> symbols;
  std::vector<core::Interval> intervals;
  std::chrono::year_month_day from{};  // first day, inclusive
  std::chrono::year_month_day to{};    // last day, inclusive; not before `from`
};

// Symbol by symbol, interval by interval (in the order given), then in time order.
std::vector<DumpFile> PlanDownloads(const PlanRequest& request);

// The daily files that stand in for `monthly` when Binance has not published it (yet): the days
// of its month within [from, to]. Empty for intervals without daily files.
std::vector<DumpFile> DailyFilesOf(const DumpFile& monthly, std::chrono::year_month_day from,
                                   std::chrono::year_month_day to);

// Whether Binance publishes daily files for the interval (all but 3d, 1w and 1M).
bool HasDailyFiles(core::Interval interval);

}  // namespace scanner::download
