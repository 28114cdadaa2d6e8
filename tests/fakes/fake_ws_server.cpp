#include "fakes/fake_ws_server.h"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <map>
#include <thread>
#include <type_traits>
#include <utility>

#include "net/tls_context.h"

namespace scanner::fakes {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using boost::system::error_code;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr auto kWsRecheck = std::chrono::milliseconds(5);
constexpr auto kHandshakeTimeout = std::chrono::seconds(30);

struct Outgoing {
  enum class Kind { kText, kPing, kClose };
  Kind kind = Kind::kText;
  std::string payload{};
  std::uint16_t code = 0;
};

// The server-thread side of one connection, whatever its stream type.
class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  virtual void Enqueue(Outgoing item) = 0;
  virtual void Drop() = 0;
  virtual void SetSilent(bool silent) = 0;
};

}  // namespace

std::vector<std::string> FakeWsConnection::Texts() const {
  std::vector<std::string> texts;
  for (const ClientFrame& frame : frames) {
    if (frame.kind == ClientFrame::Kind::kText) texts.push_back(frame.payload);
  }
  return texts;
}

std::size_t FakeWsConnection::Count(ClientFrame::Kind kind) const {
  return static_cast<std::size_t>(std::count_if(
      frames.begin(), frames.end(), [kind](const ClientFrame& frame) { return frame.kind == kind; }));
}

class FakeWsServer::Impl {
 public:
  Impl(FakeWsServer& server, std::optional<asio::ssl::context> tls)
      : server_(server), acceptor_(io_), tls_(std::move(tls)) {}

  core::Status Listen() {
    error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return core::Fail("fake ws server: cannot listen on 127.0.0.1: " + ec.message());
    server_.port_ = acceptor_.local_endpoint().port();
    Accept();
    thread_ = std::thread([this] { io_.run(); });
    return {};
  }

