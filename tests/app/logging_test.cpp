#include "app/logging.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

namespace scanner::app {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class LoggingTest : public ::testing::Test {
 protected:
  std::shared_ptr<spdlog::logger> Make(config::LogFormat format, std::string level = "info",
                                       std::vector<std::string> secrets = {}) {
    config::LoggingConfig logging;
    logging.format = format;
    logging.level = std::move(level);
    return MakeLogger(logging, std::make_shared<spdlog::sinks::ostream_sink_st>(out_),
                      std::move(secrets));
  }
  std::ostringstream out_;
};

TEST_F(LoggingTest, TextLinesCarryUtcTimeLevelAndMessage) {
  auto logger = Make(config::LogFormat::kText);
  logger->info("scanning {} symbols", 150);
  EXPECT_THAT(out_.str(), MatchesRegex("\\[[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                                       "\\.[0-9]{3}Z\\] \\[info\\] scanning 150 symbols\n"));
}

TEST_F(LoggingTest, JsonLinesAreEscaped) {
  auto logger = Make(config::LogFormat::kJson);
  logger->warn("say \"hi\"\\ \n\ttab \x01 caf\xc3\xa9 bad\xff end");
  std::string line = out_.str();
  EXPECT_THAT(line, MatchesRegex("\\{\"time\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z\","
                                 "\"level\":\"warning\",\"message\":.*\\}\n"));
  EXPECT_THAT(line, HasSubstr(R"("message":"say \"hi\"\\ \n\ttab \u0001 caf)"
                              "\xc3\xa9"
                              R"( bad\ufffd end"})"));
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
}

TEST_F(LoggingTest, JsonReplacesOverlongAndTruncatedUtf8) {
  auto logger = Make(config::LogFormat::kJson);
  logger->info("a\xc0\xaf b\xe2\x82");
  EXPECT_THAT(out_.str(), HasSubstr(R"("message":"a\ufffd\ufffd b\ufffd\ufffd"})"));
}

TEST_F(LoggingTest, LevelFromConfigFilters) {
  auto logger = Make(config::LogFormat::kText, "warn");
  logger->info("hidden");
  logger->debug("hidden too");
  logger->error("shown");
  EXPECT_THAT(out_.str(), Not(HasSubstr("hidden")));
  EXPECT_THAT(out_.str(), HasSubstr("[error] shown"));
}

TEST_F(LoggingTest, SecretsAreMaskedInEveryFormat) {
  std::vector<std::string> secrets{"https://discord.com/api/webhooks/1/TOKEN", "TOKEN"};
  for (config::LogFormat format : {config::LogFormat::kText, config::LogFormat::kJson}) {
    out_.str("");
    auto logger = Make(format, "info", secrets);
    logger->error("POST {} failed (token TOKEN)", "https://discord.com/api/webhooks/1/TOKEN");
    EXPECT_THAT(out_.str(), Not(HasSubstr("TOKEN")));
    EXPECT_THAT(out_.str(),
                HasSubstr("POST https://discord.com/api/webhooks/1/**** failed (token ****)"));
  }
}

TEST(LogLevelFromName, CoversEveryConfiguredLevel) {
  EXPECT_EQ(LogLevelFromName("trace"), spdlog::level::trace);
  EXPECT_EQ(LogLevelFromName("debug"), spdlog::level::debug);
  EXPECT_EQ(LogLevelFromName("info"), spdlog::level::info);
  EXPECT_EQ(LogLevelFromName("warn"), spdlog::level::warn);
  EXPECT_EQ(LogLevelFromName("error"), spdlog::level::err);
  EXPECT_EQ(LogLevelFromName("critical"), spdlog::level::critical);
  EXPECT_EQ(LogLevelFromName("off"), spdlog::level::off);
}

}  // namespace
}  // namespace scanner::app
