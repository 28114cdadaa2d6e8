#pragma once
// A fake data.binance.vision on 127.0.0.1 (plain HTTP, or HTTPS with the test certificate):
// serves the kline zips a test publishes, each with its .CHECKSUM ("<sha256>  <name>\n"), and
// 404 for everything else, like the real one for a file not published (yet).
//
// Scripted per path, for the next N requests of it: a corrupt body (bytes changed, the checksum
// still the true one's), a dropped transfer (headers and half the body, then the connection
// closes), a slow answer (after `slow_delay`), a 503. A published zip may have no .CHECKSUM, or
// a malformed one. A month "only partly published" is a test publishing some daily files and no
// monthly file.
//
// Threading: runs on the io_context it is given (a test's loop thread); Publish, InjectFault and
// the counters may be called from any thread (one mutex). The io_context must outlive it.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/error.h"
#include "net/http_server.h"

namespace scanner::fakes {

enum class VisionFault {
  kCorrupt,  // 200 with the body's bytes changed
  kDrop,     // 200, Content-Length of the whole body, half of it, then close
  kSlow,     // the normal answer, after options.slow_delay
  k503,      // 503 Service Unavailable
};

struct FakeVisionOptions {
  std::string cert_file;  // both set: HTTPS
  std::string key_file;
  std::chrono::milliseconds slow_delay{400};
};

class FakeVision {
 public:
  static core::Result<std::unique_ptr<FakeVision>> Start(boost::asio::io_context& io_context,
                                                         FakeVisionOptions options);
  FakeVision(const FakeVision&) = delete;
  FakeVision& operator=(const FakeVision&) = delete;
  ~FakeVision();

  // "http://127.0.0.1:<port>" or "https://127.0.0.1:<port>".
  std::string BaseUrl() const;

  // Serves `body` at `path` (no leading '/': "data/spot/daily/klines/BTCUSDT/1m/...zip") and,
  // when `with_checksum`, its true .CHECKSUM at path + ".CHECKSUM".
  void Publish(const std::string& path, std::string body, bool with_checksum = true);
  // Serves `text` as the .CHECKSUM of `path`.
  void SetChecksumText(const std::string& path, std::string text);
  // The next `count` requests of `path` (a zip or a .CHECKSUM) get `fault`; count < 0: all.
  void InjectFault(const std::string& path, VisionFault fault, int count = 1);
  void ClearFaults();

  // GET requests of `path` so far (answered or not).
  int Requests(const std::string& path) const;
  // Every request so far.
  int TotalRequests() const;
  // Requests of zips (not .CHECKSUM files) answered 200 with a whole body.
  int ZipsServed() const;

 private:
  struct Scripted {
    VisionFault fault;
    int remaining;  // < 0: forever
  };

  FakeVision(boost::asio::io_context& io_context, FakeVisionOptions options);
  void Handle(const net::ServerRequest& request, net::Responder responder);

  boost::asio::io_context& io_context_;
  FakeVisionOptions options_;
  std::unique_ptr<net::HttpServer> server_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> files_;  // path -> body (.CHECKSUM files too)
  std::map<std::string, Scripted> faults_;
  std::map<std::string, int> requests_;
  int total_requests_ = 0;
  int zips_served_ = 0;
};

}  // namespace scanner::fakes
