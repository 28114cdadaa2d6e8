// `replay --send`: the replay's new alerts reach the configured webhooks through the outbox
// (a fake Discord on 127.0.0.1), once each, including through a 5xx.

#include "app/replay_send.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "fakes/fake_discord.h"
#include "config/defaults.h"

namespace scanner::app {
namespace {

using ::testing::HasSubstr;

app::ReplayOptions XrpReplay() {
  app::ReplayOptions options;
  options.files = {std::string(SCANNER_TEST_DATA_DIR) + "/replay/XRPUSDT-PERP_5m_2021-11.csv"};
  options.symbol = "XRPUSDT";
  options.interval = "5m";
  options.format = "jsonl";
  options.send = true;
  return options;
}

TEST(ReplayAndSend, EveryNewAlertReachesTheWebhookOnce) {
  fakes::FakeDiscordOptions discord_options;
  discord_options.rate_limit = 0;
  auto discord = fakes::FakeDiscord::Start(discord_options);
  ASSERT_TRUE(discord) << discord.error().message;
  config::Config config = config::DefaultConfig(core::Market::kSpot);
  config.exchange.market = core::Market::kUsdm;
  config.alerts.discord.webhook_urls = {(*discord)->AddWebhook("777", "replay-token")};
  fakes::DiscordFaultSpec fault;
  fault.fault = fakes::DiscordFault::k5xx;
  (*discord)->Inject(fault);

  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(RunReplayAndSend(XrpReplay(), config, out, err, 60 * core::kSecond), 0) << err.str();
  const std::string printed_lines = out.str();
  const auto printed =
      static_cast<std::size_t>(std::count(printed_lines.begin(), printed_lines.end(), '\n'));
  ASSERT_GT(printed, 0u) << err.str();
  EXPECT_EQ((*discord)->CountEmbeds("XRPUSDT", "777"), printed);
  EXPECT_EQ((*discord)->stats().violations, 0);
  // As `run` sends them: each alert's embed shows its chart, attached to its message.
  std::size_t charts = 0;
  for (const fakes::RecordedMessage& message : (*discord)->Messages()) {
    for (const fakes::RecordedEmbed& embed : message.embeds) {
      const std::string_view prefix = "attachment://";
      if (!embed.image_url.starts_with(prefix)) {
        ADD_FAILURE() << embed.title << " has no chart";
        continue;
      }
      const std::string file = embed.image_url.substr(prefix.size());
      for (const fakes::RecordedAttachment& attachment : message.attachments) {
        if (attachment.filename == file && attachment.data.starts_with("\x89PNG")) ++charts;
      }
    }
  }
  EXPECT_EQ(charts, printed);
  EXPECT_THAT(err.str(),
              HasSubstr(fmt::format("{} alert(s) submitted; {} delivery(ies) sent, 0 failed",
                                    printed, printed)));
  EXPECT_THAT(err.str(), ::testing::Not(HasSubstr("replay-token")));
}

TEST(ReplayAndSend, WithoutAWebhookItIsAUsageError) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(RunReplayAndSend(XrpReplay(), config::DefaultConfig(core::Market::kSpot), out, err), app::kExitUsage);
  EXPECT_THAT(err.str(), HasSubstr("--send needs a Discord webhook"));
}

}  // namespace
}  // namespace scanner::app
