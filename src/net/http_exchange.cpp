#include "net/http_exchange.h"

#include <spdlog/logger.h>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "net/tls_context.h"

namespace scanner::net {

namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

// Larger response headers than this are refused as kTooLarge (Beast's default is 8 KiB).
constexpr std::uint32_t kMaxResponseHeaderBytes = 64 * 1024;

bool IsConnectionLoss(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset ||
         ec == boost::asio::error::connection_aborted || ec == boost::asio::error::broken_pipe ||
         ec == boost::asio::error::not_connected || ec == boost::asio::ssl::error::stream_truncated;
}

HttpErrorKind ClassifyIoError(const boost::system::error_code& ec) {
  if (ec == http::error::body_limit || ec == http::error::header_limit ||
      ec == http::error::buffer_overflow) {
    return HttpErrorKind::kTooLarge;
  }
  if (ec == beast::error::timeout) return HttpErrorKind::kTimeout;
  if (IsConnectionLoss(ec)) return HttpErrorKind::kConnectionLost;
  if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
    return HttpErrorKind::kProtocol;
  }
  return HttpErrorKind::kConnectionLost;
}

HttpResponse ToHttpResponse(http::response<http::string_body>&& message) {
  HttpResponse response;
  response.status = message.result_int();
  for (const auto& field : message) {
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(message.body());
  return response;
}

}  // namespace

HttpExchange::HttpExchange(std::shared_ptr<HttpClientShared> shared, Url url, Request request,
                           Callback callback)
    : shared_(std::move(shared)),
      url_(std::move(url)),
      origin_(url_.Origin()),
      request_(std::move(request)),
      callback_(std::move(callback)),
      resolver_(shared_->executor),
      deadline_(shared_->executor) {}

void HttpExchange::Start() {
  deadline_.expires_after(shared_->options.request_timeout);
  deadline_.async_wait(beast::bind_front_handler(&HttpExchange::OnDeadline, shared_from_this()));
  connection_ = shared_->pool.Take(origin_);
  if (connection_ == nullptr) return Resolve();
  reused_ = true;
  shared_->logger->debug("http {} {}: reusing a kept-alive connection", request_.method_string(),
                         origin_);
  Write();
}

void HttpExchange::Abort() { Fail(HttpErrorKind::kShutdown, "the HTTP client was shut down"); }

void HttpExchange::Resolve() {
  step_ = "resolving the host";
  resolver_.async_resolve(url_.host, std::to_string(url_.port),
                          boost::asio::ip::tcp::resolver::numeric_service,
                          beast::bind_front_handler(&HttpExchange::OnResolve, shared_from_this()));
}

void HttpExchange::OnResolve(boost::system::error_code ec,
                             boost::asio::ip::tcp::resolver::results_type results) {
  if (done_) return;  // timed out or shut down; the callback has been posted
  if (ec) return Fail(HttpErrorKind::kConnect, "cannot resolve the host: " + ec.message());
  step_ = "connecting";
  connection_ = std::make_unique<HttpConnection>(shared_->executor,
                                                 url_.IsTls() ? &shared_->tls : nullptr, origin_);
  connection_->Tcp().expires_after(shared_->options.connect_timeout);
  connection_->Tcp().async_connect(
      results, beast::bind_front_handler(&HttpExchange::OnConnect, shared_from_this()));
}

void HttpExchange::OnConnect(boost::system::error_code ec, boost::asio::ip::tcp::endpoint) {
  if (done_) return;
  if (ec == beast::error::timeout) {
    return Fail(HttpErrorKind::kTimeout,
                "connect timed out after " +
                    std::to_string(shared_->options.connect_timeout.count()) + " ms");
  }
  if (ec) return Fail(HttpErrorKind::kConnect, "connect failed: " + ec.message());
  HttpConnection::TlsStream* tls = connection_->Tls();
  if (tls == nullptr) return Write();
  step_ = "TLS handshake";
  if (auto prepared = PrepareClientTlsStream(*tls, url_.host); !prepared) {
    return Fail(HttpErrorKind::kTls, prepared.error().message);
  }
  connection_->Tcp().expires_after(shared_->options.connect_timeout);
  tls->async_handshake(boost::asio::ssl::stream_base::client,
                       beast::bind_front_handler(&HttpExchange::OnHandshake, shared_from_this()));
}

