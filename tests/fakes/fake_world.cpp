#include "fakes/fake_world.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <charconv>
#include <future>
#include <optional>
#include <utility>

#include "fakes/query_string.h"

namespace scanner::fakes {
namespace {

std::int64_t IntParam(std::string_view target, std::string_view name, std::int64_t fallback) {
  const std::optional<std::string> text = QueryParam(target, name);
  if (!text) return fallback;
  return ParseInt(*text).value_or(fallback);
}

bool OnParam(std::string_view target) {
  const std::optional<std::string> on = QueryParam(target, "on");
  return !on || (*on != "0" && *on != "false" && *on != "off");
}

std::vector<std::string> SplitCommas(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (comma != 0) parts.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "2024-03-10T12:00:00.000Z" -> ms since the epoch.
std::optional<core::Millis> ParseIso(std::string_view text) {
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[23] != 'Z') {
    return std::nullopt;
  }
  auto number = [&](std::size_t at, std::size_t length) {
    return ParseInt(text.substr(at, length));
  };
  const auto year = number(0, 4), month = number(5, 2), day = number(8, 2), hour = number(11, 2),
             minute = number(14, 2), second = number(17, 2), milli = number(20, 3);
  if (!year || !month || !day || !hour || !minute || !second || !milli) return std::nullopt;
  const std::int64_t days =
      DaysFromCivil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
  return ((days * 24 + *hour) * 60 + *minute) * 60'000 + *second * 1000 + *milli;
}

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out.append(fmt::format("\\u{:04x}", static_cast<unsigned>(c)));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string_view DirectionName(MoveDirection direction) {
  return direction == MoveDirection::kUp ? "up" : "down";
}

std::string BaseAsset(const core::Symbol& symbol) {
  return symbol.size() > 4 && symbol.ends_with("USDT") ? symbol.substr(0, symbol.size() - 4)
                                                       : symbol;
}

}  // namespace

std::optional<DeliveredAlert> ParseAlertEmbed(const RecordedEmbed& embed) {
  // Title: "<arrow> <symbol> <interval> <up|down>[ · strong]".
  std::vector<std::string> words;
  std::string_view title = embed.title;
  while (!title.empty()) {
    const auto space = title.find(' ');
    if (space != 0) words.emplace_back(title.substr(0, space));
    if (space == std::string_view::npos) break;
    title.remove_prefix(space + 1);
  }
  if (words.size() < 4) return std::nullopt;
  DeliveredAlert alert;
  alert.symbol = words[1];
  const std::optional<core::Interval> interval = core::Interval::Parse(words[2]);
  if (!interval) return std::nullopt;
  alert.interval = *interval;
  if (words[3] == "up") {
    alert.direction = MoveDirection::kUp;
  } else if (words[3] == "down") {
    alert.direction = MoveDirection::kDown;
  } else {
    return std::nullopt;
  }
  // Footer: "<interval> bar opened <ISO time>".
  const auto opened = embed.footer.rfind(' ');
  if (opened == std::string::npos) return std::nullopt;
  const std::optional<core::Millis> open_time = ParseIso(embed.footer.substr(opened + 1));
  if (!open_time) return std::nullopt;
  alert.open_time = *open_time;
  alert.late = embed.description.find("Late") != std::string::npos;
  return alert;
}

template <typename Task>
auto FakeWorld::OnIoThread(Task task) const {
  if (std::this_thread::get_id() == io_thread_.get_id()) return task();
  std::packaged_task<decltype(task())()> packaged(std::move(task));
  auto result = packaged.get_future();
  boost::asio::post(io_context_, [&packaged] { packaged(); });
  return result.get();
}

FakeWorld::FakeWorld(FakeWorldOptions options) : options_(std::move(options)) {}

core::Result<std::unique_ptr<FakeWorld>> FakeWorld::Start(FakeWorldOptions options) {
  if (options.symbols.empty()) return core::Fail("fake world: no symbols");
  if (options.listed.empty()) options.listed = options.symbols;
  std::unique_ptr<FakeWorld> world(new FakeWorld(std::move(options)));
  FakeWorld& w = *world;
  const FakeWorldOptions& o = w.options_;
  w.market_ = std::make_shared<ScriptedMarket>(o.symbols, o.market);
  w.listed_ = o.listed;

  FakeBinanceRestOptions rest_options;
  rest_options.market = core::Market::kSpot;
  rest_options.weight_limit_per_minute = o.rest_weight_limit;
  rest_options.fault_retry_after = o.rest_fault_retry_after;
  rest_options.ban_duration = o.rest_ban_duration;
  rest_options.cert_file = o.cert_file;
  rest_options.key_file = o.key_file;
  auto rest = ScriptedBinanceRest::Start(w.io_context_, w.clock_, w.market_, rest_options);
  if (!rest) return std::unexpected(rest.error());
  w.rest_ = std::move(*rest);
  w.rest_url_ = w.rest_->BaseUrl();
  w.rest_port_ = w.rest_->rest().port();

  FakeBinanceWsOptions ws_options;
  ws_options.market = core::Market::kSpot;
  ws_options.script = w.market_;
  ws_options.clock = &w.clock_;
  ws_options.tls = !o.cert_file.empty() && !o.key_file.empty();
  ws_options.cert_file = o.cert_file;
  ws_options.key_file = o.key_file;
  ws_options.ping_period = o.ws_ping_period;
  ws_options.kline_push_period = o.kline_push_period;
  auto ws = FakeBinanceWs::Start(std::move(ws_options));
  if (!ws) return std::unexpected(ws.error());
  w.ws_ = std::move(*ws);

  FakeDiscordOptions discord_options;
  discord_options.cert_file = o.cert_file;
  discord_options.key_file = o.key_file;
  discord_options.rate_limit = o.discord_rate_limit;
  discord_options.clock = &w.clock_;
  auto discord = FakeDiscord::Start(discord_options);
  if (!discord) return std::unexpected(discord.error());
  w.discord_ = std::move(*discord);
  w.webhook_url_ = w.discord_->AddWebhook(o.webhook_id, o.webhook_token);

  net::HttpServerOptions control_options;
  control_options.port = o.control_port;
  FakeWorld* self = &w;
  auto control = net::HttpServer::Create(
      w.io_context_, control_options,
      [self](const net::ServerRequest& request, net::Responder responder) {
        responder.Respond(self->Control(request.target));
      },
      nullptr);
  if (!control) return std::unexpected(control.error());
  w.control_ = std::move(*control);
  w.control_url_ = w.control_->BaseUrl();
  w.control_port_ = w.control_->port();

  w.SetListed(o.listed);  // before the io thread runs: on this thread
  w.io_thread_ = std::thread([self] {
    auto guard = boost::asio::make_work_guard(self->io_context_);
    self->io_context_.run();
  });
  return world;
}

FakeWorld::~FakeWorld() {
  if (io_thread_.joinable()) {
    OnIoThread([this] {
      control_->Stop();
      rest_->rest().ReleaseHeld();
      return 0;
    });
    io_context_.stop();
    io_thread_.join();
  }
  ws_.reset();
  discord_.reset();
  control_.reset();
  rest_.reset();
}

std::string FakeWorld::PortsJson() const {
  const std::string ws_url = ws_->BaseUrl();
  return fmt::format(
      R"({{"rest_url":{},"ws_url":{},"discord_webhook_url":{},"control_url":{},)"
      R"("rest_port":{},"ws_port":{},"discord_port":{},"control_port":{},"tls":{}}})",
      JsonString(rest_url_), JsonString(ws_url), JsonString(webhook_url_), JsonString(control_url_),
      rest_port_, ws_->server().port(), discord_->port(), control_port_,
      options_.cert_file.empty() ? "false" : "true");
}

void FakeWorld::InjectRestFault(RestFault fault, int count) {
  OnIoThread([this, fault, count] {
    rest_->rest().InjectFault(fault, count);
    return 0;
  });
}

void FakeWorld::ReleaseHeldRest() {
  OnIoThread([this] {
    rest_->rest().ReleaseHeld();
    return 0;
  });
}

void FakeWorld::SetListed(std::vector<core::Symbol> listed) {
  const core::Millis now = clock_.NowMs();
  const core::Interval day = *core::Interval::Parse("1d");
  std::string info = fmt::format(
      R"({{"timezone":"UTC","serverTime":{},"rateLimits":[{{"rateLimitType":"REQUEST_WEIGHT",)"
      R"("interval":"MINUTE","intervalNum":1,"limit":{}}},{{"rateLimitType":"RAW_REQUESTS",)"
      R"("interval":"MINUTE","intervalNum":5,"limit":61000}}],"exchangeFilters":[],"symbols":[)",
      now, options_.rest_weight_limit);
  std::string tickers = "[";
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const core::Symbol& symbol = listed[i];
    if (i > 0) {
      info.push_back(',');
      tickers.push_back(',');
    }
    info.append(
        fmt::format(R"({{"symbol":"{}","status":"TRADING","baseAsset":"{}","baseAssetPrecision":8,)"
                    R"("quoteAsset":"USDT","quotePrecision":8,"quoteAssetPrecision":8,)"
                    R"("orderTypes":["LIMIT","MARKET"],"isSpotTradingAllowed":true,)"
                    R"("isMarginTradingAllowed":false,"filters":[],"permissions":[],)"
                    R"("permissionSets":[["SPOT"]]}})",
                    symbol, BaseAsset(symbol)));
    const core::Bar bar = market_->PartialBar(symbol, day, now, now);
    // Every listed symbol trades a large 24 h volume (the fake's calm bars are small).
    const double quote_volume = 50'000'000.0 + static_cast<double>(i) * 1'000'000.0;
    tickers.append(fmt::format(
        R"({{"symbol":"{}","priceChange":"{:.8f}","priceChangePercent":"{:.3f}",)"
        R"("weightedAvgPrice":"{:.8f}","prevClosePrice":"{:.8f}","lastPrice":"{:.8f}",)"
        R"("lastQty":"1.00000000","bidPrice":"{:.8f}","bidQty":"1.00000000",)"
        R"("askPrice":"{:.8f}","askQty":"1.00000000","openPrice":"{:.8f}","highPrice":"{:.8f}",)"
        R"("lowPrice":"{:.8f}","volume":"{:.8f}","quoteVolume":"{:.8f}","openTime":{},)"
        R"("closeTime":{},"firstId":1,"lastId":{},"count":{}}})",
        symbol, bar.close - bar.open, (bar.close / bar.open - 1) * 100, bar.close, bar.open,
        bar.close, bar.close, bar.close, bar.open, bar.high, bar.low, quote_volume / bar.close,
        quote_volume, now - core::kDay, now, bar.trades, bar.trades));
  }
  info.append("]}");
  tickers.push_back(']');
  {
    std::lock_guard lock(listed_mutex_);
    listed_ = listed;
  }
  auto apply = [this, info = std::move(info), tickers = std::move(tickers)]() mutable {
    rest_->rest().SetExchangeInfoBody(std::move(info));
    rest_->rest().SetTickersBody(std::move(tickers));
    return 0;
  };
  if (io_thread_.joinable()) {
    OnIoThread(std::move(apply));
  } else {
    apply();
  }
}

