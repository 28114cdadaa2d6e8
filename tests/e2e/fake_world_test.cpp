// The fake_world executable's contract for container smoke tests and soak runs: it writes its
// URLs as one JSON object to --ports-file, serves REST klines and exchangeInfo, and its control
// endpoint injects faults, changes the listing and reports counters as JSON.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "e2e/scanner_process.h"

namespace scanner::e2e {
namespace {

using namespace std::chrono_literals;

// The value of "key":<number> or "key":"<text>" in a flat JSON object (enough for the ports).
std::string JsonField(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  const auto at = json.find(needle);
  if (at == std::string::npos) return "";
  std::size_t start = at + needle.size();
  if (json[start] == '"') {
    const auto end = json.find('"', start + 1);
    return json.substr(start + 1, end - start - 1);
  }
  const auto end = json.find_first_of(",}", start);
  return json.substr(start, end - start);
}

TEST(FakeWorldBinary, WritesPortsServesAndObeysTheControlEndpoint) {
  char pattern[] = "/tmp/fake-world-test-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const std::string dir = pattern;
  const std::string ports_file = dir + "/ports.json";
  ScannerProcess world(FAKE_WORLD_BINARY, dir + "/fake_world.log");
  ASSERT_TRUE(world.Start({"--symbols", "AAAUSDT,BBBUSDT", "--move-every", "5", "--moves-delay",
                           "0", "--ports-file", ports_file}));
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!std::filesystem::exists(ports_file) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(std::filesystem::exists(ports_file)) << world.Log();
  std::stringstream ports;
  ports << std::ifstream(ports_file).rdbuf();
  const std::string json = ports.str();
  const auto rest_port = static_cast<std::uint16_t>(std::stoi(JsonField(json, "rest_port")));
  const auto control_port = static_cast<std::uint16_t>(std::stoi(JsonField(json, "control_port")));
  EXPECT_TRUE(JsonField(json, "ws_url").starts_with("ws://127.0.0.1:")) << json;
  EXPECT_NE(JsonField(json, "discord_webhook_url").find("/api/webhooks/"), std::string::npos);

  HttpAnswer klines = HttpGet(rest_port, "/api/v3/klines?symbol=AAAUSDT&interval=1s&limit=3");
  EXPECT_EQ(klines.status, 200);
  EXPECT_TRUE(klines.body.starts_with("[[")) << klines.body;

  EXPECT_EQ(HttpGet(control_port, "/rest/fault?kind=429&count=1").status, 200);
  EXPECT_EQ(HttpGet(rest_port, "/api/v3/exchangeInfo").status, 429);
  EXPECT_EQ(HttpGet(control_port, "/universe?listed=BBBUSDT").status, 200);
  std::this_thread::sleep_for(2100ms);  // the injected 429's Retry-After
  const HttpAnswer info = HttpGet(rest_port, "/api/v3/exchangeInfo");
  EXPECT_EQ(info.status, 200);
  EXPECT_EQ(info.body.find("AAAUSDT"), std::string::npos);
  EXPECT_NE(info.body.find("BBBUSDT"), std::string::npos);

  EXPECT_EQ(HttpGet(control_port, "/discord/fault?kind=5xx&count=2").status, 200);
  EXPECT_EQ(HttpGet(control_port, "/ws/drop?n=all").status, 200);
  EXPECT_EQ(HttpGet(control_port, "/nothing").status, 404);
  const HttpAnswer counters = HttpGet(control_port, "/counters");
  EXPECT_EQ(counters.status, 200);
  EXPECT_NE(counters.body.find(R"("responses_429":1)"), std::string::npos) << counters.body;
  EXPECT_NE(counters.body.find(R"("listed":["BBBUSDT"])"), std::string::npos) << counters.body;
  const HttpAnswer moves = HttpGet(control_port, "/moves");
  EXPECT_EQ(moves.status, 200);
  EXPECT_TRUE(moves.body.starts_with("[")) << moves.body;

  EXPECT_EQ(world.Terminate(5s), std::optional<int>(0)) << world.Log();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace scanner::e2e
