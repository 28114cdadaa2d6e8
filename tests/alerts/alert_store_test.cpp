#include "alerts/alert_store.h"

#include <gtest/gtest.h>

#include <limits>

#include "alerts/discord_webhook.h"
#include "support/alert_store_on_disk.h"
#include "support/candidates.h"
#include "support/fixture_files.h"
#include "support/scratch_dir.h"

namespace scanner::alerts {
namespace {

using core::kMinute;
using core::Millis;
using support::AlertStoreOnDisk;
using support::I;
using support::MakeCandidate;
using support::ReadText;
using support::ScratchDir;

constexpr Millis kStart = 1'700'000'000'000;  // 2023-11-14T22:13:20Z

class AlertStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_.Open(); }

  // A restart: everything in memory goes, the file stays.
  void Reopen() { store_.Reopen(); }

  AlertId InsertNew(const core::Candidate& c, std::vector<std::string> destinations = {"d1"}) {
    auto result = store_->Insert(c, destinations);
    EXPECT_TRUE(result) << result.error().message;
    if (!result) return 0;
    EXPECT_EQ(result->outcome, InsertOutcome::kInserted);
    return result->id;
  }

  DeliveryRecord DeliveryOf(AlertId id, std::string_view destination) {
    auto records = store_->Deliveries(id);
    EXPECT_TRUE(records);
    for (const DeliveryRecord& record : *records) {
      if (record.destination == destination) return record;
    }
    ADD_FAILURE() << "no delivery " << destination << " for alert " << id;
    return {};
  }

  std::vector<AlertId> DueIds(std::string_view destination, std::size_t limit = 100) {
    auto due = store_->DueDeliveries(destination, limit);
    EXPECT_TRUE(due) << due.error().message;
    std::vector<AlertId> ids;
    for (const DueDelivery& d : *due) ids.push_back(d.alert_id);
    return ids;
  }

  ScratchDir dir_;
  core::FakeClock clock_{kStart};
  AlertStoreOnDisk store_{dir_.Path("scanner.db"), clock_};
};

TEST_F(AlertStoreTest, StoresEveryCandidateFieldExactly) {
  core::Candidate c = MakeCandidate("币安人生USDT", kStart - 1, "15m");
  c.market = core::Market::kUsdm;
  c.direction = core::Direction::kDown;
  c.severity = core::Severity::kStrong;
  c.close = 0.000012345678901234567;
  c.change_percent = -7.123456789012345;
  c.atr_move = -5.000000000000001;
  c.return_z = -4.4;
  c.volume_z = 12.3456789;
  c.quote_volume = 9.87654321e15;
  c.quote_volume_24h = std::numeric_limits<double>::max();
  c.atr = std::numeric_limits<double>::denorm_min();
  c.atr_percent = 1.0 / 3.0;
  c.confirmations = {I("1m"), I("1h"), I("1M")};
  AlertId id = InsertNew(c);

  auto stored = store_->FindAlert(id);
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->candidate, c);
  EXPECT_EQ((*stored)->candidate.symbol, "币安人生USDT");
  EXPECT_EQ((*stored)->candidate.confirmations.size(), 3u);
  EXPECT_EQ((*stored)->created_at, kStart);

  core::Candidate none = MakeCandidate("ETHUSDT", kStart - 1);
  auto none_id = InsertNew(none);
  auto read = store_->FindAlert(none_id);
  ASSERT_TRUE(read && read->has_value());
  EXPECT_TRUE((*read)->candidate.confirmations.empty());
  EXPECT_EQ((*read)->candidate, none);
}

TEST_F(AlertStoreTest, DuplicateKeyIsANoOpReportedAndCounted) {
  core::Candidate c = MakeCandidate("BTCUSDT", kStart - 1);
  AlertId id = InsertNew(c, {"d1"});
  core::Candidate again = c;
  again.close = 999;                         // same key, other numbers
  again.direction = core::Direction::kDown;  // even the other direction: one alert per bar
  std::vector<std::string> more = {"d1", "d2"};
  auto second = store_->Insert(again, more);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->outcome, InsertOutcome::kDuplicate);
  EXPECT_EQ(second->id, id);

  auto stored = store_->FindAlert(id);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->candidate, c);  // untouched
  auto deliveries = store_->Deliveries(id);
  ASSERT_TRUE(deliveries);
  EXPECT_EQ(deliveries->size(), 1u);  // no delivery added for d2
  EXPECT_EQ(DueIds("d2").size(), 0u);
  EXPECT_EQ(store_->counters().inserted, 1u);
  EXPECT_EQ(store_->counters().duplicates, 1u);
}

