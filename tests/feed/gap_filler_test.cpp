// GapFiller on a FakeClock with a scripted klines fetch: warm-up, gap fills, late bars, resumes,
// retries and the exactly-once, in-order release of closed bars. No sockets, no sleeps: time
// jumps to the filler's next wake-up.

#include "feed/gap_filler.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "binance/rest_parser.h"
#include "fakes/manual_wake_up_timer.h"
#include "fakes/scripted_market.h"
#include "market/window_set.h"
#include "support/null_logger.h"

namespace scanner::feed {
namespace {

using core::kMinute;
using core::kSecond;
using core::Millis;

constexpr Millis kT0 = 1'700'000'040'000;  // a minute boundary (2023-11-14T22:14:00Z)
const core::Interval k1s = *core::Interval::Parse("1s");
const core::Interval k1m = *core::Interval::Parse("1m");

// Answers klines like Binance would at the clock's now (through the real REST parser), posted
// on the io_context; can hold requests, fail them, or leave a hole in the exchange's history.
class ScriptedFetch {
 public:
  struct Call {
    binance::KlinesQuery query;
    Millis at = 0;
  };

  ScriptedFetch(boost::asio::io_context& io, core::FakeClock& clock,
                const fakes::ScriptedMarket& market)
      : io_(io), clock_(clock), market_(market) {}

  KlinesFetch Fetch() {
    return [this](binance::KlinesQuery query, KlinesDone done) {
      calls.push_back(Call{query, clock_.NowMs()});
      ++in_flight;
      max_in_flight = std::max(max_in_flight, in_flight);
      if (hold) {
        held_.emplace_back(std::move(query), std::move(done));
        return;
      }
      boost::asio::post(io_, [this, query = std::move(query), done = std::move(done)]() mutable {
        Answer(query, done);
      });
    };
  }

  // Answers the held request for `interval` only.
  void ReleaseOnly(core::Interval interval) {
    for (auto it = held_.begin(); it != held_.end(); ++it) {
      if (it->first.interval != interval) continue;
      boost::asio::post(io_, [this, query = std::move(it->first),
                              done = std::move(it->second)]() mutable { Answer(query, done); });
      held_.erase(it);
      return;
    }
    ADD_FAILURE() << "no held request for " << interval.Name();
  }
  std::size_t held() const { return held_.size(); }

  void Release() {
    auto held = std::move(held_);
    held_.clear();
    for (auto& [query, done] : held) {
      boost::asio::post(io_, [this, query = std::move(query), done = std::move(done)]() mutable {
        Answer(query, done);
      });
    }
  }

  std::vector<Call> calls;
  bool hold = false;
  int fail_next = 0;
  std::optional<std::pair<Millis, Millis>> hole;  // bars opening in [first, second) are absent
  std::optional<Millis> absurd;                   // the bar opening then comes with a high of 1e300
  int in_flight = 0;
  int max_in_flight = 0;

 private:
  void Answer(const binance::KlinesQuery& query, KlinesDone& done) {
    --in_flight;
    if (fail_next > 0) {
      --fail_next;
      done(core::Fail("spot klines: HTTP 503 after 4 attempts"));
      return;
    }
    const Millis now = clock_.NowMs();
    auto bars =
        parser_.ParseKlines(market_.KlinesJson(query.symbol, query.interval, query.start_time,
                                               query.end_time, query.limit, now),
                            now);
    ASSERT_TRUE(bars.has_value());
    if (hole) {
      std::erase_if(*bars, [&](const core::Bar& bar) {
        return bar.open_time >= hole->first && bar.open_time < hole->second;
      });
    }
    for (core::Bar& bar : *bars) {
      if (absurd && bar.open_time == *absurd) bar.high = 1e300;
    }
    done(std::move(*bars));
  }

