// Runs the built momentum-scanner as a user would: a separate process with its own environment.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "TopS3cretT0ken";

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// `environment` is prepended as `env -i NAME=value ...`, so the developer's own variables
// (a DISCORD_WEBHOOK_URL, a LOG_LEVEL) cannot change the outcome.
Outcome RunBinary(const std::string& environment, const std::string& arguments) {
  std::string command =
      "env -i " + environment + " '" + SCANNER_BINARY + "' " + arguments + " 2>&1";
  Outcome outcome;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return outcome;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) outcome.output.append(buffer, n);
  int status = ::pclose(pipe);
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  return outcome;
}

// --env-file /dev/null: a developer's config/.env must not leak into the test either.
const std::string kCheckDefault = std::string("check-config --config '") + SCANNER_SOURCE_DIR +
                                  "/config/default.yaml' --env-file /dev/null";

TEST(Binary, CheckConfigOnTheDefaultConfigExitsZero) {
  Outcome outcome = RunBinary("", kCheckDefault);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_THAT(outcome.output, HasSubstr("  market: spot\n"));
  EXPECT_THAT(outcome.output, HasSubstr("alerts go to the console only"));
}

TEST(Binary, CheckConfigMasksTheWebhookToken) {
  Outcome outcome =
      RunBinary(std::string("DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/123/") + kToken,
                kCheckDefault);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_THAT(outcome.output,
              HasSubstr("webhook_urls: [https://discord.com/api/webhooks/123/****]"));
  EXPECT_THAT(outcome.output, Not(HasSubstr(kToken)));
}

TEST(Binary, ExitCodes) {
  EXPECT_EQ(RunBinary("", "version").exit_code, 0);
  EXPECT_EQ(RunBinary("", "version").output,
            std::string("momentum-scanner ") + SCANNER_EXPECTED_VERSION + "\n");
  EXPECT_EQ(RunBinary("", "run --help").exit_code, 0);
  EXPECT_EQ(RunBinary("", "").exit_code, 2);
  EXPECT_EQ(RunBinary("", "check-config --config /nonexistent/scanner.yaml").exit_code, 2);
  EXPECT_EQ(RunBinary("LOG_LEVEL=loud", kCheckDefault).exit_code, 2);
  // /dev/null is no folder, so the database cannot be created: start-up fails before any
  // connection is attempted.
  Outcome run = RunBinary("DATABASE_PATH=/dev/null/scanner.db",
                          std::string("run --config '") + SCANNER_SOURCE_DIR +
                              "/config/default.yaml' --env-file /dev/null");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("cannot start: cannot open the database"));
}

}  // namespace
