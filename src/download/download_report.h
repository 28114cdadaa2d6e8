#pragma once
// What became of each file a `download` asked for, and the summary printed at its end.
// Plain values and pure functions; thread-compatible.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "download/dump_file.h"

namespace scanner::download {

enum class FileOutcome {
  kDownloaded,        // fetched and verified now
  kPresent,           // already on disk and verified: not fetched again
  kReplacedByDays,    // a monthly file not published (yet): its daily files were asked for instead
  kNotPublished,      // 404: not published yet, or the symbol was not listed then
  kChecksumMismatch,  // the body never matched its .CHECKSUM, every attempt deleted
  kBadChecksum,       // the .CHECKSUM is missing or malformed: the file cannot be verified
  kNotAZip,           // the body matched its checksum but is no zip archive
  kNetwork,           // transport errors or 5xx after every retry, or another HTTP status
  kLocalError,        // writing or renaming on disk failed
};

// "downloaded", "already present", ..., for lines and the summary.
std::string_view FileOutcomeName(FileOutcome outcome);

// Whether the file asked for is on disk, verified (a month replaced by its days counts as there:
// its days are reported one by one).
bool IsThere(FileOutcome outcome);

struct FileReport {
  DumpFile file;
  std::string name;  // the file name, "BTCUSDT-1m-2024-03.zip"
  FileOutcome outcome = FileOutcome::kDownloaded;
  std::string detail;       // why, for a file that is not there; empty otherwise
  std::uint64_t bytes = 0;  // bytes fetched for it (kDownloaded)
  int attempts = 0;         // requests for the zip
};

struct DownloadReport {
  std::vector<FileReport> files;  // in the order they were handled
  std::int64_t retries = 0;       // requests repeated after a transient failure

  // Every file asked for is there.
  bool Complete() const;
  std::uint64_t BytesDownloaded() const;
};

// "download: 31 files: 29 downloaded (12.3 MB), 1 already present, 1 missing" and then, when
// something is missing, one line per missing file with the reason.
std::string FormatSummary(const DownloadReport& report, double seconds);

// 1536 -> "1.5 KB", 3 * 1024 * 1024 -> "3.0 MB".
std::string FormatBytes(std::uint64_t bytes);

}  // namespace scanner::download