  boost::asio::io_context& io_;
  core::FakeClock& clock_;
  const fakes::ScriptedMarket& market_;
  binance::RestParser parser_;
  std::vector<std::pair<binance::KlinesQuery, KlinesDone>> held_;
};

struct Emitted {
  core::Symbol symbol;
  core::Interval interval;
  core::Bar bar;
  market::BarOrigin origin;
};

class GapFillerTest : public ::testing::Test {
 protected:
  void Make(std::vector<core::Interval> intervals, std::size_t capacity, GapFillerOptions options) {
    windows_.emplace(intervals, capacity);
    options.market = core::Market::kSpot;
    filler_.emplace(
        *windows_, fetch_.Fetch(), timer_, clock_, options,
        GapFillerCallbacks{.on_closed_bar =
                               [this](const core::Symbol& symbol, core::Interval interval,
                                      const core::Bar& bar, market::BarOrigin origin) {
                                 emitted_.push_back(Emitted{symbol, interval, bar, origin});
                               },
                           .on_open_bar = [this](const core::Symbol&, core::Interval,
                                                 const core::Bar&) { ++open_bars_; }},
        logger_);
  }

  static GapFillerOptions Options(std::size_t warm_up_bars, Millis stale_after = 10 * kSecond) {
    GapFillerOptions options;
    options.warm_up_bars = warm_up_bars;
    options.stale_after = stale_after;
    options.request_spacing = 100;
    options.max_in_flight = 2;
    return options;
  }

  bool Drive(const std::function<bool()>& done) {
    return fakes::DriveUntil(
        io_, clock_, {&timer_}, done, [] { return false; }, 20000);
  }
  // Runs what is ready without moving the clock.
  void Settle() {
    io_.restart();
    io_.poll();
  }

  const market::BarWindow& Window(const char* symbol, core::Interval interval) {
    return *windows_->Find(symbol, interval);
  }

  // The emitted bars of one series, in order.
  std::vector<core::Bar> EmittedBars(const char* symbol, core::Interval interval) const {
    std::vector<core::Bar> bars;
    for (const Emitted& e : emitted_) {
      if (e.symbol == symbol && e.interval == interval) bars.push_back(e.bar);
    }
    return bars;
  }

  // Every closed bar of `window` is the script's, consecutive, oldest first.
  void ExpectScriptBars(const market::BarWindow& window, const char* symbol,
                        core::Interval interval) {
    ASSERT_FALSE(window.Empty());
    for (std::size_t i = 0; i < window.Size(); ++i) {
      EXPECT_EQ(window[i], market_.Bar(symbol, interval, window[i].open_time)) << i;
      if (i > 0) {
        EXPECT_EQ(window[i].open_time, window[i - 1].close_time + 1) << i;
      }
    }
  }

  // Emitted bars are strictly increasing and consecutive from `first` on.
  static void ExpectConsecutive(const std::vector<core::Bar>& bars) {
    for (std::size_t i = 1; i < bars.size(); ++i) {
      EXPECT_EQ(bars[i].open_time, bars[i - 1].close_time + 1) << "bar " << i;
    }
  }

  void StreamBar(const char* symbol, core::Interval interval, Millis open_time, bool closed) {
    const core::Bar bar = closed ? market_.Bar(symbol, interval, open_time)
                                 : market_.PartialBar(symbol, interval, open_time, clock_.NowMs());
    filler_->OnStreamBar(symbol, interval, bar, clock_.NowMs());
  }

