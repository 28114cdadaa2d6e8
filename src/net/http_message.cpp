#include "net/http_message.h"

#include <boost/beast/core/string.hpp>

namespace scanner::net {

std::optional<std::string> FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [field, value] : headers) {
    if (boost::beast::iequals(field, name)) return value;
  }
  return std::nullopt;
}

std::string_view HttpErrorKindName(HttpErrorKind kind) {
  switch (kind) {
    case HttpErrorKind::kInvalidRequest:
      return "invalid request";
    case HttpErrorKind::kConnect:
      return "connect";
    case HttpErrorKind::kTls:
      return "tls";
    case HttpErrorKind::kTimeout:
      return "timeout";
    case HttpErrorKind::kTooLarge:
      return "too large";
    case HttpErrorKind::kConnectionLost:
      return "connection lost";
    case HttpErrorKind::kProtocol:
      return "protocol";
    case HttpErrorKind::kShutdown:
      return "shutdown";
  }
  return "unknown";
}

core::Error HttpError::ToError() const {
  return core::Error{std::string(HttpErrorKindName(kind)) + ": " + message};
}

}  // namespace scanner::net
