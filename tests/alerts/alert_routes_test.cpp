#include "alerts/alert_routes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/candidates.h"

namespace scanner::alerts {
namespace {

using support::I;
using support::MakeCandidate;

constexpr std::string_view kToken = "s3cr3t-T0ken";
// 2024-03-10T15:59:59.999Z: closes 1m to 4h.
constexpr core::Millis kRouteClose = 1'710'086'399'999;

std::string Url(std::string_view id, std::string_view token = kToken) {
  return fmt::format("https://discord.com/api/webhooks/{}/{}", id, token);
}

core::Candidate Alert(std::string_view interval, core::Severity severity) {
  core::Candidate c = MakeCandidate("BTCUSDT", kRouteClose, interval);
  c.severity = severity;
  return c;
}

using Ids = std::vector<std::string>;

TEST(AlertRoutes, PlainWebhooksGetEveryAlert) {
  const WebhookRouteSpec specs[] = {{Url("1"), {}, std::nullopt}, {Url("2"), {}, std::nullopt}};
  auto routes = AlertRoutes::Build(specs);
  ASSERT_TRUE(routes) << routes.error().message;
  EXPECT_EQ(routes->DestinationsFor(Alert("1m", core::Severity::kNormal)),
            (Ids{"discord:1", "discord:2"}));
  EXPECT_EQ(routes->webhooks().size(), 2u);
}

TEST(AlertRoutes, FiltersByIntervalAndMinimumSeverity) {
  const WebhookRouteSpec specs[] = {
      {Url("10"), {I("1h"), I("4h")}, std::nullopt},
      {Url("20"), {}, core::Severity::kStrong},
      {Url("30"), {I("5m")}, core::Severity::kNormal},
  };
  auto routes = AlertRoutes::Build(specs);
  ASSERT_TRUE(routes);
  EXPECT_EQ(routes->DestinationsFor(Alert("1m", core::Severity::kNormal)), Ids{});
  EXPECT_EQ(routes->DestinationsFor(Alert("4h", core::Severity::kNormal)), Ids{"discord:10"});
  EXPECT_EQ(routes->DestinationsFor(Alert("1m", core::Severity::kStrong)), Ids{"discord:20"});
  EXPECT_EQ(routes->DestinationsFor(Alert("5m", core::Severity::kStrong)),
            (Ids{"discord:20", "discord:30"}));
  EXPECT_EQ(routes->DestinationsFor(Alert("1h", core::Severity::kStrong)),
            (Ids{"discord:10", "discord:20"}));
}

TEST(AlertRoutes, AWebhookNamedTwiceIsOneDestinationMatchingEitherRoute) {
  const WebhookRouteSpec specs[] = {{Url("7"), {I("1h")}, std::nullopt},
                                    {Url("7"), {}, core::Severity::kStrong}};
  auto routes = AlertRoutes::Build(specs);
  ASSERT_TRUE(routes);
  EXPECT_EQ(routes->webhooks().size(), 1u);
  EXPECT_EQ(routes->DestinationsFor(Alert("1h", core::Severity::kNormal)), Ids{"discord:7"});
  EXPECT_EQ(routes->DestinationsFor(Alert("1m", core::Severity::kStrong)), Ids{"discord:7"});
  EXPECT_EQ(routes->DestinationsFor(Alert("1m", core::Severity::kNormal)), Ids{});
}

TEST(AlertRoutes, ErrorsNameTheRouteNeverTheUrl) {
  const WebhookRouteSpec bad[] = {{Url("1"), {}, std::nullopt},
                                  {Url("not-a-number"), {}, std::nullopt}};
  auto refused = AlertRoutes::Build(bad);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("route 1"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find(kToken), std::string::npos);

  const WebhookRouteSpec conflicting[] = {{Url("5"), {}, std::nullopt},
                                          {Url("5", "other-token"), {}, std::nullopt}};
  auto conflict = AlertRoutes::Build(conflicting);
  ASSERT_FALSE(conflict);
  EXPECT_NE(conflict.error().message.find("discord:5"), std::string::npos);
  EXPECT_EQ(conflict.error().message.find(kToken), std::string::npos);
  EXPECT_EQ(conflict.error().message.find("other-token"), std::string::npos);
}

TEST(AlertRoutes, NothingConfiguredIsEmpty) {
  auto routes = AlertRoutes::Build({});
  ASSERT_TRUE(routes);
  EXPECT_TRUE(routes->empty());
  EXPECT_EQ(routes->DestinationsFor(Alert("1m", core::Severity::kStrong)), Ids{});
}

}  // namespace
}  // namespace scanner::alerts
