#pragma once
// The real candle series of ../shared/data (ohlcv/*.csv, klines/2021-04/*.csv): the columns
// open_time,open,high,low,close,volume (ms, UTC) after a header line.

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "core/interval.h"
#include "core/types.h"

namespace scanner::support {

// The bars of `path`, oldest first (quote volume = volume × close); empty when the file cannot
// be read.
inline std::vector<core::Bar> ReadOhlcvFile(const std::string& path, core::Interval interval) {
  std::vector<core::Bar> bars;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return bars;  // header
  while (std::getline(in, line)) {
    double fields[6] = {};
    std::size_t start = 0;
    int count = 0;
    for (; count < 6 && start <= line.size(); ++count) {
      std::size_t end = line.find(',', start);
      if (end == std::string::npos) end = line.size();
      fields[count] = std::strtod(line.substr(start, end - start).c_str(), nullptr);
      start = end + 1;
    }
    if (count < 6) continue;
    core::Bar bar;
    bar.open_time = static_cast<core::Millis>(fields[0]);
    bar.close_time = bar.open_time + interval.DurationMs() - 1;
    bar.open = fields[1];
    bar.high = fields[2];
    bar.low = fields[3];
    bar.close = fields[4];
    bar.volume = fields[5];
    bar.quote_volume = bar.volume * bar.close;
    bar.closed = true;
    bars.push_back(bar);
  }
  return bars;
}

}  // namespace scanner::support
