// Loopback: alerts posted with their chart attached (multipart/form-data), from AlertDispatcher
// to the fake Discord on a FakeClock: waiting for a chart, going without it, resends that carry
// the same bytes, and joins and outcome edits that keep the picture. Each test ends with the
// fixture's token checks and the fake's verdict that every request was valid.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "alerts/alert_chart.h"
#include "alerts/alert_dispatcher.h"
#include "alerts/message_edit_store.h"
#include "delivery_test_support.h"

namespace scanner::alerts::delivery_test {
namespace {

using fakes::DiscordFault;
using fakes::DiscordFaultSpec;
using fakes::DiscordRequestKind;

constexpr std::string_view kChartDestination = "discord:222";
constexpr core::Millis kHeadClose = kBarClose - 2 * core::kMinute;  // a 1m bar inside the 5m one
constexpr std::string_view kRefusedSymbol = "REFUSEDUSDT";

// What the renderer would draw for alert `id`: PNG-signed bytes that depend on the id only, so a
// second rendering (after a restart) is byte-identical.
std::string RenderedPng(AlertId id) {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  for (int i = 0; i < 200; ++i) png.push_back(static_cast<char>((id * 131 + i * 7) & 0xFF));
  return png;
}

core::Outcome CompleteOutcome() {
  core::Outcome outcome;
  outcome.horizons = {1, 5, 20};
  outcome.returns_percent = {0.5, 1.2, 2.1};
  outcome.mfe_percent = 3.4;
  outcome.mae_percent = -0.6;
  outcome.complete = true;
  return outcome;
}

class ChartDeliveryTest : public DeliveryTest {
 protected:
  enum class Mode { kReady, kPending, kNone, kHuge };

  void SetUp() override {
    DeliveryTest::SetUp();
    UseFakeClock();
    fakes::FakeDiscordOptions options;
    options.clock = &fake_clock_;
    options.refuse_title_containing = std::string(kRefusedSymbol);
    StartFake(std::move(options));
  }

  AlertDispatcherOptions Options() {
    AlertDispatcherOptions options = FastOptions({Url("222")});
    options.charts = [this](AlertId id) { return Chart(id); };
    options.chart_wait = 2 * core::kSecond;
    options.outcomes = [this](AlertId id) -> std::optional<core::Outcome> {
      auto it = outcomes_.find(id);
      if (it == outcomes_.end()) return std::nullopt;
      return it->second;
    };
    return options;
  }

  // The lookup: every call renders afresh (a new buffer), as after a restart.
  ChartImage Chart(AlertId id) {
    asked_.push_back(id);
    ChartImage chart;
    switch (mode_) {
      case Mode::kReady:
        chart.state = ChartImage::State::kReady;
        chart.png = std::make_shared<const std::string>(RenderedPng(id));
        break;
      case Mode::kPending:
        chart.state = ChartImage::State::kPending;
        break;
      case Mode::kNone:
        break;
      case Mode::kHuge:
        chart.state = ChartImage::State::kReady;
        chart.png = std::make_shared<const std::string>(kMaxAttachmentBytes + 1, 'x');
        break;
    }
    return chart;
  }

  bool NoPendingEdit() {
    auto edits = store_->edits().Edits(kChartDestination);
    if (!edits) return false;
    for (const EditRecord& edit : *edits) {
      if (edit.state == EditState::kPending) return false;
    }
    return true;
  }

  // Runs until nothing is pending or in flight, moving the fake clock a second whenever the
  // sender waits for time; false after ten simulated minutes.
  bool Drive() {
    for (int second = 0; second < 600; ++second) {
      if (!RunUntil(io_, [&] { return dispatcher_->InFlightRequests() == 0; })) return false;
      if (Settled() && NoPendingEdit()) return true;
      fake_clock_.Advance(core::kSecond);
      dispatcher_->Wake();
    }
    return false;
  }

  DispatcherCounters Counters() {
    auto counters = dispatcher_->Counters();
    EXPECT_TRUE(counters);
    return counters ? *counters : DispatcherCounters{};
  }

  void ExpectValidRequestsOnly() {
    auto stats = fake_->stats();
    EXPECT_EQ(stats.violations, 0);
    EXPECT_EQ(stats.invalid_forms, 0);
    for (const std::string& reason : stats.violation_reasons) ADD_FAILURE() << reason;
  }

  // `message` shows the chart of `alert` in embed `embed`, as attachment `index`.
  void ExpectChart(const fakes::RecordedMessage& message, std::size_t embed, std::size_t index,
                   AlertId alert, const core::Candidate& candidate) {
    const std::string name = ChartFileName(candidate);
    ASSERT_LT(index, message.attachments.size());
    EXPECT_EQ(message.attachments[index].filename, name);
    EXPECT_EQ(message.attachments[index].content_type, "image/png");
    EXPECT_EQ(message.attachments[index].data, RenderedPng(alert));
    ASSERT_LT(embed, message.embeds.size());
    EXPECT_EQ(message.embeds[embed].image_url, "attachment://" + name);
  }

