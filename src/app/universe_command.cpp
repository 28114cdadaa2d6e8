#include "app/universe_command.h"

#include <boost/asio/io_context.hpp>

#include "binance/rest_client.h"
#include "core/clock.h"
#include "net/asio_wake_up_timer.h"
#include "net/http_client.h"
#include "universe/universe_printer.h"
#include "universe/universe_selector.h"

namespace scanner::app {

core::Result<UniverseSnapshot> FetchUniverseNow(const config::Config& config,
                                                std::shared_ptr<spdlog::logger> logger) {
  boost::asio::io_context io_context;
  core::SystemClock clock;

  net::HttpClientOptions http_options;
  http_options.ca_file = config.exchange.ca_file;
  http_options.request_timeout = std::chrono::milliseconds(config.exchange.request_timeout);
  http_options.user_agent = "momentum-scanner";
  auto http = net::HttpClient::Create(io_context, http_options, logger);
  if (!http) return std::unexpected(http.error());
  net::AsioWakeUpTimer timer(io_context, clock);
  binance::RestClientOptions rest_options;
  rest_options.market = config.exchange.market;
  rest_options.base_url = config.exchange.rest_url;
  rest_options.weight_budget_fraction = config.exchange.weight_budget_fraction;
  rest_options.max_attempts = 2;  // a one-shot command: fail fast, the service is what retries
  binance::RestClient rest(io_context, **http, timer, clock, rest_options, logger);

  core::Result<UniverseSnapshot> result = core::Fail("no answer");
  rest.GetMarketSnapshot([&](binance::RestResult<binance::MarketSnapshot>&& snapshot) {
    if (!snapshot) {
      result = core::Fail("cannot fetch the universe from Binance: " + snapshot.error().message);
    } else {
      universe::UniverseSelector selector(config.universe, config.exchange.market);
      result = UniverseSnapshot{
          snapshot->fetched_at,
          selector.Select(snapshot->exchange_info.symbols, snapshot->tickers)};
    }
    rest.Shutdown();
    (*http)->Shutdown();
  });
  io_context.run();
  return result;
}

int RunUniverseCommand(const config::Config& config, const UniverseCommandOptions& options,
                       std::ostream& out, std::ostream& err,
                       std::shared_ptr<spdlog::logger> logger) {
  auto snapshot = FetchUniverseNow(config, std::move(logger));
  if (!snapshot) {
    err << "momentum-scanner: " << snapshot.error().message << '\n';
    return 1;
  }
  universe::Selection& selection = snapshot->selection;
  universe::Universe selected{config.exchange.market, snapshot->fetched_at,
                              std::move(selection.symbols)};
  out << (options.json ? universe::FormatUniverseJson(selected)
                       : universe::FormatUniverseTable(selected));
  if (options.explain) {
    selection.symbols = selected.symbols;
    out << universe::FormatRejections(selection);
  }
  return 0;
}

}  // namespace scanner::app
