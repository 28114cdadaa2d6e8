// StreamLink's SUBSCRIBE bookkeeping against the fake Binance WebSocket on 127.0.0.1, with a
// FakeClock: a SUBSCRIBE Binance refuses is sent again after the backoff (never before), split
// so one bad stream cannot keep the others out, and never UNSUBSCRIBEd when it was never
// subscribed. Replies travel over real sockets (waits have generous deadlines); every decision
// runs at a time the test sets.

#include "feed/stream_link.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fakes/fake_binance_ws.h"
#include "fakes/scripted_market.h"
#include "support/loop_thread.h"
#include "support/null_logger.h"

namespace scanner::feed {
namespace {

using core::kSecond;
using core::Millis;
using namespace std::chrono_literals;

constexpr auto kWait = 20s;  // generous: only reached when something is broken
constexpr Millis kT0 = 1'700'000'040'000;

const std::string kA = "aaausdt@kline_1m";
const std::string kB = "bbbusdt@kline_1m";
const std::string kC = "cccusdt@kline_1m";

class StreamLinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fakes::FakeBinanceWsOptions options;
    options.script = std::make_shared<fakes::ScriptedMarket>(
        std::vector<core::Symbol>{"AAAUSDT", "BBBUSDT", "CCCUSDT"});
    options.clock = &clock_;
    auto fake = fakes::FakeBinanceWs::Start(std::move(options));
    ASSERT_TRUE(fake.has_value()) << fake.error().message;
    fake_ = std::move(*fake);
    options_.ws_url = fake_->BaseUrl();
    options_.max_messages_per_second = 4;
    options_.resubscribe_backoff = {
        .initial = 2 * kSecond, .max = 8 * kSecond, .multiplier = 2.0, .jitter = 0.0};
    sink_.on_change = [] {};
  }

  void TearDown() override {
    loop_.Run([this] { link_.reset(); });
  }

  // Opens a link carrying kA and waits until its data flows.
  void OpenWithA() {
    loop_.Run([this] {
      auto link =
          StreamLink::Open(loop_.io().get_executor(), nullptr, clock_, support::NullLogger("link"),
                           options_, {kA}, parser_, sink_, "#0.1 test");
      ASSERT_TRUE(link.has_value()) << link.error().message;
      link_ = std::move(*link);
    });
    ASSERT_TRUE(fake_->WaitFor(
        [&] { return loop_.Run([&] { return link_->streaming() && link_->has_data(); }); }, kWait));
  }

  void SetStreams(std::vector<std::string> streams) {
    loop_.Run([&] { link_->SetStreams(streams); });
  }
  // Runs the link's decisions at `now` (the clock is set to it first).
  Millis Service(Millis now) {
    clock_.Set(now);
    return loop_.Run([&] { return link_->Service(now); });
  }
  StreamLinkCounters Counters() {
    return loop_.Run([&] { return link_->counters(); });
  }
  std::map<std::string, Millis> Refused() {
    return loop_.Run([&] { return link_->refused(); });
  }
  bool Ready() {
    return loop_.Run([&] { return link_->ready(); });
  }
  bool WaitFakeStreams(const std::set<std::string>& streams) {
    return fake_->WaitFor([&] { return fake_->Streams(0) == streams; }, kWait);
  }
  bool WaitReplies(std::uint64_t acks, std::uint64_t errors) {
    return fake_->WaitFor(
        [&] {
          const StreamLinkCounters c = Counters();
          return c.acks == acks && c.control_errors == errors;
        },
        kWait);
  }

  core::FakeClock clock_{kT0};
  std::unique_ptr<fakes::FakeBinanceWs> fake_;
  support::LoopThread loop_;
  StreamLinkOptions options_;
  binance::StreamParser parser_;
  StreamLinkSink sink_;
  std::unique_ptr<StreamLink> link_;
};

