// AlertStore's episodes, message ids and outcome edits (message_edit_store.h), on a file.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "alerts/alert_store.h"
#include "alerts/message_edit_store.h"
#include "alerts/outcome_store.h"
#include "support/alert_store_on_disk.h"
#include "support/candidates.h"
#include "support/scratch_dir.h"

namespace scanner::alerts {
namespace {

using core::kMinute;
using core::Millis;

constexpr Millis kNoon = support::kSampleNoon;

// The up move of `symbol` on the `interval` bar that opens at `open`.
core::Candidate Bar(std::string_view interval, Millis open, std::string symbol = "BTCUSDT") {
  return support::MakeCandidate(std::move(symbol), open + support::I(interval).DurationMs() - 1,
                                interval);
}

class AlertStoreMessagesTest : public ::testing::Test {
 protected:
  void SetUp() override { store_.Open(); }

  InsertResult Insert(const core::Candidate& c, std::vector<std::string> destinations = {"d1"}) {
    auto result = store_->Insert(c, destinations);
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : InsertResult{};
  }

  std::vector<DueDelivery> Due(std::string_view destination = "d1") {
    auto due = store_->DueDeliveries(destination, 100);
    EXPECT_TRUE(due) << due.error().message;
    return due ? *due : std::vector<DueDelivery>{};
  }

  std::vector<EditRecord> Edits(std::string_view destination = "d1") {
    auto edits = store_->edits().Edits(destination);
    EXPECT_TRUE(edits) << edits.error().message;
    return edits ? *edits : std::vector<EditRecord>{};
  }

  void Sent(AlertId id, std::string_view message_id, std::string_view destination = "d1") {
    const AlertId ids[] = {id};
    auto marked = store_->MarkSent(destination, ids, message_id);
    ASSERT_TRUE(marked) << marked.error().message;
    ASSERT_EQ(*marked, 1);
  }

