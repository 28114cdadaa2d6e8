#include "alerts/discord_text.h"

#include <gtest/gtest.h>

namespace scanner::alerts {
namespace {

const std::string kFffd = "\uFFFD";

TEST(SanitizeUtf8, KeepsValidTextIncludingEveryLength) {
  std::string text = "A\u00E9\u20AC\U0001F600z";  // 1, 2, 3 and 4 bytes
  EXPECT_EQ(SanitizeUtf8(text), text);
  EXPECT_EQ(SanitizeUtf8(""), "");
}

TEST(SanitizeUtf8, ReplacesEachMaximalInvalidSubpart) {
  EXPECT_EQ(SanitizeUtf8("a\x80"
                         "b"),
            "a" + kFffd + "b");                                                // stray continuation
  EXPECT_EQ(SanitizeUtf8("\xC0\xAF"), kFffd + kFffd);                          // overlong '/'
  EXPECT_EQ(SanitizeUtf8("\xE0\x80\xAF"), kFffd + kFffd + kFffd);              // overlong 3-byte
  EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);              // surrogate
  EXPECT_EQ(SanitizeUtf8("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // > U+10FFFF
  EXPECT_EQ(SanitizeUtf8("\xE2\x82"), kFffd);                                  // cut short at end
  EXPECT_EQ(SanitizeUtf8("\xE2\x82"
                         "A"),
            kFffd + "A");  // cut short mid-text
  EXPECT_EQ(SanitizeUtf8("\xF0\x9F\x98"), kFffd);
  EXPECT_EQ(SanitizeUtf8("\xFF\xFE"), kFffd + kFffd);
}

TEST(DisplayText, ReplacesControlAndBidiCharacters) {
  EXPECT_EQ(DisplayText("a\nb\tc\x1B[31m"), "a" + kFffd + "b" + kFffd + "c" + kFffd + "[31m");
  EXPECT_EQ(DisplayText("x\u202Ey\u2066z\u0085"), "x" + kFffd + "y" + kFffd + "z" + kFffd);
  EXPECT_EQ(DisplayText("币安人生USDT"), "币安人生USDT");
}

TEST(CodePointCount, CountsCodePointsNotBytes) {
  EXPECT_EQ(CodePointCount(""), 0u);
  EXPECT_EQ(CodePointCount("abc"), 3u);
  EXPECT_EQ(CodePointCount("a\u20AC\U0001F600"), 3u);
  EXPECT_EQ(CodePointCount("\xFF"
                           "a"),
            2u);  // as it will be once sanitized
}

TEST(TruncateCodePoints, CutsOnCodePointsAndEndsWithAnEllipsis) {
  EXPECT_EQ(TruncateCodePoints("abcdef", 6), "abcdef");
  EXPECT_EQ(TruncateCodePoints("abcdef", 4), "abc\u2026");
  EXPECT_EQ(TruncateCodePoints("\u20AC\u20AC\u20AC\u20AC", 3), "\u20AC\u20AC\u2026");
  EXPECT_EQ(CodePointCount(TruncateCodePoints("\U0001F600\U0001F600\U0001F600", 2)), 2u);
  EXPECT_EQ(TruncateCodePoints("abc", 1), "\u2026");
  EXPECT_EQ(TruncateCodePoints("abc", 0), "");
}

TEST(EscapeMarkdown, EscapesEveryMetacharacter) {
  EXPECT_EQ(EscapeMarkdown("BTCUSDT"), "BTCUSDT");
  EXPECT_EQ(EscapeMarkdown("*_~`|>"), "\\*\\_\\~\\`\\|\\>");
  EXPECT_EQ(EscapeMarkdown("a\\b"), "a\\\\b");
  EXPECT_EQ(EscapeMarkdown("# - + !"), "\\# \\- \\+ \\!");
  EXPECT_EQ(EscapeMarkdown("||spoiler||"), "\\|\\|spoiler\\|\\|");
}

TEST(EscapeMarkdown, LinksAndMentionsCannotForm) {
  std::string link = EscapeMarkdown("[win](https://evil.example)");
  EXPECT_EQ(link, "\\[win\\]\\(https\\://evil.example\\)");
  EXPECT_EQ(link.find("]("), std::string::npos);
  EXPECT_EQ(link.find("https://"), std::string::npos);  // no autolink either

  EXPECT_EQ(EscapeMarkdown("<@123456>"), "\\<\\@123456\\>");
  EXPECT_EQ(EscapeMarkdown("<#1>"), "\\<\\#1\\>");
  EXPECT_EQ(EscapeMarkdown(":smile:"), "\\:smile\\:");
}

TEST(EscapeMarkdown, NeutralisesEveryoneAndHere) {
  EXPECT_EQ(EscapeMarkdown("@everyone"), "\\@\u200Beveryone");
  EXPECT_EQ(EscapeMarkdown("x@HERE"), "x\\@\u200BHERE");
  EXPECT_EQ(EscapeMarkdown("@Everyone@here"), "\\@\u200BEveryone\\@\u200Bhere");
  EXPECT_EQ(EscapeMarkdown("a@b"), "a\\@b");
  for (std::string text : {"@everyone", "@here", "PUMP@everyoneUSDT"}) {
    std::string escaped = EscapeMarkdown(text);
    EXPECT_EQ(escaped.find("@everyone"), std::string::npos) << escaped;
    EXPECT_EQ(escaped.find("@here"), std::string::npos) << escaped;
  }
}

TEST(EscapeMarkdown, RepairsInvalidUtf8AndControlCharacters) {
  EXPECT_EQ(EscapeMarkdown("A\xFF\nB"), "A" + kFffd + kFffd + "B");
}

TEST(PercentEncode, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(PercentEncode("BTC_USDT-1.0~x"), "BTC_USDT-1.0~x");
  EXPECT_EQ(PercentEncode("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
  EXPECT_EQ(PercentEncode("币"), "%E5%B8%81");
}

}  // namespace
}  // namespace scanner::alerts
