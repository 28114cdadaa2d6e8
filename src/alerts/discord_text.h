#pragma once
// Text hygiene for anything that reaches Discord or a terminal: UTF-8 repair, code-point counting
// and truncation (Discord counts characters as Unicode code points), markdown escaping of
// market-provided text, and URL percent-encoding. Pure functions; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace scanner::alerts {

// "…": what a truncated text ends with.
inline constexpr std::string_view kEllipsis = "\u2026";

// Every invalid UTF-8 sequence (stray continuation, overlong form, surrogate, beyond U+10FFFF,
// cut short) becomes U+FFFD, one per maximal invalid subpart, so the result is valid UTF-8.
std::string SanitizeUtf8(std::string_view text);

// SanitizeUtf8, then control characters (C0, DEL, C1) and bidirectional overrides and isolates
// (U+202A..U+202E, U+2066..U+2069) become U+FFFD: one line of text that renders as it reads.
std::string DisplayText(std::string_view text);

// The number of code points in `utf8`; each invalid byte counts as one (as U+FFFD would).
std::size_t CodePointCount(std::string_view utf8);

// `utf8` unchanged if it has at most `max` code points; otherwise its first max - 1 code points
// followed by "…", exactly `max` code points. Never splits a code point.
std::string TruncateCodePoints(std::string_view utf8, std::size_t max);

// Market-provided text made inert for Discord markdown: DisplayText, then a backslash before
// every markdown, mention, link or emoji metacharacter (\ * _ ~ ` | > < [ ] ( ) @ # - + : !),
// and a zero-width space after the '@' of @everyone / @here (any case), so the text can neither
// format, ping, link, nor break out of its field.
std::string EscapeMarkdown(std::string_view text);

// RFC 3986 percent-encoding of everything but unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string PercentEncode(std::string_view text);

}  // namespace scanner::alerts
