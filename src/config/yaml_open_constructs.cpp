#include "config/yaml_open_constructs.h"

#include <fmt/format.h>
#include <yaml-cpp/exceptions.h>

#include <algorithm>
#include <vector>

namespace scanner::config {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// One forward pass; see the header for what it follows.
class Scanner {
 public:
  Scanner(std::string_view text, TextPosition stop) : text_(text), stop_(stop) {
    if (text_.starts_with(kByteOrderMark)) i_ = kByteOrderMark.size();
  }

  OpenConstructs Run() {
    while (i_ < text_.size() && BeforeStop()) Step();
    OpenConstructs open;
    if (!flow_.empty()) open.flow = flow_.back();
    open.quote = quote_;
    open.last_quote = last_quote_;
    open.last_quote_closed = last_quote_closed_;
    return open;
  }

 private:
  bool BeforeStop() const {
    return here_.line < stop_.line || (here_.line == stop_.line && here_.column < stop_.column);
  }

  char Next() const { return i_ + 1 < text_.size() ? text_[i_ + 1] : '\n'; }

  void Advance() {
    prev_ = text_[i_];
    ++i_;
    if (prev_ == '\n') {
      ++here_.line;
      here_.column = 1;
    } else {
      ++here_.column;
    }
  }

  void Step() {
    const char c = text_[i_];
    if (quote_) return StepInQuote(c);
    if (c == '\n') {
      skip_line_ = false;
      at_line_start_ = true;
      indent_ = 0;
      if (flow_.empty()) value_start_ = true;
      return Advance();
    }
    if (at_line_start_) {
      if (c == ' ') {
        ++indent_;
        return Advance();
      }
      at_line_start_ = false;
      // A block scalar's content is every following line indented deeper than its parent.
      if (in_block_scalar_) {
        if (indent_ > block_parent_indent_ || c == '\r') {
          skip_line_ = true;
        } else {
          in_block_scalar_ = false;
        }
      }
    }
    if (skip_line_) return Advance();
    if (c == '#' && (IsBlank(prev_) || prev_ == '\n')) {
      skip_line_ = true;
      return Advance();
    }
    if (!flow_.empty()) return StepInFlow(c);
    StepInBlock(c);
  }

  void StepInQuote(char c) {
    if (quote_->token == '"' && c == '\\') {
      Advance();
      if (i_ < text_.size()) Advance();  // the escaped character, whatever it is
      return;
    }
    if (c == quote_->token) {
      if (c == '\'' && Next() == '\'') {  // '' is a quote inside a single-quoted scalar
        Advance();
        return Advance();
      }
      last_quote_ = quote_;
      last_quote_closed_ = here_;
      quote_.reset();
      value_start_ = false;
    }
    Advance();
  }

  void StepInFlow(char c) {
    if (c == '[' || c == '{') {
      flow_.push_back({c, here_});
    } else if (c == ']' || c == '}') {
      flow_.pop_back();
      if (flow_.empty()) value_start_ = false;
    } else if ((c == '"' || c == '\'') && (IsBlank(prev_) || prev_ == '\n' || prev_ == '[' ||
                                           prev_ == '{' || prev_ == ',' || prev_ == ':')) {
      quote_ = Opener{c, here_};
    }
    Advance();
  }

  void StepInBlock(char c) {
    const bool indicator_follows = IsBlank(Next()) || Next() == '\n';
    if (c == ':' && indicator_follows) {
      value_start_ = true;
      return Advance();
    }
    if (!value_start_ || IsBlank(c)) return Advance();
    switch (c) {
      case '[':
      case '{':
        flow_.push_back({c, here_});
        value_start_ = false;
        break;
      case '"':
      case '\'':
        quote_ = Opener{c, here_};
        value_start_ = false;
        break;
      case '|':
      case '>':
        in_block_scalar_ = true;
        block_parent_indent_ = indent_;
        skip_line_ = true;  // the header: indentation and chomping indicators, a comment
        break;
      case '-':
        if (here_.column == 1 && text_.substr(i_).starts_with("---") &&
            (i_ + 3 == text_.size() || IsBlank(text_[i_ + 3]) || text_[i_ + 3] == '\n')) {
          Advance();  // a document marker: a node may start after it
          Advance();
          break;
        }
        [[fallthrough]];
      case '?':
        // A sequence entry or an explicit key: a node may still start after it.
        if (!indicator_follows) value_start_ = false;
        break;
      case '&':
      case '!':
        // An anchor or a tag: the node follows it.
        while (i_ + 1 < text_.size() && !IsBlank(text_[i_ + 1]) && text_[i_ + 1] != '\n') {
          Advance();
        }
        break;
      default:
        value_start_ = false;
    }
    Advance();
  }

  std::string_view text_;
  TextPosition stop_;
  std::size_t i_ = 0;
  TextPosition here_;
  char prev_ = '\n';
  std::vector<Opener> flow_;
  std::optional<Opener> quote_;
  std::optional<Opener> last_quote_;
  TextPosition last_quote_closed_;
  bool value_start_ = true;  // block context: the next token starts a node
  bool at_line_start_ = true;
  std::size_t indent_ = 0;
  bool skip_line_ = false;  // a comment or a block scalar's line
  bool in_block_scalar_ = false;
  std::size_t block_parent_indent_ = 0;
};

bool IsOneOf(std::string_view message, std::initializer_list<const char*> messages) {
  return std::any_of(messages.begin(), messages.end(),
                     [&](const char* known) { return message == known; });
}

std::string Describe(const Opener& opener) {
  return fmt::format("the '{}' opened at line {}, column {}", opener.token, opener.at.line,
                     opener.at.column);
}

}  // namespace

OpenConstructs ScanOpenConstructs(std::string_view text, TextPosition stop) {
  return Scanner(text, stop).Run();
}

std::optional<YamlErrorOrigin> FindYamlErrorOrigin(std::string_view text, std::string_view message,
                                                   TextPosition found) {
  namespace msg = YAML::ErrorMsg;
  const OpenConstructs open = ScanOpenConstructs(text, found);
  const bool flow_end =
      IsOneOf(message, {msg::END_OF_SEQ_FLOW, msg::END_OF_MAP_FLOW, msg::FLOW_END});
  const bool missing_end = flow_end || IsOneOf(message, {msg::EOF_IN_SCALAR, msg::DOC_IN_SCALAR,
                                                         msg::END_OF_SEQ, msg::END_OF_MAP});
  if (open.quote && missing_end) {
    return YamlErrorOrigin{open.quote->at, Describe(*open.quote) + " is not closed"};
  }
  if (open.flow && flow_end) {
    return YamlErrorOrigin{open.flow->at, Describe(*open.flow) + " is not closed"};
  }
  if (open.last_quote && open.last_quote->at.line < open.last_quote_closed.line &&
      open.last_quote_closed.line == found.line) {
    return YamlErrorOrigin{
        open.last_quote->at,
        fmt::format("{} is closed only at line {}, column {}", Describe(*open.last_quote),
                    open.last_quote_closed.line, open.last_quote_closed.column)};
  }
  return std::nullopt;
}

}  // namespace scanner::config
