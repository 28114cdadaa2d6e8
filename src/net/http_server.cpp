#include "net/http_server.h"

#include <spdlog/logger.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <vector>

#include "net/tls_context.h"
#include "net/url.h"

namespace scanner::net {

namespace ip = boost::asio::ip;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr std::chrono::milliseconds kAcceptErrorPause{100};

}  // namespace

// Owns the acceptor and the sessions' weak references; kept alive by its pending accept, so the
// HttpServer handle may go away while an accept is pending.
class HttpServer::Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& io_context, std::shared_ptr<ServerSettings> settings)
      : acceptor_(io_context), pause_(io_context), settings_(std::move(settings)) {}

  core::Status Listen(const tcp::endpoint& endpoint) {
    boost::system::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(boost::asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return core::Fail("HTTP server: cannot listen on " + endpoint.address().to_string() + ":" +
                        std::to_string(endpoint.port()) + ": " + ec.message());
    }
    local_ = acceptor_.local_endpoint(ec);
    if (ec) return core::Fail("HTTP server: cannot read the bound port: " + ec.message());
    return {};
  }

  void Accept() {
    acceptor_.async_accept(
        boost::beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

  void Stop() {
    if (stopped_) return;
    stopped_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    pause_.cancel();
    for (const auto& weak : sessions_) {
      if (auto session = weak.lock()) session->Close();
    }
    sessions_.clear();
  }

  std::size_t OpenConnections() const {
    return static_cast<std::size_t>(
        std::count_if(sessions_.begin(), sessions_.end(), [](const auto& weak) {
          auto session = weak.lock();
          return session != nullptr && session->state() != ServerSession::State::kClosed;
        }));
  }

  const tcp::endpoint& local() const { return local_; }
  std::size_t accepted() const { return accepted_; }
  bool IsTls() const { return settings_->tls.has_value(); }

 private:
  void OnAccept(boost::system::error_code ec, tcp::socket socket) {
    if (stopped_) return;
    if (ec) {
      // E.g. out of file descriptors: pause instead of spinning on an error that repeats.
      settings_->logger->warn("HTTP server on port {}: accept failed: {}", local_.port(),
                              ec.message());
      pause_.expires_after(kAcceptErrorPause);
      pause_.async_wait(boost::beast::bind_front_handler(&Listener::OnPause, shared_from_this()));
      return;
    }
    std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
    auto session = std::make_shared<ServerSession>(std::move(socket), settings_, ++accepted_);
    sessions_.push_back(session);
    session->Start();
    Accept();
  }

  void OnPause(boost::system::error_code ec) {
    if (stopped_ || ec) return;
    Accept();
  }

  tcp::acceptor acceptor_;
  boost::asio::steady_timer pause_;  // after a failed accept
  std::shared_ptr<ServerSettings> settings_;
  tcp::endpoint local_;
  std::vector<std::weak_ptr<ServerSession>> sessions_;
  std::size_t accepted_ = 0;
  bool stopped_ = false;
};

core::Result<std::unique_ptr<HttpServer>> HttpServer::Create(
    boost::asio::io_context& io_context, HttpServerOptions options, ServerHandler handler,
    std::shared_ptr<spdlog::logger> logger) {
  boost::system::error_code ec;
  const ip::address address = ip::make_address(options.host, ec);
  if (ec) return core::Fail("HTTP server: host '" + options.host + "' is not an IP address");
  if (options.cert_file.empty() != options.key_file.empty()) {
    return core::Fail("HTTP server: TLS needs both cert_file and key_file");
  }
  auto settings = std::make_shared<ServerSettings>();
  settings->handler = std::move(handler);
  settings->max_request_body_bytes = options.max_request_body_bytes;
  settings->read_timeout = options.read_timeout;
  settings->logger =
      logger != nullptr ? std::move(logger) : std::make_shared<spdlog::logger>("net.http_server");
  if (!options.cert_file.empty()) {
    auto tls = MakeServerTlsContext(options.cert_file, options.key_file);
    if (!tls) return std::unexpected(tls.error());
    settings->tls.emplace(std::move(*tls));
  }
  auto listener = std::make_shared<Listener>(io_context, std::move(settings));
  if (auto listening = listener->Listen({address, options.port}); !listening) {
    return std::unexpected(listening.error());
  }
  listener->Accept();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(listener)));
}

HttpServer::HttpServer(std::shared_ptr<Listener> listener) : listener_(std::move(listener)) {}

HttpServer::~HttpServer() { Stop(); }

std::uint16_t HttpServer::port() const { return listener_->local().port(); }

std::string HttpServer::BaseUrl() const {
  Url url;
  url.scheme = listener_->IsTls() ? "https" : "http";
  url.host = listener_->local().address().to_string();
  url.port = port();
  return url.Origin();
}

std::size_t HttpServer::AcceptedConnections() const { return listener_->accepted(); }

std::size_t HttpServer::OpenConnections() const { return listener_->OpenConnections(); }

void HttpServer::Stop() { listener_->Stop(); }

}  // namespace scanner::net
