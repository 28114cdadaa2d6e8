#include "download/sha256.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>

namespace scanner::download {
namespace {

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextFree>;

// Feeds chunks from `next` (which returns false at the end) into one SHA-256.
template <class NextChunk>
core::Result<std::string> Digest(NextChunk&& next) {
  DigestContext context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    return core::Fail("SHA-256: OpenSSL could not start a digest");
  }
  std::string_view chunk;
  while (next(chunk)) {
    if (!chunk.empty() && EVP_DigestUpdate(context.get(), chunk.data(), chunk.size()) != 1) {
      return core::Fail("SHA-256: OpenSSL digest update failed");
    }
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1) {
    return core::Fail("SHA-256: OpenSSL digest final failed");
  }
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace

core::Result<std::string> Sha256Hex(std::string_view bytes) {
  bool given = false;
  return Digest([&](std::string_view& chunk) {
    if (given) return false;
    chunk = bytes;
    given = true;
    return true;
  });
}

core::Result<std::string> Sha256HexOfFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Fail(fmt::format("cannot read {}", path.string()));
  std::array<char, 64 * 1024> buffer{};
  auto result = Digest([&](std::string_view& chunk) {
    in.read(buffer.data(), buffer.size());
    chunk = std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount()));
    return in.gcount() > 0;
  });
  if (result && in.bad()) return core::Fail(fmt::format("cannot read {}", path.string()));
  return result;
}

}  // namespace scanner::download
