#include "net/http_client.h"

#include <spdlog/logger.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <cctype>

#include "net/http_exchange.h"
#include "net/tls_context.h"
#include "net/url.h"

namespace scanner::net {

namespace http = boost::beast::http;

namespace {

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Refuses what would corrupt or smuggle a request: non-token names, CR/LF/NUL in values, and the
// framing fields the client owns.
core::Status CheckHeader(const std::string& name, const std::string& value) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) {
    return core::Fail("invalid header name");
  }
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
    return core::Fail("header '" + name + "' has CR, LF or NUL in its value");
  }
  for (std::string_view owned : {"Host", "Content-Length", "Transfer-Encoding"}) {
    if (boost::beast::iequals(name, owned)) {
      return core::Fail("header '" + name + "' is set by the client");
    }
  }
  return {};
}

}  // namespace

core::Result<std::unique_ptr<HttpClient>> HttpClient::Create(
    boost::asio::io_context& io_context, HttpClientOptions options,
    std::shared_ptr<spdlog::logger> logger) {
  auto tls = MakeClientTlsContext(options.ca_file);
  if (!tls) return std::unexpected(tls.error());
  if (logger == nullptr) logger = std::make_shared<spdlog::logger>("net.http");
  auto shared = std::make_shared<HttpClientShared>(io_context.get_executor(), std::move(options),
                                                   std::move(*tls), std::move(logger));
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(shared)));
}

HttpClient::HttpClient(std::shared_ptr<HttpClientShared> shared) : shared_(std::move(shared)) {}

HttpClient::~HttpClient() { Shutdown(); }

void HttpClient::Send(HttpRequest request, Callback callback) {
  std::erase_if(in_flight_, [](const std::weak_ptr<HttpExchange>& e) { return e.expired(); });
  if (shared_->shut_down) {
    return FailLater(std::move(callback), HttpErrorKind::kShutdown,
                     "the HTTP client was shut down");
  }
  auto url = Url::Parse(request.url);
  if (!url)
    return FailLater(std::move(callback), HttpErrorKind::kInvalidRequest, url.error().message);
  if (url->scheme != "http" && url->scheme != "https") {
    return FailLater(std::move(callback), HttpErrorKind::kInvalidRequest,
                     url->Origin() + ": not an http:// or https:// URL");
  }

  HttpExchange::Request message{request.method, url->target, 11};
  message.set(http::field::host, url->HostHeader());
  for (const auto& [name, value] : request.headers) {
    if (auto checked = CheckHeader(name, value); !checked) {
      return FailLater(std::move(callback), HttpErrorKind::kInvalidRequest,
                       url->Origin() + ": " + checked.error().message);
    }
    message.insert(name, value);
  }
  if (!shared_->options.user_agent.empty() &&
      message.find(http::field::user_agent) == message.end()) {
    message.set(http::field::user_agent, shared_->options.user_agent);
  }
  if (!request.content_type.empty()) message.set(http::field::content_type, request.content_type);
  message.body() = std::move(request.body);
  message.prepare_payload();

  auto exchange = std::make_shared<HttpExchange>(shared_, std::move(*url), std::move(message),
                                                 std::move(callback));
  in_flight_.push_back(exchange);
  exchange->Start();
}

void HttpClient::Shutdown() {
  if (shared_->shut_down) return;
  shared_->shut_down = true;
  shared_->pool.Close();
  for (const auto& weak : in_flight_) {
    if (auto exchange = weak.lock()) exchange->Abort();
  }
  in_flight_.clear();
}

std::size_t HttpClient::IdleConnections() const { return shared_->pool.IdleCount(); }

void HttpClient::FailLater(Callback callback, HttpErrorKind kind, std::string message) {
  boost::asio::post(shared_->executor,
                    [callback = std::move(callback), kind, message = std::move(message)]() mutable {
                      callback(std::unexpected(HttpError{kind, std::move(message)}));
                    });
}

}  // namespace scanner::net
