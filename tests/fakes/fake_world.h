#pragma once
// FakeWorld: the whole outside world of a live scanner on 127.0.0.1, on the real clock: a
// scripted spot Binance (REST through ScriptedBinanceRest, WebSocket through FakeBinanceWs, both
// serving one ScriptedMarket) and a FakeDiscord with one webhook, plus a small HTTP control
// endpoint to inject faults and read what the fakes counted (the contract of `fake_world`,
// tests/fakes/fake_world_main.cpp, and of the end-to-end test).
//
// The listing (exchangeInfo and ticker/24hr answers) can change at run time (SetListed), so a
// universe refresh sees symbols come and go; the market itself knows every symbol of
// `FakeWorldOptions::symbols` from the start.
//
// Control endpoint (GET or POST; answers JSON; see ControlHelp() for the list):
//   /counters  /alerts  /moves?from=MS&to=MS  /ws/drop?n=all|N  /ws/silent?on=1|0
//   /ws/shutdown  /ws/{duplicates,out_of_order,malformed,skip_closed}?on=1|0
//   /rest/fault?kind=429|418|500|503|malformed|hold|release&count=N
//   /discord/fault?kind=429|5xx|400|401|404|slow|hang|process_then_hang|close&count=N
//     [&status=503&retry_after=0.5&global=1&delay_ms=200]
//   /universe?listed=AAAUSDT,BBBUSDT   /moves/plan?symbol=S&interval=1s&open_time=MS&direction=up
//
// Threading: one io_context thread of its own runs the REST fake and the control endpoint; the
// WebSocket fake and FakeDiscord run their own threads. Every public method is thread-safe.
// Destruction stops everything.

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/interval.h"
#include "fakes/fake_binance_rest.h"
#include "fakes/fake_binance_ws.h"
#include "fakes/fake_discord.h"
#include "fakes/scripted_binance_rest.h"
#include "fakes/scripted_market.h"
#include "net/http_server.h"

namespace scanner::fakes {

struct FakeWorldOptions {
  std::vector<core::Symbol> symbols;  // every symbol the market knows (quote asset USDT)
  std::vector<core::Symbol> listed;   // listed at start; empty: all of `symbols`
  ScriptedMarketOptions market{.seed = 1, .calm = true, .move_rules = {}};
  // TLS for REST, WebSocket and Discord when both are set (e.g. tests/fixtures/tls/server.*).
  std::string cert_file;
  std::string key_file;
  int rest_weight_limit = 6000;
  core::Millis rest_fault_retry_after = 2 * core::kSecond;  // Retry-After of an injected 429
  core::Millis rest_ban_duration = 5 * core::kSecond;       // Retry-After of every 418
  std::chrono::milliseconds ws_ping_period{20000};
  std::chrono::milliseconds kline_push_period{250};
  int discord_rate_limit = 5;  // per 2 s per webhook
  std::string webhook_id = "424242";
  std::string webhook_token = "e2e-token";
  std::uint16_t control_port = 0;  // 0: ephemeral
};

// One alert as the fake Discord received it (one embed), read back from its title and footer.
struct DeliveredAlert {
  core::Symbol symbol;
  core::Interval interval;
  core::Millis open_time = 0;
  MoveDirection direction = MoveDirection::kUp;
  bool late = false;
  std::size_t message = 0;  // index of the message among those accepted
  // Timing, steady_clock µs since its epoch (for latency benchmarks): when the fake Discord
  // received the message, and when the fake exchange sent the bar's final kline frame (nullopt
  // if it never did, e.g. a bar the scanner only saw through REST).
  std::int64_t received_us = 0;
  std::optional<std::int64_t> final_frame_sent_us;
};

// Parses "▲ AAAUSDT 1s up · strong" / "1s bar opened 2024-03-10T12:00:00.000Z"; nullopt if the
// embed is not an alert.
std::optional<DeliveredAlert> ParseAlertEmbed(const RecordedEmbed& embed);

// The counts every check of the end-to-end test and the soak run needs.
struct WorldCounters {
  std::size_t ws_connections = 0;  // handshakes completed
  std::size_t ws_open = 0;
  std::size_t ws_max_attempts_5min = 0;
  std::size_t ws_rate_violations = 0;
  int ws_peak_messages_per_window = 0;
  std::size_t ws_closed_klines_sent = 0;
  std::size_t ws_over_stream_limit = 0;
  std::size_t ws_rejected_requests = 0;
  std::size_t ws_missed_pongs = 0;
  std::int64_t rest_requests = 0;
  std::int64_t rest_klines_requests = 0;
  std::int64_t rest_429 = 0;
  std::int64_t rest_418 = 0;
  std::int64_t rest_injected = 0;
  std::int64_t rest_weight_peak = 0;
  std::int64_t rest_weight_limit = 0;
  std::int64_t discord_requests = 0;
  std::int64_t discord_accepted_messages = 0;
  std::int64_t discord_accepted_embeds = 0;
  std::int64_t discord_violations = 0;
  std::int64_t discord_injected = 0;
  std::int64_t discord_429 = 0;  // every 429 answered (injected or not)
  std::vector<std::string> discord_violation_reasons;
};

class FakeWorld {
 public:
  static core::Result<std::unique_ptr<FakeWorld>> Start(FakeWorldOptions options);
  FakeWorld(const FakeWorld&) = delete;
  FakeWorld& operator=(const FakeWorld&) = delete;
  ~FakeWorld();

