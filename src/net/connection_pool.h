#pragma once
// Idle kept-alive client connections per origin (scheme://host:port), newest reused first.
//
// Not thread-safe: used on the io_context thread only. Idle connections have no pending
// operation, so they never keep io_context::run() busy.

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>

#include "net/http_connection.h"

namespace scanner::net {

class ConnectionPool {
 public:
  ConnectionPool(std::size_t max_idle_per_key, std::chrono::milliseconds idle_timeout);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool();

  // An idle connection for `key` that still looks usable, or null. Connections found closed by
  // the peer or idle for longer than the idle timeout are closed and dropped on the way.
  std::unique_ptr<HttpConnection> Take(const std::string& key);

  // Keeps `connection` for reuse; closes it instead when the pool is closed, the key already has
  // its maximum of idle connections, or the limit is zero.
  void Put(std::unique_ptr<HttpConnection> connection);

  // Closes every idle connection; later Puts close theirs at once.
  void Close();

  std::size_t IdleCount() const;

 private:
  std::size_t max_idle_per_key_;
  std::chrono::milliseconds idle_timeout_;
  bool closed_ = false;
  std::unordered_map<std::string, std::deque<std::unique_ptr<HttpConnection>>> idle_;
};

}  // namespace scanner::net
