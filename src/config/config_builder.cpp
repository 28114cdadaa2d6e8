#include "config/config_builder.h"

#include "config/config_keys.h"
#include "config/config_validator.h"
#include "config/defaults.h"
#include "config/section_reader.h"

namespace scanner::config {
namespace {

constexpr std::string_view kMarkets[] = {"spot", "usdm"};

// Reads `key` of `in` into its field of `target`, by the field's type.
template <class S>
void ReadKey(SectionReader& in, const KeyDescription<S>& key, S& target,
             const SectionReader::ItemCheck& item_check = {}) {
  std::visit(
      [&](const auto& field) {
        using F = std::decay_t<decltype(field)>;
        if constexpr (std::is_same_v<F, ChoiceField<S>>) {
          std::size_t index = field.get(target);
          if (in.ReadChoiceOf(key.Name(), field.names, index)) field.set(target, index);
        } else {
          auto& value = field(target);
          using T = std::remove_reference_t<decltype(value)>;
          if constexpr (std::is_same_v<T, int>) {
            in.ReadInt(key.Name(), value);
          } else if constexpr (std::is_same_v<T, double>) {
            in.ReadNumber(key.Name(), value);
          } else if constexpr (std::is_same_v<T, bool>) {
            in.ReadBool(key.Name(), value);
          } else if constexpr (std::is_same_v<T, core::Millis>) {
            in.ReadDuration(key.Name(), value);
          } else if constexpr (std::is_same_v<T, std::string>) {
            in.ReadString(key.Name(), value);
          } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            in.ReadStringList(key.Name(), value, item_check);
          } else if constexpr (std::is_same_v<T, std::vector<core::Interval>>) {
            in.ReadIntervalList(key.Name(), value);
          } else if constexpr (std::is_same_v<T, std::vector<int>>) {
            in.ReadIntList(key.Name(), value);
          } else {
            static_assert(std::is_same_v<T, IntervalNumbers>);
            in.ReadIntervalNumbers(key.Name(), value);
          }
        }
      },
      key.field);
}

}  // namespace

Config BuildConfig(const YAML::Node& root, Interpolator* interpolator, ProblemList& problems,
                   const WebhookUrlCheck& webhook_url_check) {
  SectionReader top(root, "", interpolator, problems);
  // The sections, parents first; a child is read through its parent so that the parent knows it.
  std::vector<std::pair<std::string_view, SectionReader>> sections;
  auto reader_of = [&](std::string_view path) -> SectionReader& {
    for (auto& [name, reader] : sections) {
      if (name == path) return reader;
    }
    return top;  // unreachable: every key's section is listed in ConfigSections()
  };
  for (std::string_view path : ConfigSections()) {
    const std::size_t dot = path.rfind('.');
    SectionReader section = dot == std::string_view::npos
                                ? top.Section(path)
                                : reader_of(path.substr(0, dot)).Section(path.substr(dot + 1));
    sections.emplace_back(path, std::move(section));
  }

  // The market decides the defaults of the endpoints and limits, so it is read first.
  std::size_t market_index = 0;
  reader_of("exchange").ReadChoiceOf("market", kMarkets, market_index);
  const core::Market market = market_index == 0 ? core::Market::kSpot : core::Market::kUsdm;
  Config config = DefaultConfig(market);

  // Checked here rather than in ValidateConfig: empty entries are already gone from the typed
  // list, so only the reader still knows which entry of the file a bad URL is. The message
  // never repeats the URL: it is a secret.
  const SectionReader::ItemCheck webhook_check =
      [&webhook_url_check](std::string_view url) -> std::optional<std::string> {
    if (!IsUrlWithScheme(url, {"https", "http"})) return "expected an https:// URL";
    return webhook_url_check ? webhook_url_check(url) : std::nullopt;
  };
  // Unknown keys are reported when the reading leaves their section (a child section before its
  // parent), so each section's problems stay together, in file order.
  std::vector<std::string_view> open;
  auto leave_until = [&](std::string_view next) {
    auto inside = [&](std::string_view parent) {
      return next == parent || (next.size() > parent.size() && next.starts_with(parent) &&
                                next[parent.size()] == '.');
    };
    while (!open.empty() && !inside(open.back())) {
      reader_of(open.back()).ReportUnknownKeys();
      open.pop_back();
    }
  };
  auto enter = [&](std::string_view section) {
    leave_until(section);
    if (open.empty() || open.back() != section) open.push_back(section);
  };
  enter("exchange");
  for (const ConfigKey& key : ConfigKeys()) {
    enter(key.Section());
    const bool webhooks = key.secret && key.shown == Display::kRedactedUrl;
    ReadKey(reader_of(key.Section()), key, config,
            webhooks ? webhook_check : SectionReader::ItemCheck{});
    if (key.path == "alerts.discord.avatar_url") {
      // The routes, where they stand in the file.
      for (SectionReader& route_in : reader_of("alerts.discord").SectionList("routes")) {
        DiscordRoute route;
        for (const RouteKey& route_key : RouteKeys()) ReadKey(route_in, route_key, route);
        route_in.ReportUnknownKeys();
        config.alerts.discord.routes.push_back(std::move(route));
      }
    }
  }
  leave_until("");
  top.ReportUnknownKeys();
  return config;
}

}  // namespace scanner::config
