#pragma once
// Every key of the configuration, described once: where it lives in the typed Config, its type,
// its default (per market where Binance's limits differ), its bounds, whether it is a secret,
// and whether a running scanner can apply a change of it (SIGHUP) or needs a restart.
//
// Everything else is derived from these descriptions: reading the YAML file (config_builder),
// the defaults (DefaultConfig), printing the effective configuration with secrets masked
// (config_printer), the range checks (config_validator; the rules that relate several keys stay
// there), the secrets to mask in logs (secrets), and which keys a reload changes
// (ChangedKeys). A key added here is read, printed, defaulted, checked and diffed everywhere.
//
// `alerts.discord.routes` is a list of maps; its entries are described by RouteKeys() in the
// same way, relative to one DiscordRoute.
//
// Thread-safe: the tables are immutable once built (on first use).

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"
#include "core/interval.h"
#include "core/market.h"
#include "core/time.h"

namespace scanner::config {

// Whether a running scanner applies a changed value on SIGHUP.
enum class Reload { kLive, kRestart };

// A field of a struct S, by reference; captureless lambdas convert to these.
template <class T, class S>
using FieldOf = T& (*)(S&);

// A key whose value is one of a fixed set of words (an enum in the typed Config).
template <class S>
struct ChoiceField {
  std::span<const std::string_view> names;  // the words, in enum order
  std::size_t (*get)(const S&);
  void (*set)(S&, std::size_t);
};

// A number per interval, written in the file as a map: `{1m: 1.0, 5m: 1.7}`.
using IntervalNumbers = std::map<core::Interval, double>;

template <class S>
using Field =
    std::variant<FieldOf<int, S>, FieldOf<double, S>, FieldOf<bool, S>, FieldOf<core::Millis, S>,
                 FieldOf<std::string, S>, FieldOf<std::vector<std::string>, S>,
                 FieldOf<std::vector<core::Interval>, S>, FieldOf<std::vector<int>, S>,
                 FieldOf<IntervalNumbers, S>, ChoiceField<S>>;

// A typed value, as a default: the alternative matches the field's type (a choice by index).
using Value =
    std::variant<int, double, bool, core::Millis, std::string, std::vector<std::string>,
                 std::vector<core::Interval>, std::vector<int>, IntervalNumbers, std::size_t>;

// Inclusive bounds of a number, count or duration (durations in milliseconds), or of each item
// of a list of integers, or of each number of an interval map. `message`, when set, replaces the
// generic one ("must be between A and B, got X"); it may use {min}, {max} and {value}.
struct Bounds {
  std::optional<double> min{};
  std::optional<double> max{};
  bool min_exclusive = false;
  std::string_view message{};
};

// How a text value is shown by `check-config`: as written, or (URLs) with credentials masked.
enum class Display { kPlain, kRedactedUrl };

template <class S>
struct KeyDescription {
  std::string_view path{};  // "signals.atr_period"; for a route key: "webhook_url"
  Field<S> field{};
  Value spot_default{};                 // and every market's, unless...
  std::optional<Value> usdm_default{};  // ...USDⓈ-M differs
  Reload reload = Reload::kRestart;
  bool secret = false;  // never printed or logged; webhook URLs
  Display shown = Display::kPlain;
  std::optional<Bounds> bounds{};

  // The section ("signals", "alerts.discord") and the key's own name.
  std::string_view Section() const;
  std::string_view Name() const;
};

using ConfigKey = KeyDescription<Config>;
using RouteKey = KeyDescription<DiscordRoute>;

// Every key but `exchange.market` (read first: the other defaults depend on it) and the route
// list, in the order of the sections in the file.
std::span<const ConfigKey> ConfigKeys();
// The keys of one entry of alerts.discord.routes.
std::span<const RouteKey> RouteKeys();

// The sections, parents before children, in file order: "exchange", ..., "alerts",
// "alerts.discord", "alerts.outcome", "status", "logging".
std::span<const std::string_view> ConfigSections();

// Sets every described field of `config` to its default for `market`.
void ApplyDefaults(Config& config, core::Market market);

// True when the key's value is the same in both.
template <class S>
bool SameValue(const KeyDescription<S>& key, const S& a, const S& b);

// The keys whose values differ between `a` and `b` (routes as "alerts.discord.routes"), in
// description order.
std::vector<std::string_view> ChangedKeys(const Config& a, const Config& b);
// Whether the key at `path` (as ChangedKeys names it) is applied by a reload.
Reload ReloadOf(std::string_view path);

// A value a key's bounds apply to, and the path a problem with it is reported under.
struct BoundedValue {
  std::string path;  // "signals.atr_period", "alerts.outcome.horizons[2]",
                     // "signals.min_change_percent.5m"
  double value = 0;
};

// The values a key's bounds apply to: one for a number, count or duration; one per item of a list
// of integers; one per entry of an interval map; none for other types.
template <class S>
std::vector<BoundedValue> BoundedValues(const KeyDescription<S>& key, const S& s);

}  // namespace scanner::config
