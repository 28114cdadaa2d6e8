#include "storage/schema.h"

namespace scanner::storage {
namespace {

// Version 1. Append new versions; never edit one that has shipped.
constexpr Migration kMigrations[] = {
    {1, "universe cache and alert outbox", R"sql(
CREATE TABLE universe_snapshot (
  market      TEXT PRIMARY KEY,           -- 'spot' | 'usdm'
  fetched_at  INTEGER NOT NULL            -- ms since epoch
);
CREATE TABLE universe_symbol (
  market               TEXT NOT NULL,
  rank                 INTEGER NOT NULL,  -- 1 = highest 24h quote volume
  symbol               TEXT NOT NULL,
  base_asset           TEXT NOT NULL,
  quote_asset          TEXT NOT NULL,
  quote_volume_24h     REAL NOT NULL,
  price_change_percent REAL NOT NULL,
  PRIMARY KEY (market, symbol)
);

CREATE TABLE alerts (
  id               INTEGER PRIMARY KEY,
  market           TEXT NOT NULL,
  symbol           TEXT NOT NULL,
  interval         TEXT NOT NULL,
  bar_open_time    INTEGER NOT NULL,
  bar_close_time   INTEGER NOT NULL,
  direction        TEXT NOT NULL CHECK (direction IN ('up', 'down')),
  severity         TEXT NOT NULL,
  close            REAL NOT NULL,
  change_percent   REAL NOT NULL,
  atr_move         REAL NOT NULL,
  return_z         REAL NOT NULL,
  volume_z         REAL NOT NULL,
  quote_volume     REAL NOT NULL,
  quote_volume_24h REAL NOT NULL,
  atr              REAL NOT NULL,
  atr_percent      REAL NOT NULL,
  confirmations    TEXT NOT NULL,         -- comma-separated intervals that agreed
  created_at       INTEGER NOT NULL,
  UNIQUE (symbol, interval, bar_close_time)
);
CREATE INDEX alerts_cooldown ON alerts (symbol, interval, direction, bar_close_time);
CREATE INDEX alerts_created ON alerts (created_at);

CREATE TABLE deliveries (
  alert_id        INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  destination     TEXT NOT NULL,          -- non-secret id of a sink, e.g. 'discord:<webhook id>'
  state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  sent_at         INTEGER,
  PRIMARY KEY (alert_id, destination)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
)sql"},
};

}  // namespace

std::span<const Migration> ScannerMigrations() { return kMigrations; }

}  // namespace scanner::storage
