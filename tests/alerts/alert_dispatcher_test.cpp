// Loopback: AlertDispatcher against the fake Discord. Each test ends with the fixture's checks
// that the webhook token reached no log line and no byte of the database.

#include "alerts/alert_dispatcher.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "delivery_test_support.h"

namespace scanner::alerts::delivery_test {
namespace {

using fakes::DiscordFault;
using fakes::DiscordFaultSpec;

std::string Symbol(int i) { return fmt::format("SYM{}USDT", i); }

DiscordFaultSpec Fault(DiscordFault kind, int count, std::string webhook_id = "") {
  DiscordFaultSpec fault;
  fault.fault = kind;
  fault.count = count;
  fault.webhook_id = std::move(webhook_id);
  return fault;
}

DiscordFaultSpec RateLimited(int count, double retry_after_seconds, std::string webhook_id = "") {
  DiscordFaultSpec fault = Fault(DiscordFault::k429, count, std::move(webhook_id));
  fault.retry_after_seconds = retry_after_seconds;
  return fault;
}

DiscordFaultSpec ServerError(int count, unsigned status, std::string webhook_id = "") {
  DiscordFaultSpec fault = Fault(DiscordFault::k5xx, count, std::move(webhook_id));
  fault.status = status;
  return fault;
}

DiscordFaultSpec Slow(int count, std::chrono::milliseconds delay) {
  DiscordFaultSpec fault = Fault(DiscordFault::kSlow, count);
  fault.delay = delay;
  return fault;
}

fakes::FakeDiscordOptions Refusing(std::string title_part) {
  fakes::FakeDiscordOptions options;
  options.refuse_title_containing = std::move(title_part);
  return options;
}

fakes::FakeDiscordOptions WithClock(const core::Clock& clock) {
  fakes::FakeDiscordOptions options;
  options.clock = &clock;
  return options;
}

fakes::FakeDiscordOptions WithTls() {
  fakes::FakeDiscordOptions options;
  options.cert_file = support::FixturePath("tls", "server.pem");
  options.key_file = support::FixturePath("tls", "server.key");
  return options;
}

class AlertDispatcherTest : public DeliveryTest {
 protected:
  // Every symbol's embed arrived exactly `times` times (at webhook `id`, or any).
  void ExpectDelivered(const std::vector<std::string>& symbols, std::size_t times = 1,
                       std::string_view id = {}) {
    for (const std::string& symbol : symbols) {
      EXPECT_EQ(fake_->CountEmbeds(TitleWord(symbol), id), times) << symbol;
    }
  }

  std::vector<std::string> SubmitMany(int count, int first = 0) {
    std::vector<std::string> symbols;
    for (int i = first; i < first + count; ++i) {
      symbols.push_back(Symbol(i));
      Submit(MakeCandidate(symbols.back()));
    }
    return symbols;
  }

  void ExpectNoViolations() {
    auto stats = fake_->stats();
    EXPECT_EQ(stats.violations, 0);
    for (const std::string& reason : stats.violation_reasons) ADD_FAILURE() << reason;
  }
};

TEST_F(AlertDispatcherTest, BatchesPendingAlertsIntoFewMessagesAndDeliversEachOnce) {
  StartFake();  // Discord's observed 5 requests / 2 s per webhook, enforced
  MakeDispatcher(FastOptions({Url("111")}), /*start=*/false);
  auto symbols = SubmitMany(45);  // stored, not sent: the dispatcher is not started
  EXPECT_EQ(fake_->stats().requests, 0);
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  ExpectDelivered(symbols);
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 5u);  // 10 + 10 + 10 + 10 + 5
  for (const auto& message : messages) EXPECT_LE(message.embeds.size(), 10u);
  EXPECT_EQ(messages.front().username, "Momentum Scanner");
  EXPECT_FALSE(messages.front().user_agent.empty());
  ExpectNoViolations();  // the fifth message waited for the pacing window
  auto counters = dispatcher_->Counters();
  ASSERT_TRUE(counters);
  EXPECT_EQ(counters->sent, 45u);
  EXPECT_EQ(counters->requests, 5u);
  EXPECT_TRUE(counters->pending.empty());
}

TEST_F(AlertDispatcherTest, DuplicateCandidateIsNeverSent) {
  StartFake();
  MakeDispatcher(FastOptions({Url("111")}));
  core::Candidate alert = MakeCandidate("DUPUSDT");
  Submit(alert);
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  core::Candidate again = alert;
  again.close = 1.0;  // same key (symbol, interval, bar close), other numbers
  for (const core::Candidate& c : {alert, again}) {
    auto result = store_->Insert(c, dispatcher_->DestinationsFor(c));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->outcome, InsertOutcome::kDuplicate);
    dispatcher_->Wake();
  }
  // A later alert goes through the same queue: once it arrived, nothing else is on its way.
  Submit(MakeCandidate("NEXTUSDT"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));
  ExpectDelivered({"DUPUSDT", "NEXTUSDT"});
  EXPECT_EQ(fake_->stats().accepted, 2);
}

