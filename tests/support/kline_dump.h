#pragma once
// Kline files as data.binance.vision publishes them (a zip holding one CSV of 12 columns, no
// header: spot before 2025), built in memory for the fake data.binance.vision.

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/time.h"
#include "support/fixture_files.h"
#include "support/zip_file.h"

namespace scanner::support {

// `count` bars of `bar_ms` from `open_ms`, a gentle zig-zag, as CSV rows.
inline std::string KlineRows(core::Millis open_ms, core::Millis bar_ms, int count) {
  std::string rows;
  for (int i = 0; i < count; ++i) {
    const core::Millis open = open_ms + i * bar_ms;
    const double price = 100.0 + (i % 7);
    rows += std::to_string(open) + "," + std::to_string(price) + "," + std::to_string(price + 1) +
            "," + std::to_string(price - 1) + "," + std::to_string(price + 0.5) + ",10," +
            std::to_string(open + bar_ms - 1) + ",1000,5,0,0,0\n";
  }
  return rows;
}

// The bytes of a zip holding `csv_name` (the zip's name with .csv) with `rows`.
inline std::string KlineZipBytes(const std::string& csv_name, const std::string& rows) {
  const std::filesystem::path scratch =
      std::filesystem::temp_directory_path() /
      ("scanner_kline_zip_" + std::to_string(::getpid()) + "_" + csv_name + ".zip");
  WriteZip(scratch.string(), {{csv_name, rows}});
  std::string bytes = ReadText(scratch.string());
  std::error_code ignored;
  std::filesystem::remove(scratch, ignored);
  return bytes;
}

}  // namespace scanner::support
