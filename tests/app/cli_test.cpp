#include "app/cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "support/scratch_dir.h"

namespace scanner::app {
namespace {

using support::ScratchDir;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kToken[] = "Sup3rS3cretT0ken";
constexpr char kWebhook[] = "https://discord.com/api/webhooks/123/Sup3rS3cretT0ken";

class CliTest : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> args) {
    args.insert(args.begin(), "momentum-scanner");
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    argv.push_back(nullptr);
    out_.str("");
    err_.str("");
    return RunCli(static_cast<int>(args.size()), argv.data(), {out_, err_, env_, dir_.path()});
  }

  ScratchDir dir_;
  config::MapEnvironment env_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliTest, VersionPrintsTheProjectVersion) {
  EXPECT_EQ(Run({"version"}), kExitSuccess);
  EXPECT_EQ(out_.str(), std::string("momentum-scanner ") + SCANNER_EXPECTED_VERSION + "\n");
  EXPECT_EQ(Version(), SCANNER_EXPECTED_VERSION);
}

TEST_F(CliTest, EveryCommandHasHelp) {
  for (const char* command :
       {"run", "check-config", "universe", "replay", "report", "download", "version"}) {
    EXPECT_EQ(Run({command, "--help"}), kExitSuccess) << command;
    EXPECT_THAT(out_.str(), HasSubstr("Usage:")) << command;
  }
  EXPECT_EQ(Run({"--help"}), kExitSuccess);
  EXPECT_THAT(out_.str(), HasSubstr("check-config"));
  EXPECT_EQ(Run({"check-config", "--help"}), kExitSuccess);
  EXPECT_THAT(out_.str(), HasSubstr("--env-file FILE"));
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run({}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("subcommand is required"));
  EXPECT_EQ(Run({"scan"}), kExitUsage);
  EXPECT_EQ(Run({"check-config", "--bogus"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--bogus"));
  EXPECT_EQ(Run({"check-config", "--config"}), kExitUsage);
  EXPECT_EQ(Run({"version", "extra"}), kExitUsage);
}

TEST_F(CliTest, CheckConfigPrintsTheEffectiveConfigurationMasked) {
  std::string path =
      dir_.Write("scanner.yaml",
                 "alerts:\n  discord:\n    webhook_urls: [\"${DISCORD_WEBHOOK_URL:-}\"]\n"
                 "universe:\n  top_n: 42\n");
  env_.Set("DISCORD_WEBHOOK_URL", kWebhook);
  EXPECT_EQ(Run({"check-config", "--config", path}), kExitSuccess) << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("# effective configuration from " + path));
  EXPECT_THAT(out_.str(), HasSubstr("  top_n: 42\n"));
  EXPECT_THAT(out_.str(), HasSubstr("webhook_urls: [https://discord.com/api/webhooks/123/****]"));
  EXPECT_THAT(out_.str() + err_.str(), Not(HasSubstr(kToken)));
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, CheckConfigShowsTheEffectiveFloorOfEveryStreamedInterval) {
  std::string path = dir_.Write("scanner.yaml",
                                "streams:\n  intervals: [5m, 1h, 4h]\nsignals:\n"
                                "  min_change_percent: {1h: 0, 1d: 12}\n");
  EXPECT_EQ(Run({"check-config", "--config", path}), kExitSuccess) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("  min_change_percent: {5m: 1.7, 1h: 0, 4h: 6.2, 1d: 12}\n"));
}

TEST_F(CliTest, CheckConfigWarnsWhenAlertsGoToTheConsole) {
  std::string path = dir_.Write("scanner.yaml", "");
  EXPECT_EQ(Run({"check-config", "--config", path}), kExitSuccess);
  EXPECT_THAT(err_.str(), HasSubstr("warning: alerts.discord.webhook_urls: no Discord webhook "
                                    "configured; alerts go to the console only"));
}

TEST_F(CliTest, InvalidConfigurationListsEveryProblemAndExitsTwo) {
  std::string path = dir_.Write("scanner.yaml", R"(
universe:
  top_n: 0
streams:
  intervals: [1m, 7m]
signals:
  min_atr_mov: 3
alerts:
  discord:
    webhook_urls: ["${MISSING_HOOK}"]
)");
  for (const char* command : {"check-config", "run", "universe", "replay"}) {
    std::vector<std::string> args{command, "--config", path};
    if (std::string_view(command) == "replay") args.push_back("BTCUSDT-1m-2024-01-01.csv");
    EXPECT_EQ(Run(args), kExitUsage) << command;
    EXPECT_EQ(out_.str(), "");
    std::string err = err_.str();
    EXPECT_THAT(err, StartsWith("momentum-scanner: invalid configuration:\n"));
    EXPECT_THAT(err, HasSubstr("\nuniverse.top_n: must be at least 1, got 0\n"));
    EXPECT_THAT(err, HasSubstr("\nstreams.intervals[1]: unknown interval '7m'"));
    EXPECT_THAT(err,
                HasSubstr("\nsignals.min_atr_mov: unknown key (did you mean 'min_atr_move'?)\n"));
    EXPECT_THAT(err, HasSubstr("\nalerts.discord.webhook_urls[0]: variable MISSING_HOOK is not set "
                               "and has no default\n"));
  }
}

TEST_F(CliTest, MalformedYamlExitsTwoWithLineAndColumn) {
  std::string path = dir_.Write("scanner.yaml", "universe:\n  top_n: [1\n");
  EXPECT_EQ(Run({"check-config", "--config", path}), kExitUsage);
  // Where the unclosed '[' began, then what yaml-cpp noticed at the end of the file.
  EXPECT_THAT(err_.str(), HasSubstr(path + ":2:10: malformed YAML: end of sequence flow not found "
                                           "at line 3, column 1: the '[' opened at line 2, "
                                           "column 10 is not closed"));
}

TEST_F(CliTest, MissingOrUnreadableExplicitConfigExitsTwo) {
  EXPECT_EQ(Run({"check-config", "--config", dir_.Path("absent.yaml")}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("absent.yaml: cannot read: No such file or directory"));
  EXPECT_EQ(Run({"run", "--config", dir_.path().string()}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr(": cannot read: Is a directory"));
}

TEST_F(CliTest, ScannerConfigVariableChoosesTheFile) {
  std::string path = dir_.Write("elsewhere.yaml", "universe:\n  top_n: 9\n");
  env_.Set("SCANNER_CONFIG", path);
  EXPECT_EQ(Run({"check-config"}), kExitSuccess) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("  top_n: 9\n"));
  // --config wins over the variable.
  std::string other = dir_.Write("other.yaml", "universe:\n  top_n: 11\n");
  EXPECT_EQ(Run({"check-config", "--config", other}), kExitSuccess);
  EXPECT_THAT(out_.str(), HasSubstr("  top_n: 11\n"));
  // A variable that names a missing file is an error, not a legacy start.
  env_.Set("SCANNER_CONFIG", dir_.Path("absent.yaml"));
  EXPECT_EQ(Run({"check-config"}), kExitUsage);
}

TEST_F(CliTest, DefaultConfigAndEnvFileComeFromTheWorkingDirectory) {
  dir_.Write("config/default.yaml", "universe:\n  top_n: ${TOP}\n");
  dir_.Write("config/.env", "TOP=33\n");
  EXPECT_EQ(Run({"check-config"}), kExitSuccess) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("  top_n: 33\n"));
  EXPECT_THAT(out_.str(), HasSubstr("/config/.env set: TOP\n"));
}

TEST_F(CliTest, EnvFileOptionIsReadAndNeverOverridesTheEnvironment) {
  std::string path =
      dir_.Write("scanner.yaml", "universe:\n  top_n: ${TOP}\n  min_quote_volume_24h: ${VOL}\n");
  std::string env_file = dir_.Write("custom.env", "TOP=5\nVOL=100\n");
  env_.Set("VOL", "200");
  EXPECT_EQ(Run({"check-config", "--config", path, "--env-file", env_file}), kExitSuccess)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("  top_n: 5\n"));
  EXPECT_THAT(out_.str(), HasSubstr("  min_quote_volume_24h: 200\n"));
  EXPECT_EQ(Run({"check-config", "--config", path, "--env-file", dir_.Path("no.env")}), kExitUsage);
}

