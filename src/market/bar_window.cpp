#include "market/bar_window.h"

#include <algorithm>

namespace scanner::market {

std::string_view ApplyOutcomeName(ApplyOutcome outcome) {
  switch (outcome) {
    case ApplyOutcome::kAppended:
      return "appended";
    case ApplyOutcome::kOpenUpdated:
      return "open_updated";
    case ApplyOutcome::kDuplicate:
      return "duplicate";
    case ApplyOutcome::kStale:
      return "stale";
    case ApplyOutcome::kHoleFilled:
      return "hole_filled";
    case ApplyOutcome::kPrepended:
      return "prepended";
    case ApplyOutcome::kGapDetected:
      return "gap_detected";
    case ApplyOutcome::kHeldPending:
      return "held_pending";
    case ApplyOutcome::kGapSkipped:
      return "gap_skipped";
    case ApplyOutcome::kInvalid:
      return "invalid";
  }
  return "unknown";
}

bool ChangedWindow(ApplyOutcome outcome) {
  return outcome != ApplyOutcome::kDuplicate && outcome != ApplyOutcome::kStale &&
         outcome != ApplyOutcome::kInvalid;
}

BarWindow::BarWindow(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)), ring_(capacity_) {}

void BarWindow::Clear() {
  head_ = 0;
  size_ = 0;
  FreeHeld();
  has_open_ = false;
  last_update_ms_ = 0;
}

ApplyOutcome BarWindow::Apply(const core::Bar& bar, core::Millis update_time) {
  if (bar.close_time < bar.open_time) return ApplyOutcome::kInvalid;
  const ApplyOutcome outcome = bar.closed ? ApplyClosed(bar) : ApplyOpen(bar);
  if (ChangedWindow(outcome) && update_time > last_update_ms_) last_update_ms_ = update_time;
  return outcome;
}

bool BarWindow::IsWhole() const {
  if (!held_.empty()) return false;
  if (size_ == 0 || !has_open_) return true;
  return open_.open_time == FromNewest(0).close_time + 1;
}

std::optional<GapRange> BarWindow::PendingGap() const {
  if (IsWhole()) return std::nullopt;
  // Not whole implies a stored closed bar: held bars and a detached open bar are both measured
  // against the newest one.
  const core::Millis from = FromNewest(0).close_time + 1;
  const core::Millis to = held_.empty() ? open_.open_time : held_.front().open_time;
  return GapRange{from, to};
}

ApplyOutcome BarWindow::ApplyOpen(const core::Bar& bar) {
  // Everything up to the newest known closed bar is final: an open update for it (or for a bar
  // inside it) is stale, so a closed bar never reverts.
  if (!held_.empty()) {
    if (bar.open_time <= held_.back().close_time) return ApplyOutcome::kStale;
  } else if (size_ != 0 && bar.open_time <= FromNewest(0).close_time) {
    return ApplyOutcome::kStale;
  }
  if (has_open_) {
    if (bar.open_time < open_.open_time) return ApplyOutcome::kStale;
    if (bar.open_time == open_.open_time) {
      // The steady state: another update of the same bar. Trades only grow within a bar, so
      // fewer means an older update (e.g. from a connection being rotated out) arriving late.
      if (bar.trades < open_.trades) return ApplyOutcome::kStale;
      if (bar.trades == open_.trades && bar == open_) return ApplyOutcome::kDuplicate;
      open_ = bar;  // same open time: wholeness cannot change
      return ApplyOutcome::kOpenUpdated;
    }
  }
  const bool was_whole = IsWhole();
  open_ = bar;
  has_open_ = true;
  return was_whole && !IsWhole() ? ApplyOutcome::kGapDetected : ApplyOutcome::kOpenUpdated;
}