TEST_F(StreamLinkTest, ARefusedSubscribeIsSentAgainAfterTheBackoffAndThenAccepted) {
  OpenWithA();
  fake_->RefuseSubscribes(1);
  SetStreams({kA, kB, kC});
  Service(kT0);
  ASSERT_TRUE(WaitReplies(0, 1));
  EXPECT_EQ(fake_->Streams(0), (std::set<std::string>{kA}));
  EXPECT_EQ(Refused(), (std::map<std::string, Millis>{{kB, kT0}, {kC, kT0}}));
  EXPECT_EQ(Counters().refused_subscribes, 1u);
  EXPECT_TRUE(Ready()) << "a refusal is an answer: it must not hold a rotation back";

  // Not before the backoff: Binance counts every control message against 5 per second.
  EXPECT_EQ(Service(kT0 + 1999), kT0 + 2 * kSecond);
  EXPECT_EQ(Counters().control_messages, 1u);

  Service(kT0 + 2 * kSecond);
  ASSERT_TRUE(WaitFakeStreams({kA, kB, kC})) << "the refused streams were never subscribed";
  ASSERT_TRUE(WaitReplies(2, 1));  // [kB] and [kC]: the refused batch went again in halves
  EXPECT_EQ(Counters().control_messages, 3u);
  EXPECT_EQ(Counters().resubscribes, 2u);
  EXPECT_TRUE(Refused().empty());
  EXPECT_TRUE(Ready());
}

TEST_F(StreamLinkTest, OneStreamBinanceNeverServesEndsUpAloneAndTheRestGetThrough) {
  OpenWithA();
  const std::string bad = "BADUSDT@kline_1m";  // upper case: Binance refuses it, always
  SetStreams({kA, bad, kB, kC});
  Service(kT0);
  ASSERT_TRUE(WaitReplies(0, 1));

  Service(kT0 + 2 * kSecond);  // [bad] refused again, [kB, kC] accepted
  ASSERT_TRUE(WaitFakeStreams({kA, kB, kC}));
  ASSERT_TRUE(WaitReplies(1, 2));
  Service(kT0 + 5 * kSecond);  // 2 s + 4 s: not yet
  EXPECT_EQ(Counters().control_messages, 3u);
  Service(kT0 + 6 * kSecond);  // [bad] alone, refused again
  ASSERT_TRUE(WaitReplies(1, 3));
  EXPECT_EQ(Counters().control_messages, 4u);
  EXPECT_EQ(fake_->Streams(0), (std::set<std::string>{kA, kB, kC}));
  // Still wanted, still refused, since the first refusal; retried every 8 s from now on.
  EXPECT_EQ(Refused(), (std::map<std::string, Millis>{{bad, kT0}}));
  EXPECT_EQ(Service(kT0 + 7 * kSecond), kT0 + 14 * kSecond);
}

TEST_F(StreamLinkTest, ARefusalWithoutAnIdAnswersTheOldestRequest) {
  OpenWithA();
  fake_->RefuseSubscribes(1, /*with_id=*/false);  // as Binance's futures streams answer
  SetStreams({kA, kB});
  Service(kT0);
  ASSERT_TRUE(WaitReplies(0, 1));
  // Matched: no request is left waiting for a reply, so nothing makes the owner reconnect.
  EXPECT_FALSE(loop_.Run([&] { return link_->ReplyOverdue(kT0 + 60 * kSecond); }));

  EXPECT_EQ(Refused(), (std::map<std::string, Millis>{{kB, kT0}}));

  Service(kT0 + 2 * kSecond);
  ASSERT_TRUE(WaitFakeStreams({kA, kB}));
  ASSERT_TRUE(WaitReplies(1, 1));
  EXPECT_TRUE(Refused().empty());
}

TEST_F(StreamLinkTest, AStreamDroppedWhileRefusedIsNeitherRetriedNorUnsubscribed) {
  OpenWithA();
  fake_->RefuseSubscribes(1);
  SetStreams({kA, kB});
  Service(kT0);
  ASSERT_TRUE(WaitReplies(0, 1));

  SetStreams({kA});  // the universe dropped kB meanwhile: Binance never subscribed it
  EXPECT_TRUE(Refused().empty());
  Service(kT0 + 10 * kSecond);
  EXPECT_EQ(Counters().control_messages, 1u);
  EXPECT_EQ(fake_->ControlMessages(0), 1u);
  EXPECT_EQ(fake_->Streams(0), (std::set<std::string>{kA}));
}

}  // namespace
}  // namespace scanner::feed
