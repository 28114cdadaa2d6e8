#pragma once
// The status endpoint: a small HTTP server on `status.listen` with two read-only pages,
//   GET /healthz  the health report (200 when healthy, 503 otherwise; JSON body)
//   GET /metrics  Prometheus text
// and nothing else (404 for other paths, 405 for other methods). Request bodies are capped at
// 4 KiB and a read times out after 10 s. The pages are computed by the owner's callbacks, on the
// io_context thread, when asked.
//
// Not thread-safe: the io_context thread. The callbacks must stay callable while it runs; Stop()
// (or destruction) closes the listener.

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "app/health.h"
#include "core/error.h"
#include "net/http_server.h"

namespace scanner::app {

struct StatusPages {
  std::function<HealthReport()> health;
  std::function<std::string()> metrics;
};

class StatusEndpoint {
 public:
  // `listen` is "host:port" ("localhost" means 127.0.0.1; port 0 picks a free one). Fails when
  // it cannot be parsed or bound.
  static core::Result<std::unique_ptr<StatusEndpoint>> Start(
      boost::asio::io_context& io_context, const std::string& listen, StatusPages pages,
      std::shared_ptr<spdlog::logger> logger);

  StatusEndpoint(const StatusEndpoint&) = delete;
  StatusEndpoint& operator=(const StatusEndpoint&) = delete;
  ~StatusEndpoint();

  void Stop();
  std::uint16_t port() const;

 private:
  explicit StatusEndpoint(StatusPages pages) : pages_(std::move(pages)) {}
  void Handle(const net::ServerRequest& request, net::Responder responder);

  StatusPages pages_;
  std::unique_ptr<net::HttpServer> server_;
  // Held weakly by the request handler: a request after destruction gets a 503.
  std::shared_ptr<StatusEndpoint*> self_ = std::make_shared<StatusEndpoint*>(this);
};

}  // namespace scanner::app
