#include "fakes/scripted_market.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <utility>

namespace scanner::fakes {
namespace {

constexpr std::int64_t kPriceScale = 10'000;  // 4 fractional digits
constexpr std::int64_t kVolumeScale = 1'000;  // 3 fractional digits

// Binance writes decimals with 8 fractional digits: "123.45670000".
std::string Decimal(std::int64_t units, std::int64_t scale) {
  const bool negative = units < 0;
  const std::int64_t magnitude = negative ? -units : units;
  const std::int64_t whole = magnitude / scale;
  std::int64_t fraction = magnitude % scale;
  for (std::int64_t s = scale; s < 100'000'000; s *= 10) fraction *= 10;
  char text[48];
  std::snprintf(text, sizeof(text), "%s%lld.%08lld", negative ? "-" : "",
                static_cast<long long>(whole), static_cast<long long>(fraction));
  return text;
}

// The double a parser reads from Decimal(units, scale): correctly rounded, like simdjson's.
double Value(std::int64_t units, std::int64_t scale) {
  const std::string text = Decimal(units, scale);
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// A bar's prices (kPriceScale units) and volume (kVolumeScale units), as drawn.
struct Units {
  std::int64_t open, high, low, close, volume;
};

// The closed bar of those units, with Binance's close time.
core::Bar FinalBar(core::Interval interval, core::Millis open_time, const Units& u,
                   std::int64_t trades) {
  core::Bar bar;
  bar.open_time = open_time;
  bar.close_time = open_time + interval.DurationMs() - 1;
  bar.open = Value(u.open, kPriceScale);
  bar.high = Value(u.high, kPriceScale);
  bar.low = Value(u.low, kPriceScale);
  bar.close = Value(u.close, kPriceScale);
  bar.volume = Value(u.volume, kVolumeScale);
  bar.quote_volume = Value(u.volume * u.close / kVolumeScale, kPriceScale);
  bar.trades = trades;
  bar.closed = true;
  return bar;
}

std::uint64_t Mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

std::int64_t ParseUnits(double value, std::int64_t scale) {
  return static_cast<std::int64_t>(value * static_cast<double>(scale) + (value >= 0 ? 0.5 : -0.5));
}

void AppendQuoted(std::string& out, const std::string& text) {
  out.push_back('"');
  out.append(text);
  out.push_back('"');
}

}  // namespace

ScriptedMarket::ScriptedMarket(std::vector<core::Symbol> symbols, std::uint64_t seed)
    : symbols_(std::move(symbols)), seed_(seed) {}

ScriptedMarket::ScriptedMarket(std::vector<core::Symbol> symbols, ScriptedMarketOptions options)
    : symbols_(std::move(symbols)),
      seed_(options.seed),
      calm_(options.calm),
      rules_(std::move(options.move_rules)) {}

void ScriptedMarket::PlanMove(std::string_view symbol, core::Interval interval,
                              core::Millis open_time, MoveDirection direction) {
  std::lock_guard lock(planned_mutex_);
  planned_[{core::Symbol(symbol), interval.Index(), Align(interval, open_time)}] = direction;
}

std::optional<MoveDirection> ScriptedMarket::PlannedMoveAt(std::string_view symbol,
                                                           core::Interval interval,
                                                           core::Millis open_time) const {
  open_time = Align(interval, open_time);
  {
    std::lock_guard lock(planned_mutex_);
    if (!planned_.empty()) {
      const auto found = planned_.find({core::Symbol(symbol), interval.Index(), open_time});
      if (found != planned_.end()) return found->second;
    }
  }
  for (const MoveRule& rule : rules_) {
    if (rule.every <= 0 || rule.interval != interval || open_time < rule.from ||
        open_time >= rule.until || (!rule.symbol.empty() && rule.symbol != symbol)) {
      continue;
    }
    const std::int64_t bar_index = open_time / interval.DurationMs();
    const std::int64_t phase = Draw(symbol, interval, 0, 8, rule.every);
    if (bar_index % rule.every != phase) continue;
    return Draw(symbol, interval, open_time, 9, 2) == 0 ? MoveDirection::kUp : MoveDirection::kDown;
  }
  return std::nullopt;
}

std::vector<PlannedMove> ScriptedMarket::PlannedMoves(std::string_view symbol,
                                                      core::Interval interval, core::Millis from,
                                                      core::Millis to) const {
  std::vector<PlannedMove> moves;
  core::Millis open_time = Align(interval, from);
  if (open_time < from) open_time += interval.DurationMs();
  for (; open_time < to; open_time += interval.DurationMs()) {
    if (auto direction = PlannedMoveAt(symbol, interval, open_time)) {
      moves.push_back(PlannedMove{core::Symbol(symbol), interval, open_time, *direction});
    }
  }
  return moves;
}

bool ScriptedMarket::Lists(std::string_view symbol) const {
  return std::find(symbols_.begin(), symbols_.end(), symbol) != symbols_.end();
}

std::optional<core::Symbol> ScriptedMarket::FromStreamName(std::string_view lower) const {
  for (const core::Symbol& symbol : symbols_) {
    if (symbol.size() != lower.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < symbol.size() && same; ++i) {
      const char c = symbol[i];
      same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == lower[i];
    }
    if (same) return symbol;
  }
  return std::nullopt;
}

std::uint64_t ScriptedMarket::Hash(std::string_view symbol, core::Interval interval,
                                   core::Millis open_time, std::uint64_t salt) const {
  std::uint64_t h = Mix(seed_ ^ (salt * 0x9e3779b97f4a7c15ULL));
  for (char c : symbol) h = Mix(h ^ static_cast<unsigned char>(c));
  h = Mix(h ^ interval.Index());
  return Mix(h ^ static_cast<std::uint64_t>(open_time));
}

std::int64_t ScriptedMarket::Draw(std::string_view symbol, core::Interval interval,
                                  core::Millis open_time, std::uint64_t salt,
                                  std::int64_t range) const {
  return static_cast<std::int64_t>(Hash(symbol, interval, open_time, salt) %
                                   static_cast<std::uint64_t>(range));
}

core::Millis ScriptedMarket::Align(core::Interval interval, core::Millis time) const {
  return interval.BarOpenFor(time);
}

core::Bar ScriptedMarket::CalmBar(std::string_view symbol, core::Interval interval,
                                  core::Millis open_time) const {
  const core::Interval day = *core::Interval::Parse("1d");
  constexpr std::int64_t kBand = kPriceScale / 10;  // 0.1
  const std::int64_t level = 50 * kPriceScale + Draw(symbol, day, 0, 1, 100 * kPriceScale);
  const std::int64_t open = level + Draw(symbol, interval, open_time, 2, kBand);
  std::int64_t close = level + Draw(symbol, interval, open_time, 3, kBand);
  std::int64_t volume =
      1000 * kVolumeScale + Draw(symbol, interval, open_time, 6, 100 * kVolumeScale);
  if (const std::optional<MoveDirection> move = PlannedMoveAt(symbol, interval, open_time)) {
    const auto size = static_cast<std::int64_t>(kPlannedMoveSize * kPriceScale);
    close = level + kBand / 2 + (*move == MoveDirection::kUp ? size : -size);
    volume = 20 * 1050 * kVolumeScale;
  }
  const std::int64_t high =
      std::max(open, close) + kBand / 2 + Draw(symbol, interval, open_time, 4, kBand / 2);
  const std::int64_t low =
      std::min(open, close) - kBand / 2 - Draw(symbol, interval, open_time, 5, kBand / 2);
  return FinalBar(interval, open_time, {open, high, low, close, volume},
                  1 + Draw(symbol, interval, open_time, 7, 500));
}

core::Bar ScriptedMarket::Bar(std::string_view symbol, core::Interval interval,
                              core::Millis open_time) const {
  open_time = Align(interval, open_time);
  if (calm_) return CalmBar(symbol, interval, open_time);
  const core::Interval day = *core::Interval::Parse("1d");
  // A price level per symbol, a drift per bar.
  const std::int64_t base = 50 * kPriceScale + Draw(symbol, day, 0, 1, 100 * kPriceScale);
  const std::int64_t open = base + Draw(symbol, interval, open_time, 2, 4 * kPriceScale);
  std::int64_t close = open - kPriceScale + Draw(symbol, interval, open_time, 3, 2 * kPriceScale);
  std::int64_t volume = kVolumeScale + Draw(symbol, interval, open_time, 6, 1000 * kVolumeScale);
  if (const std::optional<MoveDirection> move = PlannedMoveAt(symbol, interval, open_time)) {
    const auto size = static_cast<std::int64_t>(kPlannedMoveSize * kPriceScale);
    close = open + (*move == MoveDirection::kUp ? size : -size);
    volume = 20 * 500 * kVolumeScale;
  }
  const std::int64_t high =
      std::max(open, close) + Draw(symbol, interval, open_time, 4, kPriceScale / 2);
  const std::int64_t low =
      std::min(open, close) - Draw(symbol, interval, open_time, 5, kPriceScale / 2);
  return FinalBar(interval, open_time, {open, high, low, close, volume},
                  1 + Draw(symbol, interval, open_time, 7, 500));
}

core::Bar ScriptedMarket::PartialBar(std::string_view symbol, core::Interval interval,
                                     core::Millis open_time, core::Millis now) const {
  core::Bar final_bar = Bar(symbol, interval, open_time);
  if (now > final_bar.close_time) return final_bar;
  const double done = std::clamp(
      static_cast<double>(now - final_bar.open_time) / static_cast<double>(interval.DurationMs()),
      0.0, 1.0);
  const std::int64_t open = ParseUnits(final_bar.open, kPriceScale);
  const std::int64_t close =
      open + static_cast<std::int64_t>(
                 static_cast<double>(ParseUnits(final_bar.close, kPriceScale) - open) * done);
  const std::int64_t volume = static_cast<std::int64_t>(
      static_cast<double>(ParseUnits(final_bar.volume, kVolumeScale)) * done);
  core::Bar bar = final_bar;
  bar.close = Value(close, kPriceScale);
  bar.high = Value(std::max(open, close), kPriceScale);
  bar.low = Value(std::min(open, close), kPriceScale);
  bar.volume = Value(volume, kVolumeScale);
  bar.quote_volume = Value(volume * close / kVolumeScale, kPriceScale);
  bar.trades = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(static_cast<double>(final_bar.trades) * done));
  bar.closed = false;
  return bar;
}

std::vector<core::Bar> ScriptedMarket::ClosedBars(std::string_view symbol, core::Interval interval,
                                                  core::Millis from, core::Millis to) const {
  std::vector<core::Bar> bars;
  core::Millis open_time = Align(interval, from);
  if (open_time < from) open_time += interval.DurationMs();
  for (; open_time < to; open_time += interval.DurationMs()) {
    bars.push_back(Bar(symbol, interval, open_time));
  }
  return bars;
}

std::string ScriptedMarket::KlinesJson(std::string_view symbol, core::Interval interval,
                                       std::optional<core::Millis> start_time,
                                       std::optional<core::Millis> end_time, int limit,
                                       core::Millis now) const {
  const core::Millis duration = interval.DurationMs();
  const std::int64_t count_limit = limit <= 0 ? 500 : limit;
  core::Millis last = Align(interval, now);
  if (end_time) last = std::min(last, Align(interval, *end_time));
  core::Millis first = 0;
  if (start_time) {
    first = Align(interval, *start_time);
    if (first < *start_time) first += duration;
    if (last >= first) last = std::min(last, first + (count_limit - 1) * duration);
  } else {
    first = last - (count_limit - 1) * duration;
  }
  std::string json = "[";
  for (core::Millis open_time = first; open_time <= last; open_time += duration) {
    const core::Bar bar = PartialBar(symbol, interval, open_time, now);
    if (json.size() > 1) json.push_back(',');
    const std::int64_t volume = ParseUnits(bar.volume, kVolumeScale);
    json.push_back('[');
    json.append(std::to_string(bar.open_time));
    for (double price : {bar.open, bar.high, bar.low, bar.close}) {
      json.push_back(',');
      AppendQuoted(json, Decimal(ParseUnits(price, kPriceScale), kPriceScale));
    }
    json.push_back(',');
    AppendQuoted(json, Decimal(volume, kVolumeScale));
    json.push_back(',');
    json.append(std::to_string(bar.close_time));
    json.push_back(',');
    AppendQuoted(json, Decimal(ParseUnits(bar.quote_volume, kPriceScale), kPriceScale));
    json.push_back(',');
    json.append(std::to_string(bar.trades));
    json.push_back(',');
    AppendQuoted(json, Decimal(volume / 2, kVolumeScale));
    json.push_back(',');
    AppendQuoted(json, Decimal(ParseUnits(bar.quote_volume, kPriceScale) / 2, kPriceScale));
    json.append(",\"0\"]");
  }
  json.push_back(']');
  return json;
}

std::string ScriptedMarket::KlineFrame(std::string_view symbol, core::Interval interval,
                                       const core::Bar& bar, core::Millis event_time) {
  std::string lower(symbol);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  const std::int64_t volume = ParseUnits(bar.volume, kVolumeScale);
  const std::int64_t quote = ParseUnits(bar.quote_volume, kPriceScale);
  const std::int64_t first_trade = 1'000'000 + bar.open_time / 1000;
  std::string frame;
  frame.reserve(420);
  frame.append(R"({"stream":")").append(lower).append("@kline_").append(interval.Name());
  frame.append(R"(","data":{"e":"kline","E":)").append(std::to_string(event_time));
  frame.append(R"(,"s":")").append(symbol);
  frame.append(R"(","k":{"t":)").append(std::to_string(bar.open_time));
  frame.append(R"(,"T":)").append(std::to_string(bar.close_time));
  frame.append(R"(,"s":")").append(symbol);
  frame.append(R"(","i":")").append(interval.Name());
  frame.append(R"(","f":)").append(std::to_string(first_trade));
  frame.append(R"(,"L":)").append(std::to_string(first_trade + bar.trades - 1));
  frame.append(R"(,"o":")").append(Decimal(ParseUnits(bar.open, kPriceScale), kPriceScale));
  frame.append(R"(","c":")").append(Decimal(ParseUnits(bar.close, kPriceScale), kPriceScale));
  frame.append(R"(","h":")").append(Decimal(ParseUnits(bar.high, kPriceScale), kPriceScale));
  frame.append(R"(","l":")").append(Decimal(ParseUnits(bar.low, kPriceScale), kPriceScale));
  frame.append(R"(","v":")").append(Decimal(volume, kVolumeScale));
  frame.append(R"(","n":)").append(std::to_string(bar.trades));
  frame.append(R"(,"x":)").append(bar.closed ? "true" : "false");
  frame.append(R"(,"q":")").append(Decimal(quote, kPriceScale));
  frame.append(R"(","V":")").append(Decimal(volume / 2, kVolumeScale));
  frame.append(R"(","Q":")").append(Decimal(quote / 2, kPriceScale));
  frame.append(R"(","B":"0"}}})");
  return frame;
}

