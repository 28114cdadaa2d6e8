#include "replay/stream_recording.h"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace scanner::replay {
namespace {

constexpr std::string_view kHeader =
    "# momentum-scanner stream recording v1 (receive_time_ms<TAB>frame)\n";
constexpr std::size_t kWriteBuffer = 1 << 20;

}  // namespace

core::Result<std::unique_ptr<StreamRecorder>> StreamRecorder::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "ab");
  if (file == nullptr) {
    return core::Fail(fmt::format("cannot open {} for recording: {}", path, std::strerror(errno)));
  }
  std::setvbuf(file, nullptr, _IOFBF, kWriteBuffer);
  std::unique_ptr<StreamRecorder> recorder(new StreamRecorder(file, path));
  if (std::ftell(file) == 0) std::fwrite(kHeader.data(), 1, kHeader.size(), file);
  return recorder;
}

StreamRecorder::StreamRecorder(std::FILE* file, std::string path)
    : file_(file), path_(std::move(path)) {}

StreamRecorder::~StreamRecorder() {
  std::fflush(file_);
  std::fclose(file_);
}

void StreamRecorder::Record(core::Millis received_at, std::string_view frame) {
  line_.clear();
  fmt::format_to(std::back_inserter(line_), "{}\t", received_at);
  const std::size_t start = line_.size();
  line_.append(frame);
  for (std::size_t i = start; i < line_.size(); ++i) {
    if (line_[i] == '\n' || line_[i] == '\r') line_[i] = ' ';
  }
  line_.push_back('\n');
  std::fwrite(line_.data(), 1, line_.size(), file_);
  ++frames_;
  bytes_ += line_.size();
}

bool StreamRecorder::Flush() { return std::fflush(file_) == 0 && std::ferror(file_) == 0; }

core::Result<std::unique_ptr<StreamRecordingReader>> StreamRecordingReader::Open(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Fail(fmt::format("cannot open {}", path));
  return std::unique_ptr<StreamRecordingReader>(new StreamRecordingReader(std::move(in)));
}

std::optional<StreamRecordingReader::Frame> StreamRecordingReader::Next() {
  while (std::getline(in_, line_)) {
    ++line_number_;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (line_.empty() || line_.front() == '#') continue;
    const auto damaged = [this](std::string reason) {
      ++damaged_;
      if (damage_.size() < 1000) damage_.push_back({line_number_, std::move(reason)});
    };
    if (line_.size() > kMaxLineBytes) {
      damaged("line too long");
      continue;
    }
    const std::size_t tab = line_.find('\t');
    if (tab == std::string::npos) {
      damaged("no tab between the receive time and the frame");
      continue;
    }
    core::Millis received_at = 0;
    const auto [end, error] = std::from_chars(line_.data(), line_.data() + tab, received_at);
    if (error != std::errc() || end != line_.data() + tab) {
      damaged("the receive time is not a number of milliseconds");
      continue;
    }
    return Frame{received_at, std::string_view(line_).substr(tab + 1), line_number_};
  }
  return std::nullopt;
}

}  // namespace scanner::replay
