#include "market/bar_window.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "core/time.h"
#include "core/types.h"

namespace scanner::market {
namespace {

constexpr core::Millis kStart = 1'700'000'040'000;  // a minute boundary
constexpr core::Millis kStep = core::kMinute;

// The closed 1m bar number `n` of a synthetic series; prices identify the bar.
core::Bar Closed(int n) {
  core::Bar bar;
  bar.open_time = kStart + n * kStep;
  bar.close_time = bar.open_time + kStep - 1;
  bar.open = 100 + n;
  bar.high = 101 + n;
  bar.low = 99 + n;
  bar.close = 100.5 + n;
  bar.volume = 10 + n;
  bar.quote_volume = 1000 + n;
  bar.trades = 50 + n;
  bar.closed = true;
  return bar;
}

core::Bar Open(int n, std::int64_t trades = 5) {
  core::Bar bar = Closed(n);
  bar.closed = false;
  bar.trades = trades;
  bar.close = 100.25 + n + static_cast<double>(trades);
  return bar;
}

std::vector<core::Millis> OpenTimes(const BarWindow& window) {
  std::vector<core::Millis> times;
  for (const core::Bar& bar : window) times.push_back(bar.open_time);
  return times;
}

std::vector<core::Millis> Series(int first, int last) {
  std::vector<core::Millis> times;
  for (int n = first; n <= last; ++n) times.push_back(Closed(n).open_time);
  return times;
}

TEST(BarWindow, AppendsClosedBarsInOrder) {
  BarWindow window(10);
  EXPECT_TRUE(window.Empty());
  EXPECT_EQ(window.NewestClosed(), nullptr);
  for (int n = 0; n < 4; ++n) EXPECT_EQ(window.Apply(Closed(n)), ApplyOutcome::kAppended);
  EXPECT_EQ(window.Size(), 4u);
  EXPECT_EQ(OpenTimes(window), Series(0, 3));
  EXPECT_EQ(window[0], Closed(0));
  EXPECT_EQ(window.FromNewest(0), Closed(3));
  EXPECT_EQ(window.FromNewest(3), Closed(0));
  ASSERT_NE(window.NewestClosed(), nullptr);
  EXPECT_EQ(*window.NewestClosed(), Closed(3));
  EXPECT_TRUE(window.IsWhole());
  EXPECT_FALSE(window.PendingGap().has_value());
}

TEST(BarWindow, DuplicateClosedBarsChangeNothing) {
  BarWindow window(10);
  for (int n = 0; n < 5; ++n) window.Apply(Closed(n), 1000 + n);
  core::Bar altered = Closed(2);
  altered.close = 1e9;  // same open time, different content: the first version stays
  EXPECT_EQ(window.Apply(Closed(4), 9999), ApplyOutcome::kDuplicate);
  EXPECT_EQ(window.Apply(Closed(0)), ApplyOutcome::kDuplicate);
  EXPECT_EQ(window.Apply(altered), ApplyOutcome::kDuplicate);
  EXPECT_EQ(OpenTimes(window), Series(0, 4));
  EXPECT_EQ(window[2], Closed(2));
  EXPECT_EQ(window.LastUpdateMs(), 1004);  // ignored bars do not touch the update time
}

TEST(BarWindow, OpenBarUpdatesAndDuplicates) {
  BarWindow window(10);
  window.Apply(Closed(0));
  EXPECT_EQ(window.Apply(Open(1, 3), 10), ApplyOutcome::kOpenUpdated);
  EXPECT_EQ(window.Apply(Open(1, 3), 11), ApplyOutcome::kDuplicate);
  EXPECT_EQ(window.Apply(Open(1, 7), 12), ApplyOutcome::kOpenUpdated);
  ASSERT_NE(window.OpenBar(), nullptr);
  EXPECT_EQ(window.OpenBar()->trades, 7);
  // A late, older update of the same bar (fewer trades) does not roll it back.
  EXPECT_EQ(window.Apply(Open(1, 4), 13), ApplyOutcome::kStale);
  EXPECT_EQ(window.OpenBar()->trades, 7);
  EXPECT_EQ(window.LastUpdateMs(), 12);
  // The next bar opening replaces it; an update of the previous open bar is then stale.
  EXPECT_EQ(window.Apply(Closed(1)), ApplyOutcome::kAppended);
  EXPECT_EQ(window.OpenBar(), nullptr);
  EXPECT_EQ(window.Apply(Open(2, 1)), ApplyOutcome::kOpenUpdated);
  EXPECT_EQ(window.Apply(Open(1, 9)), ApplyOutcome::kStale);
  EXPECT_EQ(window.OpenBar()->open_time, Closed(2).open_time);
  EXPECT_EQ(window.Size(), 2u);
  EXPECT_TRUE(window.IsWhole());
}

TEST(BarWindow, ClosedBarNeverRevertsToOpen) {
  BarWindow window(10);
  window.Apply(Closed(0));
  window.Apply(Open(1, 5));
  EXPECT_EQ(window.Apply(Closed(1)), ApplyOutcome::kAppended);
  EXPECT_EQ(window.OpenBar(), nullptr);
  EXPECT_EQ(window.Apply(Open(1, 99)), ApplyOutcome::kStale);
  EXPECT_EQ(window.Apply(Open(0, 99)), ApplyOutcome::kStale);
  EXPECT_EQ(window.OpenBar(), nullptr);
  EXPECT_TRUE(window.FromNewest(0).closed);
  EXPECT_EQ(window.FromNewest(0), Closed(1));
}

TEST(BarWindow, OlderBarsThatFillNoHoleAreIgnored) {
  BarWindow window(3);
  for (int n = 0; n < 6; ++n) window.Apply(Closed(n));
  EXPECT_EQ(OpenTimes(window), Series(3, 5));
  EXPECT_EQ(window.Apply(Closed(1)), ApplyOutcome::kStale);  // evicted long ago
  core::Bar misaligned = Closed(4);
  misaligned.open_time += 1000;
  misaligned.close_time += 1000;
  EXPECT_EQ(window.Apply(misaligned), ApplyOutcome::kStale);
  EXPECT_EQ(OpenTimes(window), Series(3, 5));
}

TEST(BarWindow, CapacityWrapsAround) {
  BarWindow window(4);
  for (int n = 0; n < 11; ++n) ASSERT_EQ(window.Apply(Closed(n)), ApplyOutcome::kAppended);
  EXPECT_EQ(window.Size(), 4u);
  EXPECT_EQ(window.Capacity(), 4u);
  EXPECT_EQ(OpenTimes(window), Series(7, 10));
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(window.FromNewest(i), Closed(10 - static_cast<int>(i)));
  EXPECT_EQ(window.Apply(Closed(8)), ApplyOutcome::kDuplicate);  // found across the wrap
  EXPECT_EQ(window.Apply(Closed(6)), ApplyOutcome::kStale);
}

TEST(BarWindow, GapIsReportedAndFilledAndHeldBarsReleasedInOrder) {
  BarWindow window(20);
  for (int n = 0; n <= 3; ++n) window.Apply(Closed(n));
  // Bars 4..6 are lost; 7 arrives.
  EXPECT_EQ(window.Apply(Closed(7), 70), ApplyOutcome::kGapDetected);
  EXPECT_FALSE(window.IsWhole());
  ASSERT_TRUE(window.PendingGap().has_value());
  EXPECT_EQ(*window.PendingGap(), (GapRange{Closed(4).open_time, Closed(7).open_time}));
  EXPECT_EQ(window.HeldCount(), 1u);
  EXPECT_EQ(window.HeldBufferCapacity(), 21u);  // capacity + 1, once for the whole gap
  EXPECT_EQ(OpenTimes(window), Series(0, 3));  // held bars are not in order yet
  // The stream goes on while the gap is fetched.
  EXPECT_EQ(window.Apply(Closed(8), 80), ApplyOutcome::kHeldPending);
  EXPECT_EQ(window.Apply(Open(9), 85), ApplyOutcome::kOpenUpdated);
  EXPECT_EQ(window.Apply(Closed(8)), ApplyOutcome::kDuplicate);
  EXPECT_EQ(*window.PendingGap(), (GapRange{Closed(4).open_time, Closed(7).open_time}));
  // The gap filler feeds the missing range (with an overlapping bar in front).
  EXPECT_EQ(window.Apply(Closed(3)), ApplyOutcome::kDuplicate);
  EXPECT_EQ(window.Apply(Closed(4)), ApplyOutcome::kHoleFilled);
  EXPECT_EQ(*window.PendingGap(), (GapRange{Closed(5).open_time, Closed(7).open_time}));
  EXPECT_EQ(window.Apply(Closed(5)), ApplyOutcome::kHoleFilled);
  EXPECT_EQ(window.Apply(Closed(6)), ApplyOutcome::kHoleFilled);
  EXPECT_TRUE(window.IsWhole());
  EXPECT_EQ(window.HeldCount(), 0u);
  EXPECT_EQ(window.HeldBufferCapacity(), 0u);  // a closed gap keeps no memory
  EXPECT_EQ(OpenTimes(window), Series(0, 8));
  ASSERT_NE(window.OpenBar(), nullptr);
  EXPECT_EQ(window.OpenBar()->open_time, Closed(9).open_time);
  EXPECT_EQ(window.LastUpdateMs(), 85);
  // Overlap at the end of the fetch.
  EXPECT_EQ(window.Apply(Closed(7)), ApplyOutcome::kDuplicate);
  EXPECT_EQ(window.Apply(Closed(9)), ApplyOutcome::kAppended);
}

TEST(BarWindow, SeveralHolesAreReportedOneAfterAnother) {
  BarWindow window(20);
  window.Apply(Closed(0));
  EXPECT_EQ(window.Apply(Closed(5)), ApplyOutcome::kGapDetected);
  EXPECT_EQ(window.Apply(Closed(3)), ApplyOutcome::kHeldPending);  // inside the gap
  EXPECT_EQ(window.Apply(Closed(8)), ApplyOutcome::kHeldPending);  // after another hole
  EXPECT_EQ(*window.PendingGap(), (GapRange{Closed(1).open_time, Closed(3).open_time}));
  window.Apply(Closed(1));
  EXPECT_EQ(window.Apply(Closed(2)), ApplyOutcome::kHoleFilled);  // releases 3
  EXPECT_EQ(*window.PendingGap(), (GapRange{Closed(4).open_time, Closed(5).open_time}));
  EXPECT_EQ(window.Apply(Closed(4)), ApplyOutcome::kHoleFilled);  // releases 5
  EXPECT_EQ(*window.PendingGap(), (GapRange{Closed(6).open_time, Closed(8).open_time}));
  EXPECT_EQ(window.HeldBufferCapacity(), 21u);  // still holding 8: the buffer stays
  window.Apply(Closed(6));
  EXPECT_EQ(window.Apply(Closed(7)), ApplyOutcome::kHoleFilled);
  EXPECT_TRUE(window.IsWhole());
  EXPECT_EQ(OpenTimes(window), Series(0, 8));
}

TEST(BarWindow, OpenBarAfterMissedBarsIsAGap) {
  BarWindow window(20);
  window.Apply(Closed(0));
  window.Apply(Open(1));
  // The final message of bar 1 and all of bars 2..3 were missed; bar 4 is open now.
  EXPECT_EQ(window.Apply(Open(4)), ApplyOutcome::kGapDetected);
  EXPECT_EQ(*window.PendingGap(), (GapRange{Closed(1).open_time, Closed(4).open_time}));
  EXPECT_EQ(window.Apply(Closed(1)), ApplyOutcome::kHoleFilled);
  EXPECT_EQ(window.Apply(Closed(2)), ApplyOutcome::kHoleFilled);
  EXPECT_EQ(window.Apply(Closed(3)), ApplyOutcome::kHoleFilled);
  EXPECT_TRUE(window.IsWhole());
  EXPECT_EQ(window.OpenBar()->open_time, Closed(4).open_time);
}

TEST(BarWindow, LateFinalMessageClosesTheHoleBeforeTheOpenBar) {
  BarWindow window(20);
  window.Apply(Closed(0));
  window.Apply(Open(1, 10));
  EXPECT_EQ(window.Apply(Open(2, 1)), ApplyOutcome::kGapDetected);
  EXPECT_EQ(window.Apply(Closed(1)), ApplyOutcome::kHoleFilled);  // x:true arrived late
  EXPECT_TRUE(window.IsWhole());
}

TEST(BarWindow, GapLongerThanTheWindowIsSkipped) {
  BarWindow window(4);
  for (int n = 0; n < 4; ++n) window.Apply(Closed(n));
  EXPECT_EQ(window.Apply(Closed(10)), ApplyOutcome::kGapDetected);
  EXPECT_EQ(window.Apply(Closed(11)), ApplyOutcome::kHeldPending);
  EXPECT_EQ(window.Apply(Closed(12)), ApplyOutcome::kHeldPending);
  EXPECT_EQ(window.Apply(Closed(13)), ApplyOutcome::kGapSkipped);
  EXPECT_TRUE(window.IsWhole());
  EXPECT_EQ(window.HeldBufferCapacity(), 0u);
  EXPECT_EQ(OpenTimes(window), Series(10, 13));
  // The gap filler's late answer is now stale.
  EXPECT_EQ(window.Apply(Closed(5)), ApplyOutcome::kStale);
  EXPECT_EQ(window.Apply(Closed(14)), ApplyOutcome::kAppended);
}

TEST(BarWindow, HeldBarsAreBounded) {
  BarWindow window(3);
  window.Apply(Closed(0));
  // Held bars with holes between them never form 3 in a row.
  window.Apply(Closed(2));
  window.Apply(Closed(4));
  window.Apply(Closed(6));
  EXPECT_EQ(window.HeldCount(), 3u);
  window.Apply(Closed(8));
  EXPECT_EQ(window.HeldCount(), 3u);
  // Bar 2 was let go: it is part of the missing range again.
  EXPECT_EQ(*window.PendingGap(), (GapRange{Closed(1).open_time, Closed(4).open_time}));
}

TEST(BarWindow, InvalidBarsAreRejected) {
  BarWindow window(5);
  core::Bar backwards = Closed(0);
  backwards.close_time = backwards.open_time - 1;
  EXPECT_EQ(window.Apply(backwards), ApplyOutcome::kInvalid);
  window.Apply(Closed(0));
  core::Bar overlapping = Closed(1);
  overlapping.close_time = Closed(3).close_time;  // swallows bar 2's slot
  window.Apply(Closed(2));                        // held
  EXPECT_EQ(window.Apply(overlapping), ApplyOutcome::kInvalid);
  EXPECT_EQ(window.Size(), 1u);
  EXPECT_EQ(window.HeldCount(), 1u);
}

TEST(BarWindow, EmptyWindowStartsAtItsFirstClosedBar) {
  BarWindow window(5);
  EXPECT_EQ(window.Apply(Open(10)), ApplyOutcome::kOpenUpdated);
  EXPECT_TRUE(window.IsWhole());
  // Warm-up bars arrive oldest first; the first one opens a gap up to the open bar.
  EXPECT_EQ(window.Apply(Closed(7)), ApplyOutcome::kGapDetected);
  EXPECT_EQ(*window.PendingGap(), (GapRange{Closed(8).open_time, Closed(10).open_time}));
  EXPECT_EQ(window.Apply(Closed(8)), ApplyOutcome::kHoleFilled);
  EXPECT_EQ(window.Apply(Closed(9)), ApplyOutcome::kHoleFilled);
  EXPECT_TRUE(window.IsWhole());
  window.Clear();
  EXPECT_TRUE(window.Empty());
  EXPECT_EQ(window.OpenBar(), nullptr);
  EXPECT_EQ(window.LastUpdateMs(), 0);
}

TEST(BarWindow, OlderHistoryIsPrependedWhileThereIsRoom) {
  BarWindow window(5);
  window.Apply(Closed(10));  // a live bar came before the warm-up
  window.Apply(Closed(11));
  EXPECT_EQ(window.Apply(Closed(8)), ApplyOutcome::kStale);  // not next to the oldest
  EXPECT_EQ(window.Apply(Closed(9)), ApplyOutcome::kPrepended);
  EXPECT_EQ(window.Apply(Closed(9)), ApplyOutcome::kDuplicate);
  EXPECT_EQ(window.Apply(Closed(8)), ApplyOutcome::kPrepended);
  EXPECT_EQ(window.Apply(Closed(7)), ApplyOutcome::kPrepended);
  EXPECT_EQ(window.Apply(Closed(6)), ApplyOutcome::kStale);  // full
  EXPECT_EQ(OpenTimes(window), Series(7, 11));
  ASSERT_NE(window.OldestClosed(), nullptr);
  EXPECT_EQ(*window.OldestClosed(), Closed(7));
  // The ring keeps working across the prepended slots.
  EXPECT_EQ(window.Apply(Closed(12)), ApplyOutcome::kAppended);
  EXPECT_EQ(window.Apply(Closed(13)), ApplyOutcome::kAppended);
  EXPECT_EQ(OpenTimes(window), Series(9, 13));
  EXPECT_EQ(window.Apply(Closed(10)), ApplyOutcome::kDuplicate);
}

TEST(BarWindow, MonthlyBarsOfVaryingLengthAreContinuous) {
  // 2024-01, 2024-02 (29 days), 2024-03.
  const core::Millis jan = 1'704'067'200'000;
  const core::Millis feb = jan + 31 * core::kDay;
  const core::Millis mar = feb + 29 * core::kDay;
  const core::Millis apr = mar + 31 * core::kDay;
  auto month = [](core::Millis open, core::Millis next) {
    core::Bar bar;
    bar.open_time = open;
    bar.close_time = next - 1;
    bar.closed = true;
    return bar;
  };
  BarWindow window(12);
  EXPECT_EQ(window.Apply(month(jan, feb)), ApplyOutcome::kAppended);
  EXPECT_EQ(window.Apply(month(feb, mar)), ApplyOutcome::kAppended);
  EXPECT_EQ(window.Apply(month(mar, apr)), ApplyOutcome::kAppended);
  EXPECT_TRUE(window.IsWhole());
}

TEST(BarWindow, ApplyingEverythingTwiceChangesNothing) {
  std::vector<core::Bar> bars = {Closed(0), Open(1, 2), Open(1, 4), Closed(1),
                                 Closed(4), Open(5, 1), Closed(2),  Closed(3)};
  BarWindow once(10);
  for (const core::Bar& bar : bars) once.Apply(bar);
  BarWindow twice(10);
  for (const core::Bar& bar : bars) {
    twice.Apply(bar);
    EXPECT_FALSE(ChangedWindow(twice.Apply(bar))) << bar.open_time;
  }
  EXPECT_EQ(OpenTimes(once), OpenTimes(twice));
  EXPECT_EQ(OpenTimes(once), Series(0, 4));
  ASSERT_NE(twice.OpenBar(), nullptr);
  EXPECT_EQ(*twice.OpenBar(), *once.OpenBar());
}

// Property: any arrival order of a contiguous series, with duplicates, plus a gap filler that
// answers every reported range from the full series, ends with exactly the newest bars, each
// once, in order.
TEST(BarWindow, RandomOrderWithDuplicatesAndGapFillingEndsWhole) {
  constexpr int kBars = 60;
  std::vector<core::Bar> series;
  for (int n = 0; n < kBars; ++n) series.push_back(Closed(n));
  std::array<int, 16> outcomes{};  // how often each outcome came up over all seeds
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 random(seed);
    const std::size_t capacity = 8 + seed % 70;
    std::vector<core::Bar> arrivals = series;
    // Duplicates of a random third, and a few open-bar updates for bars that also close.
    for (int n = 0; n < kBars / 3; ++n) arrivals.push_back(series[random() % kBars]);
    for (int n = 0; n < 10; ++n) arrivals.push_back(Open(static_cast<int>(random() % kBars), 1));
    // Mostly in order: the stream delivers in order, with local shuffles and late messages.
    std::vector<double> keys(arrivals.size());
    for (std::size_t i = 0; i < arrivals.size(); ++i) {
      const double jitter = std::uniform_real_distribution<double>(-8, 8)(random);
      keys[i] = static_cast<double>((arrivals[i].open_time - kStart) / kStep) + jitter;
    }
    std::vector<std::size_t> order(arrivals.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });

