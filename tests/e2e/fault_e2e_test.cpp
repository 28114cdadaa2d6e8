// End-to-end: the real `momentum-scanner run` process against FakeWorld (scripted spot Binance +
// fake Discord, in this process, on the real clock), 1s klines, six symbols, thresholds only the
// planned moves of the ScriptedMarket can reach, and a fault script over about three and a half
// minutes: dropped connections (some exactly when a planned bar closes), silent connections (the
// stale watchdog), serverShutdown, duplicate / out-of-order / malformed frames, a REST 429 and a
// 418 during gap-fill, Discord 429s, 5xx and hung requests, three `kill -9` restarts on the
// same database, a universe change (one symbol added, one removed), and reloads (SIGHUP): an
// invalid configuration (refused whole, the running settings stay), Discord 404s from a proxy
// (retried, the webhook stays alive), then a valid one that changes the indicator windows (every
// window's history fetched again) and the Discord settings (a new dispatcher).
//
// Pass: every planned move reaches the fake Discord exactly once (with its direction), nothing
// else does, no fake saw a limit broken, the final /metrics agree with what the fakes counted
// since the last restart, each alert's outcome is added to its message once and only after its
// horizon, /healthz is ok, and SIGTERM exits 0.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/interval.h"
#include "e2e/scanner_process.h"
#include "fakes/fake_world.h"

namespace scanner::e2e {
namespace {

using namespace std::chrono_literals;
using fakes::DeliveredAlert;
// Width and height from a PNG's IHDR chunk; {0, 0} when `png` is not one.
std::pair<int, int> PngSize(const std::string& png) {
  static constexpr std::string_view kSignature = "\x89PNG\r\n\x1a\n";
  if (png.size() < 24 || png.compare(0, kSignature.size(), kSignature) != 0 ||
      png.compare(12, 4, "IHDR") != 0) {
    return {0, 0};
  }
  auto be32 = [&](std::size_t at) {
    return (static_cast<int>(static_cast<unsigned char>(png[at])) << 24) |
           (static_cast<int>(static_cast<unsigned char>(png[at + 1])) << 16) |
           (static_cast<int>(static_cast<unsigned char>(png[at + 2])) << 8) |
           static_cast<int>(static_cast<unsigned char>(png[at + 3]));
  };
  return {be32(16), be32(20)};
}

using fakes::DiscordFault;
using fakes::DiscordFaultSpec;
using fakes::FakeWorld;
using fakes::MoveDirection;
using fakes::MoveRule;
using fakes::PlannedMove;
using fakes::RestFault;
using fakes::WorldCounters;

const core::Interval k1s = *core::Interval::Parse("1s");

// Seconds from the test's start (T0) of the script's fixed points.
constexpr core::Millis kMovesFrom = 25 * core::kSecond;
constexpr core::Millis kUniverseChange = 70 * core::kSecond;
constexpr core::Millis kRemovedUntil = kUniverseChange - 5 * core::kSecond;
// The first universe refresh (every 1m) after the change, plus warm-up, is over by then.
constexpr core::Millis kAddedFrom = kUniverseChange + 75 * core::kSecond;
constexpr core::Millis kMovesUntil = 212 * core::kSecond;
constexpr std::int64_t kMoveEvery = 30;  // bars

const std::vector<core::Symbol> kStaying = {"AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT"};
const core::Symbol kRemoved = "EEEUSDT";
const core::Symbol kAdded = "FFFUSDT";

struct Key {
  core::Symbol symbol;
  core::Millis open_time;
  friend auto operator<=>(const Key&, const Key&) = default;
};

std::string Describe(const Key& key) { return key.symbol + "@" + std::to_string(key.open_time); }

class FaultE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t0_ = clock_.NowMs();
    char pattern[] = "/tmp/scanner-e2e-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;

