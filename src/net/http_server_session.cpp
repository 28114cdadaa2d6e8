#include "net/http_server_session.h"

#include <spdlog/logger.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace scanner::net {

namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

std::variant<beast::tcp_stream, beast::ssl_stream<beast::tcp_stream>> MakeStream(
    boost::asio::ip::tcp::socket socket, ServerSettings& settings) {
  using Variant = std::variant<beast::tcp_stream, beast::ssl_stream<beast::tcp_stream>>;
  if (!settings.tls) return Variant(std::in_place_index<0>, std::move(socket));
  return Variant(std::in_place_index<1>, std::move(socket), *settings.tls);
}

bool HasFraming(const HttpHeaders& headers) {
  return FindHeader(headers, "Content-Length") || FindHeader(headers, "Transfer-Encoding");
}

bool StatusHasNoBody(unsigned status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

}  // namespace

void Responder::Respond(ServerResponse response) const {
  boost::asio::post(session_->executor_, [session = session_, number = request_number_,
                                          response = std::move(response)]() mutable {
    session->Reply(number, std::move(response));
  });
}

void Responder::Respond(unsigned status, std::string body, std::string content_type) const {
  ServerResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", std::move(content_type));
  response.body = std::move(body);
  Respond(std::move(response));
}

void Responder::CloseWithoutResponse() const {
  boost::asio::post(session_->executor_,
                    [session = session_, number = request_number_] { session->Abandon(number); });
}

void Responder::WriteRawAndClose(std::string bytes) const {
  boost::asio::post(session_->executor_, [session = session_, number = request_number_,
                                          bytes = std::move(bytes)]() mutable {
    session->ReplyRaw(number, std::move(bytes));
  });
}

ServerSession::ServerSession(boost::asio::ip::tcp::socket socket,
                             std::shared_ptr<ServerSettings> settings, std::uint64_t connection_id)
    : executor_(socket.get_executor()),
      settings_(std::move(settings)),
      connection_id_(connection_id),
      stream_(MakeStream(std::move(socket), *settings_)) {}

boost::beast::tcp_stream& ServerSession::Tcp() {
  return Visit([](auto& stream) -> beast::tcp_stream& { return beast::get_lowest_layer(stream); });
}

void ServerSession::Start() {
  auto* tls = std::get_if<TlsStream>(&stream_);
  if (tls == nullptr) return ReadRequest();
  state_ = State::kHandshake;
  Tcp().expires_after(settings_->read_timeout);
  tls->async_handshake(boost::asio::ssl::stream_base::server,
                       beast::bind_front_handler(&ServerSession::OnHandshake, shared_from_this()));
}

void ServerSession::OnHandshake(boost::system::error_code ec) {
  if (state_ == State::kClosed) return;
  if (ec) {
    settings_->logger->debug("http server: connection {}: TLS handshake failed: {}", connection_id_,
                             ec.message());
    return Close();
  }
  ReadRequest();
}

void ServerSession::ReadRequest() {
  state_ = State::kReading;
  parser_.emplace();
  parser_->body_limit(settings_->max_request_body_bytes);
  Tcp().expires_after(settings_->read_timeout);
  Visit([this](auto& stream) {
    http::async_read(stream, buffer_, *parser_,
                     beast::bind_front_handler(&ServerSession::OnRead, shared_from_this()));
  });
}

