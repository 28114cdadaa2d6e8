#include "fakes/fake_binance_ws.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "core/interval.h"

namespace scanner::fakes {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;
constexpr auto kDriverTick = std::chrono::milliseconds(5);

// The streams of "/stream?streams=a/b/c" (nothing for other targets).
std::vector<std::string> StreamsOfTarget(std::string_view query) {
  std::vector<std::string> streams;
  const auto at = query.find("streams=");
  if (at == std::string_view::npos) return streams;
  std::string_view list = query.substr(at + 8);
  list = list.substr(0, list.find('&'));
  while (!list.empty()) {
    const auto slash = list.find('/');
    if (slash != 0) streams.emplace_back(list.substr(0, slash));
    if (slash == std::string_view::npos) break;
    list.remove_prefix(slash + 1);
  }
  return streams;
}

// "<symbol>@kline_<interval>" split, or nullopt.
struct KlineStream {
  std::string symbol_lower;
  core::Interval interval;
};
std::optional<KlineStream> ParseKlineStream(std::string_view stream) {
  const auto at = stream.find("@kline_");
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  auto interval = core::Interval::Parse(stream.substr(at + 7));
  if (!interval) return std::nullopt;
  return KlineStream{std::string(stream.substr(0, at)), *interval};
}

bool ValidStreamName(std::string_view stream) {
  if (stream == "!miniTicker@arr" || stream == "!ticker@arr" || stream == "!bookTicker")
    return true;
  if (stream.empty() || stream.find('@') == std::string_view::npos) return false;
  for (char c : stream) {
    if (c >= 'A' && c <= 'Z') return false;  // Binance stream names are lower case
  }
  return true;
}

std::string Reply(std::int64_t id) {
  std::string reply = R"({"result":null,"id":)";
  reply.append(std::to_string(id)).append("}");
  return reply;
}

std::string Rejection(std::string_view why, std::int64_t id) {
  std::string reply = R"({"code":2,"msg":"Invalid request: )";
  reply.append(why).append(R"(","id":)").append(std::to_string(id)).append("}");
  return reply;
}

// A SUBSCRIBE refused as Binance refuses one with a stream it does not serve.
std::string Refusal(std::int64_t id, bool with_id) {
  if (!with_id) return R"({"code":2,"msg":"Invalid request: invalid stream"})";
  std::string reply = R"({"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":)";
  reply.append(std::to_string(id)).append("}");
  return reply;
}

