#include "fakes/multipart_form.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace scanner::fakes {
namespace {

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool IsBoundaryChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// Splits "a; b=c; d=\"e\"" into its first token and its parameters (names lowercased).
struct HeaderValue {
  std::string token;
  std::vector<std::pair<std::string, std::string>> params;
};

core::Result<HeaderValue> ParseHeaderValue(std::string_view value) {
  HeaderValue out;
  std::size_t semicolon = value.find(';');
  out.token = LowerAscii(TrimSpaces(value.substr(0, semicolon)));
  value = semicolon == std::string_view::npos ? std::string_view() : value.substr(semicolon + 1);
  while (!TrimSpaces(value).empty()) {
    value = TrimSpaces(value);
    const std::size_t equals = value.find('=');
    if (equals == std::string_view::npos) return core::Fail("a header parameter has no '='");
    std::string name = LowerAscii(TrimSpaces(value.substr(0, equals)));
    value.remove_prefix(equals + 1);
    value = TrimSpaces(value);
    std::string param;
    if (!value.empty() && value.front() == '"') {
      const std::size_t close = value.find('"', 1);
      if (close == std::string_view::npos) return core::Fail("an unterminated quoted parameter");
      param = std::string(value.substr(1, close - 1));
      value.remove_prefix(close + 1);
      value = TrimSpaces(value);
      if (!value.empty() && value.front() != ';') {
        return core::Fail("text after a quoted parameter");
      }
    } else {
      param = std::string(TrimSpaces(value.substr(0, value.find(';'))));
      value.remove_prefix(std::min(value.size(), value.find(';')));
    }
    if (!value.empty()) value.remove_prefix(1);  // the ';'
    out.params.emplace_back(std::move(name), std::move(param));
  }
  return out;
}

const std::string* Param(const HeaderValue& value, std::string_view name) {
  for (const auto& [key, param] : value.params) {
    if (key == name) return &param;
  }
  return nullptr;
}

core::Result<FormPart> ParsePart(std::string_view part) {
  const std::size_t blank = part.find("\r\n\r\n");
  if (blank == std::string_view::npos) return core::Fail("a part has no blank line after headers");
  std::string_view headers = part.substr(0, blank);
  FormPart out;
  out.data = std::string(part.substr(blank + 4));
  bool disposition = false;
  while (!headers.empty()) {
    const std::size_t eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return core::Fail("a part header has no ':'");
    const std::string name = LowerAscii(TrimSpaces(line.substr(0, colon)));
    const std::string_view value = TrimSpaces(line.substr(colon + 1));
    if (name == "content-disposition") {
      if (disposition) return core::Fail("a part has two Content-Disposition headers");
      disposition = true;
      auto parsed = ParseHeaderValue(value);
      if (!parsed) return std::unexpected(parsed.error());
      if (parsed->token != "form-data") return core::Fail("a part is not form-data");
      const std::string* field = Param(*parsed, "name");
      if (field == nullptr || field->empty()) return core::Fail("a part has no name");
      out.name = *field;
      if (const std::string* file = Param(*parsed, "filename")) out.filename = *file;
    } else if (name == "content-type") {
      if (out.content_type) return core::Fail("a part has two Content-Type headers");
      out.content_type = std::string(value);
    }
  }
  if (!disposition) return core::Fail("a part has no Content-Disposition");
  return out;
}

}  // namespace

core::Result<std::string> MultipartBoundary(std::string_view content_type) {
  auto parsed = ParseHeaderValue(content_type);
  if (!parsed) return std::unexpected(parsed.error());
  if (parsed->token != "multipart/form-data") return core::Fail("not multipart/form-data");
  const std::string* boundary = Param(*parsed, "boundary");
  if (boundary == nullptr) return core::Fail("no boundary parameter");
  if (boundary->empty() || boundary->size() > 70) return core::Fail("boundary length not 1..70");
  if (!std::all_of(boundary->begin(), boundary->end(), IsBoundaryChar) || boundary->back() == ' ') {
    return core::Fail("boundary has a character RFC 2046 does not allow");
  }
  return *boundary;
}

core::Result<std::vector<FormPart>> ParseMultipartForm(std::string_view boundary,
                                                       std::string_view body) {
  const std::string first = "--" + std::string(boundary);
  const std::string delimiter = "\r\n" + first;
  if (!body.starts_with(first)) return core::Fail("the body does not open with the boundary");
  body.remove_prefix(first.size());
  std::vector<FormPart> parts;
  for (;;) {
    if (body.starts_with("--")) return parts;  // the close delimiter; the epilogue is ignored
    // Transport padding (spaces, tabs) may follow a delimiter.
    while (!body.empty() && (body.front() == ' ' || body.front() == '\t')) body.remove_prefix(1);
    if (!body.starts_with("\r\n")) return core::Fail("a delimiter is not followed by CRLF");
    body.remove_prefix(2);
    const std::size_t end = body.find(delimiter);
    if (end == std::string_view::npos) return core::Fail("no close delimiter");
    auto part = ParsePart(body.substr(0, end));
    if (!part) return std::unexpected(part.error());
    parts.push_back(std::move(*part));
    body.remove_prefix(end + delimiter.size());
  }
}

}  // namespace scanner::fakes
