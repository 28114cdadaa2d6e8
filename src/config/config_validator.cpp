#include "config/config_validator.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "config/defaults.h"
#include "core/redact.h"

namespace scanner::config {
namespace {

constexpr std::string_view kLogLevels[] = {"trace", "debug",    "info", "warn",
                                           "error", "critical", "off"};
constexpr std::size_t kMaxDiscordUsername = 80;  // Discord rejects longer webhook usernames
constexpr int kMaxStreamsPerConnection = 1024;   // Binance's hard cap on both markets

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

  void Positive(std::string path, double value) {
    if (!(value > 0)) Add(std::move(path), fmt::format("must be greater than 0, got {}", value));
  }
  void AtLeast(std::string path, long long value, long long minimum) {
    if (value < minimum)
      Add(std::move(path), fmt::format("must be at least {}, got {}", minimum, value));
  }
  void PositiveDuration(std::string path, core::Millis value) {
    if (value <= 0) Add(std::move(path), "must be a duration greater than 0");
  }

  void CheckExchange() {
    const ExchangeConfig& e = config_.exchange;
    if (!IsUrlWithScheme(e.rest_url, {"https", "http"})) {
      Add("exchange.rest_url",
          fmt::format("expected an https:// URL, got '{}'", core::RedactUrl(e.rest_url)));
    }
    if (!IsUrlWithScheme(e.ws_url, {"wss", "ws"})) {
      Add("exchange.ws_url",
          fmt::format("expected a wss:// URL, got '{}'", core::RedactUrl(e.ws_url)));
    }
    if (!(e.weight_budget_fraction > 0 && e.weight_budget_fraction <= 1)) {
      Add("exchange.weight_budget_fraction",
          fmt::format("must be greater than 0 and at most 1, got {}", e.weight_budget_fraction));
    }
    PositiveDuration("exchange.request_timeout", e.request_timeout);
  }

  void CheckUniverse() {
    const UniverseConfig& u = config_.universe;
    if (u.quote_assets.empty()) Add("universe.quote_assets", "must list at least one quote asset");
    // 0 is "no minimum", as min_return_z's 0 is "off"; NaN fails the comparison too.
    if (!(u.min_quote_volume_24h >= 0)) {
      Add("universe.min_quote_volume_24h",
          fmt::format("must be 0 (no minimum) or greater, got {}", u.min_quote_volume_24h));
    }
    AtLeast("universe.top_n", u.top_n, 1);
    if (u.refresh_interval < core::kMinute) {
      Add("universe.refresh_interval",
          "must be at least 1m (every refresh spends REST request weight)");
    }
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
    if (s.max_streams_per_connection < 1 ||
        s.max_streams_per_connection > kMaxStreamsPerConnection) {
      Add("streams.max_streams_per_connection",
          fmt::format("must be between 1 and {}, got {}", kMaxStreamsPerConnection,
                      s.max_streams_per_connection));
    }
    if (s.stale_after < 10 * core::kSecond) {
      Add("streams.stale_after",
          "must be at least 10s (klines arrive every 2s; shorter would drop healthy connections)");
    }
    if (s.max_connection_age <= 0 || s.max_connection_age > core::kDay) {
      Add("streams.max_connection_age",
          "must be greater than 0 and at most 1d (Binance closes connections at 24h)");
    }
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
    AtLeast("signals.atr_period", s.atr_period, 1);
    AtLeast("signals.zscore_window", s.zscore_window, 2);
    AtLeast("signals.momentum_lookback", s.momentum_lookback, 1);
    Positive("signals.min_atr_move", s.min_atr_move);
    Positive("signals.min_volume_z", s.min_volume_z);
    if (s.min_return_z < 0) {
      Add("signals.min_return_z",
          fmt::format("must be 0 (off) or greater, got {}", s.min_return_z));
    }
    if (s.strong_multiplier < 1) {
      Add("signals.strong_multiplier",
          fmt::format("must be at least 1, got {}", s.strong_multiplier));
    }
    CheckSubset("signals.confirm_intervals", s.confirm_intervals);
    if (s.catch_up < 0 || s.catch_up > core::kDay) {
      Add("signals.catch_up", "must be between 0s (never alert on warm-up bars) and 1d");
    }
  }

  void CheckAlerts() {
    const AlertsConfig& a = config_.alerts;
    if (a.database.empty()) Add("alerts.database", "must name the SQLite database file");
    PositiveDuration("alerts.retention", a.retention);
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
      if (!route.min_severity.empty() && route.min_severity != "normal" &&
          route.min_severity != "strong") {
        Add(path + ".min_severity",
            fmt::format("expected normal or strong (or nothing for all), got '{}'",
                        route.min_severity));
      }
    }
    PositiveDuration("alerts.discord.request_timeout", d.request_timeout);
    if (d.give_up_after < 10 * core::kMinute || d.give_up_after > 30 * core::kDay) {
      Add("alerts.discord.give_up_after", fmt::format("must be between 10m and 30d, got {}",
                                                      core::FormatDuration(d.give_up_after)));
    }
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
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return false;
  } else if (host.find_first_of(":[] \t/") != std::string_view::npos) {
    return false;
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return !port.empty() && ec == std::errc() && end == port.data() + port.size() && value <= 65535;
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
