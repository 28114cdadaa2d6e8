#pragma once
// GapFiller: the one path by which bars reach the market windows (a market::WindowSet it manages
// per symbol) and leave them for the signals -- stream bars, warm-up bars and gap-fill bars
// alike -- plus the REST kline fetching that keeps every window whole.
//
// Warm-up: a symbol added gets one window per interval; each is loaded from REST klines with
// `warm_up_bars` closed bars (paged forward from Interval::AddBars(now, -warm_up_bars),
// `limit` <= the market's maximum). The last REST bar whose close time is still in the future is
// open and never stored as closed. Stream bars that arrive meanwhile are kept aside (bounded)
// and applied after the REST bars, so every window is filled in time order. A symbol's bars are
// released only once every one of its windows is warm, all intervals merged by close time (the
// longer interval first on a tie), as a replay feeds them: what the signals see of a symbol's
// history -- confirmations across its intervals included -- does not depend on which window's
// REST answer came first.
//
// Gaps: a window is filled from REST (startTime = newest stored close time + 1, paged by the
// klines limit, applied in order through the same path as stream bars) when
//   - a stream bar shows the stream skipped bars (a closed bar beyond the next expected one, or
//     more than one bar missing before the open bar);
//   - a connection delivers again after a loss (OnResumed) and a bar closed since the newest
//     stored one;
//   - the next expected bar has not arrived stale_after after its close time (the stream can
//     skip a final message or be late): a clock-driven check over every window.
// Windows are idempotent, so stream bars arriving during a fetch merge without duplicates. A
// fill that brought nothing new is retried after a jittered backoff (per window). A hole that
// REST confirms (Binance has no bars there, e.g. during maintenance) cannot be filled: the
// window restarts from the bars after it, and the consumer sees the jump (the signal engine
// restarts that series' warm-up by itself).
//
// Bad klines: every stream and REST kline is checked (market::CheckBar) before it reaches a
// window. One that is no bar (inconsistent or absurd prices, times off its interval) is
// refused, counted by defect and logged once per defect; the good bars beside it are kept. A
// refused stream bar is then missing like any other and fetched over REST; a refused REST bar
// is a hole in Binance's own history, handled as above.
//
// Requests are spread by a FetchScheduler (max_in_flight, request_spacing; gap fills before
// warm-ups) on top of the REST client's weight limiter, so a start with thousands of windows
// does not burst.
//
// Output: on_closed_bar fires exactly once per closed bar, in open-time order per window, and
// only for bars the window holds in order while it is whole (after warm-up); a window that is
// waiting for missing bars holds back everything after the hole until it is filled. Bars that
// a window dropped unseen (a hole longer than its capacity) are never emitted: the next emitted
// bar is then not contiguous with the previous one. on_open_bar fires for each newer update of
// the forming bar of a window whose symbol is warm. Callbacks must not call back into the
// GapFiller.
//
// Threading: not thread-safe; the io_context thread only (fetch callbacks included, which must
// never run inside the fetch call). The WindowSet, timer, clock and logger must outlive it; a
// fetch completing after it is destroyed is ignored.

#include <spdlog/logger.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "binance/endpoints.h"
#include "binance/rest_client.h"
#include "core/backoff.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/interval.h"
#include "core/market.h"
#include "core/types.h"
#include "core/wake_up_timer.h"
#include "feed/fetch_scheduler.h"
#include "market/bar_check.h"
#include "market/bar_origin.h"
#include "market/bar_window.h"
#include "market/window_set.h"

