#include "config/config_validator.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "config/config_keys.h"
#include "config/defaults.h"
#include "core/host_port.h"
#include "core/redact.h"

namespace scanner::config {
namespace {

constexpr std::string_view kLogLevels[] = {"trace", "debug",    "info", "warn",
                                           "error", "critical", "off"};
constexpr std::size_t kMaxDiscordUsername = 80;  // Discord rejects longer webhook usernames

std::string IntervalNames(const std::vector<core::Interval>& intervals) {
  std::vector<std::string_view> names;
  for (core::Interval interval : intervals) names.push_back(interval.Name());
  return fmt::format("{}", fmt::join(names, ", "));
}

class Checker {
 public:
  Checker(const Config& config, ProblemList& problems) : config_(config), problems_(problems) {}

  void Run() {
    CheckExchange();
    CheckUniverse();
    CheckStreams();
    CheckSignals();
    CheckAlerts();
    CheckStatusAndLogging();
  }

 private:
  void Add(std::string path, std::string message) {
    problems_.Add(std::move(path), std::move(message));
  }

  // The bounds every key of `section` describes (config_keys.h).
  void CheckBounds(std::string_view section) {
    for (const ConfigKey& key : ConfigKeys()) {
      if (key.Section() != section || !key.bounds) continue;
      const bool duration = std::holds_alternative<FieldOf<core::Millis, Config>>(key.field);
      for (BoundedValue& checked : BoundedValues(key, config_)) {
        if (auto message = OutOfBounds(*key.bounds, checked.value, duration)) {
          Add(std::move(checked.path), std::move(*message));
        }
      }
    }
  }

  // Why `value` is outside `b`, or nullopt when it is inside.
  static std::optional<std::string> OutOfBounds(const Bounds& b, double value, bool duration) {
    // Written so that NaN fails every comparison, hence every bound.
    const bool above_min = !b.min || (b.min_exclusive ? value > *b.min : value >= *b.min);
    const bool below_max = !b.max || value <= *b.max;
    if (above_min && below_max) return std::nullopt;
    auto shown = [&](double v) {
      return duration ? core::FormatDuration(static_cast<core::Millis>(v)) : fmt::format("{}", v);
    };
    if (!b.message.empty()) {
      return fmt::format(fmt::runtime(b.message), fmt::arg("min", shown(b.min.value_or(0))),
                         fmt::arg("max", shown(b.max.value_or(0))),
                         fmt::arg("value", shown(value)));
    }
    if (b.min && b.max) {
      return fmt::format("must be between {} and {}, got {}", shown(*b.min), shown(*b.max),
                         shown(value));
    }
    if (b.min) {
      return fmt::format("must be {} {}, got {}", b.min_exclusive ? "greater than" : "at least",
                         shown(*b.min), shown(value));
    }
    return fmt::format("must be at most {}, got {}", shown(*b.max), shown(value));
  }

  void CheckExchange() {
    const ExchangeConfig& e = config_.exchange;
    if (!IsUrlWithScheme(e.rest_url, {"https", "http"})) {
      Add("exchange.rest_url",
          fmt::format("expected an https:// URL, got '{}'", core::RedactUrl(e.rest_url)));
    }
    if (!IsUrlWithScheme(e.vision_url, {"https", "http"})) {
      Add("exchange.vision_url",
          fmt::format("expected an https:// URL, got '{}'", core::RedactUrl(e.vision_url)));
    }
    if (!IsUrlWithScheme(e.ws_url, {"wss", "ws"})) {
      Add("exchange.ws_url",
          fmt::format("expected a wss:// URL, got '{}'", core::RedactUrl(e.ws_url)));
    }
    CheckBounds("exchange");
  }

  void CheckUniverse() {
    const UniverseConfig& u = config_.universe;
    if (u.quote_assets.empty()) Add("universe.quote_assets", "must list at least one quote asset");
    CheckBounds("universe");
  }

  void CheckStreams() {
    const StreamsConfig& s = config_.streams;
    core::Market market = config_.exchange.market;
    if (s.intervals.empty()) Add("streams.intervals", "must list at least one interval");
    std::set<core::Interval> seen;
    for (core::Interval interval : s.intervals) {
      if (!seen.insert(interval).second) {
        Add("streams.intervals", fmt::format("'{}' is listed more than once", interval.Name()));
      }
      if (interval.Name() == "1s" && market != core::Market::kSpot) {
        Add("streams.intervals", "'1s' klines exist on spot only, not on usdm");
      }
    }
    CheckBounds("streams");
    // Its upper bound depends on the market.
    int limit = MessagesPerSecondLimit(market);
    if (s.max_messages_per_second < 1 || s.max_messages_per_second >= limit) {
      Add("streams.max_messages_per_second",
          fmt::format("must be between 1 and {} (Binance drops {} connections at {} per second), "
                      "got {}",
                      limit - 1, core::MarketName(market), limit, s.max_messages_per_second));
    }
  }

