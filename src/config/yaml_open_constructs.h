#pragma once
// Which bracket or quote a YAML syntax error goes back to. yaml-cpp reports where it noticed
// the problem, and for a '[', '{' or quote left open that is often the end of the file, lines
// after the mistake. ScanOpenConstructs reads the text up to that place following enough of
// YAML's lexical rules to know what is still open there: block and flow context, single- and
// double-quoted scalars with their escapes, comments, block scalars ('|', '>'), anchors and
// tags. It does not validate anything (yaml-cpp has done that) and never fails: on text it does
// not understand it may find nothing, never a construct that is not in the text.
//
// Positions count from 1, lines by '\n' and columns in bytes, as yaml-cpp counts them (plus
// one); a UTF-8 byte order mark at the start is not counted. Pure functions, linear in the
// length of the text.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace scanner::config {

struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;

  friend bool operator==(const TextPosition&, const TextPosition&) = default;
};

// A '[', '{', '"' or '\'' and where it stands.
struct Opener {
  char token = 0;
  TextPosition at;

  friend bool operator==(const Opener&, const Opener&) = default;
};

struct OpenConstructs {
  // The innermost '[' or '{' not closed before the stop, if any.
  std::optional<Opener> flow;
  // A quoted scalar not closed before the stop, if any.
  std::optional<Opener> quote;
  // The last quoted scalar closed before the stop, with the position of its closing quote.
  std::optional<Opener> last_quote;
  TextPosition last_quote_closed;
};

// What is open in `text` just before `stop` (or at its end, if `stop` is beyond it).
OpenConstructs ScanOpenConstructs(std::string_view text, TextPosition stop);

// The construct behind a syntax error, for the message.
struct YamlErrorOrigin {
  TextPosition at;          // where the construct began: the place to fix
  std::string explanation;  // "the '[' opened at line 4, column 15 is not closed"
};

// For yaml-cpp's `message` (one of YAML::ErrorMsg) noticed at `found`: the bracket or quote
// left open that explains it, if the text shows one. Three cases:
//   - a quote open at `found`, when the message is about a missing end (of a scalar, a
//     collection or a flow) -- never for a bad escape inside a quote that is still to close;
//   - else the innermost '[' or '{' open at `found`, when the message is about a flow's end;
//   - else a quoted scalar that began on an earlier line and closed on `found`'s line (the
//     closing quote was meant to open the next value): "... is closed only at line 3, column 9".
std::optional<YamlErrorOrigin> FindYamlErrorOrigin(std::string_view text, std::string_view message,
                                                   TextPosition found);

}  // namespace scanner::config
