#include "alerts/discord_text.h"

#include <array>
#include <cstdint>

namespace scanner::alerts {
namespace {

constexpr std::string_view kReplacement = "\uFFFD";
constexpr std::string_view kZeroWidthSpace = "\u200B";
constexpr std::string_view kMarkdownMeta = "\\*_~`|><[]()@#-+:!";

// Length of the valid UTF-8 sequence at the start of `text`, or 0 if it starts with an invalid
// one; `*invalid_length` is then the length of the maximal invalid subpart (at least 1).
std::size_t ValidSequenceLength(std::string_view text, std::size_t* invalid_length) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  *invalid_length = 1;
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // no overlong forms
    if (lead == 0xF4) high = 0x8F;  // nothing beyond U+10FFFF
  } else {
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if (i >= text.size()) {
      *invalid_length = i;
      return 0;
    }
    unsigned char continuation = byte(i);
    unsigned char min = i == 1 ? low : 0x80;
    unsigned char max = i == 1 ? high : 0xBF;
    if (continuation < min || continuation > max) {
      *invalid_length = i;
      return 0;
    }
  }
  return length;
}

std::uint32_t DecodeValid(std::string_view sequence) {
  auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(sequence[i]));
  };
  switch (sequence.size()) {
    case 1:
      return byte(0);
    case 2:
      return ((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F);
    case 3:
      return ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    default:
      return ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) |
             (byte(3) & 0x3F);
  }
}

bool IsUnsafeForDisplay(std::uint32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F) ||
         (code_point >= 0x202A && code_point <= 0x202E) ||
         (code_point >= 0x2066 && code_point <= 0x2069);
}

// Calls `emit(sequence)` for every valid code point and `emit(kReplacement)` for every maximal
// invalid subpart, in order.
template <class Emit>
void ForEachCodePoint(std::string_view text, Emit&& emit) {
  std::size_t position = 0;
  while (position < text.size()) {
    std::string_view rest = text.substr(position);
    std::size_t invalid = 0;
    std::size_t length = ValidSequenceLength(rest, &invalid);
    if (length == 0) {
      emit(kReplacement);
      position += invalid;
    } else {
      emit(rest.substr(0, length));
      position += length;
    }
  }
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != word[i]) return false;
  }
  return true;
}

}  // namespace

std::string SanitizeUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachCodePoint(text, [&](std::string_view sequence) { out.append(sequence); });
  return out;
}

std::string DisplayText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachCodePoint(text, [&](std::string_view sequence) {
    out.append(IsUnsafeForDisplay(DecodeValid(sequence)) ? kReplacement : sequence);
  });
  return out;
}

std::size_t CodePointCount(std::string_view utf8) {
  std::size_t count = 0;
  ForEachCodePoint(utf8, [&](std::string_view) { ++count; });
  return count;
}

std::string TruncateCodePoints(std::string_view utf8, std::size_t max) {
  if (CodePointCount(utf8) <= max) return std::string(utf8);
  if (max == 0) return {};
  std::string out;
  std::size_t kept = 0;
  ForEachCodePoint(utf8, [&](std::string_view sequence) {
    if (kept + 1 < max) {
      out.append(sequence);
      ++kept;
    }
  });
  out.append(kEllipsis);
  return out;
}

std::string EscapeMarkdown(std::string_view text) {
  std::string clean = DisplayText(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 2);
  for (std::size_t i = 0; i < clean.size(); ++i) {
    char c = clean[i];
    if (kMarkdownMeta.find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
    if (c == '@') {
      std::string_view rest = std::string_view(clean).substr(i + 1);
      if (StartsWithIgnoringCase(rest, "everyone") || StartsWithIgnoringCase(rest, "here")) {
        out.append(kZeroWidthSpace);
      }
    }
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                         '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                      (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

}  // namespace scanner::alerts