ApplyOutcome BarWindow::ApplyClosed(const core::Bar& bar) {
  if (size_ == 0) {
    if (OverlapsOpen(bar)) return ApplyOutcome::kInvalid;
    Push(bar);
    DropOpenUpTo(bar.open_time);
    // An empty window is whole; a stored open bar further ahead makes this the start of a gap.
    return IsWhole() ? ApplyOutcome::kAppended : ApplyOutcome::kGapDetected;
  }
  const core::Millis expected = FromNewest(0).close_time + 1;
  if (bar.open_time < expected) {
    if (ContainsClosed(bar.open_time)) return ApplyOutcome::kDuplicate;
    if (size_ < capacity_ && bar.close_time + 1 == (*this)[0].open_time) {
      head_ = head_ == 0 ? capacity_ - 1 : head_ - 1;
      ring_[head_] = bar;
      ++size_;
      return ApplyOutcome::kPrepended;
    }
    return ApplyOutcome::kStale;
  }
  const bool was_whole = IsWhole();
  if (bar.open_time > expected) return Hold(bar, was_whole);

  // The next bar in order.
  if (!held_.empty() && bar.close_time >= held_.front().open_time) return ApplyOutcome::kInvalid;
  if (OverlapsOpen(bar)) return ApplyOutcome::kInvalid;
  Push(bar);
  DropOpenUpTo(bar.open_time);
  if (!held_.empty()) ReleaseHeld();
  return was_whole ? ApplyOutcome::kAppended : ApplyOutcome::kHoleFilled;
}

ApplyOutcome BarWindow::Hold(const core::Bar& bar, bool was_whole) {
  auto position = std::lower_bound(
      held_.begin(), held_.end(), bar.open_time,
      [](const core::Bar& held, core::Millis open_time) { return held.open_time < open_time; });
  if (position != held_.end() && position->open_time == bar.open_time) {
    return ApplyOutcome::kDuplicate;
  }
  if (position != held_.begin() && std::prev(position)->close_time >= bar.open_time) {
    return ApplyOutcome::kInvalid;
  }
  if (position != held_.end() && bar.close_time >= position->open_time) {
    return ApplyOutcome::kInvalid;
  }
  if (OverlapsOpen(bar)) return ApplyOutcome::kInvalid;

  if (held_.capacity() == 0) {
    const auto index = position - held_.begin();
    held_.reserve(capacity_ + 1);  // once per gap; insert below never reallocates
    position = held_.begin() + index;
  }
  held_.insert(position, bar);
  DropOpenUpTo(bar.open_time);
  if (NewestHeldRunLength() >= capacity_) {
    PromoteNewestHeldRun();
    return ApplyOutcome::kGapSkipped;
  }
  // Bounded: the oldest held bar goes back to being missing; the gap filler fetches it again.
  if (held_.size() > capacity_) held_.erase(held_.begin());
  return was_whole ? ApplyOutcome::kGapDetected : ApplyOutcome::kHeldPending;
}

void BarWindow::Push(const core::Bar& bar) {
  if (size_ < capacity_) {
    ring_[Physical(size_)] = bar;
    ++size_;
    return;
  }
  ring_[head_] = bar;
  head_ = head_ + 1 == capacity_ ? 0 : head_ + 1;
}

bool BarWindow::ContainsClosed(core::Millis open_time) const {
  // Duplicates are nearly always the newest bar (reconnect overlap, gap-fill overlap).
  if (FromNewest(0).open_time == open_time) return true;
  std::size_t low = 0;
  std::size_t high = size_;
  while (low < high) {
    const std::size_t middle = low + (high - low) / 2;
    const core::Millis stored = (*this)[middle].open_time;
    if (stored == open_time) return true;
    if (stored < open_time) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return false;
}

void BarWindow::ReleaseHeld() {
  std::size_t released = 0;
  while (released < held_.size() && held_[released].open_time == FromNewest(0).close_time + 1) {
    Push(held_[released]);
    ++released;
  }
  held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(released));
  if (held_.empty()) FreeHeld();
}

void BarWindow::FreeHeld() { std::vector<core::Bar>().swap(held_); }

std::size_t BarWindow::NewestHeldRunLength() const {
  if (held_.empty()) return 0;
  std::size_t length = 1;
  for (std::size_t i = held_.size() - 1; i > 0; --i) {
    if (held_[i].open_time != held_[i - 1].close_time + 1) break;
    ++length;
  }
  return length;
}

void BarWindow::PromoteNewestHeldRun() {
  // The newest `capacity_` held bars are exactly what the ring would hold once the gap was
  // filled, so nothing the window can keep is lost.
  head_ = 0;
  size_ = 0;
  for (std::size_t i = held_.size() - capacity_; i < held_.size(); ++i) Push(held_[i]);
  FreeHeld();
}

}  // namespace scanner::market