// Malformed frames a real connection may carry; none may reach a window.
std::vector<std::string> MalformedFrames(std::string_view lower, std::string_view symbol,
                                         core::Millis open_time) {
  const std::string t = std::to_string(open_time);
  std::vector<std::string> frames;
  std::string truncated = R"({"stream":")";
  truncated.append(lower).append(R"(@kline_1s","data":{"e":"kline","E":1,"s":")");
  frames.push_back(std::move(truncated));
  std::string bad_interval = R"({"stream":")";
  bad_interval.append(lower).append(R"(@kline_1s","data":{"e":"kline","E":1,"s":")");
  bad_interval.append(symbol).append(R"(","k":{"t":)").append(t);
  bad_interval.append(R"(,"T":)").append(std::to_string(open_time + 999));
  bad_interval.append(R"(,"s":")").append(symbol);
  bad_interval.append(R"(","i":"7s","f":1,"L":2,"o":"1.0","c":"1.0","h":"1.0","l":"1.0",)");
  bad_interval.append(R"("v":"1","n":1,"x":true,"q":"1","V":"0","Q":"0","B":"0"}}})");
  frames.push_back(std::move(bad_interval));
  std::string backwards = R"({"stream":")";
  backwards.append(lower).append(R"(@kline_1s","data":{"e":"kline","E":1,"s":")");
  backwards.append(symbol).append(R"(","k":{"t":)").append(t);
  backwards.append(R"(,"T":)").append(std::to_string(open_time - 5));
  backwards.append(R"(,"s":")").append(symbol);
  backwards.append(R"(","i":"1s","f":1,"L":2,"o":"9.0","c":"9.0","h":"9.0","l":"9.0",)");
  backwards.append(R"("v":"1","n":1,"x":true,"q":"1","V":"0","Q":"0","B":"0"}}})");
  frames.push_back(std::move(backwards));
  frames.emplace_back(R"({"stream":"x@nosuchstream","data":{"e":"kline"}})");
  return frames;
}

}  // namespace

core::Result<std::unique_ptr<FakeBinanceWs>> FakeBinanceWs::Start(FakeBinanceWsOptions options) {
  if (!options.script || options.clock == nullptr) {
    return core::Fail("fake binance ws: a script and a clock are required");
  }
  std::unique_ptr<FakeBinanceWs> fake(new FakeBinanceWs(std::move(options)));
  FakeBinanceWs* self = fake.get();
  FakeWsServerOptions server_options;
  server_options.tls = self->options_.tls;
  server_options.cert_file = self->options_.cert_file;
  server_options.key_file = self->options_.key_file;
  server_options.on_open = [self](FakeWsServer&, std::size_t id, const std::string& target) {
    self->OnOpen(id, target);
  };
  server_options.on_text = [self](FakeWsServer&, std::size_t id, std::string_view text) {
    self->OnText(id, text);
  };
  auto server = FakeWsServer::Start(std::move(server_options));
  if (!server) return std::unexpected(server.error());
  fake->server_ = std::move(*server);
  fake->driver_ = std::thread([self] { self->Run(); });
  return fake;
}

FakeBinanceWs::FakeBinanceWs(FakeBinanceWsOptions options) : options_(std::move(options)) {}

FakeBinanceWs::~FakeBinanceWs() {
  stop_.store(true);
  if (driver_.joinable()) driver_.join();
  server_.reset();  // joins the server thread before the state its hooks use goes away
}

std::string_view FakeBinanceWs::Prefix() const {
  return options_.market == core::Market::kUsdm ? "/market" : "";
}

std::string FakeBinanceWs::BaseUrl(std::string_view host) const {
  return server_->Url(Prefix(), host);
}

std::string FakeBinanceWs::UnroutedBaseUrl(std::string_view host) const {
  return server_->Url("", host);
}

// ---- server thread: the protocol -------------------------------------------------------------

void FakeBinanceWs::OnOpen(std::size_t id, const std::string& target) {
  const std::string_view path = std::string_view(target).substr(0, target.find('?'));
  const std::string stream_path = std::string(Prefix()) + "/stream";
  Conn conn;
  conn.target = target;
  conn.routed = path == stream_path;
  if (conn.routed) {
    for (std::string& stream : StreamsOfTarget(target)) conn.streams.insert(std::move(stream));
  }
  conn.next_ping = std::chrono::steady_clock::now() + options_.ping_period;
  std::lock_guard lock(mutex_);
  attempts_.push_back(std::chrono::steady_clock::now());
  if (conn.streams.size() > options_.max_streams_per_connection) ++over_stream_limit_;
  conns_[id] = std::move(conn);
}

void FakeBinanceWs::OnText(std::size_t id, std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text.data(), text.size()).get(doc) != simdjson::SUCCESS) {
    {
      std::lock_guard lock(mutex_);
      ++rejected_;
    }
    server_->SendText(id, R"({"code":3,"msg":"Invalid JSON: syntax error"})");
    return;
  }
  std::int64_t request_id = 0;
  std::string_view method;
  simdjson::dom::array params;
  const bool has_id = doc["id"].get_int64().get(request_id) == simdjson::SUCCESS;
  const bool has_method = doc["method"].get_string().get(method) == simdjson::SUCCESS;
  const bool has_params = doc["params"].get_array().get(params) == simdjson::SUCCESS;
  auto reject = [&](std::string_view why) {
    {
      std::lock_guard lock(mutex_);
      ++rejected_;
    }
    server_->SendText(id, Rejection(why, request_id));
  };
  if (!has_id || !has_method) return reject("id and method are required");

  std::vector<std::string> streams;
  if (method == "SUBSCRIBE" || method == "UNSUBSCRIBE") {
    if (!has_params) return reject("params must be an array");
    for (simdjson::dom::element param : params) {
      std::string_view stream;
      if (param.get_string().get(stream) != simdjson::SUCCESS || !ValidStreamName(stream)) {
        return reject("invalid stream name");
      }
      streams.emplace_back(stream);
    }
  } else if (method != "LIST_SUBSCRIPTIONS") {
    return reject("unknown method");
  }

  std::string reply;
  {
    std::lock_guard lock(mutex_);
    Conn& conn = conns_[id];
    ++conn.control_messages;
    if (method == "SUBSCRIBE" && refuse_subscribes_ > 0) {
      --refuse_subscribes_;
      ++rejected_;
      reply = Refusal(request_id, refuse_with_id_);
    } else if (method == "SUBSCRIBE") {
      std::set<std::string> after = conn.streams;
      after.insert(streams.begin(), streams.end());
      if (after.size() > options_.max_streams_per_connection) {
        ++over_stream_limit_;
        ++rejected_;
        reply = Rejection("too many streams", request_id);
      } else {
        conn.streams = std::move(after);
        reply = Reply(request_id);
      }
    } else if (method == "UNSUBSCRIBE") {
      for (const std::string& stream : streams) {
        conn.streams.erase(stream);
        conn.last_open.erase(stream);
      }
      reply = Reply(request_id);
    } else {
      reply = R"({"result":[)";
      bool first = true;
      for (const std::string& stream : conn.streams) {
        if (!first) reply.push_back(',');
        first = false;
        reply.append("\"").append(stream).append("\"");
      }
      reply.append(R"(],"id":)").append(std::to_string(request_id)).append("}");
    }
  }
  server_->SendText(id, std::move(reply));
}