  support::ScratchDir dir_;
  core::FakeClock clock_{kNoon + core::kHour};
  support::AlertStoreOnDisk store_{dir_.Path("scanner.db"), clock_};
};

TEST_F(AlertStoreMessagesTest, InsertPlacesAlertsInEpisodes) {
  InsertResult first = Insert(Bar("1m", kNoon + 3 * kMinute));
  EXPECT_TRUE(first.posts_message);
  EXPECT_EQ(first.episode_id, first.id);
  InsertResult joined = Insert(Bar("5m", kNoon));
  EXPECT_FALSE(joined.posts_message);
  EXPECT_EQ(joined.episode_id, first.id);
  core::Candidate strong = Bar("15m", kNoon);
  strong.severity = core::Severity::kStrong;
  InsertResult escalated = Insert(strong);
  EXPECT_TRUE(escalated.posts_message);
  EXPECT_EQ(escalated.episode_id, first.id);
  InsertResult other = Insert(Bar("5m", kNoon, "ETHUSDT"));
  EXPECT_TRUE(other.posts_message);
  EXPECT_EQ(other.episode_id, other.id);

  auto stored = store_->FindAlert(joined.id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->episode_id, first.id);
  EXPECT_EQ((*stored)->message_head_id, first.id);
  auto head = store_->FindAlert(escalated.id);
  EXPECT_EQ((*head)->message_head_id, escalated.id);

  // A duplicate posts nothing and names the stored alert's episode.
  InsertResult again = Insert(Bar("5m", kNoon));
  EXPECT_EQ(again.outcome, InsertOutcome::kDuplicate);
  EXPECT_FALSE(again.posts_message);
  EXPECT_EQ(again.episode_id, first.id);

  // The due rows say where each alert is shown; the escalating head names the head it escalates.
  std::vector<DueDelivery> due = Due();
  ASSERT_EQ(due.size(), 4u);
  EXPECT_TRUE(due[0].posts_own());
  EXPECT_FALSE(due[0].place.escalates);
  EXPECT_FALSE(due[1].posts_own());
  EXPECT_EQ(due[1].place.message_head_id, first.id);
  EXPECT_EQ(due[1].head_state, DeliveryState::kPending);
  ASSERT_TRUE(due[2].place.escalates);
  EXPECT_EQ(due[2].place.escalates->id, first.id);
  EXPECT_EQ(due[2].place.escalates->interval, support::I("1m"));
  EXPECT_EQ(due[2].place.escalates->bar_close_time, kNoon + 4 * kMinute - 1);
  EXPECT_EQ(due[3].episode_id, other.id);
}

TEST_F(AlertStoreMessagesTest, AJoiningAlertWaitsWhileItsHeadIsNotDue) {
  AlertId head = Insert(Bar("1m", kNoon + 3 * kMinute)).id;
  const AlertId ids[] = {head};
  ASSERT_TRUE(store_->MarkRetry("d1", ids, clock_.NowMs() + 10'000, "HTTP 503"));
  AlertId joined = Insert(Bar("5m", kNoon)).id;
  EXPECT_TRUE(Due().empty());
  auto next = store_->NextAttemptTime("d1");
  ASSERT_TRUE(next && *next);
  EXPECT_EQ(**next, clock_.NowMs() + 10'000);

  clock_.Advance(10'000);
  std::vector<DueDelivery> due = Due();
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].alert_id, head);
  EXPECT_EQ(due[1].alert_id, joined);

  // Once the head is sent, the joining alert sees its message and how full it is.
  Sent(head, "900");
  due = Due();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].head_state, DeliveryState::kSent);
  EXPECT_EQ(due[0].head_message_id, "900");
  EXPECT_EQ(due[0].head_message_alerts, 1);
}

TEST_F(AlertStoreMessagesTest, MessageIdsAreStoredAndMessagesListTheirAlerts) {
  AlertId head = Insert(Bar("1m", kNoon + 3 * kMinute), {"d1", "d2"}).id;
  AlertId other = Insert(Bar("1m", kNoon, "ETHUSDT"), {"d1"}).id;
  AlertId joined = Insert(Bar("5m", kNoon), {"d1"}).id;
  const AlertId both[] = {head, other};
  ASSERT_TRUE(store_->MarkSent("d1", both, "900"));
  const AlertId on_d2[] = {head};
  ASSERT_TRUE(store_->MarkSent("d2", on_d2, ""));  // an answer without a message id
  Sent(joined, "900");

  EXPECT_EQ(store_->Deliveries(head)->at(0).message_id, "900");
  EXPECT_EQ(store_->Deliveries(head)->at(1).message_id, "");
  auto shown = store_->MessageAlerts("d1", "900");
  ASSERT_TRUE(shown);
  ASSERT_EQ(shown->size(), 3u);
  EXPECT_EQ((*shown)[0].id, head);
  EXPECT_EQ((*shown)[1].id, other);
  EXPECT_EQ((*shown)[2].id, joined);
  EXPECT_EQ((*shown)[2].place.message_head_id, head);
  EXPECT_EQ((*shown)[2].candidate.interval, support::I("5m"));
  EXPECT_TRUE(store_->MessageAlerts("d2", "900")->empty());
}

TEST_F(AlertStoreMessagesTest, TheChartFileOfEachAlertSentWithOneIsRecorded) {
  AlertId head = Insert(Bar("1m", kNoon + 3 * kMinute), {"d1", "d2"}).id;
  AlertId other = Insert(Bar("1m", kNoon, "ETHUSDT"), {"d1"}).id;
  AlertId joined = Insert(Bar("5m", kNoon), {"d1"}).id;
  const AlertId both[] = {head, other};
  const AttachedChart charts[] = {{head, "BTCUSDT-1m-x.png"}};
  ASSERT_EQ(*store_->MarkSent("d1", both, "900", charts), 2);
  const AlertId on_d2[] = {head};
  ASSERT_EQ(*store_->MarkSent("d2", on_d2, "901"), 1);  // sent there without a chart
  Sent(joined, "900");
  // A later mark of a row no longer pending changes nothing, the chart file included.
  const AttachedChart other_chart[] = {{head, "other.png"}};
  ASSERT_EQ(*store_->MarkSent("d1", on_d2, "900", other_chart), 0);

  EXPECT_EQ(store_->Deliveries(head)->at(0).chart_file, "BTCUSDT-1m-x.png");
  EXPECT_EQ(store_->Deliveries(head)->at(1).chart_file, "");
  auto shown = store_->MessageAlerts("d1", "900");
  ASSERT_TRUE(shown);
  ASSERT_EQ(shown->size(), 3u);
  EXPECT_EQ((*shown)[0].chart_file, "BTCUSDT-1m-x.png");
  EXPECT_EQ((*shown)[1].chart_file, "");
  EXPECT_EQ((*shown)[2].chart_file, "");
  EXPECT_EQ(store_->MessageAlerts("d2", "901")->at(0).chart_file, "");
}

TEST_F(AlertStoreMessagesTest, OutcomeEditsAreRecordedOncePerSentMessage) {
  AlertId head = Insert(Bar("1m", kNoon + 3 * kMinute), {"d1", "d2", "d3"}).id;
  AlertId joined = Insert(Bar("5m", kNoon), {"d1"}).id;
  AlertId unsent = Insert(Bar("1m", kNoon, "ETHUSDT"), {"d1"}).id;
  Sent(head, "900");
  Sent(joined, "900");
  Sent(head, "", "d2");  // sent, but its message is unknown: nothing to edit
  // d3 still pending: it renders the outcome when it is sent.

  EXPECT_EQ(*store_->RequestOutcomeEdit(unsent), 0);
  EXPECT_TRUE(Edits().empty());
  EXPECT_EQ(*store_->RequestOutcomeEdit(head), 1);
  // The joined alert's outcome edits the same message: still one edit, due now.
  EXPECT_EQ(*store_->RequestOutcomeEdit(joined), 1);
  std::vector<EditRecord> edits = Edits();
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].message_id, "900");
  EXPECT_EQ(edits[0].state, EditState::kPending);
  EXPECT_EQ(edits[0].requests, 2);
  EXPECT_TRUE(Edits("d2").empty());
  EXPECT_TRUE(Edits("d3").empty());

