#pragma once
// Zip archives for tests, written with libzip (the library the replay reads them with).

#include <gtest/gtest.h>
#include <zip.h>

#include <string>
#include <utility>
#include <vector>

namespace scanner::support {

// Writes `path` holding `entries` (name, content); `store` keeps them uncompressed (so a test
// can find and damage their bytes). Returns `path`.
inline std::string WriteZip(const std::string& path,
                            const std::vector<std::pair<std::string, std::string>>& entries,
                            bool store = false) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr) << "zip_open error " << error;
  if (archive == nullptr) return path;
  for (const auto& [entry, content] : entries) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    EXPECT_NE(source, nullptr);
    const zip_int64_t index = zip_file_add(archive, entry.c_str(), source, ZIP_FL_OVERWRITE);
    EXPECT_GE(index, 0) << zip_strerror(archive);
    if (store && index >= 0) {
      zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
    }
  }
  EXPECT_EQ(zip_close(archive), 0) << zip_strerror(archive);
  return path;
}

}  // namespace scanner::support