  void Shutdown() {
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  // Runs `action` on the live connection `id`, on the server thread.
  void With(std::size_t id, std::function<void(LiveConnection&)> action) {
    asio::post(io_, [this, id, action = std::move(action)] {
      const auto found = live_.find(id);
      if (found == live_.end()) return;
      if (auto connection = found->second.lock()) action(*connection);
    });
  }

  void WithAll(std::function<void(LiveConnection&)> action) {
    asio::post(io_, [this, action = std::move(action)] {
      for (auto& [id, weak] : live_) {
        if (auto connection = weak.lock()) action(*connection);
      }
    });
  }

 private:
  template <class Ws>
  class Connection;

  void Accept();

  FakeWsServer& server_;
  // Declared first so it is destroyed last: connections and sockets below close before it.
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::optional<asio::ssl::context> tls_;
  std::map<std::size_t, std::weak_ptr<LiveConnection>> live_;  // server thread only
  std::vector<tcp::socket> stalled_;                            // server thread only
  std::thread thread_;
};

template <class Ws>
class FakeWsServer::Impl::Connection final : public LiveConnection,
                                              public std::enable_shared_from_this<Connection<Ws>> {
 public:
  static constexpr bool kTls = !std::is_same_v<typename Ws::next_layer_type, beast::tcp_stream>;

  Connection(Impl& impl, Ws ws) : impl_(impl), ws_(std::move(ws)) {}

  void Start() {
    if constexpr (kTls) {
      ws_.next_layer().async_handshake(
          asio::ssl::stream_base::server, [self = this->shared_from_this()](error_code ec) {
            if (!ec) self->ReadRequest();
          });
    } else {
      ReadRequest();
    }
  }

  void Enqueue(Outgoing item) override {
    if (silent_ || closed_) return;
    outbox_.push_back(std::move(item));
    Write();
  }

  void Drop() override {
    closed_ = true;
    outbox_.clear();
    beast::get_lowest_layer(ws_).close();
  }

  void SetSilent(bool silent) override {
    silent_ = silent;
    if (silent_) outbox_.erase(outbox_.begin() + (writing_ ? 1 : 0), outbox_.end());
  }

 private:
  void ReadRequest() {
    http::async_read(ws_.next_layer(), buffer_, request_,
                     [self = this->shared_from_this()](error_code ec, std::size_t) {
                       if (!ec && websocket::is_upgrade(self->request_)) self->AcceptUpgrade();
                     });
  }

  void AcceptUpgrade() {
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = kHandshakeTimeout;
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;  // the test scripts every ping
    ws_.set_option(timeouts);
    ws_.read_message_max(impl_.server_.options_.max_message_bytes);
    ws_.control_callback([this](websocket::frame_type kind, std::string_view payload) {
      ClientFrame frame{.payload = std::string(payload), .at = std::chrono::steady_clock::now()};
      if (kind == websocket::frame_type::ping) frame.kind = ClientFrame::Kind::kPing;
      if (kind == websocket::frame_type::pong) frame.kind = ClientFrame::Kind::kPong;
      if (kind == websocket::frame_type::close) {
        frame.kind = ClientFrame::Kind::kClose;
        frame.code = ws_.reason().code;
      }
      impl_.server_.RecordFrame(id_, std::move(frame));
    });
    ws_.async_accept(request_, [self = this->shared_from_this()](error_code ec) {
      if (!ec) self->OnOpen();
    });
  }

  void OnOpen() {
    std::string target(request_.target());
    id_ = impl_.server_.RecordOpen(target, std::string(request_[http::field::user_agent]));
    impl_.live_[id_] = this->shared_from_this();
    buffer_.consume(buffer_.size());
    if (impl_.server_.options_.on_open) impl_.server_.options_.on_open(impl_.server_, id_, target);
    Read();
  }

  void Read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](error_code ec, std::size_t) {
      self->OnRead(ec);
    });
  }

  void OnRead(error_code ec) {
    if (ec) {
      closed_ = true;
      impl_.server_.RecordClosed(id_);
      return;
    }
    const auto data = buffer_.cdata();
    const std::string_view text(static_cast<const char*>(data.data()), data.size());
    impl_.server_.RecordFrame(id_, ClientFrame{.kind = ClientFrame::Kind::kText,
                                               .payload = std::string(text),
                                               .at = std::chrono::steady_clock::now()});
    if (impl_.server_.options_.on_text) impl_.server_.options_.on_text(impl_.server_, id_, text);
    buffer_.consume(buffer_.size());
    Read();
  }

  void Write() {
    if (writing_ || closed_ || outbox_.empty()) return;
    writing_ = true;
    auto done = [self = this->shared_from_this()](error_code ec, std::size_t = 0) {
      self->OnWrite(ec);
    };
    Outgoing& item = outbox_.front();
    switch (item.kind) {
      case Outgoing::Kind::kText:
        ws_.text(true);
        ws_.async_write(asio::buffer(item.payload), std::move(done));
        break;
      case Outgoing::Kind::kPing:
        ws_.async_ping(websocket::ping_data(item.payload.data(), std::min<std::size_t>(
                                                                      item.payload.size(), 125)),
                       std::move(done));
        break;
      case Outgoing::Kind::kClose:
        ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(item.code), item.payload), std::move(done));
        break;
    }
  }

  void OnWrite(error_code ec) {
    writing_ = false;
    if (ec) {
      closed_ = true;
      outbox_.clear();
      return;
    }
    if (!outbox_.empty()) outbox_.pop_front();
    if (!outbox_.empty() && outbox_.front().kind == Outgoing::Kind::kClose) {
      // Nothing may follow a close frame.
      outbox_.erase(outbox_.begin() + 1, outbox_.end());
    }
    Write();
  }

  Impl& impl_;
  Ws ws_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::size_t id_ = 0;
  std::deque<Outgoing> outbox_;  // front() is in flight while writing_
  bool writing_ = false;
  bool silent_ = false;
  bool closed_ = false;
};

void FakeWsServer::Impl::Accept() {
  acceptor_.async_accept(io_, [this](error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      server_.RecordTcpAccepted();
      if (server_.options_.stall_handshakes) {
        stalled_.push_back(std::move(socket));
      } else if (tls_) {
        using Ws = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;
        std::make_shared<Connection<Ws>>(*this, Ws(std::move(socket), *tls_))->Start();
      } else {
        using Ws = websocket::stream<beast::tcp_stream>;
        std::make_shared<Connection<Ws>>(*this, Ws(std::move(socket)))->Start();
      }
    }
    Accept();
  });
}

// ---- FakeWsServer -------------------------------------------------------------------------------

core::Result<std::unique_ptr<FakeWsServer>> FakeWsServer::Start(FakeWsServerOptions options) {
  std::optional<asio::ssl::context> tls;
  if (options.tls) {
    auto context = net::MakeServerTlsContext(options.cert_file, options.key_file);
    if (!context) return std::unexpected(context.error());
    tls.emplace(std::move(*context));
  }
  std::unique_ptr<FakeWsServer> server(new FakeWsServer(std::move(options)));
  server->impl_ = std::make_unique<Impl>(*server, std::move(tls));
  if (auto listening = server->impl_->Listen(); !listening) {
    return std::unexpected(listening.error());
  }
  return server;
}

