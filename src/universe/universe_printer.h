#pragma once
// Text renderings of a universe for the `momentum-scanner universe` command: an aligned table
// (rank, symbol, 24 h quote volume, 24 h change %), a JSON array of
// {"symbol": ..., "quote_volume": ...}, and, for debugging, the reason each symbol was dropped.
// Pure functions; thread-safe.

#include <string>

#include "universe/universe.h"
#include "universe/universe_selector.h"

namespace scanner::universe {

// One header line, then one line per symbol, e.g.
//   rank  symbol     24h quote volume  24h change %
//      1  BTCUSDT       1,537,040,739         +1.25
// Volumes are rounded to whole units of the quote asset, changes to two decimals; symbols kept
// only by `include` are marked with "*". Ends with a newline.
std::string FormatUniverseTable(const Universe& universe);

// [{"symbol":"BTCUSDT","quote_volume":1537040739.3455315}, ...] in rank order, on one line
// with a final newline. Volumes print the shortest text that reads back as the same double.
std::string FormatUniverseJson(const Universe& universe);

// "symbol reason quote_volume" per rejected symbol, one per line, in Selection order.
std::string FormatRejections(const Selection& selection);

}  // namespace scanner::universe
