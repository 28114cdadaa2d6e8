#include "market/symbol_index.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

namespace scanner::market {
namespace {

std::uint64_t Load64(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

std::uint64_t Load32(const char* p) {
  std::uint32_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

__extension__ typedef unsigned __int128 Uint128;  // GCC/Clang; -Wpedantic wants the marker

// Folds the 128-bit product: every input bit reaches every output bit (as in wyhash).
std::uint64_t Mix(std::uint64_t a, std::uint64_t b) {
  const Uint128 product = static_cast<Uint128>(a) * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

constexpr std::uint64_t kSeed0 = 0xa0761d6478bd642fULL;
constexpr std::uint64_t kSeed1 = 0xe7037ed1a0b428dbULL;
constexpr std::uint64_t kSeed2 = 0x8ebc6af09c88c6e3ULL;

}  // namespace

std::uint64_t SymbolIndex::Hash(std::string_view symbol) {
  // Never reads outside the view: short symbols are covered by two overlapping loads.
  const char* p = symbol.data();
  const std::size_t n = symbol.size();
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  if (n >= 8) {
    std::uint64_t seed = kSeed0 ^ n;
    std::size_t i = 0;
    for (; i + 16 < n; i += 16) {
      seed = Mix(Load64(p + i) ^ kSeed1, Load64(p + i + 8) ^ seed);
    }
    a = Load64(p + (n - i > 8 ? i : n - 8)) ^ seed;
    b = Load64(p + n - 8);
  } else if (n >= 4) {
    a = Load32(p) << 32 | Load32(p + n - 4);
    b = n;
  } else if (n > 0) {
    a = std::uint64_t{static_cast<unsigned char>(p[0])} << 16 |
        std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
        static_cast<unsigned char>(p[n - 1]);
    b = n;
  }
  return Mix(a ^ kSeed1, b ^ kSeed2);
}

bool SymbolIndex::Insert(std::string_view symbol, std::size_t value) {
  if (Find(symbol)) return false;
  if (2 * (size_ + removed_ + 1) > table_.size()) Rehash(size_ + 1);
  const std::uint64_t hash = Hash(symbol);
  std::size_t i = hash & mask_;
  while (table_[i].state == State::kUsed) i = (i + 1) & mask_;
  Entry& entry = table_[i];
  if (entry.state == State::kRemoved) --removed_;
  entry.hash = hash;
  entry.value = value;
  entry.symbol.assign(symbol);
  entry.state = State::kUsed;
  ++size_;
  return true;
}

bool SymbolIndex::Erase(std::string_view symbol) {
  if (table_.empty()) return false;
  const std::uint64_t hash = Hash(symbol);
  for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
    Entry& entry = table_[i];
    if (entry.state == State::kEmpty) return false;
    if (entry.state == State::kUsed && entry.hash == hash && entry.symbol == symbol) {
      entry.state = State::kRemoved;
      entry.symbol.clear();
      --size_;
      ++removed_;
      return true;
    }
  }
}

void SymbolIndex::Rehash(std::size_t size) {
  std::vector<Entry> old = std::move(table_);
  table_ = std::vector<Entry>(std::bit_ceil(std::max<std::size_t>(16, 4 * size)));
  mask_ = table_.size() - 1;
  removed_ = 0;
  for (Entry& entry : old) {
    if (entry.state != State::kUsed) continue;
    std::size_t i = entry.hash & mask_;
    while (table_[i].state != State::kEmpty) i = (i + 1) & mask_;
    table_[i] = std::move(entry);
  }
}

}  // namespace scanner::market
