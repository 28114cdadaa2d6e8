#include "universe/universe_cache.h"

#include <fmt/format.h>

namespace scanner::universe {
namespace {

core::Error Failed(std::string_view what, core::Market market, const core::Error& error) {
  return core::Error{
      fmt::format("universe cache: {} ({}): {}", what, core::MarketName(market), error.message)};
}

}  // namespace

UniverseCache::UniverseCache(storage::Database& db, core::Millis refresh_interval)
    : db_(db), refresh_interval_(refresh_interval) {}

core::Status UniverseCache::Save(const Universe& universe) {
  const std::string_view market = core::MarketName(universe.market);
  core::Status saved = db_.Transaction([&]() -> core::Status {
    auto clear = db_.Prepare("DELETE FROM universe_symbol WHERE market = ?");
    if (!clear) return std::unexpected(clear.error());
    if (auto run = clear->Bind(1, market).Run(); !run) return run;

    auto snapshot = db_.Prepare(
        "INSERT INTO universe_snapshot (market, fetched_at) VALUES (?, ?) "
        "ON CONFLICT (market) DO UPDATE SET fetched_at = excluded.fetched_at");
    if (!snapshot) return std::unexpected(snapshot.error());
    if (auto run = snapshot->Bind(1, market).Bind(2, universe.fetched_at).Run(); !run) return run;

    auto insert = db_.Prepare(
        "INSERT INTO universe_symbol (market, rank, symbol, base_asset, quote_asset, "
        "quote_volume_24h, price_change_percent, included) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return std::unexpected(insert.error());
    for (const UniverseSymbol& entry : universe.symbols) {
      insert->Reset();
      insert->Bind(1, market)
          .Bind(2, static_cast<std::int64_t>(entry.rank))
          .Bind(3, std::string_view(entry.symbol))
          .Bind(4, std::string_view(entry.base_asset))
          .Bind(5, std::string_view(entry.quote_asset))
          .Bind(6, entry.quote_volume_24h)
          .Bind(7, entry.price_change_percent)
          .Bind(8, static_cast<std::int64_t>(entry.included ? 1 : 0));
      if (auto run = insert->Run(); !run) return run;
    }
    return {};
  });
  if (!saved) return std::unexpected(Failed("save", universe.market, saved.error()));
  return {};
}

core::Result<std::optional<CachedUniverse>> UniverseCache::Load(core::Market market,
                                                                core::Millis now) {
  const std::string_view name = core::MarketName(market);
  auto snapshot = db_.Prepare("SELECT fetched_at FROM universe_snapshot WHERE market = ?");
  if (!snapshot) return std::unexpected(Failed("load", market, snapshot.error()));
  snapshot->Bind(1, name);
  auto found = snapshot->Step();
  if (!found) return std::unexpected(Failed("load", market, found.error()));
  if (!*found) return std::optional<CachedUniverse>();

  CachedUniverse cached;
  cached.universe.market = market;
  cached.universe.fetched_at = snapshot->ColumnInt(0);
  cached.age = now - cached.universe.fetched_at;
  cached.fresh = cached.age >= 0 && cached.age < refresh_interval_;

  auto rows = db_.Prepare(
      "SELECT rank, symbol, base_asset, quote_asset, quote_volume_24h, price_change_percent, "
      "included FROM universe_symbol WHERE market = ? ORDER BY rank, symbol");
  if (!rows) return std::unexpected(Failed("load", market, rows.error()));
  rows->Bind(1, name);
  for (;;) {
    auto row = rows->Step();
    if (!row) return std::unexpected(Failed("load", market, row.error()));
    if (!*row) break;
    UniverseSymbol entry;
    entry.rank = static_cast<int>(rows->ColumnInt(0));
    entry.symbol = rows->ColumnText(1);
    entry.base_asset = rows->ColumnText(2);
    entry.quote_asset = rows->ColumnText(3);
    entry.quote_volume_24h = rows->ColumnDouble(4);
    entry.price_change_percent = rows->ColumnDouble(5);
    entry.included = rows->ColumnInt(6) != 0;
    cached.universe.symbols.push_back(std::move(entry));
  }
  return std::optional<CachedUniverse>(std::move(cached));
}

}  // namespace scanner::universe