std::string ScriptedMarket::MiniTickerArrayFrame(core::Millis now) const {
  const core::Interval day = *core::Interval::Parse("1d");
  std::string frame = R"({"stream":"!miniTicker@arr","data":[)";
  for (std::size_t i = 0; i < symbols_.size(); ++i) {
    const core::Bar bar = PartialBar(symbols_[i], day, now, now);
    if (i > 0) frame.push_back(',');
    frame.append(R"({"e":"24hrMiniTicker","E":)").append(std::to_string(now));
    frame.append(R"(,"s":")").append(symbols_[i]);
    frame.append(R"(","c":")").append(Decimal(ParseUnits(bar.close, kPriceScale), kPriceScale));
    frame.append(R"(","o":")").append(Decimal(ParseUnits(bar.open, kPriceScale), kPriceScale));
    frame.append(R"(","h":")").append(Decimal(ParseUnits(bar.high, kPriceScale), kPriceScale));
    frame.append(R"(","l":")").append(Decimal(ParseUnits(bar.low, kPriceScale), kPriceScale));
    frame.append(R"(","v":")").append(Decimal(ParseUnits(bar.volume, kVolumeScale), kVolumeScale));
    frame.append(R"(","q":")")
        .append(Decimal(ParseUnits(bar.quote_volume, kPriceScale), kPriceScale));
    frame.append(R"("})");
  }
  frame.append("]}");
  return frame;
}