namespace scanner::feed {

using KlinesDone = std::function<void(core::Result<std::vector<core::Bar>> bars)>;
// Starts one klines request; calls `done` exactly once, later (never inside the call), on the
// io_context thread. Bars are marked closed as Binance's clock says (RestParser::ParseKlines),
// never by the local clock alone.
using KlinesFetch = std::function<void(binance::KlinesQuery query, KlinesDone done)>;

// RestClient::GetKlines as a KlinesFetch. The client must outlive every use.
KlinesFetch KlinesFetchFrom(binance::RestClient& client);

struct GapFillerOptions {
  core::Market market = core::Market::kSpot;  // the klines limit per request
  std::size_t warm_up_bars = 0;               // closed bars per window at start; 0: none
  core::Millis stale_after = 90 * core::kSecond;
  core::Millis request_spacing = 100;  // between request starts
  std::size_t max_in_flight = 2;
  core::BackoffPolicy retry{
      .initial = 1 * core::kSecond, .max = 5 * core::kMinute, .multiplier = 2.0, .jitter = 0.5};
  std::size_t max_buffered_bars = 64;  // stream bars kept per window during its warm-up
  std::uint64_t seed = 0x9a9f;
};

struct GapFillerCallbacks {
  std::function<void(const core::Symbol& symbol, core::Interval interval, const core::Bar& bar,
                     market::BarOrigin origin)>
      on_closed_bar;
  std::function<void(const core::Symbol& symbol, core::Interval interval, const core::Bar& bar)>
      on_open_bar;
};

struct GapFillerStats {
  std::size_t series = 0;       // windows
  std::size_t series_warm = 0;  // windows whose warm-up is done (warm-up progress)
  std::uint64_t warm_up_requests = 0;
  std::uint64_t gap_fill_requests = 0;
  std::uint64_t failed_requests = 0;
  std::uint64_t bars_fetched = 0;      // closed bars received over REST
  std::uint64_t bars_filled = 0;       // ... that changed a window
  std::uint64_t gaps_detected = 0;     // stream bars that opened a gap in a whole window
  std::uint64_t stream_gap_fills = 0;  // fills started because the stream skipped bars
  std::uint64_t resume_fills = 0;      // ... because a connection delivers again
  std::uint64_t late_bar_fills = 0;    // ... because a bar was not delivered by stale_after
  std::uint64_t exchange_holes = 0;    // holes REST confirmed; the window restarted after them
  std::uint64_t rewarms = 0;           // Rewarm calls (reloads of the indicator windows)
  std::uint64_t closed_bars_emitted = 0;
  std::uint64_t open_bars_emitted = 0;
  std::uint64_t duplicate_bars = 0;        // window outcome kDuplicate (stream and REST)
  std::uint64_t stale_bars = 0;            // window outcome kStale
  std::uint64_t invalid_bars = 0;          // window outcome kInvalid
  std::uint64_t buffer_overflows = 0;      // stream bars dropped from a warm-up buffer
  std::uint64_t unknown_series = 0;        // stream bars for a symbol or interval without a window
  market::BarDefectCounts refused_bars{};  // stream and REST klines that are no bar, by defect
};

class GapFiller {
 public:
  GapFiller(market::WindowSet& windows, KlinesFetch fetch, core::WakeUpTimer& timer,
            const core::Clock& clock, GapFillerOptions options, GapFillerCallbacks callbacks,
            std::shared_ptr<spdlog::logger> logger);
  GapFiller(const GapFiller&) = delete;
  GapFiller& operator=(const GapFiller&) = delete;
  ~GapFiller();

  // Creates the symbol's windows and queues their warm-up; false when present already.
  bool AddSymbol(std::string_view symbol);
  // Drops the symbol's windows and pending fetches; false when absent.
  bool RemoveSymbol(std::string_view symbol);
  // Every symbol again, as if removed and added: new windows (at the WindowSet's capacity now),
  // a warm-up of `warm_up_bars` over REST, and its bars released again as warm-up. For new
  // indicator windows, which need another history. Requests in flight are ignored when they
  // complete.
  void Rewarm(std::size_t warm_up_bars);
  // A kline from the stream (`event_time` becomes the window's update time).
  void OnStreamBar(std::string_view symbol, core::Interval interval, const core::Bar& bar,
                   core::Millis event_time);
  // These symbols' connection delivers again after a loss.
  void OnResumed(std::span<const core::Symbol> symbols);
  // Cancels the timer and ignores every later completion; final.
  void Stop();

  GapFillerStats stats() const { return stats_; }
  // The window's warm-up is done (false for an unknown window).
  bool IsWarm(std::string_view symbol, core::Interval interval) const;
  // Requests queued or on the wire.
  std::size_t PendingRequests() const { return scheduler_.queued() + scheduler_.in_flight(); }