  auto due = store_->edits().NextDue("d1");
  ASSERT_TRUE(due && *due);
  EXPECT_EQ((*due)->message_id, "900");
  // A request that arrives while the edit is on its way keeps it pending for one more send.
  ASSERT_TRUE(store_->RequestOutcomeEdit(head));
  EXPECT_EQ(*store_->edits().MarkDone("d1", "900", (*due)->requests), 1);
  EXPECT_EQ(Edits()[0].state, EditState::kPending);
  EXPECT_EQ(*store_->edits().MarkDone("d1", "900", Edits()[0].requests), 1);
  EXPECT_EQ(Edits()[0].state, EditState::kDone);
  EXPECT_FALSE(*store_->edits().NextDue("d1"));
  EXPECT_FALSE(*store_->edits().NextAttemptTime("d1"));

  // A later request renders the message again.
  ASSERT_TRUE(store_->RequestOutcomeEdit(joined));
  EXPECT_EQ(Edits()[0].state, EditState::kPending);
  EXPECT_EQ(Edits()[0].attempts, 0);
}

TEST_F(AlertStoreMessagesTest, EditRetriesFailuresAndRetention) {
  AlertId head = Insert(Bar("1m", kNoon + 3 * kMinute)).id;
  Sent(head, "900");
  ASSERT_TRUE(store_->RequestOutcomeEdit(head));
  ASSERT_EQ(*store_->edits().MarkRetry("d1", "900", clock_.NowMs() + 5'000, "HTTP 500"), 1);
  EXPECT_FALSE(*store_->edits().NextDue("d1"));
  EXPECT_EQ(**store_->edits().NextAttemptTime("d1"), clock_.NowMs() + 5'000);
  EXPECT_EQ(Edits()[0].last_error, "HTTP 500");
  ASSERT_EQ(*store_->edits().MarkFailed("d1", "900", "HTTP 404: Unknown Message"), 1);
  EXPECT_EQ(Edits()[0].state, EditState::kFailed);
  EXPECT_EQ(Edits()[0].attempts, 2);
  EXPECT_EQ(*store_->edits().MarkDone("d1", "900", 1), 0);  // final stays final

  // A spot store never sees the edits of a futures store's messages.
  core::Candidate futures = Bar("1m", kNoon, "ETHUSDT");
  futures.market = core::Market::kUsdm;
  auto usdm = AlertStore::Open(store_.db(), clock_, core::Market::kUsdm);
  ASSERT_TRUE(usdm);
  auto inserted = (*usdm)->Insert(futures, std::vector<std::string>{"d1"});
  ASSERT_TRUE(inserted);
  const AlertId ids[] = {inserted->id};
  ASSERT_TRUE((*usdm)->MarkSent("d1", ids, "901"));
  ASSERT_EQ(*(*usdm)->RequestOutcomeEdit(inserted->id), 1);
  EXPECT_FALSE(*store_->edits().NextDue("d1"));
  EXPECT_TRUE(*(*usdm)->edits().NextDue("d1"));

  // Retention takes the edits of messages whose alerts are gone.
  clock_.Advance(core::kDay);
  ASSERT_TRUE(store_->DeleteOlderThan(clock_.NowMs()));
  EXPECT_TRUE(Edits().empty());
}

}  // namespace
}  // namespace scanner::alerts

namespace scanner::alerts {
namespace {

core::OutcomeProgress FinalOutcome() {
  core::OutcomeProgress progress;
  progress.outcome = {{1, 5, 20}, {0.1, 0.2, 0.3}, 1.0, -0.5, true};
  progress.last_bar = 20;
  return progress;
}

// The outcome's commit and its edit request are two commits: a crash in between (or a refused
// write) leaves a message that should be edited and is not. The recovery finds exactly those.
TEST_F(AlertStoreMessagesTest, MissedOutcomeEditsAreFoundOnceAndOnlyForMessagesSentBefore) {
  auto outcomes = OutcomeStore::Open(store_.db(), clock_);
  ASSERT_TRUE(outcomes);
  const InsertResult sent_before = Insert(Bar("1m", kNoon));
  const InsertResult sent_after = Insert(Bar("1m", kNoon, "ETHUSDT"));
  Sent(sent_before.id, "111");
  clock_.Advance(21 * kMinute);
  ASSERT_TRUE((*outcomes)->Save(sent_before.id, FinalOutcome()));
  ASSERT_TRUE((*outcomes)->Save(sent_after.id, FinalOutcome()));
  clock_.Advance(kMinute);
  Sent(sent_after.id, "222");  // its post already showed the outcome

  auto found = store_->edits().RequestMissedOutcomeEdits(clock_.NowMs() - core::kDay);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, 1);
  std::vector<EditRecord> edits = Edits();
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].message_id, "111");
  EXPECT_EQ(edits[0].state, EditState::kPending);
  // Pending: nothing more to record; done afterwards: nothing either.
  EXPECT_EQ(*store_->edits().RequestMissedOutcomeEdits(clock_.NowMs() - core::kDay), 0);
  clock_.Advance(core::kSecond);
  ASSERT_TRUE(store_->edits().MarkDone("d1", "111", edits[0].requests));
  EXPECT_EQ(*store_->edits().RequestMissedOutcomeEdits(clock_.NowMs() - core::kDay), 0);
  EXPECT_EQ(Edits()[0].state, EditState::kDone);
  // Outcomes older than the window are not looked at.
  EXPECT_EQ(*store_->edits().RequestMissedOutcomeEdits(clock_.NowMs()), 0);
}

}  // namespace
}  // namespace scanner::alerts
