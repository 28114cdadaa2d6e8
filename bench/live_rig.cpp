#include "live_rig.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>
#include <thread>

namespace scanner::bench {

std::vector<core::Symbol> MakeSymbols(int count) {
  std::vector<core::Symbol> symbols;
  for (int i = 0; static_cast<int>(symbols.size()) < count; ++i) {
    std::string base = "Z";
    base.push_back(static_cast<char>('A' + (i / 676) % 26));
    base.push_back(static_cast<char>('A' + (i / 26) % 26));
    base.push_back(static_cast<char>('A' + i % 26));
    if (base.ends_with("UP")) continue;
    symbols.push_back(base + "USDT");
  }
  return symbols;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

ProcessMemory ReadMemory(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  ProcessMemory memory;
  std::string line;
  while (std::getline(status, line)) {
    std::istringstream words(line);
    std::string key;
    long value = 0;
    words >> key >> value;
    if (key == "VmRSS:") memory.rss_kib = value;
    if (key == "VmHWM:") memory.hwm_kib = value;
  }
  return memory;
}

int CountOpenFiles(pid_t pid) {
  std::error_code error;
  std::filesystem::directory_iterator entries("/proc/" + std::to_string(pid) + "/fd", error);
  if (error) return -1;
  int count = 0;
  for (auto it = entries; it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (error) return -1;
    ++count;
  }
  return count;
}

std::optional<double> Metric(std::uint16_t port, const std::string& name) {
  const e2e::HttpAnswer answer = e2e::HttpGet(port, "/metrics");
  if (answer.status != 200) return std::nullopt;
  return e2e::MetricValue(answer.body, name);
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = p / 100.0 * static_cast<double>(values.size());
  const std::size_t index = rank <= 1 ? 0 : static_cast<std::size_t>(std::ceil(rank)) - 1;
  return values[std::min(index, values.size() - 1)];
}

Rig::Rig(RigOptions options, const fakes::FakeWorld& world) : options_(std::move(options)) {
  std::filesystem::remove_all(options_.dir);
  std::filesystem::create_directories(options_.dir);
  status_port_ = e2e::FreePort();
  config_path_ = options_.dir + "/scanner.yaml";
  std::ofstream(config_path_) << "exchange:\n"
                              << "  market: spot\n"
                              << "  rest_url: " << world.RestUrl() << "\n"
                              << "  ws_url: " << world.WsUrl() << "\n"
                              << "  request_timeout: 10s\n"
                              << "universe:\n"
                              << "  quote_assets: [USDT]\n"
                              << "  min_quote_volume_24h: 1\n"
                              << "  top_n: 1000\n"
                              << "  refresh_interval: " << options_.universe_refresh << "\n"
                              << "streams:\n"
                              << "  intervals: [" << options_.intervals << "]\n"
                              << "signals:\n"
                              << options_.signals << "alerts:\n"
                              << "  database: " << database_path() << "\n"
                              << "  discord:\n"
                              << "    webhook_urls: [\"" << world.WebhookUrl() << "\"]\n"
                              << "    request_timeout: 5s\n"
                              << "    chart:\n"
                              << "      enabled: " << (options_.charts ? "true" : "false") << "\n"
                              << "status:\n"
                              << "  listen: 127.0.0.1:" << status_port_ << "\n"
                              << "logging:\n"
                              << "  level: " << options_.log_level << "\n";
  process_ =
      std::make_unique<e2e::ScannerProcess>(options_.scanner_binary, options_.dir + "/scanner.log");
}

bool Rig::Start() { return process_->Start({"run", "--config", config_path_}); }

bool Rig::WaitWarm(double windows, std::chrono::steady_clock::time_point start) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(options_.warm_timeout_s);
  double last_ready = -1;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->Running()) {
      std::cerr << "bench: the scanner exited; log " << options_.dir << "/scanner.log\n";
      return false;
    }
    const double ready = Metric(status_port_, "scanner_windows_ready").value_or(-1);
    if (ready != last_ready) {
      std::cerr << "bench: t=" << static_cast<int>(SecondsSince(start)) << "s windows ready "
                << ready << " / " << windows << "\n";
      last_ready = ready;
    }
    if (ready >= windows) return true;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::cerr << "bench: not warm in time\n";
  return false;
}

}  // namespace scanner::bench