  Mode mode_ = Mode::kReady;
  std::vector<AlertId> asked_;
  std::map<AlertId, core::Outcome> outcomes_;
};

TEST(ChartFileNameTest, NamesSymbolIntervalAndTheBarsCloseInUtc) {
  core::Candidate c = MakeCandidate("BTCUSDT", "1m", core::Severity::kNormal,
                                    1'709'294'640'000 - 1);  // 2024-03-01T12:04:00Z - 1 ms
  EXPECT_EQ(ChartFileName(c), "BTCUSDT-1m-20240301T120400Z.png");
  c.symbol = "A/B\"C";
  EXPECT_EQ(ChartFileName(c), "A_B_C-1m-20240301T120400Z.png");
}

TEST_F(ChartDeliveryTest, APostCarriesItsChartAttachedToTheEmbed) {
  MakeDispatcher(Options());
  const core::Candidate candidate = MakeCandidate("AAAUSDT");
  AlertId id = Submit(candidate);
  ASSERT_TRUE(Drive());
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].multipart);
  ASSERT_EQ(messages[0].attachments.size(), 1u);
  ExpectChart(messages[0], 0, 0, id, candidate);
  EXPECT_EQ(Delivery(id, kChartDestination).chart_file, ChartFileName(candidate));
  EXPECT_EQ(Counters().charts_attached, 1u);
  ExpectValidRequestsOnly();
}

TEST_F(ChartDeliveryTest, ABatchCarriesOneChartPerEmbed) {
  MakeDispatcher(Options(), /*start=*/false);
  std::vector<core::Candidate> candidates = {MakeCandidate("AAAUSDT"), MakeCandidate("BBBUSDT"),
                                             MakeCandidate("CCCUSDT")};
  std::vector<AlertId> ids;
  for (const auto& c : candidates) ids.push_back(Submit(c));
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(Drive());
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_EQ(messages[0].embeds.size(), 3u);
  ASSERT_EQ(messages[0].attachments.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    ExpectChart(messages[0], i, i, ids[i], candidates[i]);
    EXPECT_EQ(messages[0].attachments[i].id, i);
    EXPECT_EQ(Delivery(ids[i], kChartDestination).chart_file, ChartFileName(candidates[i]));
  }
  EXPECT_EQ(Counters().charts_attached, 3u);
  ExpectValidRequestsOnly();
}

TEST_F(ChartDeliveryTest, APendingChartHoldsTheMessageUntilItIsReady) {
  MakeDispatcher(Options());
  mode_ = Mode::kPending;
  const core::Candidate candidate = MakeCandidate("AAAUSDT");
  AlertId id = Submit(candidate);
  fake_clock_.Advance(core::kSecond);  // within chart_wait
  dispatcher_->Wake();
  ASSERT_TRUE(RunUntil(io_, [&] { return dispatcher_->InFlightRequests() == 0; }));
  EXPECT_EQ(fake_->stats().requests, 0);
  EXPECT_EQ(Pending(), 1);

  mode_ = Mode::kReady;  // the render completed: the app wakes the dispatcher
  dispatcher_->Wake();
  ASSERT_TRUE(RunUntil(io_, [&] { return fake_->Messages().size() == 1u && Settled(); }));
  ExpectChart(fake_->Messages()[0], 0, 0, id, candidate);
  EXPECT_EQ(Counters().charts_timed_out, 0u);
  ExpectValidRequestsOnly();
}

TEST_F(ChartDeliveryTest, AChartPendingBeyondChartWaitIsLeftOut) {
  MakeDispatcher(Options());
  mode_ = Mode::kPending;
  AlertId id = Submit(MakeCandidate("AAAUSDT"));
  fake_clock_.Advance(2 * core::kSecond - 1);
  dispatcher_->Wake();
  ASSERT_TRUE(RunUntil(io_, [&] { return dispatcher_->InFlightRequests() == 0; }));
  EXPECT_EQ(fake_->stats().requests, 0);

  fake_clock_.Advance(1);
  dispatcher_->Wake();
  ASSERT_TRUE(Drive());
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_FALSE(messages[0].multipart);
  EXPECT_TRUE(messages[0].attachments.empty());
  EXPECT_EQ(messages[0].embeds.at(0).image_url, "");
  EXPECT_EQ(Delivery(id, kChartDestination).chart_file, "");
  EXPECT_EQ(Counters().charts_timed_out, 1u);
  EXPECT_EQ(Counters().charts_attached, 0u);
  ExpectValidRequestsOnly();
}

TEST_F(ChartDeliveryTest, NoChartSendsTheJsonOfBefore) {
  MakeDispatcher(Options());
  mode_ = Mode::kNone;
  AlertId id = Submit(MakeCandidate("AAAUSDT"));
  ASSERT_TRUE(Drive());
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_FALSE(messages[0].multipart);
  EXPECT_TRUE(messages[0].attachments.empty());
  EXPECT_EQ(messages[0].embeds.at(0).image_url, "");
  EXPECT_EQ(Delivery(id, kChartDestination).chart_file, "");
  EXPECT_EQ(fake_->stats().multipart, 0);
  ExpectValidRequestsOnly();
}

