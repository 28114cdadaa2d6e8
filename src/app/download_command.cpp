#include "app/download_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <cctype>
#include <chrono>
#include <random>
#include <thread>

#include "app/universe_command.h"
#include "core/market.h"
#include "core/redact.h"
#include "download/download_plan.h"
#include "download/file_fetcher.h"
#include "download/kline_downloader.h"
#include "download/progress_display.h"
#include "net/http_client.h"
#include "replay/kline_file_name.h"

namespace scanner::app {
namespace {

constexpr std::string_view kDownloadProgram = "momentum-scanner download";

// Symbols go into URLs and paths: Binance's are upper-case letters and digits only.
bool IsSymbol(std::string_view text) {
  return !text.empty() && text.size() <= 32 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) != 0 ||
           std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

struct ParsedRequest {
  download::PlanRequest plan;
  core::Market market = core::Market::kSpot;
};

// Every problem with the options, one line each; the request when there is none.
std::expected<ParsedRequest, std::vector<std::string>> ParseOptions(
    const config::Config& config, const DownloadCommandOptions& options, const core::Clock& clock) {
  std::vector<std::string> problems;
  ParsedRequest parsed;
  parsed.market = config.exchange.market;
  if (!options.market.empty()) {
    auto market = core::ParseMarket(options.market);
    if (!market) {
      problems.push_back(
          fmt::format("--market: unknown market '{}', expected spot or usdm", options.market));
    } else {
      parsed.market = *market;
    }
  }
  if (options.universe && !options.symbols.empty()) {
    problems.push_back("--symbols and --universe: give one of them, not both");
  } else if (!options.universe && options.symbols.empty()) {
    problems.push_back("--symbols or --universe: say which symbols to download");
  }
  if (options.universe && parsed.market != config.exchange.market) {
    problems.push_back(fmt::format(
        "--universe with --market {}: the universe is selected on exchange.market ({}); set "
        "exchange.market instead",
        options.market, core::MarketName(config.exchange.market)));
  }
  for (const std::string& symbol : options.symbols) {
    if (!IsSymbol(symbol)) {
      problems.push_back(fmt::format(
          "--symbols: '{}' is not a Binance symbol (upper-case letters and digits, e.g. BTCUSDT)",
          symbol));
    } else {
      parsed.plan.symbols.push_back(symbol);
    }
  }
  if (options.intervals.empty()) problems.push_back("--intervals: give at least one, e.g. 1m,5m");
  for (const std::string& name : options.intervals) {
    auto interval = replay::ParseReplayInterval(name);
    if (!interval) {
      problems.push_back(
          fmt::format("--intervals: unknown interval '{}' (1s, 1m, 3m, 5m, 15m, "
                      "30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M)",
                      name));
    } else if (interval->Name() == "1s" && parsed.market == core::Market::kUsdm) {
      problems.push_back("--intervals: 1s exists on spot only");
    } else if (std::find(parsed.plan.intervals.begin(), parsed.plan.intervals.end(), *interval) ==
               parsed.plan.intervals.end()) {
      parsed.plan.intervals.push_back(*interval);
    }
  }
  auto from = download::ParseDay(options.from);
  if (!from) {
    problems.push_back(fmt::format("--from: expected a day as YYYY-MM-DD, got '{}'", options.from));
  }
  // Binance publishes a day's file the day after: yesterday is the latest there can be.
  const std::chrono::sys_days today = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(clock.NowMs())));
  std::optional<std::chrono::year_month_day> to =
      std::chrono::year_month_day{today - std::chrono::days{1}};
  if (!options.to.empty()) {
    to = download::ParseDay(options.to);
    if (!to) {
      problems.push_back(fmt::format("--to: expected a day as YYYY-MM-DD, got '{}'", options.to));
    }
  }
  if (from && to && std::chrono::sys_days{*from} > std::chrono::sys_days{*to}) {
    problems.push_back(fmt::format("--from {} is after --to {}", download::FormatDay(*from),
                                   download::FormatDay(*to)));
  }
  if (options.dir.empty()) problems.push_back("--dir: must not be empty");
  if (!problems.empty()) return std::unexpected(std::move(problems));
  parsed.plan.from = *from;
  parsed.plan.to = *to;
  return parsed;
}

}  // namespace

int RunDownloadCommand(const config::Config& config, const DownloadCommandOptions& options,
                       const core::Clock& clock, std::ostream& out, std::ostream& err,
                       std::shared_ptr<spdlog::logger> logger) {
  auto parsed = ParseOptions(config, options, clock);
  if (!parsed) {
    for (const std::string& problem : parsed.error()) {
      err << kDownloadProgram << ": " << problem << '\n';
    }
    return 2;
  }
  if (options.universe) {
    auto snapshot = FetchUniverseNow(config, logger);
    if (!snapshot) {
      err << kDownloadProgram << ": " << snapshot.error().message << '\n';
      return 1;
    }
    for (const auto& symbol : snapshot->selection.symbols) {
      if (IsSymbol(symbol.symbol)) parsed->plan.symbols.push_back(symbol.symbol);
    }
    err << fmt::format("{}: the universe holds {} symbols\n", kDownloadProgram,
                       parsed->plan.symbols.size());
  }

  boost::asio::io_context io_context;
  net::HttpClientOptions http_options;
  http_options.ca_file = config.exchange.ca_file;
  http_options.request_timeout = std::chrono::milliseconds(options.request_timeout);
  http_options.max_response_bytes = options.max_file_bytes;
  http_options.user_agent = "momentum-scanner";
  auto http = net::HttpClient::Create(io_context, http_options, logger);
  if (!http) {
    err << kDownloadProgram << ": " << http.error().message << '\n';
    return 1;
  }
  download::FileFetcher fetcher(
      io_context, **http,
      download::FetchOptions{.max_attempts = std::max(1, options.max_attempts),
                             .backoff = options.retry},
      [](core::Millis delay) { std::this_thread::sleep_for(std::chrono::milliseconds(delay)); },
      std::random_device{}());
  download::ProgressDisplay progress(err, options.terminal, clock);
  download::KlineDownloader downloader(
      fetcher,
      download::KlineDownloaderOptions{.base_url = config.exchange.vision_url,
                                       .market = parsed->market,
                                       .dir = options.dir,
                                       .checksum_attempts = std::max(1, options.checksum_attempts)},
      progress);
  err << fmt::format("{}: {} symbols, {} intervals, {} to {}, {} files from {} into {}\n",
                     kDownloadProgram, parsed->plan.symbols.size(), parsed->plan.intervals.size(),
                     download::FormatDay(parsed->plan.from), download::FormatDay(parsed->plan.to),
                     core::MarketName(parsed->market), core::RedactUrl(config.exchange.vision_url),
                     options.dir);
  const core::Millis started = clock.NowMs();
  download::DownloadReport report = downloader.Run(parsed->plan);
  progress.Close();
  (*http)->Shutdown();
  out << download::FormatSummary(report, static_cast<double>(clock.NowMs() - started) / 1000.0);
  return report.Complete() ? 0 : 1;
}

}  // namespace scanner::app