TEST_F(AlertStoreTest, KeyIsSymbolIntervalAndCloseTime) {
  InsertNew(MakeCandidate("BTCUSDT", kStart - 1, "5m"));
  InsertNew(MakeCandidate("BTCUSDT", kStart - 1, "15m"));
  InsertNew(MakeCandidate("ETHUSDT", kStart - 1, "5m"));
  InsertNew(MakeCandidate("BTCUSDT", kStart - 1 + 5 * kMinute, "5m"));
  EXPECT_EQ(store_->counters().inserted, 4u);
  EXPECT_EQ(store_->counters().duplicates, 0u);
}

TEST_F(AlertStoreTest, OnePendingDeliveryPerDestinationDueNow) {
  AlertId id =
      InsertNew(MakeCandidate("BTCUSDT", kStart - 1), {"discord:1", "console", "discord:1"});
  auto deliveries = store_->Deliveries(id);
  ASSERT_TRUE(deliveries);
  ASSERT_EQ(deliveries->size(), 2u);  // the repeat is ignored
  for (const DeliveryRecord& d : *deliveries) {
    EXPECT_EQ(d.state, DeliveryState::kPending);
    EXPECT_EQ(d.attempts, 0);
    EXPECT_EQ(d.next_attempt_at, kStart);
    EXPECT_FALSE(d.sent_at);
  }
  EXPECT_EQ(DueIds("discord:1"), std::vector<AlertId>{id});
  EXPECT_EQ(DueIds("console"), std::vector<AlertId>{id});
  EXPECT_TRUE(DueIds("discord:2").empty());
}

TEST_F(AlertStoreTest, RefusesUrlDestinationsAndNonFiniteNumbersWithoutStoringAnything) {
  const std::string secret = "SeCrEtToKeN_abc";
  std::vector<std::string> url = {"https://discord.com/api/webhooks/123/" + secret};
  auto refused = store_->Insert(MakeCandidate("BTCUSDT", kStart - 1), url);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.find(secret), std::string::npos);
  EXPECT_EQ(refused.error().message.find("discord.com"), std::string::npos);

  std::vector<std::string> path_only = {"discord.com/api/webhooks/123/" + secret};
  EXPECT_FALSE(store_->Insert(MakeCandidate("BTCUSDT", kStart - 1), path_only));
  std::vector<std::string> empty = {""};
  EXPECT_FALSE(store_->Insert(MakeCandidate("BTCUSDT", kStart - 1), empty));

  core::Candidate nan = MakeCandidate("BTCUSDT", kStart - 1);
  nan.volume_z = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(store_->Insert(nan, {}));
  core::Candidate inf = MakeCandidate("BTCUSDT", kStart - 1);
  inf.close = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(store_->Insert(inf, {}));

  // Nothing got in: the same key inserts fine now.
  InsertNew(MakeCandidate("BTCUSDT", kStart - 1));
  EXPECT_EQ(store_->counters().inserted, 1u);
}

TEST_F(AlertStoreTest, WebhookTokenNeverReachesTheDatabaseFile) {
  const std::string token = "tOkEn-ThAt-MuSt-StAy-SeCrEt_0123456789";
  auto webhook = DiscordWebhook::Parse("https://discord.com/api/webhooks/987654321/" + token);
  ASSERT_TRUE(webhook);
  std::vector<std::string> destinations = {webhook->destination()};
  AlertId id = InsertNew(MakeCandidate("BTCUSDT", kStart - 1), destinations);
  std::vector<AlertId> ids = {id};
  ASSERT_TRUE(store_->MarkRetry(webhook->destination(), ids, kStart + 1000,
                                webhook->Redact("timeout posting to " + webhook->ExecuteUrl())));
  EXPECT_EQ(DeliveryOf(id, "discord:987654321").last_error.find(token), std::string::npos);
  store_.Close();
  std::string bytes;
  for (const char* name : {"scanner.db", "scanner.db-wal"}) bytes += ReadText(dir_.Path(name));
  EXPECT_NE(bytes.find("discord:987654321"), std::string::npos);
  EXPECT_EQ(bytes.find(token), std::string::npos);
}