std::vector<core::Symbol> FakeWorld::Listed() const {
  std::lock_guard lock(listed_mutex_);
  return listed_;
}

FakeBinanceRestStats FakeWorld::RestStats() const {
  return OnIoThread([this] { return rest_->rest().stats(); });
}

std::size_t FakeWorld::DropConnections(int count) {
  std::vector<std::size_t> open = ws_->OpenConnections();
  if (count > 0 && open.size() > static_cast<std::size_t>(count)) {
    open.erase(open.begin(), open.end() - count);
  }
  for (std::size_t id : open) ws_->Drop(id);
  return open.size();
}

std::size_t FakeWorld::SetAllSilent(bool silent) {
  const std::vector<std::size_t> open = ws_->OpenConnections();
  for (std::size_t id : open) ws_->SetSilent(id, silent);
  return open.size();
}

std::size_t FakeWorld::ServerShutdownAll() {
  const std::vector<std::size_t> open = ws_->OpenConnections();
  for (std::size_t id : open) ws_->SendServerShutdown(id);
  return open.size();
}

std::vector<DeliveredAlert> FakeWorld::Alerts() const {
  std::vector<DeliveredAlert> alerts;
  const std::vector<RecordedMessage> messages = discord_->Messages();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    for (const RecordedEmbed& embed : messages[i].embeds) {
      if (std::optional<DeliveredAlert> alert = ParseAlertEmbed(embed)) {
        alert->message = i;
        alert->received_us = messages[i].received_us;
        alert->final_frame_sent_us =
            ws_->FinalFrameSentUs(alert->symbol, alert->interval, alert->open_time);
        alerts.push_back(std::move(*alert));
      }
    }
  }
  return alerts;
}