std::string ScriptedMarket::TickerArrayFrame(core::Millis now) const {
  const core::Interval day = *core::Interval::Parse("1d");
  std::string frame = R"({"stream":"!ticker@arr","data":[)";
  for (std::size_t i = 0; i < symbols_.size(); ++i) {
    const core::Bar bar = PartialBar(symbols_[i], day, now, now);
    const std::int64_t open = ParseUnits(bar.open, kPriceScale);
    const std::int64_t close = ParseUnits(bar.close, kPriceScale);
    if (i > 0) frame.push_back(',');
    frame.append(R"({"e":"24hrTicker","E":)").append(std::to_string(now));
    frame.append(R"(,"s":")").append(symbols_[i]);
    frame.append(R"(","p":")").append(Decimal(close - open, kPriceScale));
    frame.append(R"(","P":")")
        .append(Decimal((close - open) * 100'000 / std::max<std::int64_t>(open, 1), 1000));
    frame.append(R"(","w":")").append(Decimal(close, kPriceScale));
    frame.append(R"(","c":")").append(Decimal(close, kPriceScale));
    frame.append(R"(","Q":"0.001","o":")").append(Decimal(open, kPriceScale));
    frame.append(R"(","h":")").append(Decimal(ParseUnits(bar.high, kPriceScale), kPriceScale));
    frame.append(R"(","l":")").append(Decimal(ParseUnits(bar.low, kPriceScale), kPriceScale));
    frame.append(R"(","v":")").append(Decimal(ParseUnits(bar.volume, kVolumeScale), kVolumeScale));
    frame.append(R"(","q":")")
        .append(Decimal(ParseUnits(bar.quote_volume, kPriceScale), kPriceScale));
    frame.append(R"(","O":)").append(std::to_string(now - core::kDay));
    frame.append(R"(,"C":)").append(std::to_string(now));
    frame.append(R"(,"F":1,"L":)").append(std::to_string(bar.trades));
    frame.append(R"(,"n":)").append(std::to_string(bar.trades));
    frame.append(R"(,"st":1})");
  }
  frame.append("]}");
  return frame;
}

}  // namespace scanner::fakes