  std::string RestUrl() const { return rest_url_; }
  std::string WsUrl() const { return ws_->BaseUrl(); }
  std::string WebhookUrl() const { return webhook_url_; }
  std::string ControlUrl() const { return control_url_; }
  // {"rest_url":..., "ws_url":..., "discord_webhook_url":..., "control_url":..., ports...}
  std::string PortsJson() const;

  const ScriptedMarket& market() const { return *market_; }
  ScriptedMarket& mutable_market() { return *market_; }
  FakeBinanceWs& ws() { return *ws_; }
  FakeDiscord& discord() { return *discord_; }

  void InjectRestFault(RestFault fault, int count = 1);
  void ReleaseHeldRest();
  // Replaces the exchangeInfo and ticker/24hr answers with these symbols (TRADING).
  void SetListed(std::vector<core::Symbol> listed);
  std::vector<core::Symbol> Listed() const;
  FakeBinanceRestStats RestStats() const;

  // Drops the `count` newest open connections (all when count <= 0); returns how many.
  std::size_t DropConnections(int count);
  std::size_t SetAllSilent(bool silent);
  std::size_t ServerShutdownAll();

  std::vector<DeliveredAlert> Alerts() const;
  WorldCounters Counters() const;
  std::string CountersJson() const;
  std::string AlertsJson() const;

  // Answers one control request (the endpoint's handler; exposed for tests).
  net::ServerResponse Control(std::string_view target);
  static std::string ControlHelp();

 private:
  explicit FakeWorld(FakeWorldOptions options);
  // Runs `task` on the io_context thread and waits for it.
  template <typename Task>
  auto OnIoThread(Task task) const;

  FakeWorldOptions options_;
  core::SystemClock clock_;
  std::shared_ptr<ScriptedMarket> market_;
  mutable boost::asio::io_context io_context_;
  std::unique_ptr<ScriptedBinanceRest> rest_;
  std::unique_ptr<FakeBinanceWs> ws_;
  std::unique_ptr<FakeDiscord> discord_;
  std::unique_ptr<net::HttpServer> control_;
  std::thread io_thread_;
  std::string rest_url_;
  std::string webhook_url_;
  std::string control_url_;
  std::uint16_t rest_port_ = 0;
  std::uint16_t control_port_ = 0;
  mutable std::mutex listed_mutex_;
  std::vector<core::Symbol> listed_;
};

}  // namespace scanner::fakes
