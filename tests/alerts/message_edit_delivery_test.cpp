// Loopback: message ids, episodes sharing a message, and outcome edits, from AlertDispatcher
// to the fake Discord on a FakeClock. Each test ends with the fixture's token checks.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "alerts/alert_dispatcher.h"
#include "alerts/message_edit_store.h"
#include "delivery_test_support.h"

namespace scanner::alerts::delivery_test {
namespace {

using fakes::DiscordFault;
using fakes::DiscordFaultSpec;
using fakes::DiscordRequestKind;

constexpr std::string_view kDestination = "discord:111";
// The 5m bar of MakeCandidate opens at kBarClose + 1 - 5 min; this 1m bar lies inside it.
constexpr core::Millis kOneMinuteClose = kBarClose - 2 * core::kMinute;

core::Outcome Measured() {
  core::Outcome outcome;
  outcome.horizons = {1, 5, 20};
  outcome.returns_percent = {0.5, 1.2, 2.1};
  outcome.mfe_percent = 3.4;
  outcome.mae_percent = -0.6;
  outcome.complete = true;
  return outcome;
}
constexpr std::string_view kOutcomeLine = "after 20 bars: +2.1 % (best +3.4 %, worst -0.6 %)";

DiscordFaultSpec EditFault(DiscordFault kind, int count = 1) {
  DiscordFaultSpec fault;
  fault.fault = kind;
  fault.count = count;
  fault.requests = DiscordRequestKind::kEdit;
  return fault;
}

std::string FieldValue(const fakes::RecordedEmbed& embed, std::string_view name) {
  for (const fakes::RecordedField& field : embed.fields) {
    if (field.name == name) return field.value;
  }
  return "<missing>";
}

class MessageEditDeliveryTest : public DeliveryTest {
 protected:
  void SetUp() override {
    DeliveryTest::SetUp();
    UseFakeClock();
    fakes::FakeDiscordOptions options;
    options.clock = &fake_clock_;
    StartFake(std::move(options));
  }

  AlertDispatcherOptions Options() {
    AlertDispatcherOptions options = FastOptions({Url("111")});
    options.outcomes = [this](AlertId id) -> std::optional<core::Outcome> {
      auto it = outcomes_.find(id);
      if (it == outcomes_.end()) return std::nullopt;
      return it->second;
    };
    return options;
  }

  std::vector<EditRecord> Edits() {
    auto edits = store_->edits().Edits(kDestination);
    EXPECT_TRUE(edits) << edits.error().message;
    return edits ? *edits : std::vector<EditRecord>{};
  }

  bool NoPendingEdit() {
    for (const EditRecord& edit : Edits()) {
      if (edit.state == EditState::kPending) return false;
    }
    return true;
  }

  // Runs until nothing is pending or in flight, moving the fake clock a second whenever the
  // sender waits for time (pacing, backoff); false after ten simulated minutes.
  bool Drive() {
    for (int second = 0; second < 600; ++second) {
      if (!RunUntil(io_, [&] { return dispatcher_->InFlightRequests() == 0; })) return false;
      if (Settled() && NoPendingEdit()) return true;
      fake_clock_.Advance(core::kSecond);
      dispatcher_->Wake();
    }
    return false;
  }

  std::string MessageIdOf(AlertId id) { return Delivery(id, kDestination).message_id; }

  void ExpectNoViolations() {
    auto stats = fake_->stats();
    EXPECT_EQ(stats.violations, 0);
    for (const std::string& reason : stats.violation_reasons) ADD_FAILURE() << reason;
  }

