#pragma once
// `momentum-scanner universe`: fetches exchangeInfo and the 24 h tickers once and prints the
// selected universe as a table (rank, symbol, 24 h quote volume, 24 h change %) or JSON.

#include <memory>
#include <ostream>

#include <spdlog/logger.h>

#include "config/config.h"
#include "core/error.h"
#include "universe/universe_selector.h"

namespace scanner::app {

// The universe selected from one exchangeInfo + 24 h tickers fetch, with every rejection.
struct UniverseSnapshot {
  core::Millis fetched_at = 0;
  universe::Selection selection;
};

// Fetches exchangeInfo and the 24 h tickers once (exchange.rest_url) and selects the universe as
// the scanner would now. The error names the endpoint (restricted location, IP ban).
core::Result<UniverseSnapshot> FetchUniverseNow(const config::Config& config,
                                                std::shared_ptr<spdlog::logger> logger);

struct UniverseCommandOptions {
  bool json = false;
  bool explain = false;  // also list every rejected symbol with its reason
};

// 0 on success; 1 when Binance cannot be reached or answers with an error (the message names the
// endpoint, and says so for a restricted location or an IP ban).
int RunUniverseCommand(const config::Config& config, const UniverseCommandOptions& options,
                       std::ostream& out, std::ostream& err,
                       std::shared_ptr<spdlog::logger> logger);

}  // namespace scanner::app
