#include "download/download_report.h"

#include <fmt/format.h>

#include <algorithm>

namespace scanner::download {

std::string_view FileOutcomeName(FileOutcome outcome) {
  switch (outcome) {
    case FileOutcome::kDownloaded:
      return "downloaded";
    case FileOutcome::kPresent:
      return "already present";
    case FileOutcome::kReplacedByDays:
      return "monthly file not published, daily files instead";
    case FileOutcome::kNotPublished:
      return "not published";
    case FileOutcome::kChecksumMismatch:
      return "checksum mismatch";
    case FileOutcome::kBadChecksum:
      return "cannot be verified";
    case FileOutcome::kNotAZip:
      return "not a zip archive";
    case FileOutcome::kNetwork:
      return "network error";
    case FileOutcome::kLocalError:
      return "cannot write";
  }
  return "unknown";
}

bool IsThere(FileOutcome outcome) {
  return outcome == FileOutcome::kDownloaded || outcome == FileOutcome::kPresent ||
         outcome == FileOutcome::kReplacedByDays;
}

bool DownloadReport::Complete() const {
  return std::all_of(files.begin(), files.end(),
                     [](const FileReport& file) { return IsThere(file.outcome); });
}

std::uint64_t DownloadReport::BytesDownloaded() const {
  std::uint64_t total = 0;
  for (const FileReport& file : files) total += file.bytes;
  return total;
}

std::string FormatBytes(std::uint64_t bytes) {
  const double value = static_cast<double>(bytes);
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KB", value / 1024);
  if (bytes < 1024ULL * 1024 * 1024) return fmt::format("{:.1f} MB", value / (1024 * 1024));
  return fmt::format("{:.2f} GB", value / (1024.0 * 1024 * 1024));
}

std::string FormatSummary(const DownloadReport& report, double seconds) {
  std::size_t downloaded = 0, present = 0, split = 0, missing = 0;
  for (const FileReport& file : report.files) {
    switch (file.outcome) {
      case FileOutcome::kDownloaded:
        ++downloaded;
        break;
      case FileOutcome::kPresent:
        ++present;
        break;
      case FileOutcome::kReplacedByDays:
        ++split;
        break;
      default:
        ++missing;
        break;
    }
  }
  std::string out = fmt::format(
      "download: {} files: {} downloaded ({} in {:.1f} s), {} already present, {} missing",
      report.files.size() - split, downloaded, FormatBytes(report.BytesDownloaded()), seconds,
      present, missing);
  if (split > 0) out += fmt::format("; {} unpublished months taken day by day", split);
  if (report.retries > 0) out += fmt::format("; {} requests retried", report.retries);
  out += '\n';
  if (missing == 0) {
    out += "download: everything asked for is there, verified\n";
    return out;
  }
  out += "missing:\n";
  for (const FileReport& file : report.files) {
    if (IsThere(file.outcome)) continue;
    out += fmt::format("  {}: {}: {}\n", file.name, FileOutcomeName(file.outcome), file.detail);
  }
  return out;
}

}  // namespace scanner::download
