#pragma once
// The real `momentum-scanner` as a child process for end-to-end tests: forked and executed,
// stdout and stderr appended to one log file, killed (SIGKILL) or stopped (SIGTERM) and reaped.
// It also dies with the thread that started it (PR_SET_PDEATHSIG), so a crashed test leaves no
// scanner behind: start it from a thread that outlives it, e.g. the test's own. Plus the two blocking helpers such a test needs: a free TCP port and a
// plain HTTP GET on 127.0.0.1.
//
// Not thread-safe; one owner. The destructor kills a child still running.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace scanner::e2e {

class ScannerProcess {
 public:
  ScannerProcess(std::string binary, std::string log_path);
  ScannerProcess(const ScannerProcess&) = delete;
  ScannerProcess& operator=(const ScannerProcess&) = delete;
  ~ScannerProcess();

  // Starts `binary args...`; false if it could not be spawned or is already running.
  bool Start(const std::vector<std::string>& args);
  bool Running();
  pid_t pid() const { return pid_; }
  // SIGKILL and reap.
  void Kill();
  // SIGHUP: the scanner reloads its configuration file. False when no child runs.
  bool Reload();
  // SIGTERM, then waits up to `grace` for the exit; the exit code, or nullopt if it did not exit
  // in time (it is then killed) or died of a signal.
  std::optional<int> Terminate(std::chrono::milliseconds grace);
  // The exit status of a child that has exited on its own (Running() false), if any.
  std::optional<int> exit_code() const { return exit_code_; }
  std::string Log() const;
  void AppendToLog(const std::string& line) const;

 private:
  void Reap(bool block);

  std::string binary_;
  std::string log_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// A TCP port on 127.0.0.1 free at the time of the call.
std::uint16_t FreePort();

struct HttpAnswer {
  int status = 0;  // 0: no answer
  std::string body;
};
// GET http://127.0.0.1:<port><target>, HTTP/1.0, with a timeout.
HttpAnswer HttpGet(std::uint16_t port, const std::string& target,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

// The sum of every sample of `name` (exact metric name) in a Prometheus text page whose labels
// contain `label` (e.g. status="429"; empty: any); nullopt if no sample matched.
std::optional<double> MetricValue(const std::string& page, const std::string& name,
                                  const std::string& label = "");

}  // namespace scanner::e2e