void HttpExchange::OnHandshake(boost::system::error_code ec) {
  if (done_) return;
  if (ec == beast::error::timeout) {
    return Fail(HttpErrorKind::kTimeout,
                "TLS handshake timed out after " +
                    std::to_string(shared_->options.connect_timeout.count()) + " ms");
  }
  if (ec) {
    return Fail(
        HttpErrorKind::kTls,
        "TLS handshake failed: " + DescribeTlsFailure(ec, connection_->Tls()->native_handle()));
  }
  Write();
}

void HttpExchange::Write() {
  step_ = "sending the request";
  // From here the deadline timer alone bounds the exchange.
  connection_->Tcp().expires_never();
  connection_->Visit([this](auto& stream) {
    http::async_write(stream, request_,
                      beast::bind_front_handler(&HttpExchange::OnWrite, shared_from_this()));
  });
}

void HttpExchange::OnWrite(boost::system::error_code ec, std::size_t) {
  if (done_) return;
  if (ec) return OnIoFailure(ec);
  step_ = "reading the response";
  parser_.emplace();
  parser_->body_limit(shared_->options.max_response_bytes);
  parser_->header_limit(kMaxResponseHeaderBytes);
  if (request_.method() == http::verb::head) parser_->skip(true);
  connection_->Visit([this](auto& stream) {
    http::async_read(stream, connection_->buffer(), *parser_,
                     beast::bind_front_handler(&HttpExchange::OnRead, shared_from_this()));
  });
}

void HttpExchange::OnRead(boost::system::error_code ec, std::size_t) {
  if (done_) return;
  if (ec) return OnIoFailure(ec);
  const bool reusable = parser_->get().keep_alive() && !parser_->need_eof();
  Response message = parser_->release();
  connection_->CountCompletedRequest();
  shared_->logger->debug("http {} {} -> {}{}", request_.method_string(), origin_,
                         message.result_int(), reused_ ? " (reused connection)" : "");
  if (reusable && !shared_->shut_down) {
    shared_->pool.Put(std::move(connection_));
  } else {
    connection_->Close();
  }
  Finish(ToHttpResponse(std::move(message)));
}

void HttpExchange::OnDeadline(boost::system::error_code ec) {
  if (ec == boost::asio::error::operation_aborted) return;  // the exchange ended first
  if (done_) return;
  Fail(HttpErrorKind::kTimeout, "request timed out after " +
                                    std::to_string(shared_->options.request_timeout.count()) +
                                    " ms while " + step_);
}

void HttpExchange::OnIoFailure(boost::system::error_code ec) {
  if (MayRetryOnFreshConnection()) {
    shared_->logger->debug("http {} {}: kept-alive connection failed ({}); retrying on a new one",
                           request_.method_string(), origin_, ec.message());
    retried_ = true;
    reused_ = false;
    // Nothing is pending on the old connection: its last operation has just completed.
    connection_->Close();
    connection_.reset();
    parser_.reset();
    return Resolve();
  }
  const HttpErrorKind kind = ClassifyIoError(ec);
  std::string what;
  if (ec == http::error::body_limit) {
    what = "response body exceeds max_response_bytes (" +
           std::to_string(shared_->options.max_response_bytes) + " bytes)";
  } else if (ec == http::error::header_limit) {
    what = "response header exceeds " + std::to_string(kMaxResponseHeaderBytes) + " bytes";
  } else if (ec == http::error::end_of_stream) {
    what = std::string("the server closed the connection before responding") +
           (reused_ ? " (kept-alive connection; " + std::string(request_.method_string()) +
                          " is not retried)"
                    : "");
  } else {
    what = std::string(kind == HttpErrorKind::kProtocol ? "invalid response" : "connection lost") +
           " while " + step_ + ": " + ec.message();
  }
  Fail(kind, what);
}

bool HttpExchange::MayRetryOnFreshConnection() const {
  const bool idempotent =
      request_.method() == http::verb::get || request_.method() == http::verb::head;
  const bool nothing_received =
      connection_->buffer().size() == 0 && (!parser_ || !parser_->got_some());
  return reused_ && !retried_ && idempotent && nothing_received && !shared_->shut_down;
}

void HttpExchange::Fail(HttpErrorKind kind, const std::string& what) {
  if (done_) return;
  shared_->logger->debug("http {} {} failed: {}", request_.method_string(), origin_, what);
  resolver_.cancel();
  if (connection_ != nullptr) connection_->Close();
  Finish(std::unexpected(HttpError{kind, origin_ + ": " + what}));
}

void HttpExchange::Finish(HttpResult result) {
  done_ = true;
  deadline_.cancel();
  boost::asio::post(shared_->executor,
                    [callback = std::move(callback_), result = std::move(result)]() mutable {
                      callback(std::move(result));
                    });
}

}  // namespace scanner::net
