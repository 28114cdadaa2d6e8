// The pure scheduling pieces of the stream pool and the gap filler: MessagePacer,
// ConnectThrottle, Watchdog and FetchScheduler, driven by explicit times (no sockets, no sleeps).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/time.h"
#include "feed/connect_throttle.h"
#include "feed/fetch_scheduler.h"
#include "feed/message_pacer.h"
#include "feed/stream_watchdog.h"

namespace scanner::feed {
namespace {

using core::kMinute;
using core::kSecond;
using core::Millis;

// The most entries of `times` (sorted) within any half-open window (t - window, t].
int MostWithin(const std::vector<Millis>& times, Millis window) {
  int most = 0;
  for (std::size_t i = 0; i < times.size(); ++i) {
    int count = 0;
    for (std::size_t j = 0; j <= i; ++j) {
      if (times[j] > times[i] - window) ++count;
    }
    most = std::max(most, count);
  }
  return most;
}

TEST(MessagePacer, ControlMessagesAndPongsStayUnderBinancesLimitInAnySecond) {
  // Spot: we allow ourselves 4 per 1.1 s (Binance: 5 per second); the server pings every 1.5 s
  // (Binance: 20 s) and each pong is written by the WebSocket layer, unasked.
  MessagePacer pacer(4, 1100);
  std::vector<Millis> all;  // every message the server counts
  std::uint64_t pongs = 0;
  int sent = 0;
  for (Millis now = 0; now < 20 * kSecond; ++now) {
    pacer.ObservePongs(pongs, now);  // the pong of the previous millisecond, seen now
    if (now % 1500 == 350) {
      ++pongs;
      all.push_back(now);
    }
    while (pacer.CanSend(now)) {  // a large SUBSCRIBE backlog: send whenever allowed
      pacer.RecordSent(now);
      all.push_back(now);
      ++sent;
    }
  }
  std::sort(all.begin(), all.end());
  // A pong right after a full window is the one message the pacer cannot foresee; the margin
  // between the configured 4 and Binance's 5 absorbs it.
  EXPECT_LE(MostWithin(all, 1000), 5);
  EXPECT_GE(MostWithin(all, 1000), 4);  // and the budget is used
  EXPECT_EQ(pacer.pongs(), pongs);
  // The backlog still moves: ~18 windows of 4, minus ~13 pongs.
  EXPECT_GT(sent, 40);
  EXPECT_EQ(pacer.sent(), static_cast<std::uint64_t>(sent));
}

TEST(MessagePacer, TellsWhenTheNextMessageFits) {
  MessagePacer pacer(2, 1000);
  EXPECT_EQ(pacer.NextSendTime(100), 100);
  pacer.RecordSent(100);
  pacer.RecordSent(400);
  EXPECT_FALSE(pacer.CanSend(500));
  EXPECT_EQ(pacer.NextSendTime(500), 1100);  // when the message of 100 leaves the window
  EXPECT_FALSE(pacer.CanSend(1099));
  EXPECT_TRUE(pacer.CanSend(1100));
  // A pong takes a slot like any message.
  pacer.ObservePongs(1, 1100);
  EXPECT_FALSE(pacer.CanSend(1100));
  EXPECT_EQ(pacer.NextSendTime(1100), 1400);
  // A new session's counter starts from zero again: its first pong counts once.
  pacer.ObservePongs(1, 1500);
  EXPECT_EQ(pacer.InWindow(1500), 1);  // only the pong of 1100 is left
  pacer.ObservePongs(0, 1600);
  pacer.ObservePongs(1, 1700);
  EXPECT_EQ(pacer.InWindow(1700), 2);
  EXPECT_EQ(pacer.pongs(), 2u);
}

TEST(ConnectThrottle, SpacesAttemptsAndCapsEveryFiveMinutes) {
  ConnectThrottle throttle(ConnectThrottleOptions{
      .min_interval = 1 * kSecond, .max_per_window = 60, .window = 5 * kMinute});
  std::vector<Millis> attempts;
  Millis now = 0;
  // A storm: every connection wants to reconnect as soon as it may, for half an hour.
  while (now < 30 * kMinute) {
    now = throttle.NextAttemptTime(now);
    ASSERT_TRUE(throttle.CanAttempt(now));
    throttle.RecordAttempt(now);
    attempts.push_back(now);
  }
  for (std::size_t i = 1; i < attempts.size(); ++i) {
    EXPECT_GE(attempts[i] - attempts[i - 1], 1 * kSecond);
  }
  EXPECT_LE(MostWithin(attempts, 5 * kMinute), 60);  // Binance allows 300
  EXPECT_GE(attempts.size(), 6u * 60u);              // and the cap is used, not starved
  EXPECT_EQ(throttle.attempts(), attempts.size());
}

TEST(Watchdog, TripsOnlyAfterStaleAfterWithoutData) {
  Watchdog watchdog(300);
  EXPECT_FALSE(watchdog.Tripped(10'000));  // not armed: not connected
  EXPECT_EQ(watchdog.Deadline(), Watchdog::kNever);
  watchdog.Arm(1000);
  EXPECT_FALSE(watchdog.Tripped(1299));
  EXPECT_TRUE(watchdog.Tripped(1300));
  watchdog.Feed(1250);
  EXPECT_FALSE(watchdog.Tripped(1500));
  EXPECT_EQ(watchdog.Deadline(), 1550);
  watchdog.Feed(1100);  // late news changes nothing
  EXPECT_EQ(watchdog.Deadline(), 1550);
  EXPECT_TRUE(watchdog.Tripped(1550));
  watchdog.Disarm();
  EXPECT_FALSE(watchdog.Tripped(5000));
}

TEST(FetchScheduler, SpreadsStartsAndCapsRequestsInFlight) {
  FetchScheduler scheduler(2, 100);
  for (std::uint64_t key = 1; key <= 5; ++key) {
    scheduler.Enqueue(key, FetchScheduler::Priority::kBackground);
  }
  EXPECT_EQ(scheduler.Next(0), 1u);
  EXPECT_FALSE(scheduler.Next(50).has_value());  // spacing
  EXPECT_EQ(scheduler.NextStartTime(50), 100);
  EXPECT_EQ(scheduler.Next(100), 2u);
  EXPECT_FALSE(scheduler.Next(500).has_value());  // two in flight
  EXPECT_EQ(scheduler.NextStartTime(500), FetchScheduler::kNever);
  scheduler.Finished();
  EXPECT_EQ(scheduler.Next(500), 3u);
  EXPECT_EQ(scheduler.in_flight(), 2u);
  EXPECT_EQ(scheduler.queued(), 2u);
}

TEST(FetchScheduler, UrgentBeforeBackgroundAndDelayedUntilDue) {
  FetchScheduler scheduler(4, 0);
  scheduler.Enqueue(1, FetchScheduler::Priority::kBackground);
  scheduler.Enqueue(2, FetchScheduler::Priority::kUrgent, 1000);  // a retry after a backoff
  scheduler.Enqueue(3, FetchScheduler::Priority::kUrgent);
  scheduler.Enqueue(4, FetchScheduler::Priority::kBackground);
  EXPECT_TRUE(scheduler.Remove(4));
  EXPECT_FALSE(scheduler.Remove(4));
  EXPECT_EQ(scheduler.Next(0), 3u);
  EXPECT_EQ(scheduler.Next(0), 1u);
  EXPECT_FALSE(scheduler.Next(999).has_value());
  EXPECT_EQ(scheduler.NextStartTime(999), 1000);
  EXPECT_EQ(scheduler.Next(1000), 2u);
  EXPECT_EQ(scheduler.NextStartTime(1000), FetchScheduler::kNever);  // nothing left
}

}  // namespace
}  // namespace scanner::feed
