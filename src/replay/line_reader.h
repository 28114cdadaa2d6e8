#pragma once
// LineReader: the lines of a text file, or of the CSV inside a .zip archive (read in place with
// libzip, nothing extracted), in fixed-size chunks: memory stays bounded whatever the file size.
//
// - A file is read as an archive when its name ends in ".zip" (any case) or it starts with the
//   zip signature "PK\3\4". The archive's entry is its first one whose name ends in ".csv", else
//   its only entry; anything else is refused at Open.
// - Lines end at "\n"; a "\r" before it is dropped. The last line needs no "\n".
// - A line longer than kMaxLineLength bytes is not returned in full: Next() reports it as
//   too_long (with empty text) and carries on with the following line, so one huge or binary
//   "line" costs no more memory than a normal one.
// - A read that fails part way (a damaged archive: bad CRC, broken deflate stream; an I/O
//   error) is an error from Next(); the reader is at its end afterwards. Lines returned before
//   it stay valid data.
//
// Not thread-safe. Copying is disabled (it owns a file or an archive handle). A returned Line's
// text is valid until the next call to Next().

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace scanner::replay {

class LineReader {
 public:
  static constexpr std::size_t kMaxLineLength = 4096;

  struct Line {
    std::string_view text;     // without the line end; empty when too_long
    std::uint64_t number = 0;  // 1-based
    bool too_long = false;
  };

  // Fails when the file cannot be opened, or an archive has no usable entry or is damaged
  // beyond opening (e.g. truncated: its central directory is missing).
  static core::Result<std::unique_ptr<LineReader>> Open(const std::string& path);

  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader();

  // The next line, or nullopt at the end of the input.
  core::Result<std::optional<Line>> Next();

  // Whether the input is an archive entry rather than a plain file.
  bool from_archive() const { return from_archive_; }

  // A readable source of bytes: a plain file or an archive entry. Read returns 0 at the end.
  class Source {
   public:
    virtual ~Source() = default;
    virtual core::Result<std::size_t> Read(char* buffer, std::size_t size) = 0;
  };

 private:
  LineReader(std::unique_ptr<Source> source, bool from_archive);

  // Moves the unread bytes to the front and reads more; false at the end of the input.
  core::Result<bool> Fill();

  std::unique_ptr<Source> source_;
  bool from_archive_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // first unread byte
  std::size_t end_ = 0;    // one past the last byte read
  bool at_end_ = false;    // the source returned 0 or failed
  bool skipping_ = false;  // inside a line already known to be too long
  std::uint64_t line_number_ = 0;
};

}  // namespace scanner::replay