  void CheckSubset(const std::string& path, const std::vector<core::Interval>& intervals) {
    const std::vector<core::Interval>& streamed = config_.streams.intervals;
    for (core::Interval interval : intervals) {
      if (std::ranges::find(streamed, interval) == streamed.end()) {
        Add(path, fmt::format("'{}' is not in streams.intervals ({})", interval.Name(),
                              IntervalNames(streamed)));
      }
    }
  }

  void CheckSignals() {
    const SignalsConfig& s = config_.signals;
    CheckBounds("signals");
    CheckSubset("signals.confirm_intervals", s.confirm_intervals);
  }

  void CheckAlerts() {
    const AlertsConfig& a = config_.alerts;
    if (a.database.empty()) Add("alerts.database", "must name the SQLite database file");
    CheckBounds("alerts");
    if (a.retention > 0 && a.retention < config_.signals.cooldown) {
      Add("alerts.retention",
          fmt::format("must be at least signals.cooldown ({}): the cooldown looks back through "
                      "stored alerts",
                      core::FormatDuration(config_.signals.cooldown)));
    }

    const DiscordConfig& d = a.discord;
    if (d.username.empty() || d.username.size() > kMaxDiscordUsername) {
      Add("alerts.discord.username",
          fmt::format("must be 1 to {} characters long", kMaxDiscordUsername));
    }
    if (!d.avatar_url.empty() && !IsUrlWithScheme(d.avatar_url, {"https", "http"})) {
      Add("alerts.discord.avatar_url", "expected an https:// URL or nothing");
    }
    for (std::size_t i = 0; i < d.routes.size(); ++i) {
      const DiscordRoute& route = d.routes[i];
      std::string path = fmt::format("alerts.discord.routes[{}]", i);
      if (route.webhook_url.empty()) {
        Add(path + ".webhook_url", "is required");
      } else if (!IsUrlWithScheme(route.webhook_url, {"https", "http"})) {
        Add(path + ".webhook_url", "expected an https:// URL");
      }
      CheckSubset(path + ".intervals", route.intervals);
    }
    CheckBounds("alerts.discord");
    CheckBounds("alerts.discord.chart");

    const std::vector<int>& horizons = a.outcome.horizons;
    if (horizons.empty()) {
      Add("alerts.outcome.horizons", "must list at least one horizon");
    } else if (horizons.size() > kMaxOutcomeHorizons) {
      Add("alerts.outcome.horizons", fmt::format("must list at most {} horizons, got {}",
                                                 kMaxOutcomeHorizons, horizons.size()));
    }
    // Refused rather than dropped, as a repeated interval is: a repeat is a typo for another
    // horizon more often than a harmless echo.
    std::set<int> seen_horizons;
    for (int horizon : horizons) {
      if (!seen_horizons.insert(horizon).second) {
        Add("alerts.outcome.horizons", fmt::format("{} is listed more than once", horizon));
      }
    }
    CheckBounds("alerts.outcome");
  }

  void CheckStatusAndLogging() {
    const std::string& listen = config_.status.listen;
    if (!listen.empty() && !IsHostPort(listen)) {
      Add("status.listen",
          fmt::format("expected host:port such as 127.0.0.1:9102, got '{}'", listen));
    }
    const std::string& level = config_.logging.level;
    if (std::ranges::find(kLogLevels, level) == std::end(kLogLevels)) {
      Add("logging.level",
          fmt::format("expected one of {}, got '{}'", fmt::join(kLogLevels, ", "), level));
    }
  }

  const Config& config_;
  ProblemList& problems_;
};

}  // namespace

void ValidateConfig(const Config& config, ProblemList& problems) {
  Checker(config, problems).Run();
}

bool IsHostPort(std::string_view text) {
  const auto authority = core::SplitAuthority(text);
  if (!authority || authority->host.empty() || !authority->port) return false;
  if (!authority->bracketed && authority->host.find_first_of(":[] \t/") != std::string_view::npos) {
    return false;
  }
  return core::ParsePort(*authority->port).has_value();
}

bool IsUrlWithScheme(std::string_view text, std::initializer_list<std::string_view> schemes) {
  if (text.find_first_of(" \t\r\n") != std::string_view::npos) return false;
  for (std::string_view scheme : schemes) {
    if (text.size() > scheme.size() + 3 && text.starts_with(scheme) &&
        text.substr(scheme.size(), 3) == "://") {
      std::string_view rest = text.substr(scheme.size() + 3);
      std::size_t host_end = rest.find_first_of("/?#");
      std::string_view authority = rest.substr(0, host_end);
      std::size_t at = authority.rfind('@');
      std::string_view host = at == std::string_view::npos ? authority : authority.substr(at + 1);
      return !host.empty() && host.front() != ':';
    }
  }
  return false;
}

}  // namespace scanner::config