WorldCounters FakeWorld::Counters() const {
  WorldCounters c;
  c.ws_connections = ws_->ConnectionCount();
  c.ws_open = ws_->OpenConnections().size();
  c.ws_max_attempts_5min = ws_->MaxAttemptsWithin(std::chrono::minutes(5));
  c.ws_rate_violations = ws_->RateViolations().size();
  for (std::size_t id = 0; id < c.ws_connections; ++id) {
    c.ws_peak_messages_per_window =
        std::max(c.ws_peak_messages_per_window, ws_->PeakMessagesPerWindow(id));
  }
  c.ws_closed_klines_sent = ws_->ClosedKlinesSent();
  c.ws_over_stream_limit = ws_->OverStreamLimit();
  c.ws_rejected_requests = ws_->RejectedRequests();
  c.ws_missed_pongs = ws_->MissedPongs();
  const FakeBinanceRestStats rest = RestStats();
  c.rest_requests = rest.requests;
  for (const std::string& target : rest.targets) {
    if (ParseKlinesTarget(target)) ++c.rest_klines_requests;
  }
  c.rest_429 = rest.responses_429;
  c.rest_418 = rest.responses_418;
  c.rest_injected = rest.injected;
  c.rest_weight_peak = rest.MaxWindowWeight();
  c.rest_weight_limit = options_.rest_weight_limit;
  const FakeDiscordStats discord = discord_->stats();
  c.discord_requests = discord.requests;
  c.discord_accepted_messages = discord.accepted;
  for (const RecordedMessage& message : discord_->Messages()) {
    c.discord_accepted_embeds += static_cast<std::int64_t>(message.embeds.size());
  }
  c.discord_violations = discord.violations;
  c.discord_injected = discord.injected;
  if (auto found = discord.statuses.find(429); found != discord.statuses.end()) {
    c.discord_429 = found->second;
  }
  c.discord_violation_reasons = discord.violation_reasons;
  return c;
}

