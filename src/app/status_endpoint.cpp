#include "app/status_endpoint.h"

#include <fmt/format.h>

#include <chrono>
#include <string_view>

#include "core/host_port.h"
#include "ops/prometheus_text.h"

namespace scanner::app {

core::Result<std::unique_ptr<StatusEndpoint>> StatusEndpoint::Start(
    boost::asio::io_context& io_context, const std::string& listen, StatusPages pages,
    std::shared_ptr<spdlog::logger> logger) {
  const auto authority = core::SplitAuthority(listen);
  const std::optional<std::uint16_t> port =
      authority && authority->port ? core::ParsePort(*authority->port) : std::nullopt;
  if (!port || authority->host.empty()) {
    return core::Fail(fmt::format("status.listen: cannot use '{}'", listen));
  }
  net::HttpServerOptions options;
  options.host = authority->host == "localhost" ? "127.0.0.1" : std::string(authority->host);
  options.port = *port;
  options.max_request_body_bytes = 4096;
  options.read_timeout = std::chrono::seconds(10);
  std::unique_ptr<StatusEndpoint> endpoint(new StatusEndpoint(std::move(pages)));
  std::weak_ptr<StatusEndpoint*> weak = endpoint->self_;
  auto server = net::HttpServer::Create(
      io_context, options,
      [weak](const net::ServerRequest& request, net::Responder responder) {
        auto self = weak.lock();
        if (!self) return responder.Respond(503, "stopping\n");
        (*self)->Handle(request, std::move(responder));
      },
      logger);
  if (!server) {
    return core::Fail(fmt::format("status endpoint on {}: {}", listen, server.error().message));
  }
  endpoint->server_ = std::move(*server);
  logger->info("status endpoint on http://{}:{} (/healthz, /metrics)", options.host,
               endpoint->port());
  return endpoint;
}

StatusEndpoint::~StatusEndpoint() { Stop(); }

void StatusEndpoint::Stop() {
  if (server_) server_->Stop();
}

std::uint16_t StatusEndpoint::port() const { return server_ ? server_->port() : 0; }

void StatusEndpoint::Handle(const net::ServerRequest& request, net::Responder responder) {
  const std::string_view target = request.target;
  const std::string_view path = target.substr(0, target.find('?'));
  if (request.method != boost::beast::http::verb::get) {
    return responder.Respond(405, "only GET\n");
  }
  if (path == "/healthz") {
    HealthReport report = pages_.health();
    return responder.Respond(report.healthy ? 200 : 503, std::move(report.json),
                             "application/json");
  }
  if (path == "/metrics") {
    return responder.Respond(200, pages_.metrics(), std::string(ops::PrometheusText::kContentType));
  }
  responder.Respond(404, "not found: try /healthz or /metrics\n");
}

}  // namespace scanner::app
