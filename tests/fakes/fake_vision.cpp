#include "fakes/fake_vision.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <utility>

namespace scanner::fakes {
namespace {

std::string VisionSha256(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string BaseName(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

net::ServerResponse Zip200(std::string body) {
  net::ServerResponse response;
  response.status = 200;
  response.headers = {{"Content-Type", "application/zip"}};
  response.body = std::move(body);
  return response;
}

}  // namespace

FakeVision::FakeVision(boost::asio::io_context& io_context, FakeVisionOptions options)
    : io_context_(io_context), options_(std::move(options)) {}

FakeVision::~FakeVision() {
  if (server_) server_->Stop();
}

core::Result<std::unique_ptr<FakeVision>> FakeVision::Start(boost::asio::io_context& io_context,
                                                            FakeVisionOptions options) {
  std::unique_ptr<FakeVision> fake(new FakeVision(io_context, options));
  net::HttpServerOptions server_options;
  server_options.cert_file = options.cert_file;
  server_options.key_file = options.key_file;
  FakeVision* self = fake.get();
  auto server = net::HttpServer::Create(
      io_context, server_options,
      [self](const net::ServerRequest& request, net::Responder responder) {
        self->Handle(request, std::move(responder));
      },
      nullptr);
  if (!server) return std::unexpected(server.error());
  fake->server_ = std::move(*server);
  return fake;
}

std::string FakeVision::BaseUrl() const { return server_->BaseUrl(); }

void FakeVision::Publish(const std::string& path, std::string body, bool with_checksum) {
  std::lock_guard lock(mutex_);
  if (with_checksum) {
    files_[path + ".CHECKSUM"] = fmt::format("{}  {}\n", VisionSha256(body), BaseName(path));
  } else {
    files_.erase(path + ".CHECKSUM");
  }
  files_[path] = std::move(body);
}

void FakeVision::SetChecksumText(const std::string& path, std::string text) {
  std::lock_guard lock(mutex_);
  files_[path + ".CHECKSUM"] = std::move(text);
}

void FakeVision::InjectFault(const std::string& path, VisionFault fault, int count) {
  std::lock_guard lock(mutex_);
  faults_[path] = Scripted{fault, count};
}

void FakeVision::ClearFaults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

int FakeVision::Requests(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto found = requests_.find(path);
  return found == requests_.end() ? 0 : found->second;
}

int FakeVision::TotalRequests() const {
  std::lock_guard lock(mutex_);
  return total_requests_;
}

int FakeVision::ZipsServed() const {
  std::lock_guard lock(mutex_);
  return zips_served_;
}

void FakeVision::Handle(const net::ServerRequest& request, net::Responder responder) {
  std::string path = request.target.substr(0, request.target.find('?'));
  if (!path.empty() && path.front() == '/') path.erase(0, 1);
  std::optional<std::string> body;
  std::optional<VisionFault> fault;
  {
    std::lock_guard lock(mutex_);
    ++total_requests_;
    ++requests_[path];
    if (auto found = files_.find(path); found != files_.end()) body = found->second;
    if (auto scripted = faults_.find(path); scripted != faults_.end()) {
      fault = scripted->second.fault;
      if (scripted->second.remaining > 0 && --scripted->second.remaining == 0) {
        faults_.erase(scripted);
      }
    }
  }
  if (fault == VisionFault::k503) {
    responder.Respond(503, "Service Unavailable");
    return;
  }
  if (!body || request.method != boost::beast::http::verb::get) {
    responder.Respond(404,
                      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                      "<Message>The specified key does not exist.</Message></Error>",
                      "application/xml");
    return;
  }
  const bool is_zip = !path.ends_with(".CHECKSUM");
  if (fault == VisionFault::kCorrupt) {
    std::string damaged = std::move(*body);
    if (damaged.empty()) damaged = "x";
    for (std::size_t i = damaged.size() / 2; i < damaged.size() && i < damaged.size() / 2 + 16;
         ++i) {
      damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
    }
    responder.Respond(Zip200(std::move(damaged)));
    return;
  }
  if (fault == VisionFault::kDrop) {
    const std::string& whole = *body;
    responder.WriteRawAndClose(fmt::format(
        "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: {}\r\n\r\n{}",
        whole.size(), whole.substr(0, whole.size() / 2)));
    return;
  }
  if (is_zip) {
    std::lock_guard lock(mutex_);
    ++zips_served_;
  }
  if (fault == VisionFault::kSlow) {
    auto timer = std::make_shared<boost::asio::steady_timer>(io_context_, options_.slow_delay);
    timer->async_wait([timer, responder, answer = std::move(*body)](auto) mutable {
      responder.Respond(Zip200(std::move(answer)));
    });
    return;
  }
  responder.Respond(Zip200(std::move(*body)));
}

}  // namespace scanner::fakes