// ---- driver thread ---------------------------------------------------------------------------

void FakeBinanceWs::Run() {
  auto next_klines = std::chrono::steady_clock::now();
  auto next_tickers = next_klines;
  while (!stop_.load()) {
    const SteadyTime now = std::chrono::steady_clock::now();
    CheckClientFrames(now);
    if (now >= next_klines) {
      PushKlines(options_.clock->NowMs());
      next_klines = now + options_.kline_push_period;
    }
    if (now >= next_tickers) {
      PushTickers(options_.clock->NowMs());
      next_tickers = now + options_.ticker_push_period;
    }
    std::this_thread::sleep_for(kDriverTick);
  }
}

void FakeBinanceWs::CheckClientFrames(SteadyTime now) {
  const std::size_t count = server_->ConnectionCount();
  for (std::size_t id = 0; id < count; ++id) {
    const std::optional<FakeWsConnection> snapshot = server_->Connection(id);
    if (!snapshot) continue;
    bool drop = false;
    std::vector<std::pair<std::size_t, std::string>> pings;
    {
      std::lock_guard lock(mutex_);
      const auto found = conns_.find(id);
      if (found == conns_.end()) continue;  // its on_open hook has not run yet
      Conn& conn = found->second;
      for (std::size_t i = conn.frames_checked; i < snapshot->frames.size(); ++i) {
        const ClientFrame& frame = snapshot->frames[i];
        if (frame.kind == ClientFrame::Kind::kClose) continue;
        conn.recent.push_back(frame.at);
        std::erase_if(conn.recent,
                      [&](SteadyTime at) { return at <= frame.at - options_.rate_window; });
        const int in_window = static_cast<int>(conn.recent.size());
        conn.peak = std::max(conn.peak, in_window);
        if (in_window > options_.max_messages_per_second && !conn.dropped) {
          violations_.push_back(RateViolation{id, in_window});
          if (options_.drop_over_limit) drop = true;
        }
        if (frame.kind == ClientFrame::Kind::kPong) {
          const auto ping = std::find_if(conn.outstanding.begin(), conn.outstanding.end(),
                                         [&](const Ping& p) { return p.payload == frame.payload; });
          if (ping != conn.outstanding.end()) {
            ++pongs_received_;
            max_pong_delay_ = std::max(
                max_pong_delay_,
                std::chrono::duration_cast<std::chrono::milliseconds>(frame.at - ping->sent_at));
            conn.outstanding.erase(ping);
          }
        }
      }
      conn.frames_checked = snapshot->frames.size();
      conn.open = snapshot->open;
      if (!snapshot->open || conn.dropped) continue;
      for (const Ping& ping : conn.outstanding) {
        if (now - ping.sent_at > options_.pong_timeout) {
          ++missed_pongs_;
          drop = true;
          conn.outstanding.clear();
          break;
        }
      }
      if (options_.ping_period.count() > 0 && !conn.silent && now >= conn.next_ping && !drop) {
        std::string payload = "ping-";
        payload.append(std::to_string(++ping_serial_));
        conn.outstanding.push_back(Ping{payload, now});
        pings.emplace_back(id, std::move(payload));
        ++pings_sent_;
        conn.next_ping = now + options_.ping_period;
      }
      if (drop) conn.dropped = true;
    }
    for (auto& [ping_id, payload] : pings) server_->SendPing(ping_id, std::move(payload));
    if (drop) server_->Drop(id);
  }
}

