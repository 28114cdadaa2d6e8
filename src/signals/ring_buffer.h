#pragma once
// A fixed-capacity FIFO of values that overwrites its oldest entry when full. The storage is
// allocated once, in the constructor (or Resize); Push never allocates.
//
// Not thread-safe: one owner mutates it.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace scanner::signals {

template <class T>
class RingBuffer {
 public:
  // A capacity of 0 is raised to 1 so that indexing is always well defined.
  explicit RingBuffer(std::size_t capacity)
      : items_(std::max<std::size_t>(capacity, 1)), capacity_(items_.size()) {}

  std::size_t Capacity() const { return capacity_; }
  std::size_t Size() const { return size_; }
  bool Empty() const { return size_ == 0; }
  bool Full() const { return size_ == capacity_; }

  // Appends `value` as the newest entry, dropping the oldest one when full.
  void Push(const T& value) {
    items_[next_] = value;
    next_ = next_ + 1 == capacity_ ? 0 : next_ + 1;
    if (size_ != capacity_) ++size_;
  }

  // Precondition: !Empty().
  const T& Oldest() const { return items_[Wrap(next_ + capacity_ - size_)]; }

  // The entry `age` pushes ago: 0 is the newest. Precondition: age < Size().
  const T& FromNewest(std::size_t age) const { return items_[Wrap(next_ + capacity_ - 1 - age)]; }

  // Calls f(value) on every entry, oldest first (two contiguous runs, no index arithmetic).
  template <class F>
  void ForEach(F&& f) const {
    const std::size_t oldest = Wrap(next_ + capacity_ - size_);
    const std::size_t first_run = std::min(size_, capacity_ - oldest);
    for (std::size_t i = 0; i < first_run; ++i) f(items_[oldest + i]);
    for (std::size_t i = 0; i < size_ - first_run; ++i) f(items_[i]);
  }

  void Clear() {
    next_ = 0;
    size_ = 0;
  }

  // Empties the buffer and changes its capacity (allocates).
  void Resize(std::size_t capacity) {
    items_.assign(std::max<std::size_t>(capacity, 1), T{});
    capacity_ = items_.size();
    Clear();
  }

 private:
  // An index in [0, 2 * capacity_) into [0, capacity_).
  std::size_t Wrap(std::size_t index) const {
    return index >= capacity_ ? index - capacity_ : index;
  }

  std::vector<T> items_;
  std::size_t capacity_;  // items_.size(), kept apart: read on every push
  std::size_t next_ = 0;  // the slot the next push writes (the oldest entry's, when full)
  std::size_t size_ = 0;
};

}  // namespace scanner::signals