TEST_F(ChartDeliveryTest, APngOverTheUploadLimitIsLeftOut) {
  MakeDispatcher(Options());
  mode_ = Mode::kHuge;
  Submit(MakeCandidate("AAAUSDT"));
  ASSERT_TRUE(Drive());
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_FALSE(messages[0].multipart);
  EXPECT_EQ(messages[0].embeds.at(0).image_url, "");
  EXPECT_EQ(Counters().charts_too_large, 1u);
  ExpectValidRequestsOnly();
}

TEST_F(ChartDeliveryTest, AResendAfterALostAnswerAndARestartCarriesTheSameBytes) {
  DiscordFaultSpec lost;
  lost.fault = DiscordFault::kProcessThenHang;  // Discord stored it; the answer never came
  lost.requests = DiscordRequestKind::kPost;
  fake_->Inject(lost);
  MakeDispatcher(Options());
  const core::Candidate candidate = MakeCandidate("AAAUSDT");
  AlertId id = Submit(candidate);
  ASSERT_TRUE(RunUntil(io_, [&] { return fake_->Messages().size() == 1u; }));

  Reopen();  // the process stops with the answer lost: the row is still pending
  asked_.clear();
  MakeDispatcher(Options());  // a new sender on the same database
  ASSERT_TRUE(Drive());
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 2u);  // the documented resend
  EXPECT_EQ(asked_, std::vector<AlertId>{id});
  for (const auto& message : messages) ExpectChart(message, 0, 0, id, candidate);
  EXPECT_EQ(messages[0].attachments.at(0).data, messages[1].attachments.at(0).data);
  EXPECT_EQ(Delivery(id, kChartDestination).message_id, messages[1].id);
  EXPECT_EQ(Delivery(id, kChartDestination).chart_file, ChartFileName(candidate));
  ExpectValidRequestsOnly();
}

TEST_F(ChartDeliveryTest, RateLimitsAndRefusedBatchesResendTheirCharts) {
  DiscordFaultSpec limited;
  limited.fault = DiscordFault::k429;
  limited.retry_after_seconds = 0.5;
  fake_->Inject(limited);
  MakeDispatcher(Options(), /*start=*/false);
  const core::Candidate good = MakeCandidate("AAAUSDT");
  const core::Candidate refused = MakeCandidate(std::string(kRefusedSymbol));
  AlertId good_id = Submit(good);
  AlertId refused_id = Submit(refused);
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(Drive());
  // 429, then the batch refused for one embed, then each alone: the good one with its chart.
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 1u);
  ExpectChart(messages[0], 0, 0, good_id, good);
  EXPECT_EQ(Delivery(good_id, kChartDestination).chart_file, ChartFileName(good));
  EXPECT_EQ(Delivery(refused_id, kChartDestination).state, DeliveryState::kFailed);
  EXPECT_EQ(Counters().split_batches, 1u);
  EXPECT_EQ(fake_->stats().refused_titles, 2);
  ExpectValidRequestsOnly();
}

TEST_F(ChartDeliveryTest, JoinsAndOutcomeEditsKeepTheImageOfTheMessage) {
  MakeDispatcher(Options());
  const core::Candidate head = MakeCandidate("BTCUSDT", "1m", core::Severity::kNormal, kHeadClose);
  AlertId head_id = Submit(head);
  ASSERT_TRUE(Drive());
  ASSERT_EQ(fake_->Messages().size(), 1u);
  const std::string message_id = fake_->Messages()[0].id;
  const std::string image = "attachment://" + ChartFileName(head);

  asked_.clear();
  AlertId joined = Submit(MakeCandidate("BTCUSDT", "5m"));
  ASSERT_TRUE(Drive());
  EXPECT_TRUE(asked_.empty());  // a joining alert is a line of its head's embed: no chart
  ASSERT_EQ(fake_->Messages().size(), 1u);
  auto edits = fake_->Edits();
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_FALSE(edits[0].body.multipart);
  EXPECT_EQ(edits[0].body.embeds.at(0).image_url, image);
  EXPECT_EQ(Delivery(joined, kChartDestination).message_id, message_id);
  EXPECT_EQ(Delivery(joined, kChartDestination).chart_file, "");

  outcomes_[head_id] = CompleteOutcome();
  ASSERT_EQ(*dispatcher_->RequestOutcomeEdit(head_id), 1);
  ASSERT_TRUE(Drive());
  edits = fake_->Edits();
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[1].body.embeds.at(0).image_url, image);
  auto current = fake_->CurrentMessage(message_id);
  ASSERT_TRUE(current);
  ASSERT_EQ(current->attachments.size(), 1u);  // the edits kept the file
  ExpectChart(*current, 0, 0, head_id, head);
  EXPECT_EQ(Counters().joins, 1u);
  EXPECT_EQ(Counters().edits_done, 1u);
  ExpectValidRequestsOnly();
}

}  // namespace
}  // namespace scanner::alerts::delivery_test
