#include "config/section_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace scanner::config {
namespace {

std::string_view KindOf(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "nothing";
  }
}

// Values are echoed so a user can find them, but kept short.
std::string Shown(std::string_view value) {
  constexpr std::size_t kMaxShown = 60;
  if (value.size() <= kMaxShown) return fmt::format("'{}'", value);
  return fmt::format("'{}...'", value.substr(0, kMaxShown));
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view Trim(std::string_view text) {
  std::size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return {};
  return text.substr(start, text.find_last_not_of(" \t") - start + 1);
}

std::string KnownIntervals() {
  std::vector<std::string_view> names;
  for (core::Interval interval : core::Interval::All()) names.push_back(interval.Name());
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

SectionReader::SectionReader(YAML::Node node, std::string path, Interpolator* interpolator,
                             ProblemList& problems)
    : path_(std::move(path)), interpolator_(interpolator), problems_(problems) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    problems_.Add(path_.empty() ? "(top level)" : path_,
                  fmt::format("expected a map of settings, got {}", KindOf(node)));
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) {
      problems_.Add(path_.empty() ? "(top level)" : path_, "every key must be a plain name");
      continue;
    }
    std::string key = it->first.Scalar();
    bool duplicate = std::ranges::any_of(entries_, [&](const Entry& e) { return e.key == key; });
    if (duplicate) {
      problems_.Add(PathOf(key), "duplicate key (only one may be given)");
      continue;
    }
    entries_.push_back(Entry{std::move(key), it->second});
  }
}

std::string SectionReader::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

YAML::Node SectionReader::Find(std::string_view key) {
  known_.emplace(key);
  for (const Entry& entry : entries_) {
    if (entry.key == key && !entry.value.IsNull()) return entry.value;
  }
  return YAML::Node(YAML::NodeType::Null);
}

std::optional<std::string> SectionReader::Expand(const YAML::Node& node, const std::string& path) {
  if (interpolator_ == nullptr) return node.Scalar();
  auto expanded = interpolator_->Expand(node.Scalar());
  if (!expanded) {
    problems_.Add(path, expanded.error().message);
    return std::nullopt;
  }
  return std::move(*expanded);
}

std::optional<std::string> SectionReader::ReadScalar(std::string_view key,
                                                     std::string_view expected) {
  YAML::Node node = Find(key);
  if (node.IsNull()) return std::nullopt;
  std::string path = PathOf(key);
  if (!node.IsScalar()) {
    problems_.Add(path, fmt::format("expected {}, got {}", expected, KindOf(node)));
    return std::nullopt;
  }
  return Expand(node, path);
}

std::optional<int> SectionReader::ParseInt(std::string_view text, const std::string& path) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range ||
      (ec == std::errc() &&
       (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()))) {
    problems_.Add(path, fmt::format("integer out of range: {}", Shown(text)));
    return std::nullopt;
  }
  if (ec != std::errc() || end != text.data() + text.size()) {
    problems_.Add(path, fmt::format("expected an integer, got {}", Shown(text)));
    return std::nullopt;
  }
  return static_cast<int>(value);
}

std::optional<double> SectionReader::ParseNumber(std::string_view text, const std::string& path) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    problems_.Add(path, fmt::format("expected a number, got {}", Shown(text)));
    return std::nullopt;
  }
  return value;
}

void SectionReader::ReadInt(std::string_view key, int& out) {
  auto text = ReadScalar(key, "an integer");
  if (!text) return;
  if (auto value = ParseInt(*text, PathOf(key))) out = *value;
}

void SectionReader::ReadNumber(std::string_view key, double& out) {
  auto text = ReadScalar(key, "a number");
  if (!text) return;
  if (auto value = ParseNumber(*text, PathOf(key))) out = *value;
}

void SectionReader::ReadBool(std::string_view key, bool& out) {
  auto text = ReadScalar(key, "true or false");
  if (!text) return;
  std::string lower(*text);
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "true") {
    out = true;
  } else if (lower == "false") {
    out = false;
  } else {
    problems_.Add(PathOf(key), fmt::format("expected true or false, got {}", Shown(*text)));
  }
}

void SectionReader::ReadString(std::string_view key, std::string& out) {
  if (auto text = ReadScalar(key, "a single value")) out = std::move(*text);
}

void SectionReader::ReadDuration(std::string_view key, core::Millis& out) {
  auto text = ReadScalar(key, "a duration");
  if (!text) return;
  if (auto duration = core::ParseDuration(*text)) {
    out = *duration;
  } else {
    problems_.Add(PathOf(key), fmt::format("expected a duration such as 90s, 5m, 1h or 7d, got {}",
                                           Shown(*text)));
  }
}

