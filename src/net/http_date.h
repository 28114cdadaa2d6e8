#pragma once
// HTTP dates (RFC 9110 section 5.6.7): the IMF-fixdate form every current server sends and the
// only one accepted here, "Sun, 06 Nov 1994 08:49:37 GMT" (names case-sensitive, fixed widths,
// always GMT). The obsolete RFC 850 and asctime forms are refused rather than guessed at: a
// caller that needs a trustworthy server time is better off without one than with a wrong one.
//
// Pure functions, independent of the process locale and time zone; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace scanner::net {

// Milliseconds since the Unix epoch of an IMF-fixdate (surrounding spaces and tabs allowed),
// always a whole second; nullopt for anything else: another form, a wrong weekday, a day that
// does not exist, a time out of range. A leap second (:60) reads as :59, never as the next
// minute.
std::optional<core::Millis> ParseHttpDate(std::string_view text);

// The IMF-fixdate of `epoch_ms`, rounded down to the second. For dates from year 1 to 9999.
std::string FormatHttpDate(core::Millis epoch_ms);

}  // namespace scanner::net