  std::shared_ptr<spdlog::logger> logger_ = support::NullLogger("gap");
  boost::asio::io_context io_;
  core::FakeClock clock_{kT0 + 20 * kSecond};
  fakes::ManualWakeUpTimer timer_{io_};
  fakes::ScriptedMarket market_{{"AAAUSDT", "BBBUSDT"}};
  ScriptedFetch fetch_{io_, clock_, market_};
  std::optional<market::WindowSet> windows_;
  std::optional<GapFiller> filler_;
  std::vector<Emitted> emitted_;
  int open_bars_ = 0;
};

TEST_F(GapFillerTest, WarmUpStoresOnlyClosedBarsAndReleasesThemOnce) {
  Make({k1m}, 50, Options(30));
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  EXPECT_FALSE(filler_->AddSymbol("AAAUSDT"));
  EXPECT_FALSE(filler_->IsWarm("AAAUSDT", k1m));
  ASSERT_TRUE(Drive([&] { return filler_->IsWarm("AAAUSDT", k1m); }));

  ASSERT_EQ(fetch_.calls.size(), 1u);
  EXPECT_EQ(fetch_.calls[0].query.start_time, kT0 - 30 * kMinute);
  EXPECT_EQ(fetch_.calls[0].query.limit, 32);
  const market::BarWindow& window = Window("AAAUSDT", k1m);
  EXPECT_EQ(window.Size(), 30u);
  EXPECT_EQ(window.NewestClosed()->open_time, kT0 - kMinute);
  EXPECT_EQ(window.OpenBar(), nullptr);  // REST's last bar (kT0) is still open: not stored
  EXPECT_TRUE(window.IsWhole());
  ExpectScriptBars(window, "AAAUSDT", k1m);

  const std::vector<core::Bar> emitted = EmittedBars("AAAUSDT", k1m);
  ASSERT_EQ(emitted.size(), 30u);
  EXPECT_EQ(emitted.front().open_time, kT0 - 30 * kMinute);
  ExpectConsecutive(emitted);
  for (const Emitted& e : emitted_) EXPECT_EQ(e.origin, market::BarOrigin::kWarmUp);
  const GapFillerStats stats = filler_->stats();
  EXPECT_EQ(stats.series, 1u);
  EXPECT_EQ(stats.series_warm, 1u);
  EXPECT_EQ(stats.warm_up_requests, 1u);
  EXPECT_EQ(stats.bars_fetched, 30u);
  EXPECT_EQ(stats.closed_bars_emitted, 30u);
}

// A symbol's warm-up bars are released once all its windows are loaded, every interval merged
// by close time (the longer interval first on a tie), as a replay feeds them: the signals, and
// their confirmations across intervals, then see the same bars in the same order whichever
// window's REST answer came first.
TEST_F(GapFillerTest, WarmUpBarsOfASymbolAreReleasedTogetherInCloseTimeOrder) {
  const core::Interval k5m = *core::Interval::Parse("5m");
  std::vector<std::vector<std::pair<core::Interval, Millis>>> runs;
  for (const core::Interval first : {k1m, k5m}) {
    emitted_.clear();
    Make({k1m, k5m}, 50, Options(20));
    fetch_.hold = true;
    ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
    ASSERT_TRUE(Drive([&] { return fetch_.held() == 2; }));
    fetch_.ReleaseOnly(first);
    ASSERT_TRUE(Drive([&] { return filler_->IsWarm("AAAUSDT", first); }));
    EXPECT_TRUE(emitted_.empty()) << "released before every window of the symbol was warm";
    fetch_.ReleaseOnly(first == k1m ? k5m : k1m);
    ASSERT_TRUE(Drive([&] { return filler_->stats().series_warm == 2; }));
    fetch_.hold = false;

    std::vector<std::pair<core::Interval, Millis>> order;
    for (std::size_t i = 0; i < emitted_.size(); ++i) {
      const Emitted& e = emitted_[i];
      EXPECT_EQ(e.origin, market::BarOrigin::kWarmUp);
      order.emplace_back(e.interval, e.bar.open_time);
      if (i == 0) continue;
      const Emitted& before = emitted_[i - 1];
      EXPECT_TRUE(before.bar.close_time < e.bar.close_time ||
                  (before.bar.close_time == e.bar.close_time && before.interval > e.interval))
          << i;
    }
    EXPECT_EQ(EmittedBars("AAAUSDT", k1m).size(), 20u);
    EXPECT_EQ(EmittedBars("AAAUSDT", k5m).size(), 20u);
    runs.push_back(std::move(order));
    filler_.reset();
  }
  EXPECT_EQ(runs[0], runs[1]);
}

TEST_F(GapFillerTest, WarmUpOfWeeksAndMonthsStartsWholeCalendarBarsBack) {
  // The clock is Tuesday 2023-11-14T22:14:20Z: its week opened Monday 2023-11-13, its month on
  // 2023-11-01.
  const core::Interval week = *core::Interval::Parse("1w");
  const core::Interval month = *core::Interval::Parse("1M");
  Make({week, month}, 10, Options(3));
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  ASSERT_TRUE(Drive([&] { return fetch_.calls.size() >= 2; }));
  std::map<core::Interval, Millis> start_of;
  for (const ScriptedFetch::Call& call : fetch_.calls) {
    start_of.emplace(call.query.interval, call.query.start_time.value_or(-1));
  }
  EXPECT_EQ(start_of[week], 1'698'019'200'000);   // Monday 2023-10-23
  EXPECT_EQ(start_of[month], 1'690'848'000'000);  // 2023-08-01
}

TEST_F(GapFillerTest, WarmUpOfManyWindowsIsSpreadPagedAndExact) {
  Make({k1s}, 1600, Options(1500));
  std::vector<core::Symbol> symbols;
  for (int i = 0; i < 8; ++i) {
    symbols.push_back(std::string("S").append(std::to_string(i)).append("USDT"));
    ASSERT_TRUE(filler_->AddSymbol(symbols.back()));
  }
  ASSERT_TRUE(Drive([&] { return filler_->stats().series_warm == symbols.size(); }));

  // 1500 bars of 1s need two pages each (limit <= 1000), spaced and at most two in flight.
  EXPECT_EQ(fetch_.calls.size(), 16u);
  EXPECT_LE(fetch_.max_in_flight, 2);
  for (std::size_t i = 1; i < fetch_.calls.size(); ++i) {
    EXPECT_GE(fetch_.calls[i].at - fetch_.calls[i - 1].at, 100) << i;
  }
  for (const ScriptedFetch::Call& call : fetch_.calls) EXPECT_LE(call.query.limit, 1000);
  for (const core::Symbol& symbol : symbols) {
    const market::BarWindow& window = Window(symbol.c_str(), k1s);
    EXPECT_GE(window.Size(), 1500u) << symbol;
    EXPECT_TRUE(window.IsWhole());
    EXPECT_LT(window.NewestClosed()->close_time, clock_.NowMs());
    ExpectScriptBars(window, symbol.c_str(), k1s);
    const std::vector<core::Bar> emitted = EmittedBars(symbol.c_str(), k1s);
    EXPECT_EQ(emitted.size(), window.Size());
    ExpectConsecutive(emitted);
  }
}

// A stream kline that is no bar (here a finite but absurd high) is refused, counted and logged
// once; the window never sees it, and the real bar is fetched over REST like any missed one.
TEST_F(GapFillerTest, AnAbsurdStreamBarIsRefusedAndTheRealOneFetched) {
  Make({k1m}, 50, Options(5));
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  ASSERT_TRUE(Drive([&] { return filler_->IsWarm("AAAUSDT", k1m); }));
  emitted_.clear();

  clock_.Set(kT0 + kMinute + 100);
  core::Bar absurd = market_.Bar("AAAUSDT", k1m, kT0);
  absurd.high = 1e300;
  filler_->OnStreamBar("AAAUSDT", k1m, absurd, clock_.NowMs());
  core::Bar inverted = market_.Bar("AAAUSDT", k1m, kT0);
  inverted.low = inverted.high + 1;
  filler_->OnStreamBar("AAAUSDT", k1m, inverted, clock_.NowMs());
  EXPECT_EQ(Window("AAAUSDT", k1m).NewestClosed()->open_time, kT0 - kMinute);
  EXPECT_TRUE(emitted_.empty());
  const GapFillerStats refused = filler_->stats();
  EXPECT_EQ(refused.refused_bars[static_cast<std::size_t>(market::BarDefect::kAbsurdRange)], 1u);
  EXPECT_EQ(refused.refused_bars[static_cast<std::size_t>(market::BarDefect::kLowAboveBody)], 1u);

  // The next bar shows the hole; REST has the real one.
  clock_.Set(kT0 + 2 * kMinute + 100);
  StreamBar("AAAUSDT", k1m, kT0 + kMinute, /*closed=*/true);
  ASSERT_TRUE(Drive([&] { return EmittedBars("AAAUSDT", k1m).size() == 2; }));
  const std::vector<core::Bar> emitted = EmittedBars("AAAUSDT", k1m);
  EXPECT_EQ(emitted[0], market_.Bar("AAAUSDT", k1m, kT0));
  EXPECT_LT(emitted[0].high, 1e6);
  ExpectScriptBars(Window("AAAUSDT", k1m), "AAAUSDT", k1m);
}

// The same bar from REST (Binance's own history is broken there): refused, and the window goes
// on after it as after a hole in the exchange's history -- no endless refetching, and the good
// bars on both sides are kept.
TEST_F(GapFillerTest, AnAbsurdRestBarIsRefusedAndTheWindowGoesOnAfterIt) {
  Make({k1m}, 50, Options(20));
  fetch_.absurd = kT0 - 10 * kMinute;
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  ASSERT_TRUE(Drive([&] {
    const market::BarWindow& window = Window("AAAUSDT", k1m);
    return filler_->IsWarm("AAAUSDT", k1m) && window.IsWhole() && !window.Empty() &&
           window.NewestClosed()->open_time == kT0 - kMinute && filler_->PendingRequests() == 0;
  }));
  const market::BarWindow& window = Window("AAAUSDT", k1m);
  EXPECT_EQ(window.OldestClosed()->open_time, kT0 - 9 * kMinute);  // restarted after it
  ExpectScriptBars(window, "AAAUSDT", k1m);
  EXPECT_GE(
      filler_->stats().refused_bars[static_cast<std::size_t>(market::BarDefect::kAbsurdRange)], 1u);
  EXPECT_LE(fetch_.calls.size(), 3u);
  for (const Emitted& e : emitted_) EXPECT_LT(e.bar.high, 1e6);
}

// A reload that changes the indicator windows needs longer (or shorter) history: every window
// is rebuilt at the new capacity and loaded again over REST, and its bars are released again as
// warm-up, so the signals start warm instead of waiting days for live bars.
TEST_F(GapFillerTest, RewarmLoadsEveryWindowAgainWithTheNewHistory) {
  Make({k1m}, 20, Options(10));
  for (const char* symbol : {"AAAUSDT", "BBBUSDT"}) ASSERT_TRUE(filler_->AddSymbol(symbol));
  ASSERT_TRUE(Drive([&] { return filler_->stats().series_warm == 2; }));
  emitted_.clear();
  const std::size_t calls_before = fetch_.calls.size();

  windows_->SetCapacity(40);
  filler_->Rewarm(30);
  EXPECT_EQ(filler_->stats().series_warm, 0u);
  EXPECT_FALSE(filler_->IsWarm("AAAUSDT", k1m));
  ASSERT_TRUE(Drive([&] { return filler_->stats().series_warm == 2; }));
  EXPECT_EQ(fetch_.calls.size(), calls_before + 2);
  for (const char* symbol : {"AAAUSDT", "BBBUSDT"}) {
    const market::BarWindow& window = Window(symbol, k1m);
    EXPECT_EQ(window.Capacity(), 40u);
    EXPECT_EQ(window.Size(), 30u);
    ExpectScriptBars(window, symbol, k1m);
    const std::vector<core::Bar> again = EmittedBars(symbol, k1m);
    EXPECT_EQ(again.size(), 30u);
    ExpectConsecutive(again);
  }
  for (const Emitted& e : emitted_) EXPECT_EQ(e.origin, market::BarOrigin::kWarmUp);
  EXPECT_EQ(filler_->stats().series, 2u);
}

TEST_F(GapFillerTest, StreamBarsDuringTheWarmUpMergeInOrderWithoutDuplicates) {
  Make({k1m}, 50, Options(10));
  fetch_.hold = true;
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  Settle();
  ASSERT_EQ(fetch_.calls.size(), 1u);

  // The bar of kT0 closes while the warm-up request is on its way; the stream says so twice.
  clock_.Set(kT0 + kMinute + 100);
  StreamBar("AAAUSDT", k1m, kT0, /*closed=*/true);
  StreamBar("AAAUSDT", k1m, kT0, /*closed=*/true);
  StreamBar("AAAUSDT", k1m, kT0 + kMinute, /*closed=*/false);
  EXPECT_TRUE(emitted_.empty());  // nothing before the window is warm
  EXPECT_EQ(open_bars_, 0);
  fetch_.hold = false;
  fetch_.Release();
  ASSERT_TRUE(Drive([&] { return filler_->IsWarm("AAAUSDT", k1m); }));

  const market::BarWindow& window = Window("AAAUSDT", k1m);
  EXPECT_EQ(window.NewestClosed()->open_time, kT0);
  ASSERT_NE(window.OpenBar(), nullptr);
  EXPECT_EQ(window.OpenBar()->open_time, kT0 + kMinute);
  ExpectScriptBars(window, "AAAUSDT", k1m);
  std::vector<core::Bar> emitted = EmittedBars("AAAUSDT", k1m);
  ASSERT_EQ(emitted.size(), window.Size());
  ExpectConsecutive(emitted);
  EXPECT_EQ(emitted.back().open_time, kT0);
  EXPECT_GE(filler_->stats().duplicate_bars, 2u);

  // Live from here: the next bar is released by the stream.
  clock_.Set(kT0 + 2 * kMinute + 100);
  StreamBar("AAAUSDT", k1m, kT0 + kMinute, /*closed=*/true);
  emitted = EmittedBars("AAAUSDT", k1m);
  EXPECT_EQ(emitted.back().open_time, kT0 + kMinute);
  EXPECT_EQ(emitted_.back().origin, market::BarOrigin::kStream);
  ExpectConsecutive(emitted);
}

TEST_F(GapFillerTest, SkippedStreamBarsAreFetchedAndReleasedInOrderOnce) {
  Make({k1m}, 100, Options(5));
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  ASSERT_TRUE(Drive([&] { return filler_->IsWarm("AAAUSDT", k1m); }));
  const std::size_t warm_bars = emitted_.size();

  // The stream jumps from kT0 - 1m to kT0 + 4m: four bars missing.
  fetch_.hold = true;
  clock_.Set(kT0 + 5 * kMinute + 100);
  StreamBar("AAAUSDT", k1m, kT0 + 4 * kMinute, /*closed=*/true);
  EXPECT_EQ(filler_->stats().gaps_detected, 1u);
  EXPECT_EQ(filler_->stats().stream_gap_fills, 1u);
  Settle();
  ASSERT_EQ(fetch_.calls.size(), 2u);
  EXPECT_EQ(fetch_.calls[1].query.start_time, kT0);  // newest stored close + 1
  EXPECT_EQ(emitted_.size(), warm_bars);             // held back until the hole is filled

  // Another bar closes while the fill is on its way; it is held, then merged.
  clock_.Set(kT0 + 6 * kMinute + 100);
  StreamBar("AAAUSDT", k1m, kT0 + 5 * kMinute, /*closed=*/true);
  fetch_.hold = false;
  fetch_.Release();
  ASSERT_TRUE(Drive([&] { return Window("AAAUSDT", k1m).IsWhole() && fetch_.in_flight == 0; }));

  const market::BarWindow& window = Window("AAAUSDT", k1m);
  EXPECT_EQ(window.NewestClosed()->open_time, kT0 + 5 * kMinute);
  ExpectScriptBars(window, "AAAUSDT", k1m);
  const std::vector<core::Bar> emitted = EmittedBars("AAAUSDT", k1m);
  EXPECT_EQ(emitted.size(), window.Size());
  ExpectConsecutive(emitted);
  for (std::size_t i = warm_bars; i < emitted_.size(); ++i) {
    EXPECT_EQ(emitted_[i].origin, market::BarOrigin::kRest);
  }
  EXPECT_EQ(fetch_.calls.size(), 2u);
  EXPECT_GE(filler_->stats().duplicate_bars, 2u);  // the two held bars came over REST too
}

TEST_F(GapFillerTest, LongGapsAreFilledPageByPage) {
  Make({k1s}, 3000, Options(5));
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  ASSERT_TRUE(Drive([&] { return filler_->IsWarm("AAAUSDT", k1s); }));
  const Millis newest = Window("AAAUSDT", k1s).NewestClosed()->open_time;

  clock_.Advance(2500 * kSecond);
  const Millis latest = k1s.BarOpenFor(clock_.NowMs()) - kSecond;
  StreamBar("AAAUSDT", k1s, latest, /*closed=*/true);
  ASSERT_TRUE(Drive([&] { return Window("AAAUSDT", k1s).IsWhole() && fetch_.in_flight == 0; }));

  ASSERT_EQ(fetch_.calls.size(), 4u);  // warm-up + three pages
  EXPECT_EQ(fetch_.calls[1].query.start_time, newest + kSecond);
  EXPECT_EQ(fetch_.calls[1].query.limit, 1000);
  EXPECT_EQ(fetch_.calls[2].query.start_time, newest + 1001 * kSecond);
  EXPECT_EQ(fetch_.calls[3].query.start_time, newest + 2001 * kSecond);
  const market::BarWindow& window = Window("AAAUSDT", k1s);
  EXPECT_EQ(window.NewestClosed()->open_time, latest);
  ExpectScriptBars(window, "AAAUSDT", k1s);
  const std::vector<core::Bar> emitted = EmittedBars("AAAUSDT", k1s);
  EXPECT_EQ(emitted.size(), window.Size());
  ExpectConsecutive(emitted);
}

TEST_F(GapFillerTest, ABarTheStreamNeverFinishesIsFetchedStaleAfterItsClose) {
  Make({k1m}, 50, Options(5, 10 * kSecond));
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  ASSERT_TRUE(Drive([&] { return filler_->IsWarm("AAAUSDT", k1m); }));
  ASSERT_EQ(fetch_.calls.size(), 1u);

  // kT0's final message never comes; the next bar is already forming.
  clock_.Set(kT0 + 65 * kSecond);
  StreamBar("AAAUSDT", k1m, kT0 + kMinute, /*closed=*/false);
  Settle();
  EXPECT_EQ(fetch_.calls.size(), 1u);  // it may still come: wait
  EXPECT_FALSE(Window("AAAUSDT", k1m).IsWhole());

  ASSERT_TRUE(Drive([&] { return fetch_.calls.size() == 2u; }));
  EXPECT_GE(fetch_.calls[1].at, kT0 + kMinute - 1 + 10 * kSecond);  // close + stale_after
  EXPECT_EQ(fetch_.calls[1].query.start_time, kT0);
  ASSERT_TRUE(Drive([&] { return Window("AAAUSDT", k1m).IsWhole(); }));
  EXPECT_EQ(filler_->stats().late_bar_fills, 1u);
  EXPECT_EQ(EmittedBars("AAAUSDT", k1m).back().open_time, kT0);
  EXPECT_EQ(emitted_.back().origin, market::BarOrigin::kRest);
  ExpectConsecutive(EmittedBars("AAAUSDT", k1m));
}

TEST_F(GapFillerTest, AResumedConnectionFetchesWhatClosedMeanwhile) {
  Make({k1m}, 50, Options(5, 10 * kMinute));  // the late-bar check stays out of the way
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  ASSERT_TRUE(filler_->AddSymbol("BBBUSDT"));
  ASSERT_TRUE(Drive([&] { return filler_->stats().series_warm == 2u; }));
  ASSERT_EQ(fetch_.calls.size(), 2u);

  // Nothing closed since: a resume fetches nothing.
  const std::vector<core::Symbol> both{"AAAUSDT", "BBBUSDT"};
  filler_->OnResumed(both);
  Settle();
  EXPECT_EQ(fetch_.calls.size(), 2u);

  clock_.Set(kT0 + 3 * kMinute + 500);
  const std::vector<core::Symbol> one{"AAAUSDT", "GONEUSDT"};
  filler_->OnResumed(one);
  ASSERT_TRUE(Drive([&] { return fetch_.calls.size() == 3u && fetch_.in_flight == 0; }));
  EXPECT_EQ(fetch_.calls[2].query.symbol, "AAAUSDT");
  EXPECT_EQ(fetch_.calls[2].query.start_time, kT0);
  EXPECT_EQ(filler_->stats().resume_fills, 1u);
  EXPECT_EQ(Window("AAAUSDT", k1m).NewestClosed()->open_time, kT0 + 2 * kMinute);
  ExpectConsecutive(EmittedBars("AAAUSDT", k1m));
  EXPECT_EQ(EmittedBars("AAAUSDT", k1m).size(), Window("AAAUSDT", k1m).Size());
}

TEST_F(GapFillerTest, AFailedFetchIsRetriedAfterABackoff) {
  Make({k1m}, 50, Options(5));
  fetch_.fail_next = 1;
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  ASSERT_TRUE(Drive([&] { return filler_->IsWarm("AAAUSDT", k1m); }));
  ASSERT_EQ(fetch_.calls.size(), 2u);
  EXPECT_GE(fetch_.calls[1].at - fetch_.calls[0].at, 500);  // retry.initial 1 s, jitter 0.5
  EXPECT_EQ(filler_->stats().failed_requests, 1u);
  EXPECT_EQ(Window("AAAUSDT", k1m).Size(), 5u);
}

TEST_F(GapFillerTest, ARemovedSymbolsLateAnswerIsIgnored) {
  Make({k1m}, 50, Options(5));
  fetch_.hold = true;
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  Settle();
  ASSERT_EQ(fetch_.calls.size(), 1u);
  ASSERT_TRUE(filler_->RemoveSymbol("AAAUSDT"));
  EXPECT_FALSE(filler_->RemoveSymbol("AAAUSDT"));
  fetch_.hold = false;
  fetch_.Release();
  Settle();
  StreamBar("AAAUSDT", k1m, kT0 - kMinute, /*closed=*/true);
  EXPECT_TRUE(emitted_.empty());
  EXPECT_EQ(windows_->SymbolCount(), 0u);
  EXPECT_EQ(filler_->stats().series, 0u);
  EXPECT_EQ(filler_->stats().unknown_series, 1u);
  EXPECT_EQ(filler_->PendingRequests(), 0u);
}

TEST_F(GapFillerTest, AHoleInTheExchangesHistoryRestartsTheWindowAfterIt) {
  Make({k1m}, 50, Options(5));
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  ASSERT_TRUE(Drive([&] { return filler_->IsWarm("AAAUSDT", k1m); }));
  const std::size_t warm_bars = emitted_.size();

  fetch_.hole = {kT0, kT0 + 3 * kMinute};  // maintenance: no bars at all
  clock_.Set(kT0 + 5 * kMinute + 100);
  StreamBar("AAAUSDT", k1m, kT0 + 4 * kMinute, /*closed=*/true);
  ASSERT_TRUE(Drive([&] { return Window("AAAUSDT", k1m).IsWhole() && fetch_.in_flight == 0; }));

  EXPECT_EQ(filler_->stats().exchange_holes, 1u);
  const market::BarWindow& window = Window("AAAUSDT", k1m);
  EXPECT_EQ(window.OldestClosed()->open_time, kT0 + 3 * kMinute);
  EXPECT_EQ(window.NewestClosed()->open_time, kT0 + 4 * kMinute);
  ASSERT_EQ(emitted_.size(), warm_bars + 2);
  EXPECT_EQ(emitted_[warm_bars].bar.open_time, kT0 + 3 * kMinute);
  EXPECT_EQ(emitted_[warm_bars + 1].bar.open_time, kT0 + 4 * kMinute);
}

TEST_F(GapFillerTest, DuplicateAndOutOfOrderStreamBarsAreReleasedOnce) {
  Make({k1m}, 50, Options(3));
  ASSERT_TRUE(filler_->AddSymbol("AAAUSDT"));
  ASSERT_TRUE(Drive([&] { return filler_->IsWarm("AAAUSDT", k1m); }));
  const std::size_t warm_bars = emitted_.size();

  clock_.Set(kT0 + kMinute + 100);
  StreamBar("AAAUSDT", k1m, kT0 + kMinute, /*closed=*/false);  // before kT0's final message
  StreamBar("AAAUSDT", k1m, kT0, /*closed=*/true);
  StreamBar("AAAUSDT", k1m, kT0, /*closed=*/true);
  StreamBar("AAAUSDT", k1m, kT0 - kMinute, /*closed=*/true);  // an old one, again
  StreamBar("AAAUSDT", k1m, kT0 + kMinute, /*closed=*/false);
  clock_.Set(kT0 + 2 * kMinute + 100);
  StreamBar("AAAUSDT", k1m, kT0 + kMinute, /*closed=*/true);
  StreamBar("AAAUSDT", k1m, kT0 + kMinute, /*closed=*/false);  // a closed bar never reopens
  Settle();

  ASSERT_EQ(emitted_.size(), warm_bars + 2);
  EXPECT_EQ(emitted_[warm_bars].bar.open_time, kT0);
  EXPECT_EQ(emitted_[warm_bars + 1].bar.open_time, kT0 + kMinute);
  ExpectConsecutive(EmittedBars("AAAUSDT", k1m));
  ExpectScriptBars(Window("AAAUSDT", k1m), "AAAUSDT", k1m);
  EXPECT_EQ(fetch_.calls.size(), 1u);  // nothing was missing
  EXPECT_EQ(open_bars_, 1);            // the repeated update was the very same bar
}

}  // namespace
}  // namespace scanner::feed
