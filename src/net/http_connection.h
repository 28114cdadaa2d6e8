#pragma once
// One client-side HTTP/1.1 connection, plain TCP or TLS over TCP, with its read buffer.
// HttpExchange drives it through one request at a time; ConnectionPool keeps it between
// requests. It starts no operation itself.
//
// Not thread-safe: used on the io_context thread only. The TLS context given at construction must
// outlive the connection.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <variant>

namespace scanner::net {

class HttpConnection {
 public:
  using PlainStream = boost::beast::tcp_stream;
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  // A plain connection when `tls` is null, a TLS one otherwise. `pool_key` names the origin
  // (scheme://host:port) it may be reused for.
  HttpConnection(const boost::asio::any_io_executor& executor, boost::asio::ssl::context* tls,
                 std::string pool_key);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Calls `f(stream)` with the PlainStream or the TlsStream, for the async HTTP operations.
  template <class F>
  decltype(auto) Visit(F&& f) {
    return std::visit(std::forward<F>(f), stream_);
  }

  // The TCP layer: connect, timeouts, close.
  boost::beast::tcp_stream& Tcp();
  // The TLS stream, or null for a plain connection.
  TlsStream* Tls() { return std::get_if<TlsStream>(&stream_); }

  boost::beast::flat_buffer& buffer() { return buffer_; }
  const std::string& pool_key() const { return pool_key_; }

  // Requests completed on this connection; more than zero means a reuse.
  int completed_requests() const { return completed_requests_; }
  void CountCompletedRequest() { ++completed_requests_; }

  // When the connection went idle (set by ConnectionPool).
  std::chrono::steady_clock::time_point idle_since() const { return idle_since_; }
  void set_idle_since(std::chrono::steady_clock::time_point at) { idle_since_ = at; }

  // For an idle connection, without blocking: false when the peer has closed it, reset it or sent
  // anything unasked (a TLS close_notify too), which all make it unfit for another request.
  bool LooksReusable();

  // Closes the socket; pending operations complete with operation_aborted.
  void Close();

 private:
  std::variant<PlainStream, TlsStream> stream_;
  boost::beast::flat_buffer buffer_;
  std::string pool_key_;
  int completed_requests_ = 0;
  std::chrono::steady_clock::time_point idle_since_{};
};

}  // namespace scanner::net