void ServerSession::OnRead(boost::system::error_code ec, std::size_t) {
  if (state_ == State::kClosed) return;
  if (ec == http::error::body_limit) {
    request_keep_alive_ = false;
    return WriteResponse(
        {.status = 413, .headers = {}, .body = "request body too large\n", .close = true},
        /*linger=*/true);
  }
  if (ec && ec.category() == http::make_error_code(http::error::bad_version).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    request_keep_alive_ = false;
    return WriteResponse(
        {.status = 400, .headers = {}, .body = "malformed request\n", .close = true},
        /*linger=*/true);
  }
  if (ec) {
    // The client closed or went quiet (timeout): nothing to answer.
    settings_->logger->trace("http server: connection {} ends: {}", connection_id_, ec.message());
    return Close();
  }
  auto message = parser_->release();
  request_keep_alive_ = message.keep_alive();
  request_.method = message.method();
  request_.target = std::string(message.target());
  request_.headers.clear();
  for (const auto& field : message) {
    request_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request_.body = std::move(message.body());
  request_.connection_id = connection_id_;
  ++request_number_;
  state_ = State::kAwaitingResponse;
  // The handler has the request for as long as it wants: no timeout meanwhile.
  Tcp().expires_never();
  settings_->handler(request_, Responder(shared_from_this(), request_number_));
}

void ServerSession::Reply(std::uint64_t request_number, ServerResponse response) {
  if (state_ != State::kAwaitingResponse || request_number != request_number_) return;
  WriteResponse(std::move(response));
}

void ServerSession::ReplyRaw(std::uint64_t request_number, std::string bytes) {
  if (state_ != State::kAwaitingResponse || request_number != request_number_) return;
  state_ = State::kWriting;
  raw_ = std::move(bytes);
  Tcp().expires_after(settings_->read_timeout);
  Visit([this](auto& stream) {
    boost::asio::async_write(
        stream, boost::asio::buffer(raw_),
        beast::bind_front_handler(&ServerSession::OnRawWrite, shared_from_this()));
  });
}

void ServerSession::Abandon(std::uint64_t request_number) {
  if (state_ != State::kAwaitingResponse || request_number != request_number_) return;
  Close();
}

void ServerSession::WriteResponse(ServerResponse response, bool linger) {
  state_ = State::kWriting;
  const bool keep_alive = request_keep_alive_ && !response.close;
  response_ = Response{};
  response_.version(11);
  response_.result(response.status);
  for (const auto& [name, value] : response.headers) response_.insert(name, value);
  if (!HasFraming(response.headers) && !StatusHasNoBody(response.status)) {
    response_.content_length(response.body.size());
  }
  response_.body() = std::move(response.body);
  response_.keep_alive(keep_alive);
  Tcp().expires_after(settings_->read_timeout);
  Visit([this, keep_alive, linger](auto& stream) {
    http::async_write(
        stream, response_,
        beast::bind_front_handler(&ServerSession::OnWrite, shared_from_this(), keep_alive, linger));
  });
}

void ServerSession::OnWrite(bool keep_alive, bool linger, boost::system::error_code ec,
                            std::size_t) {
  if (state_ == State::kClosed) return;
  if (ec) {
    settings_->logger->debug("http server: connection {}: write failed: {}", connection_id_,
                             ec.message());
    return Close();
  }
  if (linger) return Linger();
  if (!keep_alive) return Close();
  ReadRequest();
}

void ServerSession::Linger() {
  state_ = State::kLingering;
  boost::system::error_code ignored;
  Tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  // One expiry for the whole drain: tcp_stream keeps it for every following operation.
  Tcp().expires_after(settings_->read_timeout);
  Tcp().async_read_some(boost::asio::buffer(discarded_),
                        beast::bind_front_handler(&ServerSession::OnLinger, shared_from_this()));
}

void ServerSession::OnLinger(boost::system::error_code ec, std::size_t) {
  if (state_ == State::kClosed) return;
  if (ec) return Close();  // end of stream, reset or timeout: done either way
  Tcp().async_read_some(boost::asio::buffer(discarded_),
                        beast::bind_front_handler(&ServerSession::OnLinger, shared_from_this()));
}

void ServerSession::OnRawWrite(boost::system::error_code, std::size_t) {
  // Closing is the point of a raw reply, whether or not the write went through.
  Close();
}

void ServerSession::Close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  boost::system::error_code ignored;
  Tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  Tcp().close();
}

}  // namespace scanner::net
