#pragma once
// WindowSet: one BarWindow per (symbol, interval) for the symbols of the current universe.
//
// Contract:
// - The intervals are fixed at construction (streams.intervals); symbols come and go with the
//   universe (AddSymbol / RemoveSymbol). Every window has the same capacity.
// - Find() and Apply() do not allocate: the symbol lookup is a SymbolIndex probe on the
//   string_view, the interval a table index. Adding a symbol allocates its windows.
// - A BarWindow* returned by Find() stays valid until that symbol is removed (adding other
//   symbols does not move windows), so a caller may cache it.
// - Symbols are keyed exactly as given (Binance's spelling, e.g. "BTCUSDT"; bytes are not
//   case-folded, so non-ASCII names work).
// - Not thread-safe.

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/interval.h"
#include "core/time.h"
#include "core/types.h"
#include "market/bar_window.h"
#include "market/symbol_index.h"

namespace scanner::market {

class WindowSet {
 public:
  // Duplicate intervals are ignored. `capacity` as for BarWindow.
  WindowSet(std::span<const core::Interval> intervals, std::size_t capacity);

  WindowSet(const WindowSet&) = delete;
  WindowSet& operator=(const WindowSet&) = delete;

  // Creates empty windows for `symbol` on every interval; false when it is already present.
  bool AddSymbol(std::string_view symbol);
  // Drops the symbol's windows; false when it was absent.
  bool RemoveSymbol(std::string_view symbol);
  bool Contains(std::string_view symbol) const;
  std::size_t SymbolCount() const { return index_.Size(); }

  // The window, or nullptr when the symbol is absent or the interval not configured.
  BarWindow* Find(std::string_view symbol, core::Interval interval);
  const BarWindow* Find(std::string_view symbol, core::Interval interval) const;

  // Find() then BarWindow::Apply(); nullopt when there is no such window (a symbol that left
  // the universe may still stream for a moment).
  std::optional<ApplyOutcome> Apply(std::string_view symbol, core::Interval interval,
                                    const core::Bar& bar, core::Millis update_time = 0);

  std::span<const core::Interval> Intervals() const { return intervals_; }
  std::size_t Capacity() const { return capacity_; }
  // The capacity of the windows added from now on; existing windows keep theirs (a symbol
  // removed and added again gets the new one).
  void SetCapacity(std::size_t capacity) { capacity_ = capacity; }

  // Calls fn(std::string_view symbol, core::Interval interval, BarWindow& window) for every
  // window; fn must not add or remove symbols.
  template <class Fn>
  void ForEach(Fn&& fn) {
    for (Slot& slot : slots_) {
      if (!slot.used) continue;
      for (std::size_t i = 0; i < intervals_.size(); ++i) {
        fn(std::string_view(slot.symbol), intervals_[i], slot.windows[i]);
      }
    }
  }

 private:
  struct Slot {
    std::string symbol;
    std::vector<BarWindow> windows;  // one per intervals_ entry, same order
    bool used = false;
  };

  const Slot* FindSlot(std::string_view symbol) const;

  std::vector<core::Interval> intervals_;
  std::array<int, core::kIntervalCount> position_;  // Interval::Index() -> intervals_ index or -1
  std::size_t capacity_;
  std::vector<Slot> slots_;
  std::vector<std::size_t> free_slots_;
  SymbolIndex index_;  // symbol -> slots_ index
};

}  // namespace scanner::market
