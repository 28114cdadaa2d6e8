#include "net/http_connection.h"

#include <boost/asio/error.hpp>

namespace scanner::net {

namespace {

std::variant<HttpConnection::PlainStream, HttpConnection::TlsStream> MakeStream(
    const boost::asio::any_io_executor& executor, boost::asio::ssl::context* tls) {
  if (tls == nullptr) {
    return std::variant<HttpConnection::PlainStream, HttpConnection::TlsStream>(
        std::in_place_type<HttpConnection::PlainStream>, executor);
  }
  return std::variant<HttpConnection::PlainStream, HttpConnection::TlsStream>(
      std::in_place_type<HttpConnection::TlsStream>, executor, *tls);
}

}  // namespace

HttpConnection::HttpConnection(const boost::asio::any_io_executor& executor,
                               boost::asio::ssl::context* tls, std::string pool_key)
    : stream_(MakeStream(executor, tls)), pool_key_(std::move(pool_key)) {}

boost::beast::tcp_stream& HttpConnection::Tcp() {
  return std::visit(
      [](auto& stream) -> boost::beast::tcp_stream& {
        return boost::beast::get_lowest_layer(stream);
      },
      stream_);
}

bool HttpConnection::LooksReusable() {
  auto& socket = Tcp().socket();
  if (!socket.is_open() || buffer_.size() != 0) return false;
  boost::system::error_code ec;
  // Asio keeps its sockets non-blocking internally; this flag only makes the synchronous peek
  // below return at once instead of waiting.
  socket.non_blocking(true, ec);
  if (ec) return false;
  char byte = 0;
  socket.receive(boost::asio::buffer(&byte, 1), boost::asio::socket_base::message_peek, ec);
  // would_block is the only healthy answer: nothing to read and no end of stream.
  return ec == boost::asio::error::would_block;
}

void HttpConnection::Close() {
  boost::system::error_code ignored;
  Tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  Tcp().close();
}

}  // namespace scanner::net
