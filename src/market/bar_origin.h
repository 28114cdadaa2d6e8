#pragma once
// What released a closed bar to the signals: the live feed says so with every bar, so that the
// pipeline can decide whether an old bar may still alert (a warm-up bar only within
// signals.catch_up). Bars released together share one origin.

#include <cstdint>
#include <string_view>

namespace scanner::market {

enum class BarOrigin : std::uint8_t {
  kWarmUp,  // the symbol's warm-up completed (history over REST, at start or after a reload)
  kStream,  // a stream message
  kRest,    // a REST gap fill
};

// "warm-up", "stream", "rest".
std::string_view BarOriginName(BarOrigin origin);

}  // namespace scanner::market
