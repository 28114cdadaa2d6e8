#include "download/file_fetcher.h"

#include <fmt/format.h>

#include <optional>
#include <utility>

namespace scanner::download {
namespace {

bool IsTransient(net::HttpErrorKind kind) {
  switch (kind) {
    case net::HttpErrorKind::kConnect:
    case net::HttpErrorKind::kTimeout:
    case net::HttpErrorKind::kConnectionLost:
    case net::HttpErrorKind::kProtocol:
      return true;
    default:
      return false;
  }
}

bool IsTransientStatus(unsigned status) { return status >= 500 || status == 429; }

}  // namespace

FileFetcher::FileFetcher(boost::asio::io_context& io_context, net::HttpClient& client,
                         FetchOptions options, Sleep sleep, std::uint64_t seed)
    : io_context_(io_context),
      client_(client),
      options_(std::move(options)),
      sleep_(std::move(sleep)),
      seed_(seed) {}

net::HttpResult FileFetcher::SendAndWait(const std::string& url) {
  std::optional<net::HttpResult> answer;
  net::HttpRequest request;
  request.url = url;
  client_.Send(std::move(request),
               [&answer](net::HttpResult result) { answer = std::move(result); });
  // The callback is posted exactly once, so there is work until it has run.
  while (!answer) {
    if (io_context_.run_one() == 0) {
      if (io_context_.stopped()) io_context_.restart();
      if (io_context_.run_one() == 0 && !answer) {
        return std::unexpected(
            net::HttpError{net::HttpErrorKind::kShutdown, "the event loop ran out of work"});
      }
    }
  }
  return std::move(*answer);
}

FetchResult FileFetcher::Get(const std::string& url) {
  core::Backoff backoff(options_.backoff, seed_++);
  FetchResult result;
  for (int attempt = 1;; ++attempt) {
    result.attempts = attempt;
    net::HttpResult answer = SendAndWait(url);
    bool transient = false;
    if (!answer) {
      result.error = fmt::format("{}: {}", net::HttpErrorKindName(answer.error().kind),
                                 answer.error().message);
      transient = IsTransient(answer.error().kind);
    } else if (answer->status == 200) {
      result.status = FetchStatus::kOk;
      result.body = std::move(answer->body);
      result.error.clear();
      return result;
    } else if (answer->status == 404) {
      result.status = FetchStatus::kNotFound;
      result.error = "HTTP 404";
      return result;
    } else {
      result.error = fmt::format("HTTP {}", answer->status);
      transient = IsTransientStatus(answer->status);
    }
    if (!transient || attempt >= options_.max_attempts) {
      result.status = FetchStatus::kFailed;
      return result;
    }
    ++retries_;
    sleep_(backoff.NextDelay());
  }
}

}  // namespace scanner::download