TEST_F(AlertStoreTest, DueDeliveriesAreOldestFirstAndLimited) {
  std::vector<AlertId> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(InsertNew(MakeCandidate(std::string("S").append(std::to_string(i)), kStart - 1)));
    clock_.Advance(10);
  }
  EXPECT_EQ(DueIds("d1", 3), (std::vector<AlertId>{ids[0], ids[1], ids[2]}));
  EXPECT_EQ(DueIds("d1", 10), ids);
  EXPECT_TRUE(DueIds("d1", 0).empty());

  // The oldest is retried later: it drops out until then, then leads again.
  std::vector<AlertId> first = {ids[0]};
  ASSERT_EQ(*store_->MarkRetry("d1", first, clock_.NowMs() + 5000, "HTTP 502"), 1);
  EXPECT_EQ(DueIds("d1", 3), (std::vector<AlertId>{ids[1], ids[2], ids[3]}));
  auto next = store_->NextAttemptTime("d1");
  ASSERT_TRUE(next && next->has_value());
  EXPECT_EQ(**next, kStart + 10);  // ids[1] has been due since its insert
  clock_.Advance(5000);
  EXPECT_EQ(DueIds("d1", 3), (std::vector<AlertId>{ids[0], ids[1], ids[2]}));

  auto due = store_->DueDeliveries("d1", 1);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].attempts, 1);
  EXPECT_EQ((*due)[0].created_at, kStart);
  EXPECT_EQ((*due)[0].candidate.symbol, "S0");
}

TEST_F(AlertStoreTest, NextAttemptTimeIsEmptyWithoutPendingRows) {
  auto none = store_->NextAttemptTime("d1");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  AlertId id = InsertNew(MakeCandidate("BTCUSDT", kStart - 1));
  std::vector<AlertId> ids = {id};
  ASSERT_EQ(*store_->MarkRetry("d1", ids, kStart + 777, "x"), 1);
  EXPECT_EQ(**store_->NextAttemptTime("d1"), kStart + 777);
  EXPECT_TRUE(DueIds("d1").empty());
  ASSERT_EQ(*store_->MarkSent("d1", ids), 1);
  EXPECT_FALSE(store_->NextAttemptTime("d1")->has_value());
}

TEST_F(AlertStoreTest, RetryThenSentRecordsAttemptsAndTimes) {
  AlertId id = InsertNew(MakeCandidate("BTCUSDT", kStart - 1));
  std::vector<AlertId> ids = {id};
  clock_.Advance(100);
  ASSERT_EQ(*store_->MarkRetry("d1", ids, kStart + 2000, "HTTP 503"), 1);
  DeliveryRecord retried = DeliveryOf(id, "d1");
  EXPECT_EQ(retried.state, DeliveryState::kPending);
  EXPECT_EQ(retried.attempts, 1);
  EXPECT_EQ(retried.next_attempt_at, kStart + 2000);
  EXPECT_EQ(retried.last_error, "HTTP 503");
  EXPECT_EQ(retried.updated_at, kStart + 100);

  clock_.Set(kStart + 2500);
  ASSERT_EQ(*store_->MarkSent("d1", ids), 1);
  DeliveryRecord sent = DeliveryOf(id, "d1");
  EXPECT_EQ(sent.state, DeliveryState::kSent);
  EXPECT_EQ(sent.attempts, 2);
  ASSERT_TRUE(sent.sent_at);
  EXPECT_EQ(*sent.sent_at, kStart + 2500);
  EXPECT_TRUE(sent.last_error.empty());
  EXPECT_TRUE(DueIds("d1").empty());
  EXPECT_EQ(store_->counters().retried, 1u);
  EXPECT_EQ(store_->counters().sent, 1u);
}

