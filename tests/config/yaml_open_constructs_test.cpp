#include "config/yaml_open_constructs.h"

#include <gtest/gtest.h>
#include <yaml-cpp/exceptions.h>

#include <limits>

namespace scanner::config {
namespace {

constexpr TextPosition kEnd{std::numeric_limits<std::size_t>::max(), 1};

std::optional<Opener> FlowAt(std::string_view text, TextPosition stop = kEnd) {
  return ScanOpenConstructs(text, stop).flow;
}

Opener Open(char token, std::size_t line, std::size_t column) {
  return Opener{token, {line, column}};
}

TEST(YamlOpenConstructs, InnermostOpenFlowCollection) {
  EXPECT_EQ(FlowAt("a: [1, [2, 3]\nb: 4\n"), Open('[', 1, 4));
  EXPECT_EQ(FlowAt("a: [1, {b: 2\n"), Open('{', 1, 8));
  EXPECT_EQ(FlowAt("a: [1]\nb: {c: [2]}\n"), std::nullopt);
  // Multi-line flows, comments and CRLF line ends.
  EXPECT_EQ(FlowAt("a: [1,\n  2, # ]\n  3\r\nb: 4\r\n"), Open('[', 1, 4));
}

TEST(YamlOpenConstructs, StopsAtTheGivenPosition) {
  const std::string_view text = "a: [1]\nb: [2\n";
  EXPECT_EQ(FlowAt(text, {1, 5}), Open('[', 1, 4));
  EXPECT_EQ(FlowAt(text, {1, 4}), std::nullopt);  // the '[' itself is not read yet
  EXPECT_EQ(FlowAt(text, {2, 1}), std::nullopt);
  EXPECT_EQ(FlowAt(text, {3, 1}), Open('[', 2, 4));
}

TEST(YamlOpenConstructs, BracketsInsideScalarsAndCommentsOpenNothing) {
  EXPECT_EQ(FlowAt("a: x[1\nb: y{2\nurl: http://h:80/[a]\n"), std::nullopt);
  EXPECT_EQ(FlowAt("a: \"[\"\nb: '{'\nc: d # [\n# {\n"), std::nullopt);
  EXPECT_EQ(FlowAt("a: [\"]\", ']', x] # [\n"), std::nullopt);
  // A block scalar's lines are text, whatever they hold; the scalar ends at the next key.
  EXPECT_EQ(FlowAt("a: |\n  [x\n\n  'y\nb: >-\n    {z\nc: [1\n"), Open('[', 7, 4));
}

TEST(YamlOpenConstructs, NodeStartsAfterIndicatorsAnchorsAndTags) {
  EXPECT_EQ(FlowAt("- [1\n- 2\n"), Open('[', 1, 3));
  EXPECT_EQ(FlowAt("a:\n  - {b: 1\n"), Open('{', 2, 5));
  EXPECT_EQ(FlowAt("a: &anchor [1\n"), Open('[', 1, 12));
  EXPECT_EQ(FlowAt("a: !!seq [1\n"), Open('[', 1, 10));
  EXPECT_EQ(FlowAt("--- [1\n"), Open('[', 1, 5));
  EXPECT_EQ(FlowAt("? [1\n"), Open('[', 1, 3));
  // The byte order mark is not a column.
  EXPECT_EQ(FlowAt("\xEF\xBB\xBF"
                   "a: [1\n"),
            Open('[', 1, 4));
}

TEST(YamlOpenConstructs, QuotesAndTheirEscapes) {
  const OpenConstructs open =
      ScanOpenConstructs("a: \"x\\\"y\"\nb: 'it''s'\nc: [\"open, ]\n", kEnd);
  EXPECT_EQ(open.quote, Open('"', 3, 5));
  EXPECT_EQ(open.flow, Open('[', 3, 4));
  EXPECT_EQ(open.last_quote, Open('\'', 2, 4));
  EXPECT_EQ(open.last_quote_closed, (TextPosition{2, 10}));
  // An apostrophe inside a plain scalar opens nothing; a quote inside the other kind neither.
  EXPECT_EQ(ScanOpenConstructs("a: it's\nb: \"x'y\"\nc: [d'e]\n", kEnd).quote, std::nullopt);
}

TEST(YamlErrorOrigin, NamesTheUnclosedFlowForAFlowError) {
  auto origin = FindYamlErrorOrigin("a: [1, {b: 2]\n", YAML::ErrorMsg::FLOW_END, {1, 13});
  ASSERT_TRUE(origin);
  EXPECT_EQ(origin->at, (TextPosition{1, 8}));
  EXPECT_EQ(origin->explanation, "the '{' opened at line 1, column 8 is not closed");
  // An open flow does not explain an error of another kind.
  EXPECT_FALSE(FindYamlErrorOrigin("a: [b: c: d]\n", YAML::ErrorMsg::MAP_VALUE, {1, 9}));
  EXPECT_FALSE(FindYamlErrorOrigin("a: b]\n", YAML::ErrorMsg::FLOW_END, {1, 5}));
}

TEST(YamlErrorOrigin, NamesAnUnclosedQuoteOnlyForAMissingEnd) {
  auto origin = FindYamlErrorOrigin("a: \"x\n---\n", YAML::ErrorMsg::DOC_IN_SCALAR, {2, 1});
  ASSERT_TRUE(origin);
  EXPECT_EQ(origin->explanation, "the '\"' opened at line 1, column 4 is not closed");
  // A bad escape is inside a quote that closes later: the quote is not the problem.
  EXPECT_FALSE(FindYamlErrorOrigin("a: \"C:\\dir\"\n",
                                   std::string(YAML::ErrorMsg::INVALID_ESCAPE) + "d", {1, 8}));
}

TEST(YamlErrorOrigin, NamesAQuoteClosedOnTheErrorsLine) {
  const std::string_view text = "a: \"x\nb: \"y\"\n";
  auto origin = FindYamlErrorOrigin(text, YAML::ErrorMsg::END_OF_MAP, {2, 5});
  ASSERT_TRUE(origin);
  EXPECT_EQ(origin->at, (TextPosition{1, 4}));
  EXPECT_EQ(origin->explanation,
            "the '\"' opened at line 1, column 4 is closed only at line 2, column 4");
  // A quote closed on its own line, or an error on a later line, explains nothing.
  EXPECT_FALSE(FindYamlErrorOrigin("a: \"x\"\nb: c: d\n", YAML::ErrorMsg::MAP_VALUE, {2, 5}));
  EXPECT_FALSE(FindYamlErrorOrigin("a: \"x\nb: \"\nc: d: e\n", YAML::ErrorMsg::MAP_VALUE, {3, 5}));
}

TEST(YamlErrorOrigin, AnyTextIsSafe) {
  EXPECT_FALSE(FindYamlErrorOrigin("", YAML::ErrorMsg::END_OF_SEQ_FLOW, {1, 1}));
  EXPECT_FALSE(FindYamlErrorOrigin("]]}}\n\"", YAML::ErrorMsg::FLOW_END, {1, 1}));
  EXPECT_TRUE(FindYamlErrorOrigin(std::string_view("[\0\\", 3), YAML::ErrorMsg::END_OF_SEQ_FLOW,
                                  {0, 0}) == std::nullopt);
  EXPECT_TRUE(FindYamlErrorOrigin("\"\\", YAML::ErrorMsg::EOF_IN_SCALAR, kEnd));
}

}  // namespace
}  // namespace scanner::config