std::optional<std::vector<SectionReader::ListItem>> SectionReader::ReadListItems(
    std::string_view key) {
  YAML::Node node = Find(key);
  if (node.IsNull()) return std::nullopt;
  std::string path = PathOf(key);
  std::vector<std::pair<YAML::Node, std::string>> elements;
  if (node.IsScalar()) {
    elements.emplace_back(node, path);
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      elements.emplace_back(node[i], fmt::format("{}[{}]", path, i));
    }
  } else {
    problems_.Add(path, fmt::format("expected a list, got {}", KindOf(node)));
    return std::nullopt;
  }

  std::vector<ListItem> items;
  bool ok = true;
  for (const auto& [element, element_path] : elements) {
    if (element.IsNull()) continue;
    if (!element.IsScalar()) {
      problems_.Add(element_path, fmt::format("expected a single value, got {}", KindOf(element)));
      ok = false;
      continue;
    }
    auto text = Expand(element, element_path);
    if (!text) {
      ok = false;
      continue;
    }
    std::string_view rest = *text;
    while (true) {
      std::size_t comma = rest.find(',');
      std::string_view piece = Trim(rest.substr(0, comma));
      if (!piece.empty()) items.push_back(ListItem{std::string(piece), element_path});
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (!ok) return std::nullopt;
  return items;
}

void SectionReader::ReadStringList(std::string_view key, std::vector<std::string>& out,
                                   const ItemCheck& check) {
  auto items = ReadListItems(key);
  if (!items) return;
  bool ok = true;
  if (check) {
    for (const ListItem& item : *items) {
      if (auto problem = check(item.text)) {
        problems_.Add(item.path, std::move(*problem));
        ok = false;
      }
    }
  }
  if (!ok) return;
  out.clear();
  for (ListItem& item : *items) out.push_back(std::move(item.text));
}

void SectionReader::ReadIntervalList(std::string_view key, std::vector<core::Interval>& out) {
  auto items = ReadListItems(key);
  if (!items) return;
  std::vector<core::Interval> intervals;
  bool ok = true;
  for (const ListItem& item : *items) {
    if (auto interval = core::Interval::Parse(item.text)) {
      intervals.push_back(*interval);
    } else {
      problems_.Add(item.path, fmt::format("unknown interval {} (Binance intervals: {})",
                                           Shown(item.text), KnownIntervals()));
      ok = false;
    }
  }
  if (ok) out = std::move(intervals);
}

void SectionReader::ReadIntList(std::string_view key, std::vector<int>& out) {
  auto items = ReadListItems(key);
  if (!items) return;
  std::vector<int> values;
  bool ok = true;
  for (const ListItem& item : *items) {
    if (auto value = ParseInt(item.text, item.path)) {
      values.push_back(*value);
    } else {
      ok = false;
    }
  }
  if (ok) out = std::move(values);
}

void SectionReader::ReadIntervalNumbers(std::string_view key,
                                        std::map<core::Interval, double>& out) {
  YAML::Node node = Find(key);
  if (node.IsNull()) return;
  const std::string path = PathOf(key);
  if (!node.IsMap()) {
    problems_.Add(path, fmt::format("expected a map from interval to number such as {{1m: 1.0, "
                                    "5m: 1.7}}, got {}",
                                    KindOf(node)));
    return;
  }
  // An entry with a problem is left out, so the interval keeps its default; the others are
  // kept, so that their ranges are still checked and every problem is reported at once.
  std::map<core::Interval, double> entries;
  std::set<core::Interval> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    // Copies: the iterator's pair is a temporary, and so would be references into it.
    const YAML::Node key_node = it->first;
    const YAML::Node value = it->second;
    if (!key_node.IsScalar()) {
      problems_.Add(path, "every key must be an interval name");
      continue;
    }
    const std::string name = key_node.Scalar();
    const std::string entry_path = fmt::format("{}.{}", path, name);
    const std::optional<core::Interval> interval = core::Interval::Parse(name);
    if (!interval) {
      problems_.Add(entry_path,
                    fmt::format("not an interval (Binance intervals: {})", KnownIntervals()));
      continue;
    }
    if (!seen.insert(*interval).second) {
      problems_.Add(entry_path, "duplicate key (only one may be given)");
      continue;
    }
    if (!value.IsScalar()) {
      problems_.Add(entry_path, fmt::format("expected a number, got {}", KindOf(value)));
      continue;
    }
    std::optional<std::string> text = Expand(value, entry_path);
    std::optional<double> number = text ? ParseNumber(*text, entry_path) : std::nullopt;
    if (number) entries.emplace(*interval, *number);
  }
  out = std::move(entries);
}

std::optional<std::size_t> SectionReader::ReadChoiceIndex(std::string_view key,
                                                          std::span<const std::string_view> names) {
  std::vector<std::string> shown;  // an empty choice ("nothing") shows as ""
  for (std::string_view name : names) shown.push_back(name.empty() ? "\"\"" : std::string(name));
  auto text = ReadScalar(key, fmt::format("one of {}", fmt::join(shown, ", ")));
  if (!text) return std::nullopt;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == *text) return i;
  }
  problems_.Add(PathOf(key),
                fmt::format("expected one of {}, got {}", fmt::join(shown, ", "), Shown(*text)));
  return std::nullopt;
}

SectionReader SectionReader::Section(std::string_view key) {
  return SectionReader(Find(key), PathOf(key), interpolator_, problems_);
}

std::vector<SectionReader> SectionReader::SectionList(std::string_view key) {
  YAML::Node node = Find(key);
  std::vector<SectionReader> readers;
  if (node.IsNull()) return readers;
  std::string path = PathOf(key);
  if (!node.IsSequence()) {
    problems_.Add(path, fmt::format("expected a list, got {}", KindOf(node)));
    return readers;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    std::string element_path = fmt::format("{}[{}]", path, i);
    if (!node[i].IsMap()) {
      problems_.Add(element_path,
                    fmt::format("expected a map of settings, got {}", KindOf(node[i])));
      continue;
    }
    readers.emplace_back(node[i], element_path, interpolator_, problems_);
  }
  return readers;
}

void SectionReader::ReportUnknownKeys() {
  for (const Entry& entry : entries_) {
    if (known_.contains(entry.key)) continue;
    std::string_view best;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    for (const std::string& known : known_) {
      std::size_t distance = EditDistance(entry.key, known);
      if (distance < best_distance) {
        best = known;
        best_distance = distance;
      }
    }
    // Close enough to be a typo: at most two edits, and fewer than half the name.
    if (!best.empty() && best_distance <= 2 && best_distance * 2 < entry.key.size()) {
      problems_.Add(PathOf(entry.key), fmt::format("unknown key (did you mean '{}'?)", best));
    } else {
      problems_.Add(PathOf(entry.key), "unknown key");
    }
  }
}

}  // namespace scanner::config
