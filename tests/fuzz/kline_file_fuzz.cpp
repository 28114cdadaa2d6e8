// Fuzzes the kline file reader (KlineFileReader over LineReader): the input is written to a
// file, which LineReader opens as a zip archive when it starts with "PK\3\4" and as CSV
// otherwise, then every bar is read with the 1m and the 5m interval (the seeds hold both).
// Issues are only counted; bars must come out in strictly increasing open time.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/interval.h"
#include "replay/issue_log.h"
#include "replay/kline_file_reader.h"

namespace {

// One scratch file per process, in memory when /dev/shm exists.
const std::string& ScratchPath() {
  static const std::string path = [] {
    const std::filesystem::path dir = std::filesystem::is_directory("/dev/shm")
                                          ? std::filesystem::path("/dev/shm")
                                          : std::filesystem::temp_directory_path();
    return (dir / ("kline_file_fuzz_" + std::to_string(::getpid()) + ".csv")).string();
  }();
  return path;
}

void ReadAll(const std::string& path, scanner::core::Interval interval) {
  scanner::replay::IssueLog issues;
  auto reader = scanner::replay::KlineFileReader::Open(path, interval, issues);
  if (!reader) return;
  bool has_last = false;
  scanner::core::Millis last_open = 0;
  while (auto bar = (*reader)->Next()) {
    if (has_last && bar->bar.open_time <= last_open) __builtin_trap();
    has_last = true;
    last_open = bar->bar.open_time;
  }
  for (const scanner::replay::ReadIssue& issue : issues.Detailed()) {
    (void)scanner::replay::FormatIssue(issue);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = ScratchPath();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  const bool written = std::fwrite(data, 1, size, file) == size;
  std::fclose(file);
  if (!written) return 0;
  static const scanner::core::Interval one_minute = *scanner::core::Interval::Parse("1m");
  static const scanner::core::Interval five_minutes = *scanner::core::Interval::Parse("5m");
  ReadAll(path, one_minute);
  ReadAll(path, five_minutes);
  return 0;
}
