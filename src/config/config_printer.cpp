#include "config/config_printer.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <string_view>

#include "config/config_keys.h"
#include "core/redact.h"

namespace scanner::config {
namespace {

// A thin layer over YAML::Emitter so each key is one readable line below.
class Printer {
 public:
  Printer() { out_ << YAML::BeginMap; }

  void Begin(std::string_view key) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
  }
  void End() { out_ << YAML::EndMap; }

  void Put(std::string_view key, std::string_view value) {
    out_ << YAML::Key << std::string(key) << YAML::Value << std::string(value);
  }
  // Numbers are formatted by fmt: the shortest text that reads back exactly.
  void PutNumber(std::string_view key, double value) { Put(key, fmt::format("{}", value)); }
  void PutInt(std::string_view key, int value) { Put(key, fmt::format("{}", value)); }
  void PutBool(std::string_view key, bool value) { Put(key, value ? "true" : "false"); }
  void PutDuration(std::string_view key, core::Millis value) {
    Put(key, core::FormatDuration(value));
  }
  void PutUrl(std::string_view key, const std::string& url) { Put(key, core::RedactUrl(url)); }

  void PutList(std::string_view key, const std::vector<std::string>& values) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const std::string& value : values) out_ << value;
    out_ << YAML::EndSeq;
  }
  void PutList(std::string_view key, const std::vector<core::Interval>& intervals) {
    std::vector<std::string> names;
    for (core::Interval interval : intervals) names.emplace_back(interval.Name());
    PutList(key, names);
  }
  void PutList(std::string_view key, const std::vector<int>& values) {
    std::vector<std::string> texts;
    for (int value : values) texts.push_back(fmt::format("{}", value));
    PutList(key, texts);
  }
  // On one line, shortest interval first: `{1m: 1, 5m: 1.7}`.
  void PutMap(std::string_view key, const IntervalNumbers& numbers) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const auto& [interval, number] : numbers) {
      out_ << YAML::Key << std::string(interval.Name()) << YAML::Value << fmt::format("{}", number);
    }
    out_ << YAML::EndMap;
  }

  YAML::Emitter& emitter() { return out_; }

  std::string Finish() {
    out_ << YAML::EndMap;
    return std::string(out_.c_str()) + "\n";
  }

 private:
  YAML::Emitter out_;
};

// Prints `key` of `s`, masking what must not be shown.
template <class S>
void PrintKey(Printer& p, const KeyDescription<S>& key, const S& s) {
  S& value = const_cast<S&>(s);  // the accessors serve reading and writing alike
  const auto shown = [&](const std::string& text) {
    return key.shown == Display::kRedactedUrl ? core::RedactUrl(text) : text;
  };
  std::visit(
      [&](const auto& field) {
        using F = std::decay_t<decltype(field)>;
        if constexpr (std::is_same_v<F, ChoiceField<S>>) {
          p.Put(key.Name(), field.names[field.get(s)]);
        } else {
          const auto& v = field(value);
          using T = std::remove_cvref_t<decltype(v)>;
          if constexpr (std::is_same_v<T, int>) {
            p.PutInt(key.Name(), v);
          } else if constexpr (std::is_same_v<T, double>) {
            p.PutNumber(key.Name(), v);
          } else if constexpr (std::is_same_v<T, bool>) {
            p.PutBool(key.Name(), v);
          } else if constexpr (std::is_same_v<T, core::Millis>) {
            p.PutDuration(key.Name(), v);
          } else if constexpr (std::is_same_v<T, std::string>) {
            p.Put(key.Name(), shown(v));
          } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            std::vector<std::string> items;
            for (const std::string& item : v) items.push_back(shown(item));
            p.PutList(key.Name(), items);
          } else if constexpr (std::is_same_v<T, IntervalNumbers>) {
            p.PutMap(key.Name(), v);
          } else {
            p.PutList(key.Name(), v);
          }
        }
      },
      key.field);
}

}  // namespace

std::string PrintConfig(const Config& config) {
  Printer p;
  std::vector<std::string_view> open;  // the sections begun, outermost first
  auto enter = [&](std::string_view section) {
    // Close what `section` is not inside of, then open what it adds.
    while (!open.empty() &&
           !(section == open.back() || section.starts_with(std::string(open.back()) + "."))) {
      p.End();
      open.pop_back();
    }
    while (open.empty() || open.back() != section) {
      const std::string_view parent = open.empty() ? std::string_view() : open.back();
      const std::size_t start = parent.empty() ? 0 : parent.size() + 1;
      const std::size_t dot = section.find('.', start);
      const std::string_view next =
          dot == std::string_view::npos ? section : section.substr(0, dot);
      p.Begin(next.substr(start));
      open.push_back(next);
    }
  };
  enter("exchange");
  p.Put("market", core::MarketName(config.exchange.market));
  for (const ConfigKey& key : ConfigKeys()) {
    enter(key.Section());
    PrintKey(p, key, config);
    if (key.path == "alerts.discord.avatar_url") {
      // The routes, a list of maps, where they stand in the file.
      YAML::Emitter& out = p.emitter();
      out << YAML::Key << "routes" << YAML::Value;
      if (config.alerts.discord.routes.empty()) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const DiscordRoute& route : config.alerts.discord.routes) {
        out << YAML::BeginMap;
        for (const RouteKey& route_key : RouteKeys()) PrintKey(p, route_key, route);
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
  }
  while (!open.empty()) {
    p.End();
    open.pop_back();
  }
  return p.Finish();
}

}  // namespace scanner::config