TEST_F(AlertStoreTest, FinalStatesCannotBeLeft) {
  AlertId sent = InsertNew(MakeCandidate("A", kStart - 1));
  AlertId failed = InsertNew(MakeCandidate("B", kStart - 1));
  AlertId dead = InsertNew(MakeCandidate("C", kStart - 1));
  std::vector<AlertId> s = {sent}, f = {failed}, d = {dead};
  ASSERT_EQ(*store_->MarkSent("d1", s), 1);
  ASSERT_EQ(*store_->MarkFailed("d1", f, "HTTP 400: Invalid Form Body (code 50035)"), 1);
  ASSERT_EQ(*store_->MarkDead("d1", d, "HTTP 404: Unknown Webhook (code 10015)"), 1);
  EXPECT_EQ(DeliveryOf(failed, "d1").state, DeliveryState::kFailed);
  EXPECT_EQ(DeliveryOf(failed, "d1").last_error, "HTTP 400: Invalid Form Body (code 50035)");
  EXPECT_EQ(DeliveryOf(dead, "d1").state, DeliveryState::kDead);
  EXPECT_EQ(DeliveryOf(dead, "d1").attempts, 1);

  std::vector<AlertId> all = {sent, failed, dead};
  EXPECT_EQ(*store_->MarkRetry("d1", all, kStart, "late"), 0);
  EXPECT_EQ(*store_->MarkSent("d1", all), 0);
  EXPECT_EQ(*store_->MarkFailed("d1", all, "x"), 0);
  EXPECT_EQ(*store_->MarkDead("d1", all, "x"), 0);
  EXPECT_EQ(*store_->MarkSent("other", s), 0);  // no such delivery
  EXPECT_EQ(DeliveryOf(sent, "d1").state, DeliveryState::kSent);
  EXPECT_EQ(DeliveryOf(failed, "d1").state, DeliveryState::kFailed);
  EXPECT_EQ(DeliveryOf(dead, "d1").state, DeliveryState::kDead);
  EXPECT_EQ(store_->counters().sent, 1u);
  EXPECT_EQ(store_->counters().failed, 1u);
  EXPECT_EQ(store_->counters().dead, 1u);
  EXPECT_EQ(store_->counters().retried, 0u);
}

TEST_F(AlertStoreTest, DeadDestinationTakesItsWholeQueueAndNothingElse) {
  std::vector<std::string> both = {"discord:1", "discord:2"};
  AlertId a = InsertNew(MakeCandidate("A", kStart - 1), both);
  AlertId b = InsertNew(MakeCandidate("B", kStart - 1), both);
  std::vector<AlertId> first = {a};
  ASSERT_EQ(*store_->MarkSent("discord:1", first), 1);
  ASSERT_EQ(*store_->MarkDestinationDead("discord:1", "HTTP 401: Invalid Webhook Token"), 1);
  EXPECT_EQ(DeliveryOf(a, "discord:1").state, DeliveryState::kSent);
  EXPECT_EQ(DeliveryOf(b, "discord:1").state, DeliveryState::kDead);
  EXPECT_EQ(DeliveryOf(b, "discord:1").attempts, 0);
  EXPECT_EQ(DeliveryOf(b, "discord:1").last_error, "HTTP 401: Invalid Webhook Token");
  EXPECT_EQ(DeliveryOf(a, "discord:2").state, DeliveryState::kPending);
  EXPECT_EQ(DeliveryOf(b, "discord:2").state, DeliveryState::kPending);
  EXPECT_EQ(store_->counters().dead, 1u);
}

TEST_F(AlertStoreTest, GiveUpPendingOlderThanEndsOnlyOldPendingRows) {
  std::vector<std::string> two = {"discord:1", "discord:2"};
  AlertId old_alert = InsertNew(MakeCandidate("OLD", kStart - 1), two);
  std::vector<AlertId> sent = {old_alert};
  ASSERT_TRUE(store_->MarkSent("discord:2", sent));
  clock_.Advance(core::kHour);
  AlertId young = InsertNew(MakeCandidate("YOUNG", kStart - 1), two);

  ASSERT_EQ(*store_->GiveUpPendingOlderThan(kStart + 1, "not delivered within 1h"), 1);
  EXPECT_EQ(DeliveryOf(old_alert, "discord:1").state, DeliveryState::kFailed);
  EXPECT_EQ(DeliveryOf(old_alert, "discord:1").last_error, "not delivered within 1h");
  EXPECT_EQ(DeliveryOf(old_alert, "discord:2").state, DeliveryState::kSent);  // final stays
  EXPECT_EQ(DeliveryOf(young, "discord:1").state, DeliveryState::kPending);
  EXPECT_EQ(store_->counters().failed, 1u);
}

