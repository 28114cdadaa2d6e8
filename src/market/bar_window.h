#pragma once
// BarWindow: the recent closed bars of one (symbol, interval), in order and without holes, plus
// the bar that is still open.
//
// Contract:
// - Closed bars are kept in a ring of fixed capacity (given at construction): the newest
//   `Capacity()` bars, oldest first, each consecutive pair continuous
//   (`next.open_time == prev.close_time + 1`, which also holds for 1M bars of varying length).
// - Apply() is idempotent by open time: applying any bar a second time changes nothing. A closed
//   bar stored once is never replaced (the first version wins) and never becomes open again.
// - A closed bar newer than the next expected one opens a gap. The bar is kept aside ("held")
//   and the window reports the first missing range through PendingGap(); the caller fetches it
//   (REST) and applies those bars, and each bar that closes the hole releases the held bars that
//   follow it, in order. The window is whole again when nothing is missing. Held bars are
//   bounded by the capacity (the oldest held bar is let go, it simply becomes missing again);
//   when the held bars alone form `Capacity()` continuous bars, the older bars and the gap can
//   no longer matter: they are dropped and the window is whole (kGapSkipped).
// - An open bar whose open time is after the next expected one also makes the window not whole
//   (the bars between are missing), so a missed final message shows up as a gap too. Whether to
//   fetch a recent gap at once or to wait for a late stream message is the caller's policy.
// - An empty window takes its first closed bar as its start. Older history can still be added
//   while the window has room: a closed bar that ends right before the oldest stored one is
//   prepended (kPrepended). So warm-up bars go in oldest first into an empty window, and newest
//   first (each one just before Oldest()) when live bars got there first.
// - No allocation after construction in steady state. A gap allocates the held-bar buffer once
//   (capacity + 1 bars) and its closing frees it: memory follows the gaps open now, not every
//   window that ever had one (bench_soak saw ~9 KiB kept per such window otherwise, a creep of
//   resident memory as drops reached more windows).
// - Not thread-safe. Pointers and references returned stay valid until the next non-const call.
// - Never touches a clock: update times are whatever the caller passes (event time or now).

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "core/types.h"

namespace scanner::market {

// What Apply() did with a bar.
enum class ApplyOutcome : std::uint8_t {
  kAppended,     // a closed bar extended a whole window, in order
  kOpenUpdated,  // the open bar was stored or replaced by a newer update
  kDuplicate,    // that open time is already stored as closed (or the very same open bar): ignored
  kStale,        // older than anything the window can still use, or an update for an open time
                 // that is already closed (never reverts), or an older open-bar update: ignored
  kHoleFilled,   // a closed bar landed in the missing range; held bars that follow were released
  kPrepended,    // a closed bar right before the oldest one was added (backfill, window not full)
  kGapDetected,  // the window was whole and now misses bars: see PendingGap()
  kHeldPending,  // a closed bar beyond an already known gap was kept aside
  kGapSkipped,   // the held bars alone filled the window: older bars and the gap were dropped
  kInvalid,      // close_time < open_time, or the bar overlaps a stored bar without matching it
};

// "appended", "open_updated", ...: stable names for logs and metrics labels.
std::string_view ApplyOutcomeName(ApplyOutcome outcome);

// True when the outcome changed the window (everything except duplicate, stale and invalid).
bool ChangedWindow(ApplyOutcome outcome);

// Missing bars: every bar with from <= open_time < to is absent. `from` is the newest stored
// closed bar's close_time + 1, `to` the open time of the next bar the window knows (held or open).
struct GapRange {
  core::Millis from = 0;
  core::Millis to = 0;

  friend bool operator==(const GapRange&, const GapRange&) = default;
};

class BarWindow {
 public:
  // Iterates the closed bars, oldest first.
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = core::Bar;
    using difference_type = std::ptrdiff_t;
    using pointer = const core::Bar*;
    using reference = const core::Bar&;

    Iterator() = default;
    reference operator*() const { return (*window_)[index_]; }
    pointer operator->() const { return &(*window_)[index_]; }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++index_;
      return before;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.index_ == b.index_; }