TEST_F(AlertDispatcherTest, RateLimitStormWaitsRetryAfterAndDeliversEachOnce) {
  StartFake();
  fake_->Inject(RateLimited(6, 0.05));
  MakeDispatcher(FastOptions({Url("111")}), false);
  auto symbols = SubmitMany(12);
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  ExpectDelivered(symbols);
  ExpectNoViolations();
  auto counters = dispatcher_->Counters();
  ASSERT_TRUE(counters);
  EXPECT_EQ(counters->discord_429, 6u);
  EXPECT_EQ(counters->retried, 0u);
  // A 429 is not the alert's fault: the one request that carried it is its only attempt.
  EXPECT_EQ(Delivery(1, "discord:111").attempts, 1);
  EXPECT_EQ(Delivery(1, "discord:111").state, DeliveryState::kSent);
}

TEST_F(AlertDispatcherTest, GlobalRateLimitHoldsEveryWebhookUntilRetryAfter) {
  UseFakeClock();
  StartFake(WithClock(fake_clock_));
  DiscordFaultSpec global = RateLimited(1, 30, "111");
  global.global = true;
  fake_->Inject(global);
  MakeDispatcher(FastOptions({Url("111"), Url("222")}));
  AlertId first = Submit(MakeCandidate("FIRSTUSDT"));
  ASSERT_TRUE(RunUntil(io_, [&] {
    return fake_->CountEmbeds(" FIRSTUSDT ", "222") == 1 && fake_->RequestsFor("111") == 1 &&
           dispatcher_->Counters()->discord_429 == 1 && dispatcher_->InFlightRequests() == 0;
  }));
  const core::Millis limited_at = fake_clock_.NowMs();

  // Webhook 222 heard nothing from Discord, yet waits too: the limit was global.
  AlertId second = Submit(MakeCandidate("SECONDUSDT"));
  for (const WebhookSenderStatus& status : dispatcher_->WebhookStatuses()) {
    EXPECT_GE(status.next_send_at, limited_at + 30 * core::kSecond) << status.destination;
  }
  EXPECT_EQ(Delivery(second, "discord:222").state, DeliveryState::kPending);
  EXPECT_EQ(Delivery(first, "discord:111").attempts, 0);  // not charged
  EXPECT_EQ(fake_->RequestsFor("222"), 1);

  fake_clock_.Advance(30 * core::kSecond);
  dispatcher_->Wake();
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));
  for (std::string_view id : {"111", "222"}) {
    ExpectDelivered({"FIRSTUSDT", "SECONDUSDT"}, 1, id);
  }
  EXPECT_EQ(fake_->RequestsFor("222"), 2);
  EXPECT_EQ(fake_->RequestsFor("111"), 2);  // the 429, then both alerts in one message
  ExpectNoViolations();
}

TEST_F(AlertDispatcherTest, ServerErrorsRetryWithBackoffAndDeliverOnce) {
  StartFake();
  fake_->Inject(ServerError(3, 503));
  fake_->Inject(ServerError(1, 502));
  MakeDispatcher(FastOptions({Url("111")}), false);
  auto symbols = SubmitMany(3);
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  ExpectDelivered(symbols);
  ExpectNoViolations();
  auto counters = dispatcher_->Counters();
  ASSERT_TRUE(counters);
  EXPECT_EQ(counters->requests, 5u);
  EXPECT_EQ(counters->retried, 12u);  // 4 failed requests x 3 rows
  DeliveryRecord record = Delivery(1, "discord:111");
  EXPECT_EQ(record.state, DeliveryState::kSent);
  EXPECT_EQ(record.attempts, 5);
}