    fakes::FakeWorldOptions options;
    options.symbols = kStaying;
    options.symbols.push_back(kRemoved);
    options.symbols.push_back(kAdded);
    options.listed = kStaying;
    options.listed.push_back(kRemoved);
    options.market.seed = 7;
    options.market.calm = true;
    auto rule = [&](const core::Symbol& symbol, core::Millis from, core::Millis until) {
      MoveRule r;
      r.symbol = symbol;
      r.interval = k1s;
      r.every = kMoveEvery;
      r.from = t0_ + from;
      r.until = t0_ + until;
      options.market.move_rules.push_back(r);
    };
    for (const core::Symbol& symbol : kStaying) rule(symbol, kMovesFrom, kMovesUntil);
    rule(kRemoved, kMovesFrom, kRemovedUntil);
    rule(kAdded, kAddedFrom, kMovesUntil);
    auto world = FakeWorld::Start(std::move(options));
    ASSERT_TRUE(world.has_value()) << world.error().message;
    world_ = std::move(*world);

    status_port_ = FreePort();
    config_path_ = dir_ + "/scanner.yaml";
    WriteConfig(Variant{});
    scanner_ = std::make_unique<ScannerProcess>(SCANNER_BINARY, dir_ + "/scanner.log");
  }

  void TearDown() override {
    if (HasFailure()) {
      std::cerr << "---- fake world counters: " << world_->CountersJson() << "\n";
      std::cerr << "---- scanner log (" << dir_ << "/scanner.log), last 400 lines:\n";
      const std::string log = scanner_->Log();
      std::size_t start = log.size();
      for (int lines = 0; lines < 400 && start > 0; ++lines) {
        start = log.rfind('\n', start - 1);
        if (start == std::string::npos) {
          start = 0;
          break;
        }
      }
      std::cerr << log.substr(start) << "\n---- end of scanner log\n";
    }
    scanner_.reset();
    world_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // What the reloads change in the configuration file.
  struct Variant {
    int zscore_window = 50;
    std::string username = "Momentum Scanner";
    std::string route_url;  // a route to this (secret) URL; none when empty
    std::string discord_timeout = "2s";
  };
  void WriteConfig(const Variant& v) {
    std::ofstream out(config_path_ + ".new");
    out << "exchange:\n"
        << "  market: spot\n"
        << "  rest_url: " << world_->RestUrl() << "\n"
        << "  ws_url: " << world_->WsUrl() << "\n"
        << "  request_timeout: 5s\n"
        << "universe:\n"
        << "  quote_assets: [USDT]\n"
        << "  min_quote_volume_24h: 1\n"
        << "  top_n: 50\n"
        << "  refresh_interval: 1m\n"
        << "streams:\n"
        << "  intervals: [1s]\n"
        << "  stale_after: 10s\n"
        << "signals:\n"
        << "  atr_period: 14\n"
        << "  zscore_window: " << v.zscore_window << "\n"
        << "  momentum_lookback: 1\n"
        << "  min_atr_move: 6\n"
        << "  min_volume_z: 3\n"
        << "  min_return_z: 0\n"
        << "  direction: both\n"
        << "  cooldown: 1s\n"
        << "alerts:\n"
        << "  database: " << dir_ << "/scanner.db\n"
        << "  discord:\n"
        << "    webhook_urls: [\"" << world_->WebhookUrl() << "\"]\n"
        << "    username: \"" << v.username << "\"\n"
        << "    request_timeout: " << v.discord_timeout << "\n";
    if (!v.route_url.empty()) {
      out << "    routes:\n"
          << "      - {webhook_url: \"" << v.route_url << "\"}\n";
    }
    out << "status:\n"
        << "  listen: 127.0.0.1:" << status_port_ << "\n"
        << "logging:\n"
        << "  level: info\n";
    out.close();
    // Replaced whole, so a reload never reads a half-written file.
    std::filesystem::rename(config_path_ + ".new", config_path_);
  }

  void Reload(const Variant& variant, const std::string& what) {
    WriteConfig(variant);
    Note("SIGHUP: " + what);
    ASSERT_TRUE(scanner_->Reload());
  }

  // Waits until the scanner's log holds `text` (after `from`, a log size).
  bool WaitLogged(const std::string& text, std::size_t from, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string log = scanner_->Log();
      if (log.size() > from && log.find(text, from) != std::string::npos) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  core::Millis Elapsed() const { return clock_.NowMs() - t0_; }
  void SleepUntil(core::Millis since_t0) {
    const core::Millis left = since_t0 - Elapsed();
    if (left > 0) std::this_thread::sleep_for(std::chrono::milliseconds(left));
  }
  void Note(const std::string& what) {
    const std::string line = "t=" + std::to_string(Elapsed() / 1000.0) + "s " + what;
    scanner_->AppendToLog(line);
    std::cerr << "[e2e] " << line << "\n";
  }

  void StartScanner() {
    Note("start scanner");
    ASSERT_TRUE(scanner_->Start({"run", "--config", config_path_}));
    ++starts_;
    lifetime_start_ = world_->Counters();
    drops_at_start_ = drops_;
  }

  // Waits until the scanner has an open stream connection (and is still running).
  bool WaitConnected(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!scanner_->Running()) return false;
      if (!world_->ws().OpenConnections().empty()) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  // Every planned move of the script (all of them close before kMovesUntil).
  std::map<Key, MoveDirection> Expected() const {
    std::map<Key, MoveDirection> expected;
    for (const core::Symbol& symbol : world_->market().symbols()) {
      for (const PlannedMove& move :
           world_->market().PlannedMoves(symbol, k1s, t0_, t0_ + kMovesUntil + core::kSecond)) {
        expected[Key{symbol, move.open_time}] = move.direction;
      }
    }
    return expected;
  }

  // The next planned bar close (any symbol) at least `after` from now.
  core::Millis NextMoveClose(core::Millis after) const {
    core::Millis best = 0;
    const core::Millis from = clock_.NowMs() + after;
    for (const core::Symbol& symbol : world_->market().symbols()) {
      for (const PlannedMove& move :
           world_->market().PlannedMoves(symbol, k1s, from - core::kSecond, from + 60'000)) {
        const core::Millis close = move.open_time + 999;
        if (close >= from && (best == 0 || close < best)) best = close;
      }
    }
    return best;
  }
  void SleepUntilEpoch(core::Millis epoch_ms) {
    const core::Millis left = epoch_ms - clock_.NowMs();
    if (left > 0) std::this_thread::sleep_for(std::chrono::milliseconds(left));
  }

  // Waits (up to `timeout`) until every planned move closed more than `settle` ago has arrived.
  bool WaitCaughtUp(std::chrono::milliseconds timeout, core::Millis settle = 0) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      std::set<Key> received;
      for (const DeliveredAlert& alert : world_->Alerts()) {
        received.insert(Key{alert.symbol, alert.open_time});
      }
      const core::Millis now = clock_.NowMs();
      bool all = true;
      for (const auto& [key, direction] : Expected()) {
        if (key.open_time + 999 < now - settle && !received.contains(key)) all = false;
      }
      if (all) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  // A drop of every open connection, just after a planned bar closes (its final frame is due).
  void DropAtMoveClose() {
    const core::Millis close = NextMoveClose(1500);
    if (close > 0) SleepUntilEpoch(close + 30);
    Drop("at a planned close");
  }
  // Until a connection opened after the last drop is open: a dropped one may still count as open
  // for a moment, and silencing it instead of its replacement would test nothing.
  bool WaitReconnectedAfterLastDrop(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!scanner_->Running()) return false;
      for (std::size_t id : world_->ws().OpenConnections()) {
        if (id >= connections_before_last_drop_) return true;
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  void Drop(const std::string& why) {
    WaitConnected(10s);
    connections_before_last_drop_ = world_->ws().ConnectionCount();
    const std::size_t dropped = world_->DropConnections(0);
    drops_ += dropped;
    Note("drop " + std::to_string(dropped) + " connection(s) " + why);
  }

  // kill -9 while quiet (everything closed so far delivered), just before a planned bar closes,
  // and a restart after it closed, so that bar alerts through the restart's catch-up.
  void KillAndRestart(core::Millis downtime, std::chrono::milliseconds catch_up_timeout = 20s) {
    if (!WaitCaughtUp(std::max(catch_up_timeout, std::chrono::milliseconds(1000)))) {
      Note("not caught up before the kill");
    }
    const core::Millis close = NextMoveClose(3000);
    SleepUntilEpoch(close - 1500);
    Note("kill -9");
    scanner_->Kill();
    ++kills_;
    SleepUntilEpoch(close + downtime);
    StartScanner();
  }

  void DiscordFaults(int n429, int n5xx, int hangs) {
    auto inject = [&](DiscordFault fault, int count) {
      if (count <= 0) return;
      DiscordFaultSpec spec;
      spec.fault = fault;
      spec.count = count;
      spec.retry_after_seconds = 0.7;
      spec.status = 502;
      world_->discord().Inject(spec);
    };
    inject(DiscordFault::k429, n429);
    inject(DiscordFault::k5xx, n5xx);
    inject(DiscordFault::kHang, hangs);
    Note("discord faults: " + std::to_string(n429) + " x 429, " + std::to_string(n5xx) +
         " x 5xx, " + std::to_string(hangs) + " x hang");
  }

  void RestFaultThenDrop(RestFault fault, const std::string& name) {
    WaitConnected(10s);
    world_->InjectRestFault(fault, 1);
    if (fault == RestFault::k429) ++rest_429_injected_;
    if (fault == RestFault::k418) ++rest_418_injected_;
    Drop("after injecting a REST " + name);
  }

  std::string ExitNote() {
    if (scanner_->Running()) return " (the scanner is running)";
    return " (the scanner exited with code " + std::to_string(scanner_->exit_code().value_or(-1)) +
           "; its log is below)";
  }

  core::SystemClock clock_;
  core::Millis t0_ = 0;
  std::string dir_;
  std::string config_path_;
  std::uint16_t status_port_ = 0;
  std::unique_ptr<FakeWorld> world_;
  std::unique_ptr<ScannerProcess> scanner_;
  WorldCounters lifetime_start_;
  int starts_ = 0;
  int kills_ = 0;
  std::size_t connections_before_last_drop_ = 0;
  std::size_t drops_ = 0;
  std::size_t drops_at_start_ = 0;  // drops_ when the last process started
  int rest_429_injected_ = 0;
  int rest_418_injected_ = 0;
};

TEST_F(FaultE2eTest, EveryPlannedMoveAlertsExactlyOnceThroughFaults) {
  StartScanner();
  if (!WaitConnected(20s)) {
    const std::string log = scanner_->Log();
    FAIL() << "the scanner never opened a stream connection"
           << (log.find("not built yet") != std::string::npos
                   ? " (`momentum-scanner run` is not built yet)"
                   : "");
  }

  // ---- phase 1: drops, duplicates, out-of-order, malformed, Discord errors ------------------
  for (int i = 0; i < 4; ++i) {
    SleepUntil((10 + 3 * i) * core::kSecond);
    SleepUntilEpoch(core::Interval(k1s).BarOpenFor(clock_.NowMs()) + 1000 + 10);  // a bar closes
    Drop("at a bar close");
  }
  SleepUntil(kMovesFrom);
  world_->ws().SetDuplicateKlines(true);
  world_->ws().SetOutOfOrderKlines(true);
  Note("duplicates and out-of-order on");
  for (int i = 0; i < 3; ++i) DropAtMoveClose();
  world_->ws().SetDuplicateKlines(false);
  world_->ws().SetOutOfOrderKlines(false);
  world_->ws().SetMalformedFrames(true);
  Note("duplicates and out-of-order off, malformed on");
  DiscordFaults(2, 2, 0);
  DropAtMoveClose();
  SleepUntil(Elapsed() + 4 * core::kSecond);
  world_->ws().SetMalformedFrames(false);
  Note("malformed off");

  // ---- kill 1 ---------------------------------------------------------------------------------
  // Bounded so that the restart is over before the universe change.
  KillAndRestart(4 * core::kSecond,
                 std::chrono::milliseconds(kUniverseChange - 14 * core::kSecond - Elapsed()));
  ASSERT_TRUE(WaitConnected(20s)) << "no connection after restart 1" << ExitNote();

  // ---- phase 2: watchdog, universe change, REST 429 / 418 during gap-fill ---------------------
  const std::size_t silenced = world_->SetAllSilent(true);
  Note("silenced " + std::to_string(silenced) + " connection(s) (stale watchdog)");
  SleepUntil(kUniverseChange);
  // Restart 2 (well before kAddedFrom) reads the new listing at the latest.
  ASSERT_LT(Elapsed(), kUniverseChange + 25 * core::kSecond) << "the script fell behind";
  {
    std::vector<core::Symbol> listed = kStaying;
    listed.push_back(kAdded);
    world_->SetListed(listed);
    Note("universe: " + kAdded + " listed, " + kRemoved + " delisted");
  }
  SleepUntil(kUniverseChange + 3 * core::kSecond);
  RestFaultThenDrop(RestFault::k429, "429");
  SleepUntil(Elapsed() + 6 * core::kSecond);
  DropAtMoveClose();
  SleepUntil(Elapsed() + 4 * core::kSecond);
  RestFaultThenDrop(RestFault::k418, "418");
  SleepUntil(Elapsed() + 9 * core::kSecond);
  Note("serverShutdown to " + std::to_string(world_->ServerShutdownAll()) + " connection(s)");
  SleepUntil(Elapsed() + 3 * core::kSecond);
  DiscordFaults(1, 0, 1);

  // ---- kill 2 ---------------------------------------------------------------------------------
  KillAndRestart(5 * core::kSecond);
  ASSERT_TRUE(WaitConnected(20s)) << "no connection after restart 2" << ExitNote();

  // ---- phase 3: more drops with duplicates and malformed frames ------------------------------
  world_->ws().SetDuplicateKlines(true);
  world_->ws().SetMalformedFrames(true);
  Note("duplicates and malformed on");
  for (int i = 0; i < 3; ++i) {
    DropAtMoveClose();
    SleepUntil(Elapsed() + 2 * core::kSecond);
  }
  world_->ws().SetDuplicateKlines(false);
  world_->ws().SetMalformedFrames(false);
  Note("duplicates and malformed off");
  for (int i = 0; i < 3; ++i) {
    SleepUntil(Elapsed() + 3 * core::kSecond);
    Drop("");
  }
  Note("serverShutdown to " + std::to_string(world_->ServerShutdownAll()) + " connection(s)");
  SleepUntil(Elapsed() + 3 * core::kSecond);

  // ---- kill 3 ---------------------------------------------------------------------------------
  KillAndRestart(3 * core::kSecond);
  ASSERT_TRUE(WaitConnected(20s)) << "no connection after restart 3" << ExitNote();

  // ---- phase 4 (the last lifetime): Discord errors, REST 429, drops, silence ------------------
  DiscordFaults(2, 1, 1);
  SleepUntil(Elapsed() + 2 * core::kSecond);
  RestFaultThenDrop(RestFault::k429, "429");
  world_->ws().SetOutOfOrderKlines(true);
  world_->ws().SetMalformedFrames(true);
  Note("out-of-order and malformed on");
  for (int i = 0; i < 3; ++i) {
    SleepUntil(Elapsed() + 3 * core::kSecond);
    DropAtMoveClose();
  }
  world_->ws().SetOutOfOrderKlines(false);
  world_->ws().SetMalformedFrames(false);
  Note("out-of-order and malformed off");

  // ---- reloads: a bad one, a proxy's 404s, a good one ---------------------------------------
  std::size_t log_mark = scanner_->Log().size();
  Reload({.zscore_window = 50,
          .username = "Discord alerts",
          .route_url = "https://discord.com/api/webhooks/not-a-number/sEcReT",
          .discord_timeout = "2s"},
         "an invalid configuration");
  EXPECT_TRUE(WaitLogged("configuration not reloaded, the running settings stay", log_mark, 10s))
      << "the invalid reload was not refused";
  const std::string refused_reload = scanner_->Log().substr(log_mark);
  EXPECT_NE(refused_reload.find("alerts.discord.username: "), std::string::npos);
  EXPECT_NE(refused_reload.find("alerts.discord.routes[0].webhook_url: "), std::string::npos);
  EXPECT_EQ(refused_reload.find("sEcReT"), std::string::npos) << "a webhook token was logged";
  SleepUntil(Elapsed() + 3 * core::kSecond);
  {
    DiscordFaultSpec proxy;
    proxy.fault = DiscordFault::kProxyError;
    proxy.status = 404;
    proxy.count = 2;
    world_->discord().Inject(proxy);
    Note("discord faults: 2 x 404 from a proxy (an HTML page, no Discord code)");
  }
  DropAtMoveClose();
  SleepUntil(Elapsed() + 4 * core::kSecond);
  log_mark = scanner_->Log().size();
  Reload({.zscore_window = 40,
          .username = "Momentum Scanner",
          .route_url = "",
          .discord_timeout = "3s"},
         "new indicator windows and Discord settings");
  EXPECT_TRUE(WaitLogged("alerts.discord reloaded", log_mark, 10s));
  EXPECT_TRUE(WaitLogged("indicator windows changed", log_mark, 10s))
      << "the new windows did not refetch their history";

  while (drops_ < 22 && Elapsed() < kMovesUntil - 15 * core::kSecond) {
    SleepUntil(Elapsed() + 3 * core::kSecond);
    Drop("(to reach the count)");
  }
  WaitReconnectedAfterLastDrop(10s);
  log_mark = scanner_->Log().size();
  const std::size_t last_silenced = world_->SetAllSilent(true);
  Note("silenced " + std::to_string(last_silenced) + " connection(s)");
  // The script's timing varies with the machine; wait for the trip rather than assume it.
  if (last_silenced > 0) {
    EXPECT_TRUE(WaitLogged("no data for stale_after", log_mark, 30s))
        << "the silent connection was never given up";
  }

  // ---- the end: every planned move delivered, then the checks ---------------------------------
  SleepUntil(kMovesUntil + 2 * core::kSecond);
  const bool caught_up = WaitCaughtUp(40s, 0);
  Note(caught_up ? "caught up" : "not caught up after 40 s");
  std::this_thread::sleep_for(4s);  // anything extra would arrive now
  ASSERT_TRUE(scanner_->Running()) << "the scanner exited: " << scanner_->exit_code().value_or(-1);

  // Counters of the fakes and the scanner's, at the same moment (nothing moves any more).
  const WorldCounters world = world_->Counters();
  const HttpAnswer metrics = HttpGet(status_port_, "/metrics");
  const HttpAnswer health = HttpGet(status_port_, "/healthz");
  Note("final /metrics status " + std::to_string(metrics.status) + ", /healthz " +
       std::to_string(health.status) + " " + health.body);
  Note("fake world counters " + world_->CountersJson());

  // 1. Every planned move exactly once, in its direction; nothing else.
  const std::map<Key, MoveDirection> expected = Expected();
  std::map<Key, int> received;
  std::map<Key, MoveDirection> directions;
  std::size_t late = 0;
  for (const DeliveredAlert& alert : world_->Alerts()) {
    ASSERT_EQ(alert.interval, k1s);
    const Key key{alert.symbol, alert.open_time};
    ++received[key];
    directions[key] = alert.direction;
    if (alert.late) ++late;
  }
  Note("expected " + std::to_string(expected.size()) + " alerts, received " +
       std::to_string(received.size()) + " distinct (" + std::to_string(late) + " late)");
  EXPECT_GE(expected.size(), 20u);
  auto planned_for = [&](const core::Symbol& symbol) {
    return std::count_if(expected.begin(), expected.end(),
                         [&](const auto& entry) { return entry.first.symbol == symbol; });
  };
  EXPECT_GE(planned_for(kRemoved), 1) << "no planned move before the delisting";
  EXPECT_GE(planned_for(kAdded), 1) << "no planned move after the listing";
  for (const auto& [key, direction] : expected) {
    const auto found = received.find(key);
    if (found == received.end()) {
      ADD_FAILURE() << "missing alert " << Describe(key) << " (closed "
                    << (clock_.NowMs() - key.open_time) / 1000 << " s ago)";
      continue;
    }
    EXPECT_EQ(found->second, 1) << "alert " << Describe(key) << " delivered " << found->second
                                << " times";
    EXPECT_EQ(directions[key], direction) << "alert " << Describe(key) << " direction";
  }
  for (const auto& [key, count] : received) {
    EXPECT_TRUE(expected.contains(key)) << "unexpected alert " << Describe(key) << " x" << count;
  }

  // 1b. ...each with its picture: the embed shows a chart attached to its own message (a PNG of
  // the default 800 x 450), and no alert's chart went out twice.
  {
    std::map<Key, int> charts;
    for (const fakes::RecordedMessage& message : world_->discord().Messages()) {
      for (const fakes::RecordedEmbed& embed : message.embeds) {
        const std::optional<DeliveredAlert> alert = fakes::ParseAlertEmbed(embed);
        if (!alert) continue;
        const Key key{alert->symbol, alert->open_time};
        const std::string prefix = "attachment://";
        if (!embed.image_url.starts_with(prefix)) {
          ADD_FAILURE() << "alert " << Describe(key) << " without a chart: '" << embed.image_url
                        << "'";
          continue;
        }
        const std::string file = embed.image_url.substr(prefix.size());
        const auto attached =
            std::find_if(message.attachments.begin(), message.attachments.end(),
                         [&](const fakes::RecordedAttachment& a) { return a.filename == file; });
        if (attached == message.attachments.end()) {
          ADD_FAILURE() << "alert " << Describe(key) << " refers to " << file
                        << ", which its message does not carry";
          continue;
        }
        ++charts[key];
        EXPECT_EQ(attached->content_type, "image/png");
        EXPECT_EQ(PngSize(attached->data), (std::pair<int, int>{800, 450})) << file;
      }
    }
    for (const auto& [key, direction] : expected) {
      EXPECT_EQ(charts[key], 1) << "the chart of " << Describe(key) << " went out " << charts[key]
                                << " times";
    }
    Note(std::to_string(charts.size()) + " alerts carried their chart");
  }

  // 2. The script ran as meant.
  EXPECT_GE(drops_, 20u);
  EXPECT_EQ(kills_, 3);
  EXPECT_EQ(world.rest_injected, rest_429_injected_ + rest_418_injected_)
      << "an injected REST fault was never consumed";

  // 3. No limit broken.
  EXPECT_EQ(world.ws_rate_violations, 0u) << "messages per second per connection";
  EXPECT_LE(world.ws_peak_messages_per_window, 5);
  EXPECT_LE(world.ws_max_attempts_5min, 300u) << "connection attempts per 5 minutes";
  EXPECT_EQ(world.ws_over_stream_limit, 0u);
  EXPECT_EQ(world.ws_rejected_requests, 0u) << "refused SUBSCRIBE/UNSUBSCRIBE requests";
  EXPECT_LE(world.rest_weight_peak, world.rest_weight_limit) << "REST weight per minute";
  EXPECT_EQ(world.rest_429, rest_429_injected_) << "429s beyond the injected ones";
  EXPECT_EQ(world.rest_418, rest_418_injected_)
      << "418s beyond the injected one: a request during a back-off or ban";
  EXPECT_EQ(world.discord_violations, 0)
      << ::testing::PrintToString(world.discord_violation_reasons);

  // 4. /metrics agree with the fakes over the last process lifetime.
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  auto metric = [&](const std::string& name, const std::string& label = "") {
    const std::optional<double> value = MetricValue(metrics.body, "scanner_" + name, label);
    EXPECT_TRUE(value.has_value()) << "metric scanner_" << name << " " << label << " missing";
    return static_cast<std::int64_t>(value.value_or(-1));
  };
  const WorldCounters& start = lifetime_start_;
  EXPECT_EQ(metric("deliveries_sent_total"),
            world.discord_accepted_embeds - start.discord_accepted_embeds)
      << "alerts sent vs. embeds the fake Discord accepted since the last restart";
  EXPECT_EQ(metric("discord_rate_limited_total"), world.discord_429 - start.discord_429);
  EXPECT_EQ(metric("rest_rate_limited_total", "status=\"429\""), world.rest_429 - start.rest_429);
  EXPECT_EQ(metric("rest_rate_limited_total", "status=\"418\""), world.rest_418 - start.rest_418);
  EXPECT_EQ(metric("ws_connections_open"), static_cast<std::int64_t>(world.ws_open));
  EXPECT_EQ(metric("deliveries_pending"), 0);
  EXPECT_LE(metric("gap_fill_requests_total"),
            world.rest_klines_requests - start.rest_klines_requests);
  // Faults of the last lifetime the scanner must have seen.
  EXPECT_GE(metric("ws_reconnects_total"), static_cast<std::int64_t>(drops_ - drops_at_start_));
  if (last_silenced > 0) {
    EXPECT_GE(metric("stale_watchdog_trips_total"), 1);
  }
  EXPECT_GE(metric("gap_fill_requests_total"), 1);
  EXPECT_GE(metric("parse_errors_total"), 1) << "malformed frames were sent";
  EXPECT_GT(metric("bars_evaluated_total"), 0);
  EXPECT_LE(metric("alerts_inserted_total"), metric("deliveries_sent_total"));
  EXPECT_GE(metric("charts_drawn_total"), 1);
  for (const char* kind : {"invalid_spec", "font", "cairo", "encode", "load"}) {
    EXPECT_EQ(metric("chart_failures_total", std::string("kind=\"") + kind + "\""), 0) << kind;
  }
  EXPECT_EQ(metric("discord_charts_left_out_total", "reason=\"still_drawing\""), 0);

  // 5. The reloads: the proxy's 404s killed nothing, the history came back for the new windows.
  EXPECT_EQ(health.body.find("is dead"), std::string::npos) << health.body;
  const auto discord_statuses = world_->discord().stats().statuses;
  EXPECT_GE(discord_statuses.contains(404) ? discord_statuses.at(404) : 0, 2)
      << "the proxy's 404s were never answered";
  EXPECT_EQ(metric("signal_series_warm"), metric("signal_series")) << "series left blind";

  // 6. Outcomes (horizons 1, 5, 20 bars of 1s): each alert's outcome is added to its message
  // once, after bar t+20 closed (open + 21 s), never changed afterwards, and is there for every
  // alert whose horizon ended well before the end, kills in the middle of horizons included.
  {
    const auto steady_now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count();
    const core::Millis epoch_now = clock_.NowMs();
    auto epoch_of = [&](std::int64_t received_us) {
      return epoch_now - (steady_now_us - received_us) / 1000;
    };
    std::map<Key, std::string> shown;  // the outcome line each alert shows
    std::map<Key, int> added;          // messages or edits that added it
    auto look_at = [&](const fakes::RecordedMessage& message, const std::string& what) {
      for (const fakes::RecordedEmbed& embed : message.embeds) {
        const std::optional<DeliveredAlert> alert = fakes::ParseAlertEmbed(embed);
        if (!alert) continue;
        const Key key{alert->symbol, alert->open_time};
        for (const fakes::RecordedField& field : embed.fields) {
          if (field.name != "Outcome") continue;
          const auto before = shown.find(key);
          if (before == shown.end()) {
            ++added[key];
            shown[key] = field.value;
            EXPECT_GE(epoch_of(message.received_us), key.open_time + 21 * core::kSecond)
                << what << " showed the outcome of " << Describe(key) << " before its horizon";
          } else {
            EXPECT_EQ(before->second, field.value)
                << what << " changed the outcome of " << Describe(key);
          }
        }
      }
    };
    for (const fakes::RecordedMessage& message : world_->discord().Messages()) {
      look_at(message, "a post");
    }
    const std::vector<fakes::RecordedEdit> edits = world_->discord().Edits();
    for (const fakes::RecordedEdit& edit : edits) look_at(edit.body, "an edit");
    std::size_t due = 0;
    for (const auto& [key, direction] : expected) {
      // Edits wait behind new alerts and Discord's faults: 30 s of slack before the end.
      if (key.open_time + 21 * core::kSecond > epoch_now - 30 * core::kSecond) continue;
      ++due;
      EXPECT_EQ(added[key], 1) << "the outcome of " << Describe(key) << " was added " << added[key]
                               << " times";
    }
    Note(std::to_string(edits.size()) + " edits; " + std::to_string(shown.size()) +
         " outcomes shown, " + std::to_string(due) + " due");
    EXPECT_GE(due, 8u);
    EXPECT_GE(metric("alert_outcomes_completed_total"), 1);
  }

  // 7. Healthy at the end, and a graceful stop.
  EXPECT_EQ(health.status, 200) << health.body;
  const std::optional<int> exit_code = scanner_->Terminate(10s);
  Note("SIGTERM: exit " + (exit_code ? std::to_string(*exit_code) : std::string("none")));
  EXPECT_EQ(exit_code, std::optional<int>(0)) << "SIGTERM did not end the scanner cleanly";
}

}  // namespace
}  // namespace scanner::e2e
