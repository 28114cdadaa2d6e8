#include "app/health.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace scanner::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr core::Millis kNow = 1'700'000'000'000;

HealthInputs Healthy() {
  HealthInputs in;
  in.now = kNow;
  in.started_at = kNow - 10 * core::kMinute;
  in.universe_known = true;
  in.universe_symbols = 150;
  in.connections_planned = 2;
  in.connections_open = 2;
  in.last_market_data_at = kNow - 1500;
  in.stale_after = 90 * core::kSecond;
  in.series = 600;
  in.series_warm = 600;
  return in;
}

TEST(JudgeHealth, StreamingFreshAndDrainingIsHealthy) {
  HealthReport report = JudgeHealth(Healthy());
  EXPECT_TRUE(report.healthy);
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_THAT(report.json, HasSubstr("\"status\":\"ok\""));
  EXPECT_THAT(report.json, HasSubstr("\"last_message_age_ms\":1500"));
}

TEST(JudgeHealth, EachFailureIsNamed) {
  HealthInputs in = Healthy();
  in.universe_known = false;
  in.universe_error = "Binance REST: timeout";
  EXPECT_THAT(JudgeHealth(in).problems, ElementsAre("no universe: Binance REST: timeout"));

  in = Healthy();
  in.connections_open = 0;
  EXPECT_THAT(JudgeHealth(in).problems, ElementsAre("all 2 stream connection(s) are down"));

  in = Healthy();
  in.last_market_data_at = kNow - 2 * core::kMinute;
  EXPECT_THAT(JudgeHealth(in).problems, ElementsAre("no market data for 2m"));

  in = Healthy();
  in.rest_banned_until = kNow + core::kMinute;
  EXPECT_THAT(JudgeHealth(in).problems[0], HasSubstr("Binance REST rate limit or ban until"));

  in = Healthy();
  in.dead_destinations = {"discord:123"};
  in.stalled_destinations = {"discord:456"};
  HealthReport report = JudgeHealth(in);
  EXPECT_FALSE(report.healthy);
  EXPECT_THAT(report.problems,
              ElementsAre("webhook discord:123 is dead (Discord: unknown webhook or invalid "
                          "token): fix alerts.discord",
                          "outbox not draining for discord:456"));
  EXPECT_THAT(report.json, HasSubstr("\"status\":\"unhealthy\""));
  EXPECT_THAT(report.json, HasSubstr("\"dead_webhooks\":[\"discord:123\"]"));

  in = Healthy();
  in.unstored_alerts = 2;
  EXPECT_THAT(JudgeHealth(in).problems,
              ElementsAre("2 alert(s) waiting for the database, which refuses to store them "
                          "(locked? disk full?)"));
}

// Rows of a webhook that is not configured now wait for it: worth a note, not a failure (and
// not a stalled outbox).
TEST(JudgeHealth, OrphanedDeliveriesAreANote) {
  HealthInputs in = Healthy();
  in.orphaned_deliveries = {{"discord:789", 3}};
  HealthReport report = JudgeHealth(in);
  EXPECT_TRUE(report.healthy);
  EXPECT_THAT(report.notes, ::testing::Contains("3 alert(s) pending for discord:789, which is not "
                                                "configured: they are sent when it is again"));
  EXPECT_THAT(report.json, HasSubstr("\"orphaned_deliveries\":{\"discord:789\":3}"));
}

TEST(JudgeHealth, AStreamThatNeverDeliversFailsOnceStaleAfterHasPassedSinceStart) {
  HealthInputs in = Healthy();
  in.last_market_data_at = 0;
  in.started_at = kNow - 30 * core::kSecond;
  EXPECT_TRUE(JudgeHealth(in).healthy);
  in.started_at = kNow - 91 * core::kSecond;
  EXPECT_THAT(JudgeHealth(in).problems, ElementsAre("no market data for 91s"));
}

TEST(JudgeHealth, OneConnectionReconnectingAndWarmUpAreNotesNotFailures) {
  HealthInputs in = Healthy();
  in.connections_open = 1;
  in.series_warm = 100;
  HealthReport report = JudgeHealth(in);
  EXPECT_TRUE(report.healthy);
  EXPECT_THAT(report.notes, ElementsAre("1 of 2 stream connection(s) open",
                                        "warming up: 100 of 600 windows ready"));
}