std::string FakeWorld::CountersJson() const {
  const WorldCounters c = Counters();
  std::string reasons = "[";
  for (std::size_t i = 0; i < c.discord_violation_reasons.size(); ++i) {
    if (i > 0) reasons.push_back(',');
    reasons.append(JsonString(c.discord_violation_reasons[i]));
  }
  reasons.push_back(']');
  return fmt::format(
      R"({{"ws":{{"connections":{},"open":{},"max_attempts_5min":{},"rate_violations":{},)"
      R"("peak_messages_per_window":{},"closed_klines_sent":{},"over_stream_limit":{},)"
      R"("rejected_requests":{},"missed_pongs":{}}},)"
      R"("rest":{{"requests":{},"klines_requests":{},"responses_429":{},"responses_418":{},)"
      R"("injected":{},"weight_peak":{},"weight_limit":{}}},)"
      R"("discord":{{"requests":{},"accepted_messages":{},"accepted_embeds":{},"violations":{},)"
      R"("injected":{},"responses_429":{},"violation_reasons":{}}},"listed":{}}})",
      c.ws_connections, c.ws_open, c.ws_max_attempts_5min, c.ws_rate_violations,
      c.ws_peak_messages_per_window, c.ws_closed_klines_sent, c.ws_over_stream_limit,
      c.ws_rejected_requests, c.ws_missed_pongs, c.rest_requests, c.rest_klines_requests,
      c.rest_429, c.rest_418, c.rest_injected, c.rest_weight_peak, c.rest_weight_limit,
      c.discord_requests, c.discord_accepted_messages, c.discord_accepted_embeds,
      c.discord_violations, c.discord_injected, c.discord_429, reasons, [this] {
        std::string list = "[";
        for (const core::Symbol& symbol : Listed()) {
          if (list.size() > 1) list.push_back(',');
          list.append(JsonString(symbol));
        }
        return list + "]";
      }());
}

