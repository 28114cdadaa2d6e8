#include "feed/stream_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace scanner::feed {

std::string KlineStreamName(std::string_view symbol, core::Interval interval) {
  std::string name;
  name.reserve(symbol.size() + 7 + interval.Name().size());
  for (char c : symbol) {
    name.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  name.append("@kline_");
  name.append(interval.Name());
  return name;
}

std::string_view MarketTickerStream(core::Market market) {
  return market == core::Market::kSpot ? "!miniTicker@arr" : "!ticker@arr";
}

std::string CombinedStreamUrl(std::string_view ws_url, std::span<const std::string> streams) {
  while (!ws_url.empty() && ws_url.back() == '/') ws_url.remove_suffix(1);
  std::string url(ws_url);
  url.append("/stream?streams=");
  for (std::size_t i = 0; i < streams.size(); ++i) {
    if (i > 0) url.push_back('/');
    url.append(streams[i]);
  }
  return url;
}

std::size_t StreamsFittingUrl(std::string_view ws_url, std::span<const std::string> streams,
                              std::size_t max_url_bytes) {
  while (!ws_url.empty() && ws_url.back() == '/') ws_url.remove_suffix(1);
  std::size_t length = ws_url.size() + std::string_view("/stream?streams=").size();
  std::size_t count = 0;
  for (const std::string& stream : streams) {
    const std::size_t added = stream.size() + (count > 0 ? 1 : 0);
    if (count > 0 && length + added > max_url_bytes) break;
    length += added;
    ++count;
  }
  return count;
}

core::Result<ConnectionPlanner> ConnectionPlanner::Create(StreamPlanOptions options) {
  std::vector<core::Interval> unique;
  for (core::Interval interval : options.intervals) {
    if (std::find(unique.begin(), unique.end(), interval) == unique.end()) {
      unique.push_back(interval);
    }
  }
  options.intervals = std::move(unique);
  if (options.intervals.empty()) return core::Fail("stream plan: no kline interval");
  const std::size_t needed = options.intervals.size() + (options.ticker_stream ? 1 : 0);
  if (options.max_streams_per_connection < needed) {
    return core::Fail(fmt::format(
        "stream plan: max_streams_per_connection {} cannot hold one symbol's {} interval(s){}",
        options.max_streams_per_connection, options.intervals.size(),
        options.ticker_stream ? " and the ticker stream" : ""));
  }
  return ConnectionPlanner(std::move(options));
}

ConnectionPlanner::ConnectionPlanner(StreamPlanOptions options) : options_(std::move(options)) {
  if (options_.ticker_stream) connections_.push_back(Connection{.symbols = {}, .ticker = true});
}

std::vector<std::string> ConnectionPlanner::SymbolStreams(std::string_view symbol) const {
  std::vector<std::string> streams;
  streams.reserve(options_.intervals.size());
  for (core::Interval interval : options_.intervals) {
    streams.push_back(KlineStreamName(symbol, interval));
  }
  return streams;
}

std::size_t ConnectionPlanner::StreamsOf(const Connection& connection) const {
  return connection.symbols.size() * options_.intervals.size() + (connection.ticker ? 1 : 0);
}

std::vector<PlanChange> ConnectionPlanner::Update(std::span<const core::Symbol> added,
                                                  std::span<const core::Symbol> removed) {
  std::map<std::size_t, PlanChange> changes;
  auto change_of = [&changes](std::size_t connection) -> PlanChange& {
    PlanChange& change = changes[connection];
    change.connection = connection;
    return change;
  };

  std::set<core::Symbol, std::less<>> to_add(added.begin(), added.end());
  for (const core::Symbol& symbol : std::set<core::Symbol>(removed.begin(), removed.end())) {
    const auto found = where_.find(symbol);
    if (found == where_.end()) continue;
    if (to_add.erase(symbol) > 0) continue;  // removed and added back: stays where it is
    const std::size_t connection = found->second;
    connections_[connection].symbols.erase(symbol);
    where_.erase(found);
    for (std::string& stream : SymbolStreams(symbol)) {
      change_of(connection).unsubscribe.push_back(std::move(stream));
    }
  }

  const std::size_t per_symbol = options_.intervals.size();
  for (const core::Symbol& symbol : to_add) {
    if (where_.contains(symbol)) continue;
    std::size_t target = 0;
    while (target < connections_.size() &&
           StreamsOf(connections_[target]) + per_symbol > options_.max_streams_per_connection) {
      ++target;
    }
    if (target == connections_.size()) {
      connections_.push_back(Connection{});
      if (target == 0 && options_.ticker_stream) connections_[0].ticker = true;
    }
    connections_[target].symbols.insert(symbol);
    where_.emplace(symbol, target);
    for (std::string& stream : SymbolStreams(symbol)) {
      change_of(target).subscribe.push_back(std::move(stream));
    }
  }

  std::vector<PlanChange> result;
  result.reserve(changes.size());
  for (auto& [connection, change] : changes) result.push_back(std::move(change));
  return result;
}

std::vector<std::string> ConnectionPlanner::Streams(std::size_t connection) const {
  std::vector<std::string> streams;
  if (connection >= connections_.size()) return streams;
  const Connection& planned = connections_[connection];
  streams.reserve(StreamsOf(planned));
  if (planned.ticker) streams.emplace_back(MarketTickerStream(options_.market));
  for (const core::Symbol& symbol : planned.symbols) {
    for (std::string& stream : SymbolStreams(symbol)) streams.push_back(std::move(stream));
  }
  return streams;
}

std::size_t ConnectionPlanner::StreamCount(std::size_t connection) const {
  return connection < connections_.size() ? StreamsOf(connections_[connection]) : 0;
}

std::size_t ConnectionPlanner::TotalStreams() const {
  std::size_t total = 0;
  for (const Connection& connection : connections_) total += StreamsOf(connection);
  return total;
}

std::optional<std::size_t> ConnectionPlanner::ConnectionOf(std::string_view symbol) const {
  const auto found = where_.find(symbol);
  if (found == where_.end()) return std::nullopt;
  return found->second;
}

}  // namespace scanner::feed
