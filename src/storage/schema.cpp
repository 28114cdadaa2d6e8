#include "storage/schema.h"

namespace scanner::storage {
namespace {

// Append new versions; never edit one that has shipped.
constexpr Migration kMigrations[] = {
    {1, "universe cache and alert outbox", R"sql(
CREATE TABLE universe_snapshot (
  market      TEXT PRIMARY KEY CHECK (market IN ('spot', 'usdm')),
  fetched_at  INTEGER NOT NULL            -- ms since epoch, when exchangeInfo/tickers were fetched
);
CREATE TABLE universe_symbol (
  market               TEXT NOT NULL REFERENCES universe_snapshot (market) ON DELETE CASCADE,
  rank                 INTEGER NOT NULL,  -- 1 = highest 24h quote volume
  symbol               TEXT NOT NULL,
  base_asset           TEXT NOT NULL,
  quote_asset          TEXT NOT NULL,
  quote_volume_24h     REAL NOT NULL,
  price_change_percent REAL NOT NULL,
  included             INTEGER NOT NULL DEFAULT 0 CHECK (included IN (0, 1)),  -- kept by `include`
  PRIMARY KEY (market, symbol)
);

CREATE TABLE alerts (
  id               INTEGER PRIMARY KEY,   -- insertion order: the outbox sends oldest first
  market           TEXT NOT NULL CHECK (market IN ('spot', 'usdm')),
  symbol           TEXT NOT NULL,         -- as Binance spells it; may be non-ASCII UTF-8
  interval         TEXT NOT NULL,
  bar_open_time    INTEGER NOT NULL,      -- ms since epoch
  bar_close_time   INTEGER NOT NULL,      -- ms since epoch (Binance's: open + length - 1)
  direction        TEXT NOT NULL CHECK (direction IN ('up', 'down')),
  severity         TEXT NOT NULL CHECK (severity IN ('normal', 'strong')),
  close            REAL NOT NULL,
  change_percent   REAL NOT NULL,
  atr_move         REAL NOT NULL,
  return_z         REAL NOT NULL,
  volume_z         REAL NOT NULL,
  quote_volume     REAL NOT NULL,
  quote_volume_24h REAL NOT NULL,
  atr              REAL NOT NULL,
  atr_percent      REAL NOT NULL,
  confirmations    TEXT NOT NULL,         -- comma-separated intervals that agreed, '' for none
  created_at       INTEGER NOT NULL,      -- ms since epoch, when the alert was stored
  UNIQUE (symbol, interval, bar_close_time)
);
CREATE INDEX alerts_cooldown ON alerts (symbol, interval, direction, bar_close_time);
CREATE INDEX alerts_created ON alerts (created_at);

-- One row per (alert, destination): the outbox. Webhook URLs are secrets and never stored.
CREATE TABLE deliveries (
  alert_id        INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  destination     TEXT NOT NULL,          -- non-secret id of a sink, e.g. 'discord:<webhook id>'
  state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,  -- requests that carried this delivery
  next_attempt_at INTEGER NOT NULL,       -- ms since epoch; due when pending and <= now
  last_error      TEXT,                   -- why the last attempt failed / why failed or dead
  sent_at         INTEGER,                -- ms since epoch, once sent
  updated_at      INTEGER NOT NULL,       -- ms since epoch, last state change
  PRIMARY KEY (alert_id, destination)
);
CREATE INDEX deliveries_pending ON deliveries (destination, alert_id) WHERE state = 'pending';
)sql"},
    // SQLite cannot change a UNIQUE constraint in place: both outbox tables are rebuilt (the
    // deliveries first, so dropping the old alerts cascades to nothing) and renamed back;
    // the rename also points deliveries' foreign key at the new alerts table.
    {2, "the market is part of the alert key and of the cooldown index", R"sql(
CREATE TABLE alerts_v2 (
  id               INTEGER PRIMARY KEY,   -- insertion order: the outbox sends oldest first
  market           TEXT NOT NULL CHECK (market IN ('spot', 'usdm')),
  symbol           TEXT NOT NULL,         -- as Binance spells it; may be non-ASCII UTF-8
  interval         TEXT NOT NULL,
  bar_open_time    INTEGER NOT NULL,      -- ms since epoch
  bar_close_time   INTEGER NOT NULL,      -- ms since epoch (Binance's: the next open - 1)
  direction        TEXT NOT NULL CHECK (direction IN ('up', 'down')),
  severity         TEXT NOT NULL CHECK (severity IN ('normal', 'strong')),
  close            REAL NOT NULL,
  change_percent   REAL NOT NULL,
  atr_move         REAL NOT NULL,
  return_z         REAL NOT NULL,
  volume_z         REAL NOT NULL,
  quote_volume     REAL NOT NULL,
  quote_volume_24h REAL NOT NULL,
  atr              REAL NOT NULL,
  atr_percent      REAL NOT NULL,
  confirmations    TEXT NOT NULL,         -- comma-separated intervals that agreed, '' for none
  created_at       INTEGER NOT NULL,      -- ms since epoch, when the alert was stored
  UNIQUE (market, symbol, interval, bar_close_time)
);
INSERT INTO alerts_v2 (id, market, symbol, interval, bar_open_time, bar_close_time, direction,
  severity, close, change_percent, atr_move, return_z, volume_z, quote_volume, quote_volume_24h,
  atr, atr_percent, confirmations, created_at)
SELECT id, market, symbol, interval, bar_open_time, bar_close_time, direction, severity, close,
  change_percent, atr_move, return_z, volume_z, quote_volume, quote_volume_24h, atr, atr_percent,
  confirmations, created_at
FROM alerts;

CREATE TABLE deliveries_v2 (
  alert_id        INTEGER NOT NULL REFERENCES alerts_v2 (id) ON DELETE CASCADE,
  destination     TEXT NOT NULL,          -- non-secret id of a sink, e.g. 'discord:<webhook id>'
  state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,  -- requests that carried this delivery
  next_attempt_at INTEGER NOT NULL,       -- ms since epoch; due when pending and <= now
  last_error      TEXT,                   -- why the last attempt failed / why failed or dead
  sent_at         INTEGER,                -- ms since epoch, once sent
  updated_at      INTEGER NOT NULL,       -- ms since epoch, last state change
  PRIMARY KEY (alert_id, destination)
);
INSERT INTO deliveries_v2 (alert_id, destination, state, attempts, next_attempt_at, last_error,
  sent_at, updated_at)
SELECT alert_id, destination, state, attempts, next_attempt_at, last_error, sent_at, updated_at
FROM deliveries;

DROP TABLE deliveries;
DROP TABLE alerts;
ALTER TABLE alerts_v2 RENAME TO alerts;
ALTER TABLE deliveries_v2 RENAME TO deliveries;
CREATE INDEX alerts_cooldown ON alerts (market, symbol, interval, direction, bar_close_time);
CREATE INDEX alerts_created ON alerts (created_at);
CREATE INDEX deliveries_pending ON deliveries (destination, alert_id) WHERE state = 'pending';
)sql"},
    {3, "every alert's outcome over the following bars", R"sql(
-- One row per alert, written as its following bars close (signals::OutcomeTracker); see
-- core/outcome.h for the measures. While open (complete_at NULL) the row holds the running
-- state, so a restart carries on where it stopped instead of measuring again.
CREATE TABLE alert_outcomes (
  alert_id     INTEGER PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
  horizons     TEXT NOT NULL,            -- '1,5,20': bars after the alert's bar, ascending
  returns      TEXT NOT NULL,            -- percent per horizon, same order; '' = not measured
  mfe_percent  REAL,                     -- running while open; NULL when a bar was missing
  mae_percent  REAL,
  last_bar     INTEGER NOT NULL DEFAULT 0,  -- the last bar seen, in bars after the alert's
  hole         INTEGER NOT NULL DEFAULT 0 CHECK (hole IN (0, 1)),  -- a bar was missing
  complete_at  INTEGER,                  -- ms since epoch, when the outcome became final
  updated_at   INTEGER NOT NULL          -- ms since epoch
);
CREATE INDEX alert_outcomes_open ON alert_outcomes (alert_id) WHERE complete_at IS NULL;
)sql"},
    // Columns are added, not rebuilt: existing rows read NULL, which the statements of this
    // version never leave behind (the UPDATE gives every old alert an episode of its own).
    {4, "Discord message ids, alert episodes and outcome edits of sent messages", R"sql(
-- Discord's id (a snowflake; not secret) of the message showing the alert at this destination,
-- from the ?wait=true answer or the edit that added it; NULL until sent and for the console.
ALTER TABLE deliveries ADD COLUMN message_id TEXT;
-- Alerts of one market, symbol and direction whose bars overlap form an episode, named by its
-- first alert's id (alerts/episode.h). message_head_id: the alert whose message shows this
-- one (itself when it posts its own).
ALTER TABLE alerts ADD COLUMN episode_id INTEGER;
ALTER TABLE alerts ADD COLUMN message_head_id INTEGER;
UPDATE alerts SET episode_id = id, message_head_id = id;
CREATE INDEX alerts_episode ON alerts (market, symbol, direction, bar_close_time);
CREATE INDEX deliveries_message ON deliveries (destination, message_id)
  WHERE message_id IS NOT NULL;

-- One row per sent message that needs its content rendered again and sent as an edit (an
-- alert's outcome became known). Its own outbox: same retry, rate-limit and give-up rules.
CREATE TABLE message_edits (
  destination     TEXT NOT NULL,          -- as in deliveries
  message_id      TEXT NOT NULL,          -- Discord's message id
  state           TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
  requests        INTEGER NOT NULL DEFAULT 1,  -- edit requests; a request during a send shows here
  attempts        INTEGER NOT NULL DEFAULT 0,  -- requests to Discord that carried it
  next_attempt_at INTEGER NOT NULL,       -- ms since epoch; due when pending and <= now
  last_error      TEXT,
  requested_at    INTEGER NOT NULL,       -- ms since epoch, the first request while pending
  updated_at      INTEGER NOT NULL,       -- ms since epoch, last state change
  PRIMARY KEY (destination, message_id)
);
CREATE INDEX message_edits_pending ON message_edits (destination, next_attempt_at)
  WHERE state = 'pending';
)sql"},
    {5, "what each alert's chart is drawn from, and the chart file each message carries", R"sql(
-- The chart's input (core::ChartSpec, encoded by alerts/chart_spec_codec.h), stored with the
-- alert in the same transaction: a resend after a crash draws the same PNG byte for byte.
CREATE TABLE alert_charts (
  alert_id INTEGER PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
  spec     BLOB NOT NULL
);
-- The file name of the chart attached to the message that showed the alert at this destination
-- (its embed refers to it as attachment://<name>); NULL: sent without a chart, or not sent.
ALTER TABLE deliveries ADD COLUMN chart_file TEXT;
)sql"},
};

}  // namespace

std::span<const Migration> ScannerMigrations() { return kMigrations; }

}  // namespace scanner::storage