 private:
  struct Series {
    Series(core::Interval interval_in, market::BarWindow* window_in, core::Backoff backoff_in)
        : interval(interval_in), window(window_in), backoff(std::move(backoff_in)) {}

    core::Interval interval;
    market::BarWindow* window = nullptr;
    core::Backoff backoff;
    bool warm = false;
    bool queued = false;
    bool in_flight = false;
    bool warming = false;                 // the queued / in-flight fetch is the warm-up
    bool progress = false;                // the current fill changed the window
    core::Millis page_from = -1;          // startTime of the next page; -1: a new fetch
    core::Millis retry_at = 0;            // no fill before
    std::optional<core::Millis> emitted;  // open time of the last bar emitted
    std::vector<core::Bar> buffered;      // closed stream bars during the warm-up
    std::optional<core::Bar> buffered_open;
  };
  struct Entry {
    core::Symbol symbol;
    std::uint64_t id = 0;
    std::vector<Series> series;  // windows_.Intervals() order
    bool warm = false;           // every series is warm: bars may be released
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  enum class FillReason { kStreamGap, kResume, kLateBar };

  static std::uint64_t KeyOf(const Entry& entry, std::size_t index) {
    return entry.id * 32 + index;
  }
  Series* Find(std::uint64_t key, Entry** entry);
  market::ApplyOutcome Apply(Series& series, const core::Bar& bar, core::Millis update_time);
  // True (counted, logged once per defect) when `bar` is no bar of `series`' interval.
  bool Refuse(const Entry& entry, const Series& series, const core::Bar& bar,
              std::string_view source);
  void Release(const Entry& entry, Series& series, market::BarOrigin origin);
  // Appends the bars of `series` not emitted yet (none unless its window is whole) and marks
  // them emitted.
  void TakeFresh(Series& series, std::vector<core::Bar>& out);
  // The first release of a symbol whose windows are all warm: every series merged.
  void ReleaseWarmUp(Entry& entry);
  void Emit(const Entry& entry, core::Interval interval, const core::Bar& bar,
            market::BarOrigin origin);
  void CheckGap(const Entry& entry, Series& series, core::Millis now);
  void RequestFill(const Entry& entry, Series& series, FillReason reason, core::Millis now);
  void CheckExpected(core::Millis now);
  void Pump(core::Millis now);
  void StartFetch(std::uint64_t key, core::Millis now);
  void OnFetched(std::uint64_t key, int limit, core::Millis from,
                 core::Result<std::vector<core::Bar>> result);
  void FinishWarmUp(Entry& entry, Series& series, core::Millis now);
  void WarnRateLimited(const std::string& message, core::Millis now);

  market::WindowSet& windows_;
  KlinesFetch fetch_;
  core::WakeUpTimer& timer_;
  const core::Clock& clock_;
  GapFillerOptions options_;  // warm_up_bars changes with Rewarm
  GapFillerCallbacks callbacks_;
  std::shared_ptr<spdlog::logger> logger_;
  FetchScheduler scheduler_;
  std::array<int, core::kIntervalCount> position_{};  // Interval::Index() -> series index
  std::unordered_map<std::string, std::unique_ptr<Entry>, StringHash, std::equal_to<>> symbols_;
  std::unordered_map<std::uint64_t, Entry*> by_id_;
  std::uint64_t next_id_ = 1;
  core::Millis next_check_ = FetchScheduler::kNever;  // next expected-close check
  std::vector<core::Bar> scratch_;                    // bars being emitted
  bool emitting_ = false;
  bool stopped_ = false;
  std::uint32_t logged_defects_ = 0;  // bit per market::BarDefect already logged
  core::Millis last_warning_ms_ = 0;
  std::uint64_t suppressed_warnings_ = 0;
  GapFillerStats stats_;
  // Held weakly by fetch callbacks and the timer: they do nothing once the filler is gone.
  std::shared_ptr<GapFiller*> self_;
};

}  // namespace scanner::feed