FakeWsServer::FakeWsServer(FakeWsServerOptions options) : options_(std::move(options)) {}

FakeWsServer::~FakeWsServer() {
  // Stops the thread first; the Impl then closes every socket as it is destroyed.
  if (impl_) impl_->Shutdown();
}

std::string FakeWsServer::Url(std::string_view target, std::string_view host) const {
  return std::string(options_.tls ? "wss://" : "ws://") + std::string(host) + ":" +
         std::to_string(port_) + std::string(target);
}

void FakeWsServer::SendText(std::size_t id, std::string text) {
  impl_->With(id, [text = std::move(text)](LiveConnection& connection) {
    connection.Enqueue(Outgoing{.kind = Outgoing::Kind::kText, .payload = text});
  });
}

void FakeWsServer::SendTextToAll(std::string text) {
  impl_->WithAll([text = std::move(text)](LiveConnection& connection) {
    connection.Enqueue(Outgoing{.kind = Outgoing::Kind::kText, .payload = text});
  });
}

void FakeWsServer::SendPing(std::size_t id, std::string payload) {
  impl_->With(id, [payload = std::move(payload)](LiveConnection& connection) {
    connection.Enqueue(Outgoing{.kind = Outgoing::Kind::kPing, .payload = payload});
  });
}

void FakeWsServer::SendClose(std::size_t id, std::uint16_t code, std::string reason) {
  impl_->With(id, [code, reason = std::move(reason)](LiveConnection& connection) {
    connection.Enqueue(Outgoing{.kind = Outgoing::Kind::kClose, .payload = reason, .code = code});
  });
}

void FakeWsServer::Drop(std::size_t id) {
  impl_->With(id, [](LiveConnection& connection) { connection.Drop(); });
}

void FakeWsServer::DropAll() {
  impl_->WithAll([](LiveConnection& connection) { connection.Drop(); });
}

void FakeWsServer::SetSilent(std::size_t id, bool silent) {
  impl_->With(id, [silent](LiveConnection& connection) { connection.SetSilent(silent); });
}

std::size_t FakeWsServer::TcpAccepted() const {
  std::lock_guard lock(mutex_);
  return tcp_accepted_;
}

std::size_t FakeWsServer::ConnectionCount() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

std::size_t FakeWsServer::OpenCount() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(connections_.begin(), connections_.end(),
                    [](const FakeWsConnection& connection) { return connection.open; }));
}

std::optional<FakeWsConnection> FakeWsServer::Connection(std::size_t id) const {
  std::lock_guard lock(mutex_);
  if (id >= connections_.size()) return std::nullopt;
  return connections_[id];
}

std::vector<std::string> FakeWsServer::Texts(std::size_t id) const {
  std::lock_guard lock(mutex_);
  if (id >= connections_.size()) return {};
  return connections_[id].Texts();
}

bool FakeWsServer::WaitFor(const std::function<bool()>& predicate,
                           std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::uint64_t seen = 0;
    {
      std::lock_guard lock(mutex_);
      seen = version_;
    }
    if (predicate()) return true;  // called unlocked: it may use the accessors above
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, std::min(deadline, now + kWsRecheck),
                        [&] { return version_ != seen; });
  }
}

void FakeWsServer::RecordTcpAccepted() {
  {
    std::lock_guard lock(mutex_);
    ++tcp_accepted_;
  }
  Notify();
}

std::size_t FakeWsServer::RecordOpen(std::string target, std::string user_agent) {
  std::size_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = connections_.size();
    connections_.push_back(FakeWsConnection{
        .id = id, .target = std::move(target), .user_agent = std::move(user_agent)});
  }
  Notify();
  return id;
}

void FakeWsServer::RecordFrame(std::size_t id, ClientFrame frame) {
  {
    std::lock_guard lock(mutex_);
    if (id < connections_.size()) connections_[id].frames.push_back(std::move(frame));
  }
  Notify();
}

void FakeWsServer::RecordClosed(std::size_t id) {
  {
    std::lock_guard lock(mutex_);
    if (id < connections_.size()) connections_[id].open = false;
  }
  Notify();
}

void FakeWsServer::Notify() {
  {
    std::lock_guard lock(mutex_);
    ++version_;
  }
  changed_.notify_all();
}

}  // namespace scanner::fakes
