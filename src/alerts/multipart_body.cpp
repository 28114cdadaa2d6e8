#include "alerts/multipart_body.h"

#include <cstdint>

#include <fmt/format.h>

namespace scanner::alerts {
namespace {

constexpr unsigned kBoundaryCandidates = 64;

// SplitMix64: spreads the candidate index into bits that look like nothing a PNG or JSON holds.
std::uint64_t MixBoundaryBits(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

bool HeaderSafe(std::string_view text) {
  return text.find_first_of(std::string_view("\"\\\r\n\0", 5)) == std::string_view::npos;
}

bool PartHolds(std::string_view text, std::string_view boundary) {
  return text.find(boundary) != std::string_view::npos;
}

}  // namespace

std::string MultipartBoundaryCandidate(unsigned n) {
  return fmt::format("scanner-{:016x}-{:012x}", MixBoundaryBits(n),
                     MixBoundaryBits(~static_cast<std::uint64_t>(n)) & 0xFFFFFFFFFFFFULL);
}

core::Result<MultipartBody> BuildMultipartBody(std::span<const MultipartPart> parts) {
  if (parts.empty()) return core::Fail("a multipart body needs at least one part");
  std::size_t size = 0;
  for (const MultipartPart& part : parts) {
    if (part.name.empty() || part.content_type.empty()) {
      return core::Fail("a multipart part needs a name and a content type");
    }
    if (!HeaderSafe(part.name) || !HeaderSafe(part.filename) || !HeaderSafe(part.content_type)) {
      return core::Fail(
          fmt::format("multipart part \"{}\": a header value holds a quote, backslash, CR, LF or "
                      "NUL",
                      HeaderSafe(part.name) ? part.name : std::string("?")));
    }
    size += part.data.size() + part.name.size() + part.filename.size() + 160;
  }
  std::string boundary;
  for (unsigned n = 0; n < kBoundaryCandidates && boundary.empty(); ++n) {
    std::string candidate = MultipartBoundaryCandidate(n);
    bool free = true;
    for (const MultipartPart& part : parts) {
      if (PartHolds(part.data, candidate) || PartHolds(part.name, candidate) ||
          PartHolds(part.filename, candidate)) {
        free = false;
        break;
      }
    }
    if (free) boundary = std::move(candidate);
  }
  if (boundary.empty()) return core::Fail("no multipart boundary is free of the parts' bytes");

  MultipartBody out;
  out.body.reserve(size + boundary.size() * (parts.size() + 1));
  for (const MultipartPart& part : parts) {
    out.body += "--";
    out.body += boundary;
    out.body += "\r\nContent-Disposition: form-data; name=\"";
    out.body += part.name;
    out.body += '"';
    if (!part.filename.empty()) {
      out.body += "; filename=\"";
      out.body += part.filename;
      out.body += '"';
    }
    out.body += "\r\nContent-Type: ";
    out.body += part.content_type;
    out.body += "\r\n\r\n";
    out.body += part.data;
    out.body += "\r\n";
  }
  out.body += "--";
  out.body += boundary;
  out.body += "--\r\n";
  out.content_type = "multipart/form-data; boundary=" + boundary;
  out.boundary = std::move(boundary);
  return out;
}

}  // namespace scanner::alerts