  std::map<AlertId, core::Outcome> outcomes_;
};

TEST_F(MessageEditDeliveryTest, TheMessageIdOfAPostIsStored) {
  MakeDispatcher(Options());
  AlertId a = Submit(MakeCandidate("AAAUSDT"));
  AlertId b = Submit(MakeCandidate("BBBUSDT"));
  ASSERT_TRUE(Drive());
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(MessageIdOf(a), messages[0].id);
  EXPECT_EQ(MessageIdOf(b), messages[1].id);
  EXPECT_NE(messages[0].id, messages[1].id);
  ExpectNoViolations();
}

TEST_F(MessageEditDeliveryTest, AJoiningAlertEditsItsHeadsMessageInsteadOfPosting) {
  MakeDispatcher(Options());
  AlertId head = Submit(MakeCandidate("BTCUSDT", "1m", core::Severity::kNormal, kOneMinuteClose));
  ASSERT_TRUE(Drive());
  ASSERT_EQ(fake_->Messages().size(), 1u);
  const std::string message_id = fake_->Messages()[0].id;

  AlertId joined = Submit(MakeCandidate("BTCUSDT", "5m"));
  ASSERT_TRUE(Drive());
  EXPECT_EQ(fake_->Messages().size(), 1u);  // no second post
  auto edits = fake_->Edits();
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].message_id, message_id);
  ASSERT_EQ(edits[0].body.embeds.size(), 1u);
  EXPECT_NE(edits[0].body.embeds[0].title.find(" BTCUSDT 1m"), std::string::npos);
  EXPECT_NE(FieldValue(edits[0].body.embeds[0], "▲ 5m").find("Change +3.42%"), std::string::npos);
  EXPECT_EQ(edits[0].body.username, "");  // an edit does not rename the message
  EXPECT_EQ(MessageIdOf(head), message_id);
  EXPECT_EQ(MessageIdOf(joined), message_id);
  EXPECT_EQ(Delivery(joined, kDestination).state, DeliveryState::kSent);
  ExpectNoViolations();
}

TEST_F(MessageEditDeliveryTest, AnAlertWhoseHeadIsStillPendingGoesInTheHeadsPost) {
  MakeDispatcher(Options(), /*start=*/false);
  Submit(MakeCandidate("BTCUSDT", "1m", core::Severity::kNormal, kOneMinuteClose));
  Submit(MakeCandidate("BTCUSDT", "5m"));
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(Drive());
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_EQ(messages[0].embeds.size(), 1u);
  EXPECT_NE(FieldValue(messages[0].embeds[0], "▲ 5m"), "<missing>");
  EXPECT_TRUE(fake_->Edits().empty());
}

TEST_F(MessageEditDeliveryTest, AnEscalatingAlertPostsANewMessageThatRefersToTheFirst) {
  MakeDispatcher(Options());
  Submit(MakeCandidate("BTCUSDT", "1m", core::Severity::kNormal, kOneMinuteClose));
  ASSERT_TRUE(Drive());
  Submit(MakeCandidate("BTCUSDT", "5m", core::Severity::kStrong));
  ASSERT_TRUE(Drive());
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_TRUE(fake_->Edits().empty());
  EXPECT_NE(messages[1].embeds.at(0).title.find(" BTCUSDT 5m up · strong"), std::string::npos);
  EXPECT_EQ(messages[1].embeds.at(0).description, "Escalates the move alerted at 22:13 UTC on 1m.");
}

TEST_F(MessageEditDeliveryTest, OtherSymbolsDirectionsAndLaterBarsPostTheirOwnMessages) {
  MakeDispatcher(Options());
  Submit(MakeCandidate("BTCUSDT", "5m"));
  ASSERT_TRUE(Drive());
  core::Candidate down = MakeCandidate("BTCUSDT", "1m", core::Severity::kNormal, kOneMinuteClose);
  down.direction = core::Direction::kDown;
  down.change_percent = -down.change_percent;
  Submit(down);
  Submit(MakeCandidate("ETHUSDT", "1m", core::Severity::kNormal, kOneMinuteClose));
  Submit(MakeCandidate("BTCUSDT", "1m", core::Severity::kNormal, kBarClose + core::kMinute));
  ASSERT_TRUE(Drive());
  std::size_t embeds = 0;
  for (const auto& message : fake_->Messages()) embeds += message.embeds.size();
  EXPECT_EQ(embeds, 4u);
  EXPECT_TRUE(fake_->Edits().empty());
  ExpectNoViolations();
}

