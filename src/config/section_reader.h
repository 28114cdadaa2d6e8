#pragma once
// Reads one YAML map of the configuration into typed fields, keeping the key path of every value
// so each problem can be reported as "key.path: message".
//
// Each Read* call looks the key up, expands its variables (when an Interpolator is given),
// converts the text and stores it in `out`. An absent or null key leaves `out` at its default;
// a bad value leaves it too and records a problem. ReportUnknownKeys() then names every key
// that no call asked for, with a suggestion when one is close, so typos never pass silently.
//
// Lists (ReadStringList, ReadIntervalList, ReadIntList) accept a YAML sequence or one scalar; every
// item is split at commas after expansion and empty pieces are dropped, so a single variable can
// hold several values and "${VAR:-}" can mean "none".
//
// Borrows the node, the interpolator and the problem list; they must outlive the reader.

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/interpolation.h"
#include "config/problem_list.h"
#include "core/interval.h"
#include "core/time.h"

namespace scanner::config {

class SectionReader {
 public:
  // `path` is "" for the document root. A node that is neither a map nor null is reported.
  SectionReader(YAML::Node node, std::string path, Interpolator* interpolator,
                ProblemList& problems);

  void ReadInt(std::string_view key, int& out);
  void ReadNumber(std::string_view key, double& out);
  void ReadBool(std::string_view key, bool& out);
  void ReadString(std::string_view key, std::string& out);
  void ReadDuration(std::string_view key, core::Millis& out);
  // `check`, when given, returns a problem message for an unacceptable item; it is reported at
  // the item's own position in the file, which later checks on the typed list no longer know.
  using ItemCheck = std::function<std::optional<std::string>(std::string_view item)>;
  void ReadStringList(std::string_view key, std::vector<std::string>& out,
                      const ItemCheck& check = {});
  void ReadIntervalList(std::string_view key, std::vector<core::Interval>& out);
  void ReadIntList(std::string_view key, std::vector<int>& out);
  // A map from interval name to number, `{1m: 1.0, 5m: 1.7}`; each entry's problems are reported
  // under "<path>.<key>.<interval>". `out` becomes exactly the entries given (an empty map, none),
  // less those with a problem.
  void ReadIntervalNumbers(std::string_view key, std::map<core::Interval, double>& out);

  // One of a fixed set of words, e.g. market: spot|usdm: `index` becomes the word's position in
  // `names`; true when the key was given (and valid).
  bool ReadChoiceOf(std::string_view key, std::span<const std::string_view> names,
                    std::size_t& index) {
    const std::optional<std::size_t> found = ReadChoiceIndex(key, names);
    if (found) index = *found;
    return found.has_value();
  }

  // A nested map, reporting under "<path>.<key>".
  SectionReader Section(std::string_view key);
  // A sequence of maps, one reader per element, reporting under "<path>.<key>[i]".
  std::vector<SectionReader> SectionList(std::string_view key);

  // Records every key of this map that no call above asked for. Call after all reads.
  void ReportUnknownKeys();

  const std::string& path() const { return path_; }

 private:
  struct Entry {
    std::string key;
    YAML::Node value;
  };
  struct ListItem {
    std::string text;
    std::string path;
  };

  std::string PathOf(std::string_view key) const;
  // The value under `key`, or a null node when absent or null. Marks the key as known.
  YAML::Node Find(std::string_view key);
  // The expanded text of a scalar value; nullopt when absent or after recording a problem.
  std::optional<std::string> ReadScalar(std::string_view key, std::string_view expected);
  std::optional<std::string> Expand(const YAML::Node& node, const std::string& path);
  // `text` as an int or a finite number; nullopt after recording a problem at `path`.
  std::optional<int> ParseInt(std::string_view text, const std::string& path);
  std::optional<double> ParseNumber(std::string_view text, const std::string& path);
  std::optional<std::vector<ListItem>> ReadListItems(std::string_view key);
  std::optional<std::size_t> ReadChoiceIndex(std::string_view key,
                                             std::span<const std::string_view> names);

  std::string path_;
  Interpolator* interpolator_;
  ProblemList& problems_;
  std::vector<Entry> entries_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace scanner::config