TEST_F(CliTest, LegacyEnvironmentStartWithoutAConfigFile) {
  env_.Set("TOP_N", "17");
  env_.Set("DISCORD_WEBHOOK_URL", kWebhook);
  EXPECT_EQ(Run({"check-config"}), kExitSuccess) << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("# effective configuration from environment variables"));
  EXPECT_THAT(out_.str(), HasSubstr("  top_n: 17\n"));
  EXPECT_THAT(err_.str(), HasSubstr("legacy start"));
  EXPECT_THAT(out_.str() + err_.str(), Not(HasSubstr(kToken)));
  env_.Set("TOP_N", "0");
  EXPECT_EQ(Run({"check-config"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("universe.top_n: must be at least 1, got 0 (from TOP_N)"));
}

// `run` validates, logs its summary, then fails to start here: the database path lies under a
// regular file, so it cannot be created. (tests/app/scanner_service_test.cpp runs it for real.)
TEST_F(CliTest, RunThatCannotStartLogsWhyAndExitsOne) {
  std::string blocker = dir_.Write("not-a-folder", "x");
  std::string path =
      dir_.Write("scanner.yaml", "alerts:\n  database: " + blocker + "/scanner.db\n");
  EXPECT_EQ(Run({"run", "--config", path}), kExitFailure);
  EXPECT_THAT(err_.str(), HasSubstr("[info] configuration from " + path + ": spot market"));
  EXPECT_THAT(err_.str(), HasSubstr("[warning] alerts.discord.webhook_urls: no Discord webhook "
                                    "configured; alerts go to the console only"));
  EXPECT_THAT(err_.str(), HasSubstr("[critical] cannot start: cannot open the database"));
}

TEST_F(CliTest, ReplayReadsKlineFilesAndPrintsJsonLines) {
  std::string path = dir_.Write("scanner.yaml", "");
  std::string file = std::string(SCANNER_TEST_DATA_DIR) + "/replay/XRPUSDT-PERP_5m_2021-11.csv";
  EXPECT_EQ(Run({"replay", "--config", path, "--symbol", "XRPUSDT", "--interval", "5m", "--format",
                 "jsonl", file}),
            kExitSuccess)
      << err_.str();
  std::string out = out_.str();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.front(), '{');
  EXPECT_THAT(out, HasSubstr("\"symbol\":\"XRPUSDT\""));
  EXPECT_THAT(err_.str(), HasSubstr("1999"));  // the summary counts every bar read
}