TEST_F(MessageEditDeliveryTest, AnOutcomeEditIsSentOnceAndOnlyWhenRequested) {
  MakeDispatcher(Options());
  AlertId id = Submit(MakeCandidate("AAAUSDT"));
  ASSERT_TRUE(Drive());
  outcomes_[id] = Measured();
  fake_clock_.Advance(core::kMinute);
  dispatcher_->Wake();
  ASSERT_TRUE(Drive());
  EXPECT_TRUE(fake_->Edits().empty());  // known, but not requested

  ASSERT_EQ(*dispatcher_->RequestOutcomeEdit(id), 1);
  ASSERT_TRUE(Drive());
  auto edits = fake_->Edits();
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].message_id, MessageIdOf(id));
  EXPECT_EQ(FieldValue(edits[0].body.embeds.at(0), "Outcome"), kOutcomeLine);
  EXPECT_EQ(Edits().at(0).state, EditState::kDone);
  fake_clock_.Advance(core::kHour);
  dispatcher_->Wake();
  ASSERT_TRUE(Drive());
  EXPECT_EQ(fake_->Edits().size(), 1u);
  ExpectNoViolations();
}

TEST_F(MessageEditDeliveryTest, AnOutcomeKnownWhenPostingIsInThePost) {
  MakeDispatcher(Options(), /*start=*/false);
  AlertId id = Submit(MakeCandidate("AAAUSDT"));
  outcomes_[id] = Measured();
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(Drive());
  EXPECT_EQ(FieldValue(fake_->Messages().at(0).embeds.at(0), "Outcome"), kOutcomeLine);
}

TEST_F(MessageEditDeliveryTest, EditsWaitForPendingPosts) {
  MakeDispatcher(Options());
  AlertId id = Submit(MakeCandidate("AAAUSDT"));
  ASSERT_TRUE(Drive());
  outcomes_[id] = Measured();
  // The edit is recorded first, yet the new alert goes before it.
  ASSERT_TRUE(store_->RequestOutcomeEdit(id));
  Submit(MakeCandidate("BBBUSDT"));
  ASSERT_TRUE(Drive());
  auto messages = fake_->Messages();
  auto edits = fake_->Edits();
  ASSERT_EQ(messages.size(), 2u);
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_LT(messages[1].received_us, edits[0].body.received_us);
}

TEST_F(MessageEditDeliveryTest, APendingEditSurvivesARestart) {
  MakeDispatcher(Options());
  AlertId id = Submit(MakeCandidate("AAAUSDT"));
  ASSERT_TRUE(Drive());
  outcomes_[id] = Measured();
  MakeDispatcher(Options(), /*start=*/false);  // the old one goes; this one is not started
  ASSERT_EQ(*dispatcher_->RequestOutcomeEdit(id), 1);
  Reopen();  // process exit before anything was sent
  EXPECT_TRUE(fake_->Edits().empty());
  MakeDispatcher(Options());
  ASSERT_TRUE(Drive());
  ASSERT_EQ(fake_->Edits().size(), 1u);
  EXPECT_EQ(FieldValue(fake_->Edits()[0].body.embeds.at(0), "Outcome"), kOutcomeLine);
}

TEST_F(MessageEditDeliveryTest, AServerErrorRetriesTheEdit) {
  MakeDispatcher(Options());
  AlertId id = Submit(MakeCandidate("AAAUSDT"));
  ASSERT_TRUE(Drive());
  fake_->Inject(EditFault(DiscordFault::k5xx, 2));
  outcomes_[id] = Measured();
  ASSERT_TRUE(dispatcher_->RequestOutcomeEdit(id));
  ASSERT_TRUE(Drive());
  EXPECT_EQ(fake_->Edits().size(), 1u);
  EXPECT_EQ(fake_->RequestsFor("111"), 4);  // the post, two 503s, the edit
  EXPECT_EQ(Edits().at(0).state, EditState::kDone);
  EXPECT_EQ(Edits().at(0).attempts, 3);
}

