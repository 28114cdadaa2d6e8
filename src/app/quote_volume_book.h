#pragma once
// QuoteVolumeBook: the latest rolling 24 h quote volume per symbol, for the signal engine's
// liquidity filter. Fed by the market ticker stream (one entry per symbol every second or so)
// and seeded from the universe snapshot's REST tickers, so a symbol can alert before the first
// ticker array arrives.
//
// Not thread-safe: the event-loop thread.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/types.h"
#include "signals/signal_sources.h"

namespace scanner::app {

class QuoteVolumeBook final : public signals::QuoteVolumeSource {
 public:
  // A ticker entry; an older event_time than the one held is ignored (streams and REST race).
  void Update(std::string_view symbol, double quote_volume, core::Millis event_time);
  void Forget(std::string_view symbol);

  std::optional<double> QuoteVolume24h(const core::Symbol& symbol) const override;
  std::size_t size() const { return volumes_.size(); }

 private:
  struct Entry {
    double quote_volume = 0;
    core::Millis event_time = 0;
  };
  // Transparent hashing: the stream hands string_views, and a lookup must not allocate.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> volumes_;
};

}  // namespace scanner::app
