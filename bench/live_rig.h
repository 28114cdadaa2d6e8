#pragma once
// What the live benchmarks (bench_live, bench_soak) share: one real `momentum-scanner run`
// process configured against an in-process FakeWorld, and the probes they read it with
// (/proc for memory and descriptors, /metrics for the scanner's own view).

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/interval.h"
#include "e2e/scanner_process.h"
#include "fakes/fake_world.h"

namespace scanner::bench {

// "ZAAAUSDT", "ZAABUSDT", ...: distinct, never a leveraged token or a stable pair.
std::vector<core::Symbol> MakeSymbols(int count);

double SecondsSince(std::chrono::steady_clock::time_point start);

struct ProcessMemory {
  long rss_kib = 0;  // VmRSS
  long hwm_kib = 0;  // VmHWM, the peak
};
// Zeros when unreadable.
ProcessMemory ReadMemory(pid_t pid);
// Entries of /proc/<pid>/fd; -1 when unreadable.
int CountOpenFiles(pid_t pid);

// The value of one metric from the scanner's /metrics page (summed over its labels).
std::optional<double> Metric(std::uint16_t port, const std::string& name);

// Nearest-rank percentile (p in [0, 100]) of `values`; 0 when empty.
double Percentile(std::vector<double> values, double p);

struct RigOptions {
  std::string scanner_binary;
  std::string dir;        // scratch: config, database, log (emptied first)
  std::string intervals;  // YAML flow list body, e.g. "1m, 5m"
  std::string signals;    // the signals section's lines, each indented by two spaces
  std::string universe_refresh = "1h";
  std::string log_level = "info";
  int warm_timeout_s = 900;
  bool charts = true;  // alerts.discord.chart.enabled
};

// One scanner against one world: its configuration, process and status port.
class Rig {
 public:
  Rig(RigOptions options, const fakes::FakeWorld& world);

  bool Start();
  pid_t pid() const { return process_->pid(); }
  bool Running() { return process_->Running(); }
  std::uint16_t status_port() const { return status_port_; }
  std::string database_path() const { return options_.dir + "/scanner.db"; }
  // SIGTERM with a grace period; the exit code if it stopped in time.
  std::optional<int> Stop() { return process_->Terminate(std::chrono::seconds(10)); }

  // Waits until scanner_windows_ready reaches `windows` (progress on stderr); false on
  // timeout or exit.
  bool WaitWarm(double windows, std::chrono::steady_clock::time_point start);

 private:
  RigOptions options_;
  std::uint16_t status_port_ = 0;
  std::string config_path_;
  std::unique_ptr<e2e::ScannerProcess> process_;
};

}  // namespace scanner::bench
