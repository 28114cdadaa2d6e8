#pragma once
// A multipart/form-data request body (RFC 7578), as Discord takes messages with files: one
// part per form field, each with its name, an optional file name and a content type.
//
// The boundary is chosen deterministically: the first of a fixed sequence of candidates
// (MultipartBoundaryCandidate) that occurs in no part, so the same parts always make the same
// bytes (a resend is byte-identical) and no part can end the body early.
//
// Pure functions; thread-safe.

#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

namespace scanner::alerts {

struct MultipartPart {
  std::string name;          // the form field: "payload_json", "files[0]"
  std::string filename;      // empty: no filename parameter
  std::string content_type;  // e.g. "application/json", "image/png"
  std::string_view data;     // borrowed until BuildMultipartBody returns
};

struct MultipartBody {
  std::string content_type;  // "multipart/form-data; boundary=<boundary>"
  std::string boundary;
  std::string body;
};

// Candidate `n` of the boundary sequence: 38 characters of [0-9a-z-], distinct for every n.
std::string MultipartBoundaryCandidate(unsigned n);

// The body of `parts`, in order. Fails on no parts, on a name, file name or content type that
// is empty where required or holds '"', '\\', CR, LF or NUL (it cannot be written in a header
// safely), and (in theory only) when no candidate among the first 64 is free.
core::Result<MultipartBody> BuildMultipartBody(std::span<const MultipartPart> parts);

}  // namespace scanner::alerts
