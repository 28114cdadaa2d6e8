#pragma once
// The last selected universe of each market, kept in the scanner's SQLite database (tables
// universe_snapshot and universe_symbol, storage/schema.cpp) so that a restart can scan at once
// and a REST outage at start does not stop scanning.
//
// Not thread-safe; borrows the Database, which must outlive the cache (the scanner uses both
// from its io_context thread only).

#include <optional>

#include "core/error.h"
#include "core/market.h"
#include "core/time.h"
#include "storage/database.h"
#include "universe/universe.h"

namespace scanner::universe {

struct CachedUniverse {
  Universe universe;
  core::Millis age = 0;  // now - universe.fetched_at
  // Younger than the refresh interval: use it without refreshing. A snapshot from the future
  // (the clock stepped back) is never fresh.
  bool fresh = false;
};

class UniverseCache {
 public:
  UniverseCache(storage::Database& db, core::Millis refresh_interval);

  // Replaces the market's snapshot with `universe` (its market, fetched_at and symbols), in one
  // transaction.
  core::Status Save(const Universe& universe);

  // The market's snapshot, or nullopt when none was ever saved.
  core::Result<std::optional<CachedUniverse>> Load(core::Market market, core::Millis now);

 private:
  storage::Database& db_;
  core::Millis refresh_interval_;
};

}  // namespace scanner::universe