void FakeBinanceWs::PushKlines(core::Millis now) {
  const ScriptedMarket& script = *options_.script;
  const bool duplicate = duplicate_.load();
  const bool out_of_order = out_of_order_.load();
  const bool malformed = malformed_.load();
  const bool skip_closed = skip_closed_.load();
  std::vector<std::pair<std::size_t, std::vector<std::string>>> outgoing;
  // Per frame of `outgoing`: the bar, when the frame is the first final frame of that bar; its
  // send time is noted just before the frame is handed to the server.
  using FinalKey = std::tuple<core::Symbol, std::size_t, core::Millis>;
  std::vector<std::vector<std::optional<FinalKey>>> first_finals;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, conn] : conns_) {
      if (!conn.routed || conn.silent || conn.dropped || !conn.open) continue;
      std::vector<std::string> frames;
      std::vector<std::optional<FinalKey>> stamps;  // parallel to frames
      for (const std::string& stream : conn.streams) {
        const std::optional<KlineStream> kline = ParseKlineStream(stream);
        if (!kline) continue;
        const std::optional<core::Symbol> symbol = script.FromStreamName(kline->symbol_lower);
        if (!symbol) continue;
        const core::Interval interval = kline->interval;
        const core::Millis duration = interval.DurationMs();
        const core::Millis current = interval.BarOpenFor(now);
        auto [last, fresh] = conn.last_open.try_emplace(stream, current);
        std::vector<std::string> finals;
        std::vector<std::optional<FinalKey>> final_keys;  // parallel to finals
        if (!fresh && last->second < current) {
          for (core::Millis open = last->second; open < current; open += duration) {
            if (skip_closed) continue;
            finals.push_back(ScriptedMarket::KlineFrame(*symbol, interval,
                                                        script.Bar(*symbol, interval, open), now));
            ++closed_klines_sent_;
            FinalKey key{*symbol, interval.Index(), open};
            if (final_sent_us_.contains(key)) {
              final_keys.emplace_back();
            } else {
              final_keys.emplace_back(std::move(key));
            }
          }
        }
        std::string update = ScriptedMarket::KlineFrame(
            *symbol, interval, script.PartialBar(*symbol, interval, current, now), now);
        std::vector<std::string> batch;
        std::vector<std::optional<FinalKey>> batch_keys;  // parallel to batch
        if (out_of_order && !finals.empty()) {
          batch.push_back(update);
          batch_keys.emplace_back();
          for (std::string& frame : finals) batch.push_back(std::move(frame));
          for (auto& key : final_keys) batch_keys.push_back(std::move(key));
          // An older final frame once more, long after its time.
          batch.push_back(ScriptedMarket::KlineFrame(
              *symbol, interval, script.Bar(*symbol, interval, last->second - duration), now));
          batch_keys.emplace_back();
        } else {
          for (std::string& frame : finals) batch.push_back(std::move(frame));
          for (auto& key : final_keys) batch_keys.push_back(std::move(key));
          batch.push_back(std::move(update));
          batch_keys.emplace_back();
        }
        last->second = current;
        for (std::size_t i = 0; i < batch.size(); ++i) {
          if (duplicate) {
            frames.push_back(batch[i]);
            stamps.push_back(batch_keys[i]);
          }
          frames.push_back(std::move(batch[i]));
          stamps.push_back(std::move(batch_keys[i]));
        }
        if (malformed) {
          for (std::string& frame : MalformedFrames(kline->symbol_lower, *symbol, current)) {
            frames.push_back(std::move(frame));
            stamps.emplace_back();
          }
        }
      }
      if (frames.empty()) continue;
      if (!conn.first_data) conn.first_data = std::chrono::steady_clock::now();
      outgoing.emplace_back(id, std::move(frames));
      first_finals.push_back(std::move(stamps));
    }
  }
  std::vector<std::pair<FinalKey, std::int64_t>> sent;
  for (std::size_t c = 0; c < outgoing.size(); ++c) {
    auto& [id, frames] = outgoing[c];
    for (std::size_t i = 0; i < frames.size(); ++i) {
      if (std::optional<FinalKey>& key = first_finals[c][i]) {
        sent.emplace_back(std::move(*key), std::chrono::duration_cast<std::chrono::microseconds>(
                                               std::chrono::steady_clock::now().time_since_epoch())
                                               .count());
      }
      server_->SendText(id, std::move(frames[i]));
    }
  }
  if (!sent.empty()) {
    std::lock_guard lock(mutex_);
    for (auto& [key, sent_us] : sent) final_sent_us_.try_emplace(std::move(key), sent_us);
  }
}