TEST_F(CliTest, ReplayWithoutFilesIsAUsageError) {
  std::string path = dir_.Write("scanner.yaml", "");
  EXPECT_EQ(Run({"replay", "--config", path}), kExitUsage);
  EXPECT_EQ(Run({"replay", "--config", path, "--format", "xml", "x.csv"}), kExitUsage);
}

TEST_F(CliTest, RunLogsAsConfiguredWithoutSecrets) {
  std::string blocker = dir_.Write("not-a-folder", "x");
  std::string path = dir_.Write("scanner.yaml", "alerts:\n  database: " + blocker +
                                                    "/scanner.db\n"
                                                    "  discord:\n    webhook_urls: [\"${HOOK}\"]\n"
                                                    "logging:\n  format: json\n");
  env_.Set("HOOK", kWebhook);
  EXPECT_EQ(Run({"run", "--config", path}), kExitFailure);
  std::istringstream lines(err_.str());
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    EXPECT_THAT(line, StartsWith("{\"time\":\"")) << line;
    EXPECT_THAT(line, HasSubstr("\"message\":")) << line;
  }
  EXPECT_EQ(count, 2);  // the summary and "cannot start"; a webhook is configured: no warning
  EXPECT_THAT(err_.str(), Not(HasSubstr(kToken)));

  env_.Set("LOG_LEVEL", "error");
  EXPECT_EQ(Run({"run", "--config", path}), kExitFailure);
  EXPECT_THAT(err_.str(), Not(HasSubstr("configuration from")));
  EXPECT_THAT(err_.str(), HasSubstr("cannot start"));
}

}  // namespace
}  // namespace scanner::app
