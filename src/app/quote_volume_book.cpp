#include "app/quote_volume_book.h"

#include <cmath>

namespace scanner::app {

void QuoteVolumeBook::Update(std::string_view symbol, double quote_volume,
                             core::Millis event_time) {
  if (!std::isfinite(quote_volume) || quote_volume < 0) return;
  auto it = volumes_.find(symbol);
  if (it == volumes_.end()) {
    volumes_.emplace(std::string(symbol), Entry{quote_volume, event_time});
    return;
  }
  if (event_time < it->second.event_time) return;
  it->second = Entry{quote_volume, event_time};
}

void QuoteVolumeBook::Forget(std::string_view symbol) {
  auto it = volumes_.find(symbol);
  if (it != volumes_.end()) volumes_.erase(it);
}

std::optional<double> QuoteVolumeBook::QuoteVolume24h(const core::Symbol& symbol) const {
  auto it = volumes_.find(std::string_view(symbol));
  if (it == volumes_.end()) return std::nullopt;
  return it->second.quote_volume;
}

}  // namespace scanner::app
