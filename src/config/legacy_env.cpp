#include "config/legacy_env.h"

#include <algorithm>
#include <string>

namespace scanner::config {
namespace {

constexpr LegacyVariable kLegacyVariables[] = {
    {"DISCORD_WEBHOOK_URL", "alerts.discord.webhook_urls"},
    {"MARKET", "exchange.market"},
    {"QUOTE_ASSETS", "universe.quote_assets"},
    {"MIN_QUOTE_VOLUME", "universe.min_quote_volume_24h"},
    {"TOP_N", "universe.top_n"},
    {"INTERVALS", "streams.intervals"},
    {"ATR_PERIOD", "signals.atr_period"},
    {"ZSCORE_WINDOW", "signals.zscore_window"},
    {"MIN_ATR_MOVE", "signals.min_atr_move"},
    {"MIN_VOLUME_Z", "signals.min_volume_z"},
    {"MIN_RETURN_Z", "signals.min_return_z"},
    {"DIRECTION", "signals.direction"},
    {"COOLDOWN", "signals.cooldown"},
    {"DATABASE_PATH", "alerts.database"},
    {"STATUS_LISTEN", "status.listen"},
    {kLogLevelVariable, "logging.level"},
};

std::string Trimmed(const std::string& text) {
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return {};
  return text.substr(start, text.find_last_not_of(" \t\r\n") - start + 1);
}

// yaml-cpp's operator[] on a non-const node creates the path, so a dotted key is one walk.
void SetPath(YAML::Node root, std::string_view key_path, const std::string& value) {
  YAML::Node node = root;
  while (true) {
    std::size_t dot = key_path.find('.');
    std::string key(key_path.substr(0, dot));
    if (dot == std::string_view::npos) {
      node[key] = value;
      return;
    }
    node.reset(node[key]);
    key_path.remove_prefix(dot + 1);
  }
}

}  // namespace

std::span<const LegacyVariable> LegacyVariables() { return kLegacyVariables; }

YAML::Node LegacyDocument(const Environment& env, std::vector<LegacyVariable>& used) {
  YAML::Node root(YAML::NodeType::Map);
  for (const LegacyVariable& variable : kLegacyVariables) {
    std::optional<std::string> raw = env.Get(variable.name);
    if (!raw) continue;
    std::string value = Trimmed(*raw);
    if (value.empty()) continue;
    // The legacy scanner read COOLDOWN as minutes.
    if (variable.name == "COOLDOWN" &&
        std::ranges::all_of(value, [](char c) { return c >= '0' && c <= '9'; })) {
      value += 'm';
    }
    SetPath(root, variable.key_path, value);
    used.push_back(variable);
  }
  return root;
}

}  // namespace scanner::config