   private:
    friend class BarWindow;
    Iterator(const BarWindow* window, std::size_t index) : window_(window), index_(index) {}
    const BarWindow* window_ = nullptr;
    std::size_t index_ = 0;
  };

  // `capacity` >= 1: how many closed bars are kept (the app derives it from the signal settings,
  // e.g. max(atr_period, zscore_window) + lookback + margin). A capacity of 0 is raised to 1.
  explicit BarWindow(std::size_t capacity);

  // Stores `bar` if it adds anything; `update_time` (event time, or now for REST bars) becomes
  // LastUpdateMs() when the window changed and it is later than the current one.
  ApplyOutcome Apply(const core::Bar& bar, core::Millis update_time = 0);

  // Forgets every bar (closed, held and open); the capacity stays.
  void Clear();

  std::size_t Capacity() const { return capacity_; }
  // Closed bars stored in order (held bars not included).
  std::size_t Size() const { return size_; }
  bool Empty() const { return size_ == 0; }

  // i-th closed bar, 0 = oldest; i < Size().
  const core::Bar& operator[](std::size_t i) const { return ring_[Physical(i)]; }
  // i-th closed bar counting back from the newest, 0 = newest; i < Size().
  const core::Bar& FromNewest(std::size_t i) const { return ring_[Physical(size_ - 1 - i)]; }
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size_); }

  // The oldest closed bar in order, or nullptr when there is none.
  const core::Bar* OldestClosed() const { return size_ == 0 ? nullptr : &(*this)[0]; }
  // The newest closed bar in order, or nullptr when there is none.
  const core::Bar* NewestClosed() const { return size_ == 0 ? nullptr : &FromNewest(0); }
  // The open bar, or nullptr. Its open time is after every closed bar's.
  const core::Bar* OpenBar() const { return has_open_ ? &open_ : nullptr; }

  // True when no bar is known to be missing between the stored closed bars, the held ones and
  // the open bar.
  bool IsWhole() const;
  // The first missing range when !IsWhole(), else nullopt.
  std::optional<GapRange> PendingGap() const;
  // Closed bars kept aside beyond the gap, waiting for it to be filled.
  std::size_t HeldCount() const { return held_.size(); }
  // Bars the held-bar buffer has room for: 0 while no gap is open.
  std::size_t HeldBufferCapacity() const { return held_.capacity(); }

  // The latest update_time passed with a change; 0 before any.
  core::Millis LastUpdateMs() const { return last_update_ms_; }

 private:
  ApplyOutcome ApplyClosed(const core::Bar& bar);
  ApplyOutcome ApplyOpen(const core::Bar& bar);
  ApplyOutcome Hold(const core::Bar& bar, bool was_whole);

  std::size_t Physical(std::size_t i) const {
    std::size_t index = head_ + i;
    return index >= capacity_ ? index - capacity_ : index;
  }
  void Push(const core::Bar& bar);
  // Drops the open bar when a closed bar at or after its open time arrived.
  void DropOpenUpTo(core::Millis open_time) {
    if (has_open_ && open_.open_time <= open_time) has_open_ = false;
  }
  bool ContainsClosed(core::Millis open_time) const;
  // True when `bar` would overlap the open bar (starts before it, ends at or after its start).
  bool OverlapsOpen(const core::Bar& bar) const {
    return has_open_ && open_.open_time > bar.open_time && bar.close_time >= open_.open_time;
  }
  void ReleaseHeld();
  std::size_t NewestHeldRunLength() const;
  void PromoteNewestHeldRun();
  // Empties the held-bar buffer and gives its memory back.
  void FreeHeld();

  std::size_t capacity_;
  std::vector<core::Bar> ring_;  // capacity_ slots; logical i lives at Physical(i)
  std::size_t head_ = 0;         // physical slot of the oldest bar
  std::size_t size_ = 0;
  std::vector<core::Bar> held_;  // closed bars beyond the gap, sorted by open time
  core::Bar open_;
  bool has_open_ = false;
  core::Millis last_update_ms_ = 0;
};

}  // namespace scanner::market