void FakeBinanceWs::PushTickers(core::Millis now) {
  const std::string stream =
      options_.market == core::Market::kSpot ? "!miniTicker@arr" : "!ticker@arr";
  std::vector<std::size_t> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, conn] : conns_) {
      if (conn.routed && !conn.silent && !conn.dropped && conn.streams.contains(stream)) {
        targets.push_back(id);
      }
    }
  }
  if (targets.empty()) return;
  const std::string frame = options_.market == core::Market::kSpot
                                ? options_.script->MiniTickerArrayFrame(now)
                                : options_.script->TickerArrayFrame(now);
  for (std::size_t id : targets) server_->SendText(id, frame);
}

// ---- inspection and faults -------------------------------------------------------------------

bool FakeBinanceWs::IsOpen(std::size_t id) const {
  const std::optional<FakeWsConnection> connection = server_->Connection(id);
  return connection && connection->open;
}

std::string FakeBinanceWs::Target(std::size_t id) const {
  std::lock_guard lock(mutex_);
  const auto found = conns_.find(id);
  return found == conns_.end() ? std::string() : found->second.target;
}

std::set<std::string> FakeBinanceWs::Streams(std::size_t id) const {
  std::lock_guard lock(mutex_);
  const auto found = conns_.find(id);
  return found == conns_.end() ? std::set<std::string>() : found->second.streams;
}

std::vector<std::size_t> FakeBinanceWs::OpenConnections() const {
  std::vector<std::size_t> open;
  for (std::size_t id = 0; id < server_->ConnectionCount(); ++id) {
    if (IsOpen(id)) open.push_back(id);
  }
  return open;
}

std::size_t FakeBinanceWs::ControlMessages(std::size_t id) const {
  std::lock_guard lock(mutex_);
  const auto found = conns_.find(id);
  return found == conns_.end() ? 0 : found->second.control_messages;
}

std::size_t FakeBinanceWs::RejectedRequests() const {
  std::lock_guard lock(mutex_);
  return rejected_;
}

