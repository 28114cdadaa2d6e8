#include "replay/kline_file_name.h"

#include <algorithm>
#include <string>
#include <vector>

namespace scanner::replay {
namespace {

bool IsDigits(std::string_view text, std::size_t count) {
  return text.size() == count &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool HasExtension(std::string_view name, std::string_view extension) {
  if (name.size() <= extension.size()) return false;
  std::string tail(name.substr(name.size() - extension.size()));
  std::transform(tail.begin(), tail.end(), tail.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return tail == extension;
}

}  // namespace

std::optional<core::Interval> ParseReplayInterval(std::string_view name) {
  if (name == "1mo") return core::Interval::Parse("1M");
  return core::Interval::Parse(name);
}

std::optional<KlineFileName> ParseKlineFileName(std::string_view path) {
  std::string_view name = path;
  if (const std::size_t slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  if (!HasExtension(name, ".csv") && !HasExtension(name, ".zip")) return std::nullopt;
  name.remove_suffix(4);

  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dash = name.find('-', start);
    parts.push_back(name.substr(start, dash == std::string_view::npos ? dash : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  // The date: YYYY-MM-DD (daily) or YYYY-MM (monthly).
  std::size_t date_parts = 0;
  const std::size_t n = parts.size();
  if (n >= 5 && IsDigits(parts[n - 3], 4) && IsDigits(parts[n - 2], 2) &&
      IsDigits(parts[n - 1], 2)) {
    date_parts = 3;
  } else if (n >= 4 && IsDigits(parts[n - 2], 4) && IsDigits(parts[n - 1], 2)) {
    date_parts = 2;
  } else {
    return std::nullopt;
  }
  const std::size_t interval_part = n - date_parts - 1;
  const std::optional<core::Interval> interval = ParseReplayInterval(parts[interval_part]);
  if (!interval) return std::nullopt;
  // The symbol: every part before the interval, dashes included.
  const std::size_t symbol_length =
      static_cast<std::size_t>(parts[interval_part].data() - name.data()) - 1;
  if (symbol_length == 0 || symbol_length > name.size()) return std::nullopt;
  return KlineFileName{core::Symbol(name.substr(0, symbol_length)), *interval};
}

}  // namespace scanner::replay