// One database, a spot and a futures scanner: the same symbol and bar alert once per market,
// each cooldown sees its own market, and each store hands out only its own market's rows.
TEST_F(AlertStoreTest, SpotAndFuturesShareADatabaseWithoutSuppressingEachOther) {
  auto usdm = AlertStore::Open(store_.db(), clock_, core::Market::kUsdm);
  ASSERT_TRUE(usdm);
  core::Candidate spot = MakeCandidate("BTCUSDT", kStart - 1);
  core::Candidate futures = spot;
  futures.market = core::Market::kUsdm;
  AlertId spot_id = InsertNew(spot, {"discord:1"});
  auto futures_insert = (*usdm)->Insert(futures, std::vector<std::string>{"discord:1"});
  ASSERT_TRUE(futures_insert);
  EXPECT_EQ(futures_insert->outcome, InsertOutcome::kInserted);
  EXPECT_NE(futures_insert->id, spot_id);

  core::Candidate later = MakeCandidate("ETHUSDT", kStart - 1 + 5 * kMinute);
  later.market = core::Market::kUsdm;
  ASSERT_TRUE((*usdm)->Insert(later, std::vector<std::string>{}));
  EXPECT_FALSE(
      store_->LastAlertCloseTime(core::Market::kSpot, "ETHUSDT", I("5m"), core::Direction::kUp)
          ->has_value());
  EXPECT_EQ(
      **(*usdm)->LastAlertCloseTime(core::Market::kUsdm, "ETHUSDT", I("5m"), core::Direction::kUp),
      kStart - 1 + 5 * kMinute);

  EXPECT_EQ(DueIds("discord:1"), std::vector<AlertId>{spot_id});
  auto futures_due = (*usdm)->DueDeliveries("discord:1", 10);
  ASSERT_TRUE(futures_due);
  ASSERT_EQ(futures_due->size(), 1u);
  EXPECT_EQ(futures_due->front().alert_id, futures_insert->id);
  EXPECT_EQ(*store_->PendingCounts(), (std::vector<PendingCount>{{"discord:1", 1}}));
  ASSERT_EQ(*(*usdm)->MarkDestinationDead("discord:1", "gone"), 1);
  EXPECT_EQ(DeliveryOf(spot_id, "discord:1").state, DeliveryState::kPending);
}

TEST_F(AlertStoreTest, PendingCountsPerDestination) {
  std::vector<std::string> both = {"b", "a"};
  AlertId x = InsertNew(MakeCandidate("X", kStart - 1), both);
  InsertNew(MakeCandidate("Y", kStart - 1), both);
  InsertNew(MakeCandidate("Z", kStart - 1), {"a"});
  std::vector<AlertId> ids = {x};
  ASSERT_TRUE(store_->MarkSent("b", ids));
  auto counts = store_->PendingCounts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(*counts, (std::vector<PendingCount>{{"a", 3}, {"b", 1}}));
}

