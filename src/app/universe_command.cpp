#include "app/universe_command.h"

#include <boost/asio/io_context.hpp>

#include "binance/rest_client.h"
#include "core/clock.h"
#include "net/asio_wake_up_timer.h"
#include "net/http_client.h"
#include "universe/universe_printer.h"
#include "universe/universe_selector.h"

namespace scanner::app {

int RunUniverseCommand(const config::Config& config, const UniverseCommandOptions& options,
                       std::ostream& out, std::ostream& err,
                       std::shared_ptr<spdlog::logger> logger) {
  boost::asio::io_context io_context;
  core::SystemClock clock;

  net::HttpClientOptions http_options;
  http_options.ca_file = config.exchange.ca_file;
  http_options.request_timeout = std::chrono::milliseconds(config.exchange.request_timeout);
  http_options.user_agent = "momentum-scanner";
  auto http = net::HttpClient::Create(io_context, http_options, logger);
  if (!http) {
    err << "momentum-scanner: " << http.error().message << '\n';
    return 1;
  }
  net::AsioWakeUpTimer timer(io_context, clock);
  binance::RestClientOptions rest_options;
  rest_options.market = config.exchange.market;
  rest_options.base_url = config.exchange.rest_url;
  rest_options.weight_budget_fraction = config.exchange.weight_budget_fraction;
  rest_options.max_attempts = 2;  // a one-shot command: fail fast, the service is what retries
  binance::RestClient rest(io_context, **http, timer, clock, rest_options, logger);

  int exit_code = 1;
  rest.GetMarketSnapshot([&](binance::RestResult<binance::MarketSnapshot>&& snapshot) {
    if (!snapshot) {
      err << "momentum-scanner: cannot fetch the universe from Binance: "
          << snapshot.error().message << '\n';
    } else {
      universe::UniverseSelector selector(config.universe, config.exchange.market);
      universe::Selection selection =
          selector.Select(snapshot->exchange_info.symbols, snapshot->tickers);
      universe::Universe selected{config.exchange.market, snapshot->fetched_at,
                                  std::move(selection.symbols)};
      out << (options.json ? universe::FormatUniverseJson(selected)
                           : universe::FormatUniverseTable(selected));
      if (options.explain) {
        selection.symbols = selected.symbols;
        out << universe::FormatRejections(selection);
      }
      exit_code = 0;
    }
    rest.Shutdown();
    (*http)->Shutdown();
  });
  io_context.run();
  return exit_code;
}

}  // namespace scanner::app