// Windows that stay cold (a warm-up over REST that does not get through, at start or after a
// reload of the indicator windows) leave their series blind: a note while it is normal, a
// problem once it lasts. Signal series not warm yet are counted too.
TEST(JudgeHealth, WindowsNotWarmForLongAreAProblem) {
  HealthInputs in = Healthy();
  in.series_warm = 590;
  in.warming_since = kNow - 2 * core::kMinute;
  in.signal_series = 600;
  in.signal_series_warm = 550;
  HealthReport report = JudgeHealth(in);
  EXPECT_TRUE(report.healthy);
  EXPECT_THAT(report.notes, ElementsAre("warming up: 590 of 600 windows ready",
                                        "50 of 600 signal series not warm yet (no alert on "
                                        "them before zscore_window + 2 bars)"));
  EXPECT_THAT(report.json, HasSubstr("\"signal_series\":{\"warm\":550,\"total\":600}"));

  in.warming_since = kNow - 11 * core::kMinute;
  EXPECT_THAT(JudgeHealth(in).problems,
              ElementsAre("10 of 600 windows not warm for 11m: their series are blind (REST "
                          "warm-up not getting through?)"));
}

TEST(JudgeHealth, StreamsBinanceRefusedAreANoteWithinTheGraceThenAProblem) {
  HealthInputs in = Healthy();
  in.streams_unsubscribed = 3;
  in.unsubscribed_streams = {"aaausdt@kline_1m", "bbbusdt@kline_1m"};  // the list is bounded
  in.unsubscribed_since = kNow - 20 * core::kSecond;
  HealthReport report = JudgeHealth(in);
  EXPECT_TRUE(report.healthy);
  EXPECT_THAT(report.notes,
              ElementsAre("3 stream(s) refused by Binance, retrying: aaausdt@kline_1m, "
                          "bbbusdt@kline_1m and 1 more"));
  EXPECT_THAT(report.json, HasSubstr("\"unsubscribed_streams\":{\"count\":3,\"names\":["
                                     "\"aaausdt@kline_1m\",\"bbbusdt@kline_1m\"]}"));

  // Past the grace the scanner is blind on them: unhealthy.
  in.unsubscribed_since = kNow - 61'500;
  report = JudgeHealth(in);
  EXPECT_FALSE(report.healthy);
  EXPECT_THAT(report.problems,
              ElementsAre("3 stream(s) refused by Binance for 61s, no data for them: "
                          "aaausdt@kline_1m, bbbusdt@kline_1m and 1 more"));
  EXPECT_THAT(report.notes, IsEmpty());

  in = Healthy();
  EXPECT_THAT(JudgeHealth(in).json,
              HasSubstr("\"unsubscribed_streams\":{\"count\":0,\"names\":[]}"));
}

TEST(OutboxWatch, PendingWithoutAnySendForTooLongIsStalled) {
  OutboxWatch watch(5 * core::kMinute);
  std::vector<alerts::PendingCount> pending{{"discord:1", 3}, {"console", 0}};
  watch.Observe(pending, 10, kNow);
  EXPECT_EQ(watch.TotalPending(), 3);
  watch.Observe(pending, 10, kNow + 4 * core::kMinute);
  EXPECT_THAT(watch.Stalled(kNow + 4 * core::kMinute), IsEmpty());
  watch.Observe(pending, 10, kNow + 6 * core::kMinute);
  EXPECT_THAT(watch.Stalled(kNow + 6 * core::kMinute), ElementsAre("discord:1"));
}

TEST(OutboxWatch, ASendRestartsTheClockAndAnEmptyQueueIsNeverStalled) {
  OutboxWatch watch(5 * core::kMinute);
  watch.Observe({{"discord:1", 3}}, 10, kNow);
  watch.Observe({{"discord:1", 2}}, 11, kNow + 4 * core::kMinute);
  watch.Observe({{"discord:1", 2}}, 11, kNow + 8 * core::kMinute);
  EXPECT_THAT(watch.Stalled(kNow + 8 * core::kMinute), IsEmpty());
  watch.Observe({}, 11, kNow + 20 * core::kMinute);
  EXPECT_THAT(watch.Stalled(kNow + 20 * core::kMinute), IsEmpty());
  EXPECT_EQ(watch.TotalPending(), 0);
}

}  // namespace
}  // namespace scanner::app
