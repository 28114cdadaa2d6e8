#pragma once
// Brings the kline files of a plan onto disk, verified, one after the other:
// - A file already there whose SHA-256 matches its .CHECKSUM kept next to it is skipped without
//   any request: a second run fetches nothing. A file there without a kept .CHECKSUM (copied by
//   hand, or a run stopped between the two renames) is checked against the server's .CHECKSUM
//   and kept when it matches.
// - Otherwise its .CHECKSUM is fetched, then the zip; the body is written to NAME.part, hashed
//   from disk and compared; a match becomes NAME.CHECKSUM and then NAME (renames), so a file
//   under its own name is never partial and a .part is never taken for verified. A mismatch
//   deletes the .part and fetches again, up to `checksum_attempts` times.
// - A monthly file that is not published (404; the month is recent) is replaced by the daily
//   files of its days in the range.
// - A 404 is reported as "not published"; a missing or malformed .CHECKSUM as "cannot be
//   verified" (the zip is not kept); transport failures after the fetcher's retries as network
//   errors. Handling carries on with the next file in every case.
//
// Not thread-safe. The fetcher and the observer must outlive it.

#include <cstddef>
#include <filesystem>
#include <string>

#include "core/market.h"
#include "download/download_plan.h"
#include "download/download_report.h"
#include "download/file_fetcher.h"

namespace scanner::download {

// Told of every file as it is planned and finished (the progress display).
class DownloadObserver {
 public:
  virtual ~DownloadObserver() = default;
  // `count` more files to handle (the plan, then the days of each unpublished month).
  virtual void Planned(std::size_t count) = 0;
  virtual void Finished(const FileReport& report) = 0;
};

struct KlineDownloaderOptions {
  std::string base_url;  // exchange.vision_url
  core::Market market = core::Market::kSpot;
  std::filesystem::path dir;  // files land in dir/SYMBOL/INTERVAL/NAME
  int checksum_attempts = 3;  // fetches of a zip whose body does not match its checksum
};

class KlineDownloader {
 public:
  KlineDownloader(FileFetcher& fetcher, KlineDownloaderOptions options, DownloadObserver& observer);
  KlineDownloader(const KlineDownloader&) = delete;
  KlineDownloader& operator=(const KlineDownloader&) = delete;

  DownloadReport Run(const PlanRequest& request);

 private:
  enum class Presence { kAbsent, kVerified, kMismatch, kUnknown };

  // Handles one file.
  FileReport Ensure(const DumpFile& file);
  // Whether the file on disk matches its kept (or, failing that, the server's) checksum;
  // kUnknown when it is there but the server's checksum could not be had.
  Presence Check(const DumpFile& file, const std::filesystem::path& path);
  FileReport Fetch(const DumpFile& file, const std::filesystem::path& path,
                   const std::string& expected_sha256);

  FileFetcher& fetcher_;
  KlineDownloaderOptions options_;
  DownloadObserver& observer_;
};

}  // namespace scanner::download