std::string FakeWorld::AlertsJson() const {
  std::string json = "[";
  for (const DeliveredAlert& alert : Alerts()) {
    if (json.size() > 1) json.push_back(',');
    json.append(fmt::format(
        R"({{"symbol":{},"interval":"{}","open_time":{},"close_time":{},"direction":"{}",)"
        R"("late":{},"message":{}}})",
        JsonString(alert.symbol), alert.interval.Name(), alert.open_time,
        alert.open_time + alert.interval.DurationMs() - 1, DirectionName(alert.direction),
        alert.late ? "true" : "false", alert.message));
  }
  json.push_back(']');
  return json;
}

std::string FakeWorld::ControlHelp() {
  return R"({"endpoints":["/counters","/alerts","/moves?from=MS&to=MS","/ws/drop?n=all|N",)"
         R"("/ws/silent?on=1|0","/ws/shutdown","/ws/duplicates?on=1|0","/ws/out_of_order?on=1|0",)"
         R"("/ws/malformed?on=1|0","/ws/skip_closed?on=1|0",)"
         R"("/rest/fault?kind=429|418|500|503|malformed|hold|release&count=N",)"
         R"("/discord/fault?kind=429|5xx|400|401|404|slow|hang|process_then_hang|close&count=N)"
         R"(&status=503&retry_after=0.5&global=1&delay_ms=200",)"
         R"("/universe?listed=A,B","/moves/plan?symbol=S&interval=1s&open_time=MS&direction=up"]})";
}

