#include "config/env_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace scanner::config {
namespace {

std::vector<EnvAssignment> ParseOk(std::string_view text) {
  auto result = ParseEnvFile(text, ".env");
  EXPECT_TRUE(result) << (result ? "" : result.error().message);
  return result.value_or(std::vector<EnvAssignment>{});
}

std::string ValueOf(const std::vector<EnvAssignment>& assignments, std::string_view name) {
  for (const EnvAssignment& a : assignments) {
    if (a.name == name) return a.value;
  }
  ADD_FAILURE() << name << " not assigned";
  return {};
}

TEST(EnvFile, ParsesPlainExportQuotedAndCommentedLines) {
  auto assignments = ParseOk(R"(# a comment line

PLAIN=value
  SPACED = padded value   
export EXPORTED=yes
TRAILING=abc # a comment
HASH_INSIDE=a#b
HASH_FIRST=#b
ONLY_COMMENT= # nothing
DOUBLE="two words # not a comment"
ESCAPES="line\nnext \"quoted\" \\ \$HOME"
SINGLE='literal $HOME \n'
EMPTY=
EMPTY_QUOTED=""
URL=https://discord.com/api/webhooks/1/tok?x=1&y=2
)");
  EXPECT_EQ(assignments.size(), 13u);
  EXPECT_EQ(ValueOf(assignments, "PLAIN"), "value");
  EXPECT_EQ(ValueOf(assignments, "SPACED"), "padded value");
  EXPECT_EQ(ValueOf(assignments, "EXPORTED"), "yes");
  EXPECT_EQ(ValueOf(assignments, "TRAILING"), "abc");
  EXPECT_EQ(ValueOf(assignments, "HASH_INSIDE"), "a#b");
  EXPECT_EQ(ValueOf(assignments, "HASH_FIRST"), "#b");
  EXPECT_EQ(ValueOf(assignments, "ONLY_COMMENT"), "");
  EXPECT_EQ(ValueOf(assignments, "DOUBLE"), "two words # not a comment");
  EXPECT_EQ(ValueOf(assignments, "ESCAPES"), "line\nnext \"quoted\" \\ $HOME");
  EXPECT_EQ(ValueOf(assignments, "SINGLE"), "literal $HOME \\n");
  EXPECT_EQ(ValueOf(assignments, "EMPTY"), "");
  EXPECT_EQ(ValueOf(assignments, "EMPTY_QUOTED"), "");
  EXPECT_EQ(ValueOf(assignments, "URL"), "https://discord.com/api/webhooks/1/tok?x=1&y=2");
  EXPECT_EQ(assignments.front().line, 3);
}

TEST(EnvFile, ReportsEveryMalformedLineWithoutItsValue) {
  auto result = ParseEnvFile(R"(GOOD=1
no equals sign here
BAD-NAME=x
1DIGIT=x
=nothing
OPEN="secret-value
OPEN_SINGLE='secret-value
AFTER="x" trailing-secret
)",
                             "conf/.env");
  ASSERT_FALSE(result);
  const std::string& message = result.error().message;
  EXPECT_EQ(message,
            "conf/.env:2: expected KEY=VALUE\n"
            "conf/.env:3: invalid variable name: use letters, digits and '_', not starting with a "
            "digit\n"
            "conf/.env:4: invalid variable name: use letters, digits and '_', not starting with a "
            "digit\n"
            "conf/.env:5: expected KEY=VALUE: the name is missing\n"
            "conf/.env:6: OPEN: unterminated double quote\n"
            "conf/.env:7: OPEN_SINGLE: unterminated single quote\n"
            "conf/.env:8: AFTER: unexpected text after the closing quote");
  EXPECT_EQ(message.find("secret"), std::string::npos);
}

class EnvFileLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("scanner_env_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void Write(std::string_view text) { std::ofstream(path_) << text; }
  std::filesystem::path path_;
};

TEST_F(EnvFileLoadTest, NeverOverridesTheEnvironment) {
  Write("ALREADY=from-file\nSET_EMPTY=from-file\nNEW=from-file\n");
  MapEnvironment env({{"ALREADY", "from-env"}, {"SET_EMPTY", ""}});
  auto set = LoadEnvFile(path_, env);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(*set, std::vector<std::string>{"NEW"});
  EXPECT_EQ(env.Get("ALREADY"), "from-env");
  EXPECT_EQ(env.Get("SET_EMPTY"), "");
  EXPECT_EQ(env.Get("NEW"), "from-file");
}

TEST_F(EnvFileLoadTest, LastAssignmentInTheFileWins) {
  Write("A=first\nB=1\nA=second\n");
  MapEnvironment env;
  auto set = LoadEnvFile(path_, env);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(*set, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(env.Get("A"), "second");
}

TEST_F(EnvFileLoadTest, MalformedFileSetsNothing) {
  Write("GOOD=1\nbroken line\n");
  MapEnvironment env;
  auto set = LoadEnvFile(path_, env);
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find(":2: expected KEY=VALUE"), std::string::npos);
  EXPECT_FALSE(env.Get("GOOD"));
}

TEST_F(EnvFileLoadTest, MissingFileIsAnError) {
  MapEnvironment env;
  auto set = LoadEnvFile(path_, env);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().message, path_.string() + ": cannot read: No such file or directory");
}

}  // namespace
}  // namespace scanner::config
