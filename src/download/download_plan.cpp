#include "download/download_plan.h"

#include <algorithm>

namespace scanner::download {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;
using std::chrono::year_month_day_last;

year_month_day FirstOfMonth(year_month_day day) {
  return year_month_day{day.year(), day.month(), std::chrono::day{1}};
}

year_month_day LastOfMonth(year_month_day day) {
  return year_month_day{year_month_day_last{day.year(), day.month() / std::chrono::last}};
}

void AddDays(const core::Symbol& symbol, core::Interval interval, year_month_day first,
             year_month_day last, std::vector<DumpFile>& out) {
  for (sys_days day = sys_days{first}; day <= sys_days{last}; day += std::chrono::days{1}) {
    out.push_back(DumpFile{symbol, interval, Period::kDaily, year_month_day{day}});
  }
}

}  // namespace

bool HasDailyFiles(core::Interval interval) {
  const std::string_view name = interval.Name();
  return name != "3d" && name != "1w" && name != "1M";
}

std::vector<DumpFile> PlanDownloads(const PlanRequest& request) {
  std::vector<DumpFile> out;
  if (sys_days{request.to} < sys_days{request.from}) return out;
  for (const core::Symbol& symbol : request.symbols) {
    for (core::Interval interval : request.intervals) {
      for (year_month_day month = FirstOfMonth(request.from);
           sys_days{month} <= sys_days{request.to}; month = month + std::chrono::months{1}) {
        const year_month_day first =
            std::max(month, request.from, [](auto a, auto b) { return sys_days{a} < sys_days{b}; });
        const year_month_day last = std::min(LastOfMonth(month), request.to, [](auto a, auto b) {
          return sys_days{a} < sys_days{b};
        });
        const bool whole = first == month && last == LastOfMonth(month);
        if (whole || !HasDailyFiles(interval)) {
          out.push_back(DumpFile{symbol, interval, Period::kMonthly, month});
        } else {
          AddDays(symbol, interval, first, last, out);
        }
      }
    }
  }
  return out;
}

std::vector<DumpFile> DailyFilesOf(const DumpFile& monthly, year_month_day from,
                                   year_month_day to) {
  std::vector<DumpFile> out;
  if (!HasDailyFiles(monthly.interval)) return out;
  const year_month_day month = FirstOfMonth(monthly.date);
  const year_month_day first = sys_days{from} > sys_days{month} ? from : month;
  const year_month_day last = sys_days{to} < sys_days{LastOfMonth(month)} ? to : LastOfMonth(month);
  AddDays(monthly.symbol, monthly.interval, first, last, out);
  return out;
}

}  // namespace scanner::download