// Steps the fake clock a `step` at a time, letting the sender act at each, until `done`.
// Returns the simulated time it took.
core::Millis AdvanceUntil(core::FakeClock& clock, boost::asio::io_context& io,
                          AlertDispatcher& dispatcher, core::Millis step, core::Millis limit,
                          const std::function<bool()>& done) {
  const core::Millis started = clock.NowMs();
  while (!done() && clock.NowMs() - started < limit) {
    clock.Advance(step);
    dispatcher.Wake();
    EXPECT_TRUE(RunUntil(io, [&] { return dispatcher.InFlightRequests() == 0; }));
  }
  return clock.NowMs() - started;
}

// Discord down for three hours: the alert is retried all along (backoff capped at 5 minutes)
// and delivered once Discord answers again, not given up after a fixed number of attempts.
TEST_F(AlertDispatcherTest, AnOutageOfHoursEndsWithTheAlertDeliveredOnce) {
  UseFakeClock();
  StartFake(WithClock(fake_clock_));
  fake_->Inject(ServerError(1000, 503));
  AlertDispatcherOptions options = FastOptions({Url("111")});
  options.backoff = core::BackoffPolicy{core::kSecond, 5 * core::kMinute, 2.0, 0.5};
  MakeDispatcher(std::move(options));
  AlertId id = Submit(MakeCandidate("PATIENTUSDT"));
  AdvanceUntil(fake_clock_, io_, *dispatcher_, 10 * core::kSecond, 3 * core::kHour,
               [] { return false; });
  DeliveryRecord during = Delivery(id, "discord:111");
  EXPECT_EQ(during.state, DeliveryState::kPending) << during.last_error;
  EXPECT_GT(during.attempts, 30);  // far beyond the 20 attempts that used to end it
  EXPECT_LT(during.attempts, 60);  // ... yet paced by the capped backoff
  EXPECT_NE(during.last_error.find("HTTP 503"), std::string::npos) << during.last_error;

  fake_->ClearFaults();
  AdvanceUntil(fake_clock_, io_, *dispatcher_, 10 * core::kSecond, 10 * core::kMinute,
               [&] { return Settled(); });
  EXPECT_TRUE(Settled());
  EXPECT_EQ(Delivery(id, "discord:111").state, DeliveryState::kSent);
  ExpectDelivered({"PATIENTUSDT"});
  EXPECT_EQ(dispatcher_->Counters()->failed, 0u);
}

// ... but not for ever: once the alert is older than give_up_after it is failed with the last
// error, and an alert already that old when its turn comes is not posted at all.
TEST_F(AlertDispatcherTest, AnAlertOlderThanGiveUpAfterIsFailedWithTheLastError) {
  UseFakeClock();
  StartFake(WithClock(fake_clock_));
  fake_->Inject(ServerError(1000, 500));
  AlertDispatcherOptions options = FastOptions({Url("111")});
  options.backoff = core::BackoffPolicy{core::kSecond, 5 * core::kMinute, 2.0, 0.5};
  options.give_up_after = core::kHour;
  MakeDispatcher(std::move(options));
  AlertId id = Submit(MakeCandidate("DOOMEDUSDT"));
  const core::Millis took =
      AdvanceUntil(fake_clock_, io_, *dispatcher_, 10 * core::kSecond, 2 * core::kHour,
                   [&] { return Delivery(id, "discord:111").state != DeliveryState::kPending; });
  EXPECT_GE(took, 55 * core::kMinute);
  EXPECT_LE(took, core::kHour + 10 * core::kSecond);
  DeliveryRecord record = Delivery(id, "discord:111");
  EXPECT_EQ(record.state, DeliveryState::kFailed);
  EXPECT_NE(record.last_error.find("not delivered within 1h"), std::string::npos)
      << record.last_error;
  EXPECT_NE(record.last_error.find("HTTP 500"), std::string::npos) << record.last_error;
  EXPECT_EQ(dispatcher_->Counters()->failed, 1u);

  // Stored two hours ago and never sent (the scanner was stopped): given up without a request.
  fake_->ClearFaults();
  Reopen();
  auto old = store_->Insert(MakeCandidate("STALEUSDT"), std::vector<std::string>{"discord:111"});
  ASSERT_TRUE(old);
  fake_clock_.Advance(2 * core::kHour);
  const int requests_before = fake_->stats().requests;
  options = FastOptions({Url("111")});
  options.give_up_after = core::kHour;
  MakeDispatcher(std::move(options));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));
  EXPECT_EQ(Delivery(old->id, "discord:111").state, DeliveryState::kFailed);
  EXPECT_EQ(fake_->stats().requests, requests_before);
}

