#include "download/kline_downloader.h"

#include <fmt/format.h>

#include <deque>
#include <fstream>
#include <system_error>
#include <utility>

#include "download/checksum_file.h"
#include "download/sha256.h"
#include "download/vision_layout.h"

namespace scanner::download {
namespace {

std::filesystem::path WithSuffix(const std::filesystem::path& path, std::string_view suffix) {
  std::filesystem::path out = path;
  out += std::string(suffix);
  return out;
}

// Both zip signatures a kline archive can start with: a local file header, or an empty archive.
bool LooksLikeZip(std::string_view body) {
  return body.starts_with(std::string_view("PK\x03\x04", 4)) ||
         body.starts_with(std::string_view("PK\x05\x06", 4));
}

core::Status WriteWhole(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return core::Fail(fmt::format("cannot create {}", path.string()));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return core::Fail(fmt::format("cannot write {}", path.string()));
  return {};
}

void RemoveQuietly(const std::filesystem::path& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

std::string ReadSmallFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > 8192) break;  // a checksum is one line; ParseChecksumFile refuses this
  }
  return text;
}

}  // namespace

KlineDownloader::KlineDownloader(FileFetcher& fetcher, KlineDownloaderOptions options,
                                 DownloadObserver& observer)
    : fetcher_(fetcher), options_(std::move(options)), observer_(observer) {}

DownloadReport KlineDownloader::Run(const PlanRequest& request) {
  std::vector<DumpFile> plan = PlanDownloads(request);
  std::deque<DumpFile> pending(plan.begin(), plan.end());
  observer_.Planned(pending.size());
  DownloadReport report;
  const std::int64_t retries_before = fetcher_.retries();
  while (!pending.empty()) {
    DumpFile file = std::move(pending.front());
    pending.pop_front();
    FileReport done = Ensure(file);
    if (done.outcome == FileOutcome::kNotPublished && file.period == Period::kMonthly) {
      std::vector<DumpFile> days = DailyFilesOf(file, request.from, request.to);
      if (!days.empty()) {
        done.outcome = FileOutcome::kReplacedByDays;
        done.detail.clear();
        // The days go next, in order, before the rest of the plan.
        pending.insert(pending.begin(), days.begin(), days.end());
        observer_.Planned(days.size());
      }
    }
    observer_.Finished(done);
    report.files.push_back(std::move(done));
  }
  report.retries = fetcher_.retries() - retries_before;
  return report;
}

KlineDownloader::Presence KlineDownloader::Check(const DumpFile& file,
                                                 const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return Presence::kAbsent;
  const std::string name = FileName(file);
  const auto actual = Sha256HexOfFile(path);
  if (!actual) return Presence::kMismatch;
  const std::filesystem::path kept = WithSuffix(path, ".CHECKSUM");
  if (auto expected = ParseChecksumFile(ReadSmallFile(kept), name); expected) {
    if (*expected == *actual) return Presence::kVerified;
  }
  // No kept checksum, or one the file does not match: ask the server.
  FetchResult remote =
      fetcher_.Get(FileUrl(options_.base_url, options_.market, file) + ".CHECKSUM");
  if (remote.status == FetchStatus::kFailed) return Presence::kUnknown;
  if (remote.status == FetchStatus::kNotFound) return Presence::kMismatch;
  auto expected = ParseChecksumFile(remote.body, name);
  if (!expected || *expected != *actual) return Presence::kMismatch;
  if (!WriteWhole(kept, FormatChecksumFile(*expected, name))) return Presence::kUnknown;
  return Presence::kVerified;
}

