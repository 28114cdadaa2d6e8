#include "net/connection_pool.h"

#include <utility>

namespace scanner::net {

ConnectionPool::ConnectionPool(std::size_t max_idle_per_key, std::chrono::milliseconds idle_timeout)
    : max_idle_per_key_(max_idle_per_key), idle_timeout_(idle_timeout) {}

ConnectionPool::~ConnectionPool() { Close(); }

std::unique_ptr<HttpConnection> ConnectionPool::Take(const std::string& key) {
  const auto found = idle_.find(key);
  if (found == idle_.end()) return nullptr;
  auto& connections = found->second;
  const auto now = std::chrono::steady_clock::now();
  std::unique_ptr<HttpConnection> usable;
  while (!connections.empty() && usable == nullptr) {
    std::unique_ptr<HttpConnection> candidate = std::move(connections.back());
    connections.pop_back();
    if (now - candidate->idle_since() <= idle_timeout_ && candidate->LooksReusable()) {
      usable = std::move(candidate);
    } else {
      candidate->Close();
    }
  }
  if (connections.empty()) idle_.erase(found);
  return usable;
}

void ConnectionPool::Put(std::unique_ptr<HttpConnection> connection) {
  auto& connections = idle_[connection->pool_key()];
  if (closed_ || connections.size() >= max_idle_per_key_) {
    connection->Close();
    if (connections.empty()) idle_.erase(connection->pool_key());
    return;
  }
  connection->set_idle_since(std::chrono::steady_clock::now());
  connections.push_back(std::move(connection));
}

void ConnectionPool::Close() {
  closed_ = true;
  for (auto& [key, connections] : idle_) {
    for (auto& connection : connections) connection->Close();
  }
  idle_.clear();
}

std::size_t ConnectionPool::IdleCount() const {
  std::size_t count = 0;
  for (const auto& [key, connections] : idle_) count += connections.size();
  return count;
}

}  // namespace scanner::net
