#pragma once
// The query strings of the requests the fakes answer ("/path?a=1&b=x"). Nothing is
// percent-decoded: the scanner sends nothing that needs it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace scanner::fakes {

// The value of `name` in the query of `target` ("" for a bare "name" or "name="), if present.
std::optional<std::string> QueryParam(std::string_view target, std::string_view name);

// `text` when it is a whole decimal integer.
std::optional<std::int64_t> ParseInt(std::string_view text);

}  // namespace scanner::fakes