TEST_F(AlertStoreTest, PendingDeliveriesDuplicatesAndCooldownSurviveRestart) {
  core::Candidate c = MakeCandidate("BTCUSDT", kStart - 1);
  AlertId sent = InsertNew(c, {"d1"});
  AlertId pending = InsertNew(MakeCandidate("ETHUSDT", kStart - 1), {"d1"});
  AlertId retrying = InsertNew(MakeCandidate("SOLUSDT", kStart - 1), {"d1"});
  std::vector<AlertId> s = {sent}, r = {retrying};
  ASSERT_TRUE(store_->MarkSent("d1", s));
  ASSERT_TRUE(store_->MarkRetry("d1", r, kStart + 60'000, "HTTP 502"));

  Reopen();
  EXPECT_EQ(store_->counters().inserted, 0u);  // counters are per process
  EXPECT_EQ(DueIds("d1"), std::vector<AlertId>{pending});
  clock_.Advance(60'000);
  EXPECT_EQ(DueIds("d1"), (std::vector<AlertId>{pending, retrying}));
  EXPECT_EQ(DeliveryOf(retrying, "d1").attempts, 1);
  auto duplicate = store_->Insert(c, std::vector<std::string>{"d1"});
  ASSERT_TRUE(duplicate);
  EXPECT_EQ(duplicate->outcome, InsertOutcome::kDuplicate);
  EXPECT_EQ(duplicate->id, sent);
  auto last =
      store_->LastAlertCloseTime(core::Market::kSpot, "BTCUSDT", I("5m"), core::Direction::kUp);
  ASSERT_TRUE(last && last->has_value());
  EXPECT_EQ(**last, kStart - 1);
}

TEST_F(AlertStoreTest, CooldownLookupIsPerSymbolIntervalAndDirection) {
  auto none =
      store_->LastAlertCloseTime(core::Market::kSpot, "BTCUSDT", I("5m"), core::Direction::kUp);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  InsertNew(MakeCandidate("BTCUSDT", kStart - 1 - 10 * kMinute));
  InsertNew(MakeCandidate("BTCUSDT", kStart - 1));
  InsertNew(MakeCandidate("BTCUSDT", kStart - 1 - 5 * kMinute));
  core::Candidate down = MakeCandidate("BTCUSDT", kStart - 1 + 5 * kMinute);
  down.direction = core::Direction::kDown;
  InsertNew(down);
  InsertNew(MakeCandidate("BTCUSDT", kStart - 1 + 60 * kMinute, "1h"));

  EXPECT_EQ(
      **store_->LastAlertCloseTime(core::Market::kSpot, "BTCUSDT", I("5m"), core::Direction::kUp),
      kStart - 1);
  EXPECT_EQ(
      **store_->LastAlertCloseTime(core::Market::kSpot, "BTCUSDT", I("5m"), core::Direction::kDown),
      kStart - 1 + 5 * kMinute);
  EXPECT_FALSE(
      store_->LastAlertCloseTime(core::Market::kSpot, "ETHUSDT", I("5m"), core::Direction::kUp)
          ->has_value());
  EXPECT_FALSE(
      store_->LastAlertCloseTime(core::Market::kSpot, "BTCUSDT", I("15m"), core::Direction::kUp)
          ->has_value());
}

TEST_F(AlertStoreTest, RetentionDeletesFinishedAlertsButKeepsPendingOnes) {
  std::vector<std::string> both = {"d1", "d2"};
  AlertId old_sent = InsertNew(MakeCandidate("A", kStart - 1), both);
  AlertId old_half = InsertNew(MakeCandidate("B", kStart - 1), both);  // d2 still pending
  AlertId old_failed = InsertNew(MakeCandidate("C", kStart - 1), {"d1"});
  AlertId old_no_destination = InsertNew(MakeCandidate("D", kStart - 1), {});
  std::vector<AlertId> a = {old_sent}, b = {old_half}, c = {old_failed};
  ASSERT_TRUE(store_->MarkSent("d1", a));
  ASSERT_TRUE(store_->MarkDead("d2", a, "HTTP 404"));
  ASSERT_TRUE(store_->MarkSent("d1", b));
  ASSERT_TRUE(store_->MarkFailed("d1", c, "HTTP 400"));
  clock_.Advance(core::kDay);
  AlertId recent = InsertNew(MakeCandidate("E", kStart - 1), {"d1"});
  std::vector<AlertId> e = {recent};
  ASSERT_TRUE(store_->MarkSent("d1", e));

  auto result = store_->DeleteOlderThan(kStart + 1);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->deleted, 3);
  EXPECT_EQ(result->kept_pending, 1);
  for (AlertId gone : {old_sent, old_failed, old_no_destination}) {
    EXPECT_FALSE(store_->FindAlert(gone)->has_value());
    EXPECT_TRUE(store_->Deliveries(gone)->empty());  // cascaded
  }
  EXPECT_TRUE(store_->FindAlert(old_half)->has_value());
  EXPECT_EQ(store_->Deliveries(old_half)->size(), 2u);
  EXPECT_TRUE(store_->FindAlert(recent)->has_value());
  EXPECT_EQ(DueIds("d2"), std::vector<AlertId>{old_half});

  // Once its last delivery finishes, the next pass removes it; the cutoff itself is exclusive.
  ASSERT_TRUE(store_->MarkSent("d2", b));
  auto second = store_->DeleteOlderThan(kStart + core::kDay);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->deleted, 1);
  EXPECT_EQ(second->kept_pending, 0);
  EXPECT_TRUE(store_->FindAlert(recent)->has_value());
  EXPECT_EQ(store_->counters().deleted, 4u);

  // A deleted key may alert again (retention is longer than any cooldown).
  InsertNew(MakeCandidate("A", kStart - 1));
}

TEST_F(AlertStoreTest, UnreadableRowIsAnErrorNotACrash) {
  AlertId id = InsertNew(MakeCandidate("A", kStart - 1));
  ASSERT_TRUE(
      store_.db().Exec("UPDATE alerts SET confirmations = '7x' WHERE id = " + std::to_string(id)));
  auto found = store_->FindAlert(id);
  EXPECT_FALSE(found);
  EXPECT_FALSE(store_->DueDeliveries("d1", 10));
}

}  // namespace
}  // namespace scanner::alerts
