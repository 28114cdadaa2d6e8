#pragma once
// Sharding of the scanner's market-data streams over combined-stream WebSocket connections.
//
// Streams: one kline stream `<symbol lower case>@kline_<interval>` per (universe symbol,
// streams.intervals entry), plus the market-wide 24 h ticker stream (spot `!miniTicker@arr`,
// since `!ticker@arr` is retired there; USD-M futures `!ticker@arr`).
//
// ConnectionPlanner assigns them to connections of at most `max_streams_per_connection` streams:
// - a symbol's intervals stay together on one connection (a reconnect then affects whole
//   symbols, and the gap filler resumes whole symbols);
// - the ticker stream lives on connection 0;
// - new symbols (sorted by name) go to the lowest-numbered connection with room, opening new
//   connections only when none has room; symbols already placed never move, because moving a
//   stream would interrupt it; a removed symbol frees its room for later additions.
// The result is deterministic for a given sequence of updates. A connection whose streams all
// went away keeps its number (with no streams) and is reused first.
//
// URLs: `<ws_url>/stream?streams=a/b/c`. The scanner opens a connection with only as many
// streams in the URL as fit `max_url_bytes` (request lines beyond a few KB are refused by common
// HTTP servers and proxies, and 1024 names are ~25 KB) and SUBSCRIBEs the rest (StreamPool).
//
// Pure values; not thread-safe.

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/interval.h"
#include "core/market.h"
#include "core/types.h"

namespace scanner::feed {

// "btcusdt@kline_1m". Only ASCII letters are folded; other bytes (UTF-8 names) stay as sent.
std::string KlineStreamName(std::string_view symbol, core::Interval interval);

// The market-wide 24 h ticker stream: "!miniTicker@arr" (spot) or "!ticker@arr" (usdm).
std::string_view MarketTickerStream(core::Market market);

// "<ws_url>/stream?streams=a/b/c"; a trailing '/' of ws_url is dropped.
std::string CombinedStreamUrl(std::string_view ws_url, std::span<const std::string> streams);

// How many leading `streams` fit a URL of at most `max_url_bytes` (at least one when there is
// any, whatever its length).
std::size_t StreamsFittingUrl(std::string_view ws_url, std::span<const std::string> streams,
                              std::size_t max_url_bytes);

struct StreamPlanOptions {
  core::Market market = core::Market::kSpot;
  std::vector<core::Interval> intervals;  // duplicates are ignored
  std::size_t max_streams_per_connection = 1024;
  bool ticker_stream = true;  // the market-wide ticker on connection 0
};

// What one update changes on one connection.
struct PlanChange {
  std::size_t connection = 0;
  std::vector<std::string> subscribe;    // streams to add, in plan order
  std::vector<std::string> unsubscribe;  // streams to drop

  friend bool operator==(const PlanChange&, const PlanChange&) = default;
};

class ConnectionPlanner {
 public:
  // Fails when there is no interval or one symbol's streams (plus the ticker) cannot fit a
  // connection.
  static core::Result<ConnectionPlanner> Create(StreamPlanOptions options);

  // Places `added` and drops `removed` (symbols already present, or absent, are ignored; a
  // symbol in both lists is removed then added back, i.e. kept in place). Returns the changes
  // per connection, in connection order; a new connection appears with its full stream list as
  // `subscribe`. Connection 0 exists from the start when the ticker stream is on.
  std::vector<PlanChange> Update(std::span<const core::Symbol> added,
                                 std::span<const core::Symbol> removed);

  std::size_t ConnectionCount() const { return connections_.size(); }
  // Every stream of `connection`: the ticker first (connection 0), then each symbol's streams
  // in symbol order and interval order.
  std::vector<std::string> Streams(std::size_t connection) const;
  std::size_t StreamCount(std::size_t connection) const;
  std::size_t TotalStreams() const;
  const std::set<core::Symbol>& Symbols(std::size_t connection) const {
    return connections_[connection].symbols;
  }
  std::optional<std::size_t> ConnectionOf(std::string_view symbol) const;
  std::span<const core::Interval> intervals() const { return options_.intervals; }
  const StreamPlanOptions& options() const { return options_; }

 private:
  struct Connection {
    std::set<core::Symbol> symbols;
    bool ticker = false;
  };

  explicit ConnectionPlanner(StreamPlanOptions options);
  std::vector<std::string> SymbolStreams(std::string_view symbol) const;
  std::size_t StreamsOf(const Connection& connection) const;

  StreamPlanOptions options_;
  std::vector<Connection> connections_;
  std::map<core::Symbol, std::size_t, std::less<>> where_;  // symbol -> connection
};

}  // namespace scanner::feed
