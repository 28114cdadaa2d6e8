#pragma once
// GET one URL to the end, retrying what may pass: transport failures (connect, timeout, a
// connection dropped mid-body, a response that is not HTTP) and 5xx/429 answers, after a
// jittered exponential backoff (core::Backoff). A 404 is an answer, not a failure: the file does
// not exist. Any other status fails at once.
//
// Blocking: each Get runs the borrowed io_context until its answer has arrived, so it is for
// one-shot commands whose thread owns that io_context (`download`). The wait between attempts is
// the injected `sleep`, so tests pass a short policy (milliseconds) or record the delays.
//
// Not thread-safe. The io_context and the client must outlive the fetcher. Errors never show a
// URL's path or query (HttpError names the origin only).

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "core/backoff.h"
#include "net/http_client.h"

namespace scanner::download {

struct FetchOptions {
  int max_attempts = 4;  // in all, the first included (>= 1)
  core::BackoffPolicy backoff{
      .initial = 1 * core::kSecond, .max = 30 * core::kSecond, .multiplier = 2.0, .jitter = 0.5};
};

enum class FetchStatus { kOk, kNotFound, kFailed };

struct FetchResult {
  FetchStatus status = FetchStatus::kFailed;
  std::string body;   // kOk: the whole body
  std::string error;  // kFailed: the last attempt's error ("timeout: ...", "HTTP 403")
  int attempts = 0;
};

class FileFetcher {
 public:
  using Sleep = std::function<void(core::Millis)>;

  FileFetcher(boost::asio::io_context& io_context, net::HttpClient& client, FetchOptions options,
              Sleep sleep, std::uint64_t seed);
  FileFetcher(const FileFetcher&) = delete;
  FileFetcher& operator=(const FileFetcher&) = delete;

  FetchResult Get(const std::string& url);

  // Attempts after the first, over every Get so far.
  std::int64_t retries() const { return retries_; }

 private:
  net::HttpResult SendAndWait(const std::string& url);

  boost::asio::io_context& io_context_;
  net::HttpClient& client_;
  FetchOptions options_;
  Sleep sleep_;
  std::uint64_t seed_;
  std::int64_t retries_ = 0;
};

}  // namespace scanner::download
