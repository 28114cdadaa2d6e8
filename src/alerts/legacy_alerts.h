#pragma once
// Adopting the alert history of the legacy (environment-only, Python) scanner, whose SQLite file
// has a table `alerts` with UNIQUE(symbol, timeframe, bar_close_time). Importing it means the new
// scanner never alerts a bar the old one already alerted (same UNIQUE key) and its cooldown
// remembers the old alerts.
//
// Two steps, both idempotent:
//   1. PrepareLegacyDatabase(path), before the database is opened with the scanner's migrations:
//      a file with user_version 0 whose `alerts` table has a `timeframe` column is a legacy file;
//      its table is renamed `legacy_alerts`, so migration 1 can create the scanner's own.
//   2. ImportLegacyAlerts(db, market), after: every row of `legacy_alerts` becomes an alert with
//      no delivery (it was sent long ago), created at its bar's close time (so retention ages it
//      from there). Then the table is renamed `legacy_alerts_imported` and kept for reference.
//
// Column mapping, read by name: symbol (text), timeframe (a Binance interval: 1m, 5m, 1h...),
// bar_close_time (integer ms or s since epoch; a close time on the interval boundary, as some
// scanners store it, becomes Binance's boundary - 1 ms), and when present direction (up/down,
// long/short, bull/bear, buy/sell, or a signed number; anything else counts as up), close or
// price, and atr_move. Missing numbers are stored as 0. A row that cannot be read is skipped
// and counted with its reason.
//
// Not thread-safe.

#include <cstdint>
#include <map>
#include <string>

#include "core/error.h"
#include "core/market.h"
#include "storage/database.h"

namespace scanner::alerts {

// True when the file was a legacy one and its table was renamed. A missing file is no legacy
// file (false); nothing is created.
core::Result<bool> PrepareLegacyDatabase(const std::string& path);

struct LegacyImportReport {
  bool found = false;  // a legacy_alerts table existed
  std::int64_t rows = 0;
  std::int64_t imported = 0;
  std::int64_t already_present = 0;
  std::map<std::string, std::int64_t> skipped;  // reason -> rows
};

core::Result<LegacyImportReport> ImportLegacyAlerts(storage::Database& db, core::Market market);

}  // namespace scanner::alerts