std::size_t FakeBinanceWs::OverStreamLimit() const {
  std::lock_guard lock(mutex_);
  return over_stream_limit_;
}

std::vector<RateViolation> FakeBinanceWs::RateViolations() const {
  std::lock_guard lock(mutex_);
  return violations_;
}

int FakeBinanceWs::PeakMessagesPerWindow(std::size_t id) const {
  std::lock_guard lock(mutex_);
  const auto found = conns_.find(id);
  return found == conns_.end() ? 0 : found->second.peak;
}

std::size_t FakeBinanceWs::PingsSent() const {
  std::lock_guard lock(mutex_);
  return pings_sent_;
}

std::size_t FakeBinanceWs::PongsReceived() const {
  std::lock_guard lock(mutex_);
  return pongs_received_;
}

std::size_t FakeBinanceWs::MissedPongs() const {
  std::lock_guard lock(mutex_);
  return missed_pongs_;
}

std::chrono::milliseconds FakeBinanceWs::MaxPongDelay() const {
  std::lock_guard lock(mutex_);
  return max_pong_delay_;
}

std::size_t FakeBinanceWs::MaxAttemptsWithin(std::chrono::milliseconds window) const {
  std::lock_guard lock(mutex_);
  std::size_t most = 0;
  for (std::size_t i = 0; i < attempts_.size(); ++i) {
    std::size_t in_window = 0;
    for (std::size_t j = i; j < attempts_.size() && attempts_[j] - attempts_[i] < window; ++j) {
      ++in_window;
    }
    most = std::max(most, in_window);
  }
  return most;
}

std::optional<SteadyTime> FakeBinanceWs::ClientCloseAt(std::size_t id) const {
  const std::optional<FakeWsConnection> connection = server_->Connection(id);
  if (!connection) return std::nullopt;
  for (const ClientFrame& frame : connection->frames) {
    if (frame.kind == ClientFrame::Kind::kClose) return frame.at;
  }
  return std::nullopt;
}

std::optional<SteadyTime> FakeBinanceWs::FirstDataAt(std::size_t id) const {
  std::lock_guard lock(mutex_);
  const auto found = conns_.find(id);
  return found == conns_.end() ? std::nullopt : found->second.first_data;
}

bool FakeBinanceWs::ClosedByClient(std::size_t id) const {
  const std::optional<FakeWsConnection> connection = server_->Connection(id);
  return connection && connection->Count(ClientFrame::Kind::kClose) > 0;
}

std::size_t FakeBinanceWs::ClosedKlinesSent() const {
  std::lock_guard lock(mutex_);
  return closed_klines_sent_;
}

std::optional<std::int64_t> FakeBinanceWs::FinalFrameSentUs(std::string_view symbol,
                                                            core::Interval interval,
                                                            core::Millis open_time) const {
  std::lock_guard lock(mutex_);
  const auto found =
      final_sent_us_.find({core::Symbol(symbol), interval.Index(), interval.BarOpenFor(open_time)});
  if (found == final_sent_us_.end()) return std::nullopt;
  return found->second;
}

void FakeBinanceWs::Drop(std::size_t id) {
  {
    std::lock_guard lock(mutex_);
    conns_[id].dropped = true;
  }
  server_->Drop(id);
}

void FakeBinanceWs::DropAll() {
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, conn] : conns_) conn.dropped = true;
  }
  server_->DropAll();
}

void FakeBinanceWs::SetSilent(std::size_t id, bool silent) {
  {
    std::lock_guard lock(mutex_);
    conns_[id].silent = silent;
  }
  server_->SetSilent(id, silent);
}

void FakeBinanceWs::SendServerShutdown(std::size_t id) {
  std::string frame = R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":)";
  frame.append(std::to_string(options_.clock->NowMs())).append("}}");
  server_->SendText(id, std::move(frame));
}

void FakeBinanceWs::RefuseSubscribes(int count, bool with_id) {
  std::lock_guard lock(mutex_);
  refuse_subscribes_ = count;
  refuse_with_id_ = with_id;
}

}  // namespace scanner::fakes
