// config/default.yaml is what users start from: it must load, and it must tell the truth about
// the defaults it documents.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config_loader.h"
#include "config/config_printer.h"
#include "config/defaults.h"

namespace scanner::config {
namespace {

std::string DefaultYaml() {
  std::ifstream file(std::string(SCANNER_SOURCE_DIR) + "/config/default.yaml");
  EXPECT_TRUE(file) << "config/default.yaml not found";
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(DefaultConfigFile, LoadsWithoutAnyVariableSet) {
  auto config = ParseConfig(DefaultYaml(), "config/default.yaml", MapEnvironment());
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->exchange.market, core::Market::kSpot);
  EXPECT_TRUE(config->alerts.discord.webhook_urls.empty());
  EXPECT_EQ(config->status.listen, "127.0.0.1:9102");
}

TEST(DefaultConfigFile, ValuesAreTheBuiltInDefaults) {
  auto config = ParseConfig(DefaultYaml(), "config/default.yaml", MapEnvironment());
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(PrintConfig(*config), PrintConfig(DefaultConfig(core::Market::kSpot)));
}

TEST(DefaultConfigFile, TakesWebhookAndListenAddressFromTheEnvironment) {
  MapEnvironment env({{"DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/9/t"},
                      {"STATUS_LISTEN", "0.0.0.0:9200"}});
  auto config = ParseConfig(DefaultYaml(), "config/default.yaml", env);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->alerts.discord.webhook_urls,
            std::vector<std::string>{"https://discord.com/api/webhooks/9/t"});
  EXPECT_EQ(config->status.listen, "0.0.0.0:9200");
}

// Every key the schema has is written in the file (market-dependent ones as comments).
TEST(DefaultConfigFile, DocumentsEveryKey) {
  std::string yaml = DefaultYaml();
  std::istringstream printed(PrintConfig(DefaultConfig(core::Market::kSpot)));
  for (std::string line; std::getline(printed, line);) {
    std::size_t start = line.find_first_not_of(' ');
    std::size_t colon = line.find(':');
    ASSERT_NE(colon, std::string::npos) << line;
    std::string key = line.substr(start, colon - start + 1);
    EXPECT_THAT(yaml, ::testing::HasSubstr(key)) << key;
  }
}

}  // namespace
}  // namespace scanner::config
