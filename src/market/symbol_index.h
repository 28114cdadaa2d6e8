#pragma once
// SymbolIndex: exchange symbol -> small integer, for the per-message lookup on the stream hot
// path (WindowSet::Find / Apply).
//
// An open-addressing table (linear probing, power-of-two size, at most half full counting
// removed entries) keyed by the symbol's bytes; each entry keeps the full 64-bit hash, so a
// lookup compares the bytes of at most the one symbol whose hash matches. The hash reads the
// symbol in a few overlapping word loads (symbols are short) and mixes with one 128-bit
// multiply: no modulo, no node to chase, no call into std::hash.
//
// Find() never allocates; Insert() allocates the copy of the symbol and, when the table grows,
// the table. Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scanner::market {

class SymbolIndex {
 public:
  // The value stored for `symbol`, or nullopt.
  std::optional<std::size_t> Find(std::string_view symbol) const {
    if (table_.empty()) return std::nullopt;
    const std::uint64_t hash = Hash(symbol);
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Entry& entry = table_[i];
      if (entry.state == State::kEmpty) return std::nullopt;
      if (entry.state == State::kUsed && entry.hash == hash && entry.symbol == symbol) {
        return entry.value;
      }
    }
  }

  // Stores symbol -> value; false (and nothing changes) when the symbol is present.
  bool Insert(std::string_view symbol, std::size_t value);
  // False when the symbol was absent.
  bool Erase(std::string_view symbol);

  std::size_t Size() const { return size_; }

  static std::uint64_t Hash(std::string_view symbol);

 private:
  enum class State : std::uint8_t { kEmpty, kUsed, kRemoved };
  struct Entry {
    std::uint64_t hash = 0;
    std::size_t value = 0;
    std::string symbol;
    State state = State::kEmpty;
  };

  // Rebuilds the table with room for `size` symbols (dropping removed entries).
  void Rehash(std::size_t size);

  std::vector<Entry> table_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::size_t removed_ = 0;
};

}  // namespace scanner::market
