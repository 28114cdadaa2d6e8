#include "market/window_set.h"

#include <utility>

namespace scanner::market {

WindowSet::WindowSet(std::span<const core::Interval> intervals, std::size_t capacity)
    : capacity_(capacity) {
  position_.fill(-1);
  for (core::Interval interval : intervals) {
    if (position_[interval.Index()] >= 0) continue;
    position_[interval.Index()] = static_cast<int>(intervals_.size());
    intervals_.push_back(interval);
  }
}

bool WindowSet::AddSymbol(std::string_view symbol) {
  if (index_.Find(symbol)) return false;
  std::size_t slot_index = 0;
  if (free_slots_.empty()) {
    slot_index = slots_.size();
    slots_.emplace_back();
  } else {
    slot_index = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& slot = slots_[slot_index];
  slot.symbol.assign(symbol);
  slot.windows.clear();
  slot.windows.reserve(intervals_.size());
  for (std::size_t i = 0; i < intervals_.size(); ++i) slot.windows.emplace_back(capacity_);
  slot.used = true;
  index_.Insert(symbol, slot_index);
  return true;
}

bool WindowSet::RemoveSymbol(std::string_view symbol) {
  const std::optional<std::size_t> found = index_.Find(symbol);
  if (!found) return false;
  Slot& slot = slots_[*found];
  slot.used = false;
  slot.symbol.clear();
  std::vector<BarWindow>().swap(slot.windows);  // give the ring memory back
  free_slots_.push_back(*found);
  index_.Erase(symbol);
  return true;
}

bool WindowSet::Contains(std::string_view symbol) const {
  return index_.Find(symbol).has_value();
}

const WindowSet::Slot* WindowSet::FindSlot(std::string_view symbol) const {
  const std::optional<std::size_t> found = index_.Find(symbol);
  return found ? &slots_[*found] : nullptr;
}

const BarWindow* WindowSet::Find(std::string_view symbol, core::Interval interval) const {
  const int position = position_[interval.Index()];
  if (position < 0) return nullptr;
  const Slot* slot = FindSlot(symbol);
  return slot == nullptr ? nullptr : &slot->windows[static_cast<std::size_t>(position)];
}

BarWindow* WindowSet::Find(std::string_view symbol, core::Interval interval) {
  return const_cast<BarWindow*>(std::as_const(*this).Find(symbol, interval));
}

std::optional<ApplyOutcome> WindowSet::Apply(std::string_view symbol, core::Interval interval,
                                             const core::Bar& bar, core::Millis update_time) {
  BarWindow* window = Find(symbol, interval);
  if (window == nullptr) return std::nullopt;
  return window->Apply(bar, update_time);
}

}  // namespace scanner::market
