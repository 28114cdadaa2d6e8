#pragma once
// The fixture files of tests/fixtures (SCANNER_TEST_DATA_DIR, set for every test target).

#include <fstream>
#include <iterator>
#include <string>

namespace scanner::support {

// tests/fixtures/<folder>/<name>.
inline std::string FixturePath(const std::string& folder, const std::string& name) {
  return std::string(SCANNER_TEST_DATA_DIR) + "/" + folder + "/" + name;
}

// The bytes of the file at `path`; empty when it cannot be read.
inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The bytes of tests/fixtures/<folder>/<name>.
inline std::string ReadFixture(const std::string& folder, const std::string& name) {
  return ReadText(FixturePath(folder, name));
}

}  // namespace scanner::support
