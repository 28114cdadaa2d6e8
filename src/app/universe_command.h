#pragma once
// `momentum-scanner universe`: fetches exchangeInfo and the 24 h tickers once and prints the
// selected universe as a table (rank, symbol, 24 h quote volume, 24 h change %) or JSON.

#include <memory>
#include <ostream>

#include <spdlog/logger.h>

#include "config/config.h"

namespace scanner::app {

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