// A 404 or 401 from something in front of Discord (a proxy, a CDN) says nothing about the
// webhook: retried, then delivered, and the webhook stays alive.
TEST_F(AlertDispatcherTest, AProxys404Or401IsRetriedAndTheWebhookStaysAlive) {
  StartFake();
  DiscordFaultSpec proxy404 = Fault(DiscordFault::kProxyError, 2);
  proxy404.status = 404;
  DiscordFaultSpec proxy401 = Fault(DiscordFault::kProxyError, 1);
  proxy401.status = 401;
  fake_->Inject(proxy404);
  fake_->Inject(proxy401);
  MakeDispatcher(FastOptions({Url("111")}));
  AlertId id = Submit(MakeCandidate("BEHINDPROXYUSDT"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  EXPECT_TRUE(dispatcher_->DeadDestinations().empty());
  EXPECT_EQ(Delivery(id, "discord:111").state, DeliveryState::kSent);
  EXPECT_EQ(Delivery(id, "discord:111").attempts, 4);
  ExpectDelivered({"BEHINDPROXYUSDT"});
  EXPECT_EQ(log_.Count("the Discord webhook is gone"), 0u);
  EXPECT_EQ(fake_->stats().requests, 4);
}

// A start without the webhook's variable (console only) leaves that webhook's rows pending:
// they are delivered, once, when the webhook is configured again.
TEST_F(AlertDispatcherTest, RowsOfAWebhookNotConfiguredNowWaitForItToComeBack) {
  StartFake();
  const std::string url = Url("111");
  MakeDispatcher(FastOptions({url}), false);
  AlertId id = Submit(MakeCandidate("WAITINGUSDT"));

  Reopen();
  MakeDispatcher(FastOptions({}));  // console only
  EXPECT_EQ(dispatcher_->ActiveDestinations(), std::vector<std::string>{"console"});
  for (int i = 0; i < 10; ++i) io_.poll();
  EXPECT_EQ(Delivery(id, "discord:111").state, DeliveryState::kPending);
  EXPECT_EQ(fake_->stats().requests, 0);
  EXPECT_NE(log_.Text().find("pending for discord:111, which is not configured now"),
            std::string::npos)
      << log_.Text();

  Reopen();
  MakeDispatcher(FastOptions({url}));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));
  EXPECT_EQ(Delivery(id, "discord:111").state, DeliveryState::kSent);
  ExpectDelivered({"WAITINGUSDT"});
}

TEST_F(AlertDispatcherTest, TimeoutBeforeDiscordProcessedDeliversOnce) {
  StartFake();
  fake_->Inject(Fault(DiscordFault::kHang, 2));  // lost before processing
  auto options = FastOptions({Url("111")});
  options.request_timeout = 300;
  MakeDispatcher(std::move(options), false);
  auto symbols = SubmitMany(2);
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  ExpectDelivered(symbols);
  EXPECT_EQ(fake_->HeldRequests(), 2u);
  EXPECT_EQ(Delivery(1, "discord:111").attempts, 3);
  EXPECT_NE(log_.Text().find("timeout"), std::string::npos);
  ExpectNoViolations();
}

TEST_F(AlertDispatcherTest, ConnectionClosedBeforeDiscordProcessedDeliversOnce) {
  StartFake();
  fake_->Inject(Fault(DiscordFault::kClose, 2));
  MakeDispatcher(FastOptions({Url("111")}), false);
  auto symbols = SubmitMany(4);
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  ExpectDelivered(symbols);
  EXPECT_EQ(fake_->stats().accepted, 1);
  EXPECT_EQ(Delivery(4, "discord:111").attempts, 3);
  ExpectNoViolations();
}

