#pragma once
// A strict reader of multipart/form-data request bodies (RFC 7578, RFC 2046 section 5.1), for
// the fake Discord: the boundary parameter of the Content-Type, the parts in order, each with
// its Content-Disposition (form-data, a name, an optional filename) and its Content-Type.
// Written from the RFCs, independently of the scanner's builder (alerts/multipart_body.h), so
// that it checks the builder rather than mirrors it. No preamble is accepted, an epilogue is
// ignored. Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace scanner::fakes {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;
  std::optional<std::string> content_type;
  std::string data;
};

// The boundary of a "multipart/form-data; boundary=..." Content-Type: 1 to 70 characters of
// RFC 2046's bchars, not ending in a space; quoted or not. Fails on anything else.
core::Result<std::string> MultipartBoundary(std::string_view content_type);

// The parts of `body`, delimited by `boundary`. Fails on a body that does not open with the
// first delimiter, a part without a blank line after its headers or without a valid
// Content-Disposition, and a missing close delimiter.
core::Result<std::vector<FormPart>> ParseMultipartForm(std::string_view boundary,
                                                       std::string_view body);

}  // namespace scanner::fakes