TEST_F(MessageEditDeliveryTest, AnEditOfADeletedMessageFailsAloneAndTheWebhookLives) {
  MakeDispatcher(Options());
  AlertId gone = Submit(MakeCandidate("AAAUSDT"));
  ASSERT_TRUE(Drive());
  AlertId kept = Submit(MakeCandidate("BBBUSDT"));
  ASSERT_TRUE(Drive());
  fake_->DeleteMessage(MessageIdOf(gone));
  outcomes_[gone] = Measured();
  outcomes_[kept] = Measured();
  ASSERT_TRUE(dispatcher_->RequestOutcomeEdit(gone));
  ASSERT_TRUE(dispatcher_->RequestOutcomeEdit(kept));
  ASSERT_TRUE(Drive());
  for (const EditRecord& edit : Edits()) {
    if (edit.message_id == MessageIdOf(gone)) {
      EXPECT_EQ(edit.state, EditState::kFailed);
      EXPECT_NE(edit.last_error.find("10008"), std::string::npos) << edit.last_error;
      EXPECT_EQ(edit.attempts, 1);
    } else {
      EXPECT_EQ(edit.state, EditState::kDone);
    }
  }
  EXPECT_TRUE(dispatcher_->DeadDestinations().empty());
  Submit(MakeCandidate("CCCUSDT"));
  ASSERT_TRUE(Drive());
  EXPECT_EQ(fake_->Messages().size(), 3u);
  EXPECT_EQ(fake_->stats().unknown_message, 1);
}

TEST_F(MessageEditDeliveryTest, EditsWaitOutA429) {
  MakeDispatcher(Options());
  AlertId id = Submit(MakeCandidate("AAAUSDT"));
  ASSERT_TRUE(Drive());
  DiscordFaultSpec limited = EditFault(DiscordFault::k429);
  limited.retry_after_seconds = 30;
  fake_->Inject(limited);
  outcomes_[id] = Measured();
  ASSERT_TRUE(dispatcher_->RequestOutcomeEdit(id));
  ASSERT_TRUE(RunUntil(
      io_, [&] { return fake_->RequestsFor("111") == 2 && dispatcher_->InFlightRequests() == 0; }));
  const core::Millis limited_at = fake_clock_.NowMs();
  EXPECT_GE(dispatcher_->WebhookStatuses().at(0).next_send_at, limited_at + 30 * core::kSecond);
  fake_clock_.Advance(29 * core::kSecond);
  dispatcher_->Wake();
  ASSERT_TRUE(RunUntil(io_, [&] { return dispatcher_->InFlightRequests() == 0; }));
  EXPECT_EQ(fake_->RequestsFor("111"), 2);  // still waiting
  EXPECT_EQ(Edits().at(0).attempts, 0);     // a 429 charges nothing
  ASSERT_TRUE(Drive());
  EXPECT_EQ(fake_->Edits().size(), 1u);
  EXPECT_EQ(fake_->RequestsFor("111"), 3);
  ExpectNoViolations();
}

TEST_F(MessageEditDeliveryTest, WithEditOutcomesOffNothingIsEdited) {
  AlertDispatcherOptions options = Options();
  options.edit_outcomes = false;
  MakeDispatcher(std::move(options));
  AlertId id = Submit(MakeCandidate("AAAUSDT"));
  ASSERT_TRUE(Drive());
  outcomes_[id] = Measured();
  EXPECT_EQ(*dispatcher_->RequestOutcomeEdit(id), 0);
  ASSERT_TRUE(store_->RequestOutcomeEdit(id));  // recorded behind its back: left alone
  fake_clock_.Advance(core::kMinute);
  dispatcher_->Wake();
  ASSERT_TRUE(RunUntil(io_, [&] { return dispatcher_->InFlightRequests() == 0; }));
  EXPECT_TRUE(fake_->Edits().empty());
  EXPECT_EQ(Edits().at(0).state, EditState::kPending);
}

}  // namespace
}  // namespace scanner::alerts::delivery_test