FileReport KlineDownloader::Ensure(const DumpFile& file) {
  FileReport report;
  report.file = file;
  report.name = FileName(file);
  const std::filesystem::path path = LocalPath(options_.dir, file);
  const Presence presence = Check(file, path);
  if (presence == Presence::kVerified) {
    report.outcome = FileOutcome::kPresent;
    return report;
  }
  // Nothing there may look verified any more. A file that does not match goes now; one that
  // could not be checked (network) stays, unverified, until a download replaces it.
  RemoveQuietly(WithSuffix(path, ".CHECKSUM"));
  if (presence == Presence::kMismatch) RemoveQuietly(path);

  const std::string url = FileUrl(options_.base_url, options_.market, file);
  FetchResult checksum = fetcher_.Get(url + ".CHECKSUM");
  if (checksum.status == FetchStatus::kFailed) {
    report.outcome = FileOutcome::kNetwork;
    report.detail =
        fmt::format("its .CHECKSUM: {} (after {} attempts)", checksum.error, checksum.attempts);
    return report;
  }
  if (checksum.status == FetchStatus::kNotFound) {
    // Either nothing is published, or the zip is there without its checksum.
    FetchResult zip = fetcher_.Get(url);
    report.attempts = zip.attempts;
    if (zip.status == FetchStatus::kNotFound) {
      report.outcome = FileOutcome::kNotPublished;
      report.detail =
          "404: the file does not exist (not published yet, or the symbol was not listed then)";
    } else if (zip.status == FetchStatus::kFailed) {
      report.outcome = FileOutcome::kNetwork;
      report.detail = fmt::format("{} (after {} attempts)", zip.error, zip.attempts);
    } else {
      report.outcome = FileOutcome::kBadChecksum;
      report.detail = "no .CHECKSUM is published for it (404): not kept";
    }
    return report;
  }
  auto expected = ParseChecksumFile(checksum.body, report.name);
  if (!expected) {
    report.outcome = FileOutcome::kBadChecksum;
    report.detail = expected.error().message;
    return report;
  }
  return Fetch(file, path, *expected);
}

FileReport KlineDownloader::Fetch(const DumpFile& file, const std::filesystem::path& path,
                                  const std::string& expected_sha256) {
  FileReport report;
  report.file = file;
  report.name = FileName(file);
  const std::string url = FileUrl(options_.base_url, options_.market, file);
  const std::filesystem::path part = WithSuffix(path, ".part");
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error) {
    report.outcome = FileOutcome::kLocalError;
    report.detail =
        fmt::format("cannot create {}: {}", path.parent_path().string(), error.message());
    return report;
  }
  for (int attempt = 1; attempt <= options_.checksum_attempts; ++attempt) {
    FetchResult zip = fetcher_.Get(url);
    report.attempts += zip.attempts;
    if (zip.status == FetchStatus::kNotFound) {
      report.outcome = FileOutcome::kNotPublished;
      report.detail = "404: the file does not exist, though its .CHECKSUM does";
      return report;
    }
    if (zip.status == FetchStatus::kFailed) {
      report.outcome = FileOutcome::kNetwork;
      report.detail = fmt::format("{} (after {} attempts)", zip.error, zip.attempts);
      return report;
    }
    report.bytes += zip.body.size();
    if (auto written = WriteWhole(part, zip.body); !written) {
      RemoveQuietly(part);
      report.outcome = FileOutcome::kLocalError;
      report.detail = written.error().message;
      return report;
    }
    const bool is_zip = LooksLikeZip(zip.body);
    zip.body = std::string();  // the bytes now live on disk; what is verified is the file
    const auto actual = Sha256HexOfFile(part);
    if (!actual) {
      RemoveQuietly(part);
      report.outcome = FileOutcome::kLocalError;
      report.detail = actual.error().message;
      return report;
    }
    if (*actual != expected_sha256) {
      RemoveQuietly(part);
      report.outcome = FileOutcome::kChecksumMismatch;
      report.detail = fmt::format("SHA-256 {} instead of {} on all {} attempts", *actual,
                                  expected_sha256, attempt);
      continue;
    }
    if (!is_zip) {
      RemoveQuietly(part);
      report.outcome = FileOutcome::kNotAZip;
      report.detail = "its body matches the published checksum but is not a zip archive";
      return report;
    }
    const std::filesystem::path kept = WithSuffix(path, ".CHECKSUM");
    const std::filesystem::path kept_part = WithSuffix(path, ".CHECKSUM.part");
    auto written = WriteWhole(kept_part, FormatChecksumFile(expected_sha256, report.name));
    if (written) {
      std::filesystem::rename(kept_part, kept, error);
      if (!error) std::filesystem::rename(part, path, error);
    }
    if (!written || error) {
      RemoveQuietly(part);
      RemoveQuietly(kept_part);
      RemoveQuietly(kept);
      report.outcome = FileOutcome::kLocalError;
      report.detail = written
                          ? fmt::format("cannot rename into {}: {}", path.string(), error.message())
                          : written.error().message;
      return report;
    }
    report.outcome = FileOutcome::kDownloaded;
    report.detail.clear();
    return report;
  }
  return report;
}

}  // namespace scanner::download