net::ServerResponse FakeWorld::Control(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  auto json = [](unsigned status, std::string body) {
    net::ServerResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers.emplace_back("Content-Type", "application/json");
    return response;
  };
  auto done = [&](std::size_t affected) {
    return json(200, fmt::format(R"({{"ok":true,"affected":{}}})", affected));
  };
  auto bad = [&](std::string_view why) {
    return json(400, fmt::format(R"({{"ok":false,"error":{}}})", JsonString(why)));
  };

  if (path == "/" || path == "/help") return json(200, ControlHelp());
  if (path == "/ports") return json(200, PortsJson());
  if (path == "/counters") return json(200, CountersJson());
  if (path == "/alerts") return json(200, AlertsJson());
  if (path == "/moves") {
    const core::Millis now = clock_.NowMs();
    const core::Millis from = IntParam(target, "from", now - 10 * core::kMinute);
    const core::Millis to = IntParam(target, "to", now);
    const core::Interval interval =
        core::Interval::Parse(QueryParam(target, "interval").value_or("1s"))
            .value_or(core::Interval());
    std::string list = "[";
    for (const core::Symbol& symbol : market_->symbols()) {
      for (const PlannedMove& move : market_->PlannedMoves(symbol, interval, from, to)) {
        if (list.size() > 1) list.push_back(',');
        list.append(
            fmt::format(R"({{"symbol":{},"interval":"{}","open_time":{},"direction":"{}"}})",
                        JsonString(move.symbol), move.interval.Name(), move.open_time,
                        DirectionName(move.direction)));
      }
    }
    return json(200, list + "]");
  }
  if (path == "/ws/drop") {
    const std::string n = QueryParam(target, "n").value_or("all");
    return done(DropConnections(n == "all" ? 0 : static_cast<int>(ParseInt(n).value_or(0))));
  }
  if (path == "/ws/silent") return done(SetAllSilent(OnParam(target)));
  if (path == "/ws/shutdown") return done(ServerShutdownAll());
  if (path == "/ws/duplicates") return ws_->SetDuplicateKlines(OnParam(target)), done(1);
  if (path == "/ws/out_of_order") return ws_->SetOutOfOrderKlines(OnParam(target)), done(1);
  if (path == "/ws/malformed") return ws_->SetMalformedFrames(OnParam(target)), done(1);
  if (path == "/ws/skip_closed") return ws_->SetSkipClosedKlines(OnParam(target)), done(1);
  if (path == "/rest/fault") {
    const std::string kind = QueryParam(target, "kind").value_or("");
    const int count = static_cast<int>(IntParam(target, "count", 1));
    if (kind == "release") return ReleaseHeldRest(), done(1);
    static const std::pair<std::string_view, RestFault> kFaults[] = {
        {"429", RestFault::k429},
        {"418", RestFault::k418},
        {"500", RestFault::k500},
        {"503", RestFault::k503},
        {"malformed", RestFault::kMalformed},
        {"restricted", RestFault::kRestricted},
        {"hold", RestFault::kHold}};
    for (const auto& [name, fault] : kFaults) {
      if (kind == name) return InjectRestFault(fault, count), done(static_cast<std::size_t>(count));
    }
    return bad("unknown rest fault kind");
  }
  if (path == "/discord/fault") {
    const std::string kind = QueryParam(target, "kind").value_or("");
    static const std::pair<std::string_view, DiscordFault> kFaults[] = {
        {"429", DiscordFault::k429},     {"5xx", DiscordFault::k5xx},
        {"400", DiscordFault::k400},     {"401", DiscordFault::k401},
        {"404", DiscordFault::k404},     {"slow", DiscordFault::kSlow},
        {"hang", DiscordFault::kHang},   {"process_then_hang", DiscordFault::kProcessThenHang},
        {"close", DiscordFault::kClose}, {"proxy_error", DiscordFault::kProxyError}};
    for (const auto& [name, fault] : kFaults) {
      if (kind != name) continue;
      DiscordFaultSpec spec;
      spec.fault = fault;
      spec.count = static_cast<int>(IntParam(target, "count", 1));
      spec.status = static_cast<unsigned>(IntParam(target, "status", 503));
      spec.delay = std::chrono::milliseconds(IntParam(target, "delay_ms", 200));
      spec.global = QueryParam(target, "global").value_or("0") == "1";
      if (auto retry = QueryParam(target, "retry_after")) {
        double seconds = 0;
        const auto [end, error] =
            std::from_chars(retry->data(), retry->data() + retry->size(), seconds);
        if (error == std::errc() && end == retry->data() + retry->size()) {
          spec.retry_after_seconds = seconds;
        }
      }
      discord_->Inject(spec);
      return done(static_cast<std::size_t>(spec.count));
    }
    return bad("unknown discord fault kind");
  }
  if (path == "/universe") {
    const std::optional<std::string> listed = QueryParam(target, "listed");
    if (!listed) return json(200, CountersJson());
    std::vector<core::Symbol> symbols = SplitCommas(*listed);
    const std::size_t count = symbols.size();
    SetListed(std::move(symbols));
    return done(count);
  }
  if (path == "/moves/plan") {
    const std::optional<std::string> symbol = QueryParam(target, "symbol");
    const std::optional<core::Interval> interval =
        core::Interval::Parse(QueryParam(target, "interval").value_or("1s"));
    const std::optional<std::string> open_time = QueryParam(target, "open_time");
    if (!symbol || !interval || !open_time || !ParseInt(*open_time)) {
      return bad("symbol, interval and open_time are required");
    }
    const MoveDirection direction = QueryParam(target, "direction").value_or("up") == "down"
                                        ? MoveDirection::kDown
                                        : MoveDirection::kUp;
    market_->PlanMove(*symbol, *interval, *ParseInt(*open_time), direction);
    return done(1);
  }
  return json(404, ControlHelp());
}

}  // namespace scanner::fakes