// The window the protocol leaves open, shown honestly: Discord stored the message, its answer
// never came, and the only safe assumption is "not delivered". The alert is sent again, so it
// appears twice; each lost answer can cost one duplicate, nothing else does.
TEST_F(AlertDispatcherTest, ReplyLostAfterDiscordProcessedResendsOnce) {
  StartFake();
  fake_->Inject(Fault(DiscordFault::kProcessThenHang, 1));
  auto options = FastOptions({Url("111")});
  options.request_timeout = 300;
  MakeDispatcher(std::move(options));
  AlertId id = Submit(MakeCandidate("LOSTREPLYUSDT"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  EXPECT_EQ(fake_->CountEmbeds(" LOSTREPLYUSDT "), 2u);
  DeliveryRecord record = Delivery(id, "discord:111");
  EXPECT_EQ(record.state, DeliveryState::kSent);
  EXPECT_EQ(record.attempts, 2);
}

TEST_F(AlertDispatcherTest, SlowServerWithinTheTimeoutDeliversOnce) {
  StartFake();
  fake_->Inject(Slow(2, std::chrono::milliseconds(700)));
  MakeDispatcher(FastOptions({Url("111")}));
  AlertId first = Submit(MakeCandidate("SLOW1USDT"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));
  AlertId second = Submit(MakeCandidate("SLOW2USDT"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  ExpectDelivered({"SLOW1USDT", "SLOW2USDT"});
  EXPECT_EQ(Delivery(first, "discord:111").attempts, 1);
  EXPECT_EQ(Delivery(second, "discord:111").attempts, 1);
  EXPECT_EQ(fake_->stats().requests, 2);
}

TEST_F(AlertDispatcherTest, StopLetsTheRequestInFlightFinishAndRecordsIt) {
  StartFake();
  fake_->Inject(Slow(1, std::chrono::milliseconds(300)));
  MakeDispatcher(FastOptions({Url("111")}));
  AlertId id = Submit(MakeCandidate("INFLIGHTUSDT"));
  ASSERT_EQ(dispatcher_->InFlightRequests(), 1u);
  bool stopped = false;
  dispatcher_->Stop(10 * core::kSecond, [&] { stopped = true; });
  AlertId after = Submit(MakeCandidate("AFTERSTOPUSDT"));  // stored, not sent
  ASSERT_TRUE(RunUntil(io_, [&] { return stopped; }));

  EXPECT_EQ(Delivery(id, "discord:111").state, DeliveryState::kSent);
  EXPECT_EQ(Delivery(after, "discord:111").state, DeliveryState::kPending);
  EXPECT_EQ(fake_->stats().requests, 1);
}

TEST_F(AlertDispatcherTest, RestartResumesPendingDeliveriesAndSendsEachOnce) {
  StartFake();
  MakeDispatcher(FastOptions({Url("111")}));
  Submit(MakeCandidate("BEFOREUSDT"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  // The next request hangs (Discord never saw it); shutdown abandons it after its grace.
  fake_->Inject(Fault(DiscordFault::kHang, 1));
  Submit(MakeCandidate("HUNG1USDT"));
  Submit(MakeCandidate("HUNG2USDT"));
  ASSERT_EQ(dispatcher_->InFlightRequests(), 1u);
  bool stopped = false;
  dispatcher_->Stop(100, [&] { stopped = true; });
  ASSERT_TRUE(RunUntil(io_, [&] { return stopped; }));
  // Stored while the dispatcher is stopped: it waits in the outbox.
  ASSERT_TRUE(
      store_->Insert(MakeCandidate("WHILEDOWNUSDT"), std::vector<std::string>{"discord:111"}));
  EXPECT_EQ(Pending(), 3);

  // A new process: same database file, new store and dispatcher.
  Reopen();
  MakeDispatcher(FastOptions({Url("111")}));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));
  ExpectDelivered({"BEFOREUSDT", "HUNG1USDT", "HUNG2USDT", "WHILEDOWNUSDT"});
  EXPECT_EQ(fake_->stats().accepted, 2);  // the one before, then the three in one message
  ExpectNoViolations();
}

TEST_F(AlertDispatcherTest, RefusedBatchIsSplitToIsolateTheBadAlert) {
  StartFake(Refusing("BADUSDT"));
  MakeDispatcher(FastOptions({Url("111")}), false);
  std::vector<std::string> good = {"GOOD1USDT", "GOOD2USDT", "GOOD3USDT", "GOOD4USDT"};
  Submit(MakeCandidate(good[0]));
  Submit(MakeCandidate(good[1]));
  AlertId bad = Submit(MakeCandidate("BADUSDT"));
  Submit(MakeCandidate(good[2]));
  Submit(MakeCandidate(good[3]));
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  ExpectDelivered(good);
  EXPECT_EQ(fake_->CountEmbeds(" BADUSDT "), 0u);
  DeliveryRecord record = Delivery(bad, "discord:111");
  EXPECT_EQ(record.state, DeliveryState::kFailed);
  EXPECT_EQ(record.attempts, 1);  // refused alone once; never retried
  EXPECT_NE(record.last_error.find("Invalid Form Body (code 50035)"), std::string::npos)
      << record.last_error;
  auto counters = dispatcher_->Counters();
  ASSERT_TRUE(counters);
  EXPECT_EQ(counters->split_batches, 1u);
  EXPECT_EQ(counters->failed, 1u);
  EXPECT_EQ(counters->requests, 6u);  // the batch, then five alone
  EXPECT_EQ(fake_->stats().refused_titles, 2);
  ExpectNoViolations();
}

TEST_F(AlertDispatcherTest, UnknownWebhookIsDeadAndOthersKeepWorking) {
  StartFake();
  std::string unknown = fake_->WebhookUrl("111", kToken);  // never added: 404, code 10015
  MakeDispatcher(FastOptions({unknown, Url("222")}), false);
  auto symbols = SubmitMany(3);
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  EXPECT_EQ(dispatcher_->DeadDestinations(), std::vector<std::string>{"discord:111"});
  ExpectDelivered(symbols, 1, "222");
  for (AlertId id : {1, 2, 3}) EXPECT_EQ(Delivery(id, "discord:111").state, DeliveryState::kDead);

  // Later alerts still reach the live webhook; the dead one gets no request, only a record.
  AlertId later = Submit(MakeCandidate("LATERUSDT"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));
  ExpectDelivered({"LATERUSDT"}, 1, "222");
  EXPECT_EQ(Delivery(later, "discord:111").state, DeliveryState::kDead);
  EXPECT_EQ(fake_->RequestsFor("111"), 1);
  EXPECT_EQ(log_.Count("the Discord webhook is gone"), 1u);
  EXPECT_NE(log_.Text().find("[error] discord:111: the Discord webhook is gone (HTTP 404: Unknown "
                             "Webhook (code 10015))"),
            std::string::npos)
      << log_.Text();
  EXPECT_EQ(dispatcher_->Counters()->dead, 4u);
}

TEST_F(AlertDispatcherTest, InvalidTokenIsDead) {
  StartFake();
  fake_->Inject(Fault(DiscordFault::k401, 1, "111"));
  MakeDispatcher(FastOptions({Url("111"), Url("222")}));
  AlertId id = Submit(MakeCandidate("TOKENUSDT"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  EXPECT_EQ(dispatcher_->DeadDestinations(), std::vector<std::string>{"discord:111"});
  DeliveryRecord record = Delivery(id, "discord:111");
  EXPECT_EQ(record.state, DeliveryState::kDead);
  EXPECT_NE(record.last_error.find("code 50027"), std::string::npos) << record.last_error;
  EXPECT_EQ(Delivery(id, "discord:222").state, DeliveryState::kSent);
  auto statuses = dispatcher_->WebhookStatuses();
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_TRUE(statuses[0].dead);
  EXPECT_FALSE(statuses[1].dead);
}

TEST_F(AlertDispatcherTest, RoutesByIntervalAndSeverity) {
  StartFake();
  AlertDispatcherOptions options = FastOptions({Url("100")});  // everything
  options.routes.push_back({Url("200"), {I("1h")}, std::nullopt});
  options.routes.push_back({Url("300"), {}, core::Severity::kStrong});
  options.routes.push_back({Url("400"), {I("5m"), I("15m")}, core::Severity::kStrong});
  MakeDispatcher(std::move(options));

  core::Candidate normal_5m = MakeCandidate("AAAUSDT", "5m");
  core::Candidate normal_1h =
      MakeCandidate("BBBUSDT", "1h", core::Severity::kNormal, 1'700'003'599'999);
  core::Candidate strong_5m = MakeCandidate("CCCUSDT", "5m", core::Severity::kStrong);
  core::Candidate strong_1h =
      MakeCandidate("DDDUSDT", "1h", core::Severity::kStrong, 1'700'003'599'999);
  using V = std::vector<std::string>;
  EXPECT_EQ(dispatcher_->DestinationsFor(normal_5m), V{"discord:100"});
  EXPECT_EQ(dispatcher_->DestinationsFor(normal_1h), (V{"discord:100", "discord:200"}));
  EXPECT_EQ(dispatcher_->DestinationsFor(strong_5m),
            (V{"discord:100", "discord:300", "discord:400"}));
  EXPECT_EQ(dispatcher_->DestinationsFor(strong_1h),
            (V{"discord:100", "discord:200", "discord:300"}));
  for (const auto& c : {normal_5m, normal_1h, strong_5m, strong_1h}) Submit(c);
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  ExpectDelivered({"AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT"}, 1, "100");
  ExpectDelivered({"BBBUSDT", "DDDUSDT"}, 1, "200");
  ExpectDelivered({"AAAUSDT", "CCCUSDT"}, 0, "200");
  ExpectDelivered({"CCCUSDT", "DDDUSDT"}, 1, "300");
  ExpectDelivered({"AAAUSDT", "BBBUSDT"}, 0, "300");
  ExpectDelivered({"CCCUSDT"}, 1, "400");
  ExpectDelivered({"AAAUSDT", "BBBUSDT", "DDDUSDT"}, 0, "400");
  ExpectNoViolations();
}

TEST_F(AlertDispatcherTest, BatchOfLongAlertsAtTheLimitsIsAccepted) {
  StartFake();
  MakeDispatcher(FastOptions({Url("111")}), false);
  std::vector<std::string> markers;
  for (int i = 0; i < 10; ++i) {
    markers.push_back(fmt::format("L{}X", i));
    // Far over the title limit, in 2-byte and 4-byte characters, with markdown and mentions.
    std::string symbol = markers.back();
    for (int k = 0; k < 150; ++k) symbol += "É😀*@";
    Submit(MakeCandidate(symbol));
  }
  ASSERT_TRUE(dispatcher_->Start());
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  ExpectNoViolations();
  for (const std::string& marker : markers) EXPECT_EQ(fake_->CountEmbeds(marker), 1u) << marker;
  auto messages = fake_->Messages();
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.front().embeds.size(), 10u);  // ten embeds, titles cut to 256
  EXPECT_EQ(fake_->stats().accepted, static_cast<std::int64_t>(messages.size()));
}

TEST_F(AlertDispatcherTest, MentionsAreNeverParsed) {
  StartFake();
  MakeDispatcher(FastOptions({Url("111")}));
  Submit(MakeCandidate("@everyone"));
  Submit(MakeCandidate("<@&123456>"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  ExpectNoViolations();  // the fake refuses any message without "parse": []
  auto messages = fake_->Messages();
  ASSERT_FALSE(messages.empty());
  std::size_t embeds = 0;
  for (const auto& message : messages) {
    EXPECT_EQ(message.allowed_mentions, R"({"parse":[]})");
    for (const auto& embed : message.embeds) {
      ++embeds;
      EXPECT_EQ(embed.title.find("@everyone"), std::string::npos) << embed.title;
      EXPECT_EQ(embed.title.find("<@&"), std::string::npos) << embed.title;
    }
  }
  EXPECT_EQ(embeds, 2u);
}

TEST_F(AlertDispatcherTest, LateFlagIsDecidedAtSendTime) {
  UseFakeClock();
  StartFake(WithClock(fake_clock_));
  MakeDispatcher(FastOptions({Url("111")}));
  Submit(MakeCandidate("ONTIMEUSDT"));  // 30 s after the close
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));
  fake_clock_.Set(kBarClose + 2 * 5 * core::kMinute + core::kSecond);  // two 5m bars later
  Submit(MakeCandidate("LATEUSDT"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));

  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 2u);
  auto has_late_field = [](const fakes::RecordedEmbed& embed) {
    for (const auto& field : embed.fields) {
      if (field.name == "Delivery" && field.value.find("late") != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_FALSE(has_late_field(messages[0].embeds.at(0)));
  EXPECT_TRUE(has_late_field(messages[1].embeds.at(0)));
  EXPECT_EQ(messages[1].embeds.at(0).timestamp, "2023-11-14T22:15:00.000Z");  // the bar's end
}

TEST_F(AlertDispatcherTest, WebhookTokenNeverLeaksThroughErrors) {
  StartFake(Refusing("REFUSEDUSDT"));
  // Nothing listens on a port that was just released: connection refused.
  std::uint16_t closed_port = 0;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address_v4("127.0.0.1"), 0});
    closed_port = acceptor.local_endpoint().port();
  }
  std::string refused = fmt::format("http://127.0.0.1:{}/api/webhooks/999/{}", closed_port, kToken);
  std::string unknown = fake_->WebhookUrl("404", kToken);
  fake_->Inject(ServerError(1, 502, "111"));
  MakeDispatcher(FastOptions({refused, unknown, Url("111")}));
  AlertId id = Submit(MakeCandidate("REFUSEDUSDT"));
  // The refused port is retried until give_up_after: wait for two failed attempts.
  ASSERT_TRUE(RunUntil(io_, [&] {
    return Delivery(id, "discord:999").attempts >= 2 &&
           Delivery(id, "discord:404").state == DeliveryState::kDead &&
           Delivery(id, "discord:111").state == DeliveryState::kFailed;
  }));

  DeliveryRecord transport = Delivery(id, "discord:999");
  EXPECT_EQ(transport.state, DeliveryState::kPending);
  EXPECT_NE(transport.last_error.find("connect"), std::string::npos) << transport.last_error;
  for (std::string_view destination : {"discord:999", "discord:404", "discord:111"}) {
    EXPECT_EQ(Delivery(id, destination).last_error.find(kToken), std::string::npos);
  }
  for (const WebhookSenderStatus& status : dispatcher_->WebhookStatuses()) {
    EXPECT_EQ(status.dead_reason.find(kToken), std::string::npos);
  }
  // A URL the dispatcher refuses is not echoed either.
  auto bad = FastOptions({fmt::format("https://discord.com/api/webhooks/notanumber/{}", kToken)});
  auto refused_create =
      AlertDispatcher::Create(io_, *store_, console_sink_, *clock_, std::move(bad), log_.logger);
  ASSERT_FALSE(refused_create);
  EXPECT_EQ(refused_create.error().message.find(kToken), std::string::npos);
  EXPECT_NE(refused_create.error().message.find("route 0"), std::string::npos);
  // The fixture then checks every log line and the database bytes (WAL included); both checks
  // do see what these failures wrote.
  EXPECT_NE(log_.Text().find("discord:999: delivery failed (transport: connect"), std::string::npos)
      << log_.Text();
  EXPECT_TRUE(DatabaseBytesContain("discord:999"));
}

TEST_F(AlertDispatcherTest, TlsWithTheTestCa) {
  StartFake(WithTls());
  std::string url = Url("111");
  ASSERT_TRUE(url.starts_with("https://"));
  auto options = FastOptions({url});
  options.ca_file = support::FixturePath("tls", "ca.pem");
  MakeDispatcher(std::move(options));
  AlertId id = Submit(MakeCandidate("TLSUSDT"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Settled(); }));
  EXPECT_EQ(Delivery(id, "discord:111").state, DeliveryState::kSent);
  ExpectDelivered({"TLSUSDT"});
  ExpectNoViolations();
}

TEST_F(AlertDispatcherTest, TlsWithoutTheCaIsRefused) {
  StartFake(WithTls());
  MakeDispatcher(FastOptions({Url("111")}));
  AlertId id = Submit(MakeCandidate("UNTRUSTEDUSDT"));
  // Retried (a TLS failure may be a proxy's), never accepted.
  ASSERT_TRUE(RunUntil(io_, [&] { return Delivery(id, "discord:111").attempts >= 2; }));
  DeliveryRecord record = Delivery(id, "discord:111");
  EXPECT_EQ(record.state, DeliveryState::kPending);
  EXPECT_NE(record.last_error.find("certificate verify failed"), std::string::npos)
      << record.last_error;
  EXPECT_EQ(fake_->stats().accepted, 0);
}

TEST_F(AlertDispatcherTest, WithoutWebhooksEachAlertIsPrintedOnceAcrossRestarts) {
  MakeDispatcher(FastOptions({}));
  ASSERT_TRUE(dispatcher_->uses_console());
  EXPECT_EQ(dispatcher_->DestinationsFor(MakeCandidate("X")), std::vector<std::string>{"console"});
  Submit(MakeCandidate("CONSOLE1USDT"));
  Submit(MakeCandidate("CONSOLE2USDT"));
  auto duplicate =
      store_->Insert(MakeCandidate("CONSOLE1USDT"), std::vector<std::string>{"console"});
  ASSERT_TRUE(duplicate);
  EXPECT_EQ(duplicate->outcome, InsertOutcome::kDuplicate);

  // Left pending by a crash of an earlier run: printed after the restart, once.
  const std::string destinations[] = {"console"};
  ASSERT_TRUE(store_->Insert(MakeCandidate("CRASHEDUSDT"), destinations));
  Reopen();
  MakeDispatcher(FastOptions({}));
  Submit(MakeCandidate("CONSOLE3USDT"));

  std::string printed = console_.str();
  for (std::string_view symbol : {"CONSOLE1USDT", "CONSOLE2USDT", "CRASHEDUSDT", "CONSOLE3USDT"}) {
    std::size_t first = printed.find(TitleWord(symbol));
    EXPECT_NE(first, std::string::npos) << symbol;
    EXPECT_EQ(printed.find(TitleWord(symbol), first + 1), std::string::npos) << symbol;
  }
  EXPECT_EQ(std::count(printed.begin(), printed.end(), '\n'), 4);
  EXPECT_EQ(Pending(), 0);
}

}  // namespace
}  // namespace scanner::alerts::delivery_test
