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
  explicit RingBuffer(std::size_t capacity) : items_(std::max<std::size_t>(capacity, 1)) {}

  std::size_t Capacity() const { return items_.size(); }
  std::size_t Size() const { return size_; }
  bool Empty() const { return size_ == 0; }
  bool Full() const { return size_ == items_.size(); }

  // Appends `value` as the newest entry, dropping the oldest one when full.
  void Push(const T& value) {
    std::size_t slot = head_ + size_;
    if (slot >= items_.size()) slot -= items_.size();
    items_[slot] = value;
    if (Full()) {
      head_ = head_ + 1 == items_.size() ? 0 : head_ + 1;
    } else {
      ++size_;
    }
  }

  // Precondition: !Empty().
  const T& Oldest() const { return items_[head_]; }

  // The entry `age` pushes ago: 0 is the newest. Precondition: age < Size().
  const T& FromNewest(std::size_t age) const {
    std::size_t slot = head_ + size_ - 1 - age;
    if (slot >= items_.size()) slot -= items_.size();
    return items_[slot];
  }

  void Clear() {
    head_ = 0;
    size_ = 0;
  }

  // Empties the buffer and changes its capacity (allocates).
  void Resize(std::size_t capacity) {
    items_.assign(std::max<std::size_t>(capacity, 1), T{});
    Clear();
  }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;  // index of the oldest entry
  std::size_t size_ = 0;
};

}  // namespace scanner::signals