    BarWindow window(capacity);
    auto fill_gaps = [&] {
      // The gap filler: fetch each reported range (plus one bar of overlap) until whole.
      for (int rounds = 0; !window.IsWhole(); ++rounds) {
        ASSERT_LT(rounds, 1000) << "seed " << seed;
        const GapRange gap = *window.PendingGap();
        for (const core::Bar& bar : series) {
          if (bar.open_time >= gap.from - kStep && bar.open_time < gap.to) window.Apply(bar);
        }
      }
    };
    for (std::size_t index : order) {
      const core::Bar& bar = arrivals[index];
      const ApplyOutcome outcome = window.Apply(bar);
      ASSERT_NE(outcome, ApplyOutcome::kInvalid) << "seed " << seed;
      ++outcomes[static_cast<std::size_t>(outcome)];
      if (outcome == ApplyOutcome::kGapDetected && random() % 2 == 0) fill_gaps();
    }
    // The newest closed bar must arrive at some point (the stream delivers it): make sure.
    window.Apply(series.back());
    fill_gaps();
    // Warm-up that finished after live bars: older pages, applied newest first.
    while (window.Size() < capacity && window.OldestClosed()->open_time > kStart) {
      const int oldest = static_cast<int>((window.OldestClosed()->open_time - kStart) / kStep);
      for (int n = oldest - 1; n >= std::max(0, oldest - 7) && window.Size() < capacity; --n) {
        ASSERT_EQ(window.Apply(series[static_cast<std::size_t>(n)]), ApplyOutcome::kPrepended)
            << "seed " << seed;
      }
    }

    const int first = kBars - static_cast<int>(std::min<std::size_t>(capacity, kBars));
    EXPECT_EQ(OpenTimes(window), Series(first, kBars - 1)) << "seed " << seed;
    for (const core::Bar& bar : window) {
      EXPECT_EQ(bar, series[static_cast<std::size_t>((bar.open_time - kStart) / kStep)]);
    }
    EXPECT_EQ(window.HeldCount(), 0u);
  }
  // The arrivals really exercised the gap machinery.
  for (ApplyOutcome outcome :
       {ApplyOutcome::kAppended, ApplyOutcome::kDuplicate, ApplyOutcome::kStale,
        ApplyOutcome::kGapDetected, ApplyOutcome::kHeldPending, ApplyOutcome::kHoleFilled,
        ApplyOutcome::kOpenUpdated}) {
    EXPECT_GT(outcomes[static_cast<std::size_t>(outcome)], 0) << ApplyOutcomeName(outcome);
  }
}

}  // namespace
}  // namespace scanner::market
