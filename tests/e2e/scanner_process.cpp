#include "e2e/scanner_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace scanner::e2e {
namespace {

using Clock = std::chrono::steady_clock;

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

ScannerProcess::ScannerProcess(std::string binary, std::string log_path)
    : binary_(std::move(binary)), log_path_(std::move(log_path)) {}

ScannerProcess::~ScannerProcess() {
  if (pid_ > 0) Kill();
}

bool ScannerProcess::Start(const std::vector<std::string>& args) {
  if (pid_ > 0 && Running()) return false;
  // Everything the child needs is prepared before fork: between fork and exec a child of a
  // multi-threaded process may only make async-signal-safe calls.
  std::vector<std::string> argv_strings;
  argv_strings.push_back(binary_);
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  // The child reports a failed exec through this pipe; a successful exec closes it (CLOEXEC).
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return false;
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(report[0]);
    close(report[1]);
    return false;
  }
  if (pid == 0) {
    // Dies with the test (or benchmark) thread that started it, even if that one crashes, so
    // a failed run never leaves a scanner behind holding its ports and files.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(127);
    const int log = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (log < 0 || null < 0 || dup2(log, STDOUT_FILENO) < 0 || dup2(log, STDERR_FILENO) < 0 ||
        dup2(null, STDIN_FILENO) < 0) {
      _exit(127);
    }
    execve(binary_.c_str(), argv.data(), environ);
    const int error = errno;
    (void)!write(report[1], &error, sizeof error);
    _exit(127);
  }
  close(report[1]);
  int exec_error = 0;
  ssize_t got = 0;
  do {
    got = read(report[0], &exec_error, sizeof exec_error);
  } while (got < 0 && errno == EINTR);
  close(report[0]);
  if (got > 0) {
    waitpid(pid, nullptr, 0);
    return false;
  }
  pid_ = pid;
  exit_code_.reset();
  return true;
}

void ScannerProcess::Reap(bool block) {
  if (pid_ <= 0) return;
  int status = 0;
  const pid_t done = waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (done == pid_) {
    exit_code_ = WIFEXITED(status) ? std::optional<int>(WEXITSTATUS(status)) : std::nullopt;
    pid_ = -1;
  }
}

bool ScannerProcess::Running() {
  Reap(false);
  return pid_ > 0;
}

void ScannerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  Reap(true);
}

bool ScannerProcess::Reload() {
  if (pid_ <= 0) return false;
  return kill(pid_, SIGHUP) == 0;
}

std::optional<int> ScannerProcess::Terminate(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return exit_code_;
  kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + grace;
  while (Clock::now() < deadline) {
    Reap(false);
    if (pid_ <= 0) return exit_code_;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  return std::nullopt;
}

std::string ScannerProcess::Log() const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void ScannerProcess::AppendToLog(const std::string& line) const {
  std::ofstream(log_path_, std::ios::app) << "---- e2e: " << line << " ----\n";
}

std::uint16_t FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = Loopback(0);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

HttpAnswer HttpGet(std::uint16_t port, const std::string& target,
                   std::chrono::milliseconds timeout) {
  HttpAnswer answer;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return answer;
  const auto deadline = Clock::now() + timeout;
  sockaddr_in address = Loopback(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return answer;
  }
  const std::string request =
      "GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    close(fd);
    return answer;
  }
  std::string response;
  char buffer[8192];
  while (Clock::now() < deadline) {
    pollfd poll_fd{fd, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (poll(&poll_fd, 1, static_cast<int>(std::max<long long>(left, 1))) <= 0) break;
    const ssize_t got = recv(fd, buffer, sizeof(buffer), 0);
    if (got <= 0) break;
    response.append(buffer, static_cast<std::size_t>(got));
  }
  close(fd);
  // "HTTP/1.1 200 OK\r\n...\r\n\r\nbody"
  if (response.size() < 12 || !response.starts_with("HTTP/1.")) return answer;
  answer.status = std::atoi(response.c_str() + 9);
  const auto body = response.find("\r\n\r\n");
  if (body != std::string::npos) answer.body = response.substr(body + 4);
  return answer;
}

std::optional<double> MetricValue(const std::string& page, const std::string& name,
                                  const std::string& label) {
  std::optional<double> sum;
  std::istringstream lines(page);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#' || !line.starts_with(name)) continue;
    const char after = line.size() > name.size() ? line[name.size()] : '\0';
    if (after != '{' && after != ' ') continue;
    std::string labels;
    if (after == '{') labels = line.substr(name.size(), line.find('}') - name.size() + 1);
    if (!label.empty() && labels.find(label) == std::string::npos) continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    sum = sum.value_or(0) + std::strtod(line.c_str() + space + 1, nullptr);
  }
  return sum;
}

}  // namespace scanner::e2e
