#include "config/file_reader.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace scanner::config {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

core::Error ReadError(const std::filesystem::path& path, int error) {
  return core::Error{fmt::format("{}: cannot read: {}", path.string(), std::strerror(error))};
}

}  // namespace

core::Result<std::string> ReadTextFile(const std::filesystem::path& path, std::size_t max_bytes) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return std::unexpected(ReadError(path, errno));
  std::string text;
  char buffer[8192];
  while (true) {
    std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    text.append(buffer, n);
    if (text.size() > max_bytes) {
      return core::Fail(fmt::format("{}: larger than {} KiB, not a configuration file",
                                    path.string(), max_bytes / 1024));
    }
    if (n < sizeof buffer) break;
  }
  // fopen succeeds on a directory; the read is what fails (EISDIR).
  if (std::ferror(file.get())) return std::unexpected(ReadError(path, errno));
  return text;
}

}  // namespace scanner::config
