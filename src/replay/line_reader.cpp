#include "replay/line_reader.h"

#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/format.h>

namespace scanner::replay {
namespace {

// Room for many lines per read, and always more than one maximal line.
constexpr std::size_t kBufferSize = 64 * 1024;
static_assert(kBufferSize > 2 * LineReader::kMaxLineLength);

bool EndsWithNoCase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<long>(suffix.size()),
                    [](char a, char b) {
                      const auto lower = [](char c) {
                        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
                      };
                      return lower(a) == lower(b);
                    });
}

class PlainFileSource final : public LineReader::Source {
 public:
  explicit PlainFileSource(std::FILE* file) : file_(file) {}
  PlainFileSource(const PlainFileSource&) = delete;
  PlainFileSource& operator=(const PlainFileSource&) = delete;
  ~PlainFileSource() override { std::fclose(file_); }

  core::Result<std::size_t> Read(char* buffer, std::size_t size) override {
    const std::size_t read = std::fread(buffer, 1, size, file_);
    if (read == 0 && std::ferror(file_)) {
      return core::Fail(fmt::format("read error: {}", std::strerror(errno)));
    }
    return read;
  }

 private:
  std::FILE* file_;
};

class ArchiveEntrySource final : public LineReader::Source {
 public:
  ArchiveEntrySource(zip_t* archive, zip_file_t* entry) : archive_(archive), entry_(entry) {}
  ArchiveEntrySource(const ArchiveEntrySource&) = delete;
  ArchiveEntrySource& operator=(const ArchiveEntrySource&) = delete;
  ~ArchiveEntrySource() override {
    zip_fclose(entry_);
    zip_discard(archive_);
  }

  core::Result<std::size_t> Read(char* buffer, std::size_t size) override {
    const zip_int64_t read = zip_fread(entry_, buffer, size);
    if (read < 0) {
      return core::Fail(fmt::format("damaged archive: {}", zip_file_strerror(entry_)));
    }
    return static_cast<std::size_t>(read);
  }

 private:
  zip_t* archive_;
  zip_file_t* entry_;
};

bool StartsWithZipSignature(std::FILE* file) {
  char signature[4] = {};
  const std::size_t read = std::fread(signature, 1, sizeof signature, file);
  std::rewind(file);
  return read == sizeof signature && std::memcmp(signature, "PK\x03\x04", 4) == 0;
}

core::Result<std::unique_ptr<LineReader::Source>> OpenArchiveEntry(const std::string& path) {
  int code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (archive == nullptr) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string message = fmt::format("cannot open zip archive: {}", zip_error_strerror(&error));
    zip_error_fini(&error);
    return core::Fail(std::move(message));
  }
  const zip_int64_t entries = zip_get_num_entries(archive, 0);
  std::optional<zip_uint64_t> chosen;
  for (zip_int64_t i = 0; i < entries && !chosen; ++i) {
    const char* name = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
    if (name != nullptr && EndsWithNoCase(name, ".csv")) chosen = static_cast<zip_uint64_t>(i);
  }
  if (!chosen && entries == 1) chosen = 0;
  if (!chosen) {
    zip_discard(archive);
    return core::Fail(
        fmt::format("zip archive has {} entries and none ends in .csv", entries < 0 ? 0 : entries));
  }
  zip_file_t* entry = zip_fopen_index(archive, *chosen, 0);
  if (entry == nullptr) {
    std::string message = fmt::format("cannot read the zip entry: {}", zip_strerror(archive));
    zip_discard(archive);
    return core::Fail(std::move(message));
  }
  return std::unique_ptr<LineReader::Source>(new ArchiveEntrySource(archive, entry));
}

}  // namespace

core::Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return core::Fail(fmt::format("cannot open: {}", std::strerror(errno)));
  if (EndsWithNoCase(path, ".zip") || StartsWithZipSignature(file)) {
    std::fclose(file);
    auto source = OpenArchiveEntry(path);
    if (!source) return std::unexpected(source.error());
    return std::unique_ptr<LineReader>(new LineReader(std::move(*source), true));
  }
  return std::unique_ptr<LineReader>(
      new LineReader(std::make_unique<PlainFileSource>(file), false));
}

LineReader::LineReader(std::unique_ptr<Source> source, bool from_archive)
    : source_(std::move(source)), from_archive_(from_archive), buffer_(kBufferSize) {}

LineReader::~LineReader() = default;

core::Result<bool> LineReader::Fill() {
  if (at_end_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  auto read = source_->Read(buffer_.data() + end_, buffer_.size() - end_);
  if (!read) {
    at_end_ = true;
    return std::unexpected(read.error());
  }
  if (*read == 0) {
    at_end_ = true;
    return false;
  }
  end_ += *read;
  return true;
}

core::Result<std::optional<LineReader::Line>> LineReader::Next() {
  while (true) {
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start, '\n', end_ - begin_);
    if (newline != nullptr) {
      const char* stop = static_cast<const char*>(newline);
      std::string_view text(start, static_cast<std::size_t>(stop - start));
      begin_ += text.size() + 1;
      ++line_number_;
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (skipping_ || text.size() > kMaxLineLength) {
        skipping_ = false;
        return Line{{}, line_number_, true};
      }
      return Line{text, line_number_, false};
    }
    // No line end in view: a line that already exceeds the limit is dropped as it streams by.
    if (end_ - begin_ > kMaxLineLength + 1) {
      skipping_ = true;
      begin_ = end_ = 0;
    }
    auto filled = Fill();
    if (!filled) {
      begin_ = end_ = 0;  // a partial line before a failed read is not data
      skipping_ = false;
      return std::unexpected(filled.error());
    }
    if (*filled) continue;
    // The end of the input: what is left is a last line without "\n".
    if (!skipping_ && begin_ == end_) return std::nullopt;
    std::string_view text(buffer_.data() + begin_, end_ - begin_);
    begin_ = end_;
    ++line_number_;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (skipping_ || text.size() > kMaxLineLength) {
      skipping_ = false;
      return Line{{}, line_number_, true};
    }
    return Line{text, line_number_, false};
  }
}

}  // namespace scanner::replay
