#pragma once
// Stream recordings: every raw WebSocket frame the live scanner received, with its receive time,
// so `replay --stream` can play a session back through the real parser.
//
// Format (text, one frame per line, append-only):
//   # momentum-scanner stream recording v1 (receive_time_ms<TAB>frame)
//   1700000000123<TAB>{"stream":"btcusdt@kline_1m","data":{...}}
// A frame's own line breaks (JSON whitespace, never inside a JSON string, where they must be
// escaped) are written as spaces, which changes nothing for a JSON parser. Lines starting with
// '#' are comments.
//
// StreamRecorder is the writer: buffered, flushed by Flush() (the app calls it every second, so
// a crash loses at most the last second) and at destruction. StreamRecordingReader reads it
// back; a damaged line (no tab, a time that is no number, an oversized line) is reported with
// its line number and skipped.
//
// Neither is thread-safe.

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace scanner::replay {

class StreamRecorder {
 public:
  // Opens `path` for appending (created if needed).
  static core::Result<std::unique_ptr<StreamRecorder>> Open(const std::string& path);
  StreamRecorder(const StreamRecorder&) = delete;
  StreamRecorder& operator=(const StreamRecorder&) = delete;
  ~StreamRecorder();

  void Record(core::Millis received_at, std::string_view frame);
  // Pushes buffered frames to the file; false (once logged by the caller) on a write error.
  bool Flush();

  std::uint64_t frames() const { return frames_; }
  std::uint64_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }

 private:
  StreamRecorder(std::FILE* file, std::string path);

  std::FILE* file_;
  std::string path_;
  std::string line_;  // reused
  std::uint64_t frames_ = 0;
  std::uint64_t bytes_ = 0;
};

class StreamRecordingReader {
 public:
  // Longer lines are skipped as damaged (a real frame is at most a few hundred KiB).
  static constexpr std::size_t kMaxLineBytes = 16 * 1024 * 1024;

  struct Frame {
    core::Millis received_at = 0;
    std::string_view text;  // valid until the next call to Next()
    std::uint64_t line = 0;
  };
  struct Damaged {
    std::uint64_t line = 0;
    std::string reason;
  };

  static core::Result<std::unique_ptr<StreamRecordingReader>> Open(const std::string& path);

  // The next frame, skipping comments; damaged lines are counted and the last one kept in
  // last_damage() before moving on. nullopt at the end.
  std::optional<Frame> Next();

  std::uint64_t damaged_lines() const { return damaged_; }
  // Each damaged line, for the caller's report, in order (cleared by TakeDamage).
  std::vector<Damaged> TakeDamage() { return std::exchange(damage_, {}); }

 private:
  explicit StreamRecordingReader(std::ifstream in) : in_(std::move(in)) {}

  std::ifstream in_;
  std::string line_;
  std::uint64_t line_number_ = 0;
  std::uint64_t damaged_ = 0;
  std::vector<Damaged> damage_;
};

}  // namespace scanner::replay
