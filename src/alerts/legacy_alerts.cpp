#include "alerts/legacy_alerts.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "alerts/alert_store.h"
#include "core/clock.h"
#include "core/interval.h"

namespace scanner::alerts {
namespace {

constexpr std::int64_t kSecondsEpochLimit = 100'000'000'000;  // below: seconds, not ms

core::Result<std::set<std::string>> Columns(storage::Database& db, std::string_view table) {
  auto statement = db.Prepare(fmt::format("PRAGMA table_info({})", table));
  if (!statement) return std::unexpected(statement.error());
  std::set<std::string> columns;
  while (true) {
    auto row = statement->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    columns.insert(statement->ColumnText(1));
  }
  return columns;
}

core::Result<bool> TableExists(storage::Database& db, std::string_view table) {
  auto statement = db.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  if (!statement) return std::unexpected(statement.error());
  statement->Bind(1, table);
  return statement->Step();
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

core::Direction DirectionOf(const std::string& text) {
  const std::string value = Lower(text);
  for (std::string_view down : {"down", "short", "bear", "sell", "-"}) {
    if (value.starts_with(down)) return core::Direction::kDown;
  }
  return core::Direction::kUp;
}

}  // namespace

core::Result<bool> PrepareLegacyDatabase(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return false;
  // Raw SQLite: storage::Database::Open would check the schema version against migrations,
  // which is exactly what cannot be decided yet.
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  if (opened != SQLITE_OK) {
    return core::Fail(fmt::format("cannot open: {}", raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(db.get(), 5000);
  const auto query_int = [&](const char* sql) -> core::Result<std::int64_t> {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql, -1, &statement, nullptr) != SQLITE_OK) {
      return core::Fail(sqlite3_errmsg(db.get()));
    }
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> owned(statement, &sqlite3_finalize);
    const int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) return sqlite3_column_int64(statement, 0);
    if (step == SQLITE_DONE) return 0;
    return core::Fail(sqlite3_errmsg(db.get()));
  };
  auto version = query_int("PRAGMA user_version");
  if (!version) return std::unexpected(version.error());
  if (*version != 0) return false;
  auto legacy =
      query_int("SELECT count(*) FROM pragma_table_info('alerts') WHERE name = 'timeframe'");
  if (!legacy) return std::unexpected(legacy.error());
  if (*legacy == 0) return false;
  char* message = nullptr;
  if (sqlite3_exec(db.get(), "ALTER TABLE alerts RENAME TO legacy_alerts", nullptr, nullptr,
                   &message) != SQLITE_OK) {
    std::string text = message ? message : "rename failed";
    sqlite3_free(message);
    return core::Fail(text);
  }
  return true;
}

core::Result<LegacyImportReport> ImportLegacyAlerts(storage::Database& db, core::Market market) {
  LegacyImportReport report;
  auto exists = TableExists(db, "legacy_alerts");
  if (!exists) return std::unexpected(exists.error());
  if (!*exists) return report;
  report.found = true;
  auto columns = Columns(db, "legacy_alerts");
  if (!columns) return std::unexpected(columns.error());
  for (std::string_view required : {"symbol", "timeframe", "bar_close_time"}) {
    if (!columns->contains(std::string(required))) {
      return core::Fail(fmt::format("legacy alerts table has no column {}", required));
    }
  }
  const auto optional = [&](std::initializer_list<std::string_view> names) -> std::string {
    for (std::string_view name : names) {
      if (columns->contains(std::string(name))) return std::string(name);
    }
    return "NULL";
  };
  {
    auto select = db.Prepare(fmt::format(
        "SELECT symbol, timeframe, bar_close_time, {}, {}, {} FROM legacy_alerts ORDER BY rowid",
        optional({"direction", "side"}), optional({"close", "price", "close_price"}),
        optional({"atr_move", "move_atr"})));
    if (!select) return std::unexpected(select.error());

    core::FakeClock created_at;
    auto store = AlertStore::Open(db, created_at, market);
    if (!store) return std::unexpected(store.error());
    while (true) {
      auto row = select->Step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      ++report.rows;
      core::Candidate candidate;
      candidate.market = market;
      candidate.symbol = select->ColumnText(0);
      const std::optional<core::Interval> interval = core::Interval::Parse(select->ColumnText(1));
      if (candidate.symbol.empty()) {
        ++report.skipped["no symbol"];
        continue;
      }
      if (!interval) {
        ++report.skipped["unknown timeframe"];
        continue;
      }
      std::int64_t close_time = select->ColumnInt(2);
      if (select->ColumnIsNull(2) || close_time <= 0) {
        ++report.skipped["bar_close_time is not a positive number"];
        continue;
      }
      if (close_time < kSecondsEpochLimit) close_time *= 1000;
      // Stored on the boundary (the next bar's open): Binance's close is 1 ms less.
      if (interval->BarOpenFor(close_time) == close_time) --close_time;
      candidate.interval = *interval;
      candidate.bar_close_time = close_time;
      candidate.bar_open_time = interval->BarOpenFor(close_time);
      if (!select->ColumnIsNull(3)) {
        const std::string direction = select->ColumnText(3);
        candidate.direction = DirectionOf(direction);
      }
      if (!select->ColumnIsNull(4)) candidate.close = select->ColumnDouble(4);
      if (!select->ColumnIsNull(5)) candidate.atr_move = select->ColumnDouble(5);
      if (candidate.atr_move < 0) candidate.direction = core::Direction::kDown;
      created_at.Set(close_time);
      auto inserted = (*store)->Insert(candidate, {});
      if (!inserted) {
        ++report.skipped[inserted.error().message];
        continue;
      }
      if (inserted->outcome == InsertOutcome::kDuplicate) {
        ++report.already_present;
      } else {
        ++report.imported;
      }
    }
  }  // the statements are finalized before the rename
  if (auto renamed = db.Exec("ALTER TABLE legacy_alerts RENAME TO legacy_alerts_imported");
      !renamed) {
    return std::unexpected(renamed.error());
  }
  return report;
}

}  // namespace scanner::alerts
