#include "storage/database.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string_view>
#include <utility>

#include "storage/schema.h"
#include "support/scratch_dir.h"

namespace scanner::storage {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  std::string PathOf(const char* name) { return dir_.Path(name); }
  support::ScratchDir dir_;
};

TEST_F(DatabaseTest, CreatesFolderAndAppliesMigrationsInWalMode) {
  auto db = Database::Open(PathOf("sub/scanner.db"), ScannerMigrations());
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ((*db)->UserVersion(), ScannerMigrations().back().version);
  auto mode = (*db)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode);
  ASSERT_TRUE(mode->Step().value());
  EXPECT_EQ(mode->ColumnText(0), "wal");
}

TEST_F(DatabaseTest, MigrationsRunOnceAndResumeFromStoredVersion) {
  constexpr Migration v1[] = {{1, "t", "CREATE TABLE t (x INTEGER)"}};
  constexpr Migration v2[] = {{1, "t", "CREATE TABLE t (x INTEGER)"},
                              {2, "u", "CREATE TABLE u (y INTEGER); INSERT INTO t VALUES (7)"}};
  {
    auto db = Database::Open(PathOf("m.db"), v1);
    ASSERT_TRUE(db);
    EXPECT_EQ((*db)->UserVersion(), 1);
  }
  auto db = Database::Open(PathOf("m.db"), v2);  // would fail if v1 ran again (table exists)
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ((*db)->UserVersion(), 2);
  auto rows = (*db)->Prepare("SELECT x FROM t");
  ASSERT_TRUE(rows->Step().value());
  EXPECT_EQ(rows->ColumnInt(0), 7);
}

TEST_F(DatabaseTest, FailedMigrationLeavesVersionUntouched) {
  constexpr Migration bad[] = {{1, "broken", "CREATE TABLE t (x INTEGER); NOT SQL"}};
  auto db = Database::Open(PathOf("bad.db"), bad);
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find("migration 1 (broken) failed"), std::string::npos);
  auto reopened = Database::Open(PathOf("bad.db"), {});
  ASSERT_TRUE(reopened);
  EXPECT_EQ((*reopened)->UserVersion(), 0);
  EXPECT_FALSE((*reopened)->Exec("SELECT * FROM t"));  // the partial CREATE was rolled back
}

TEST_F(DatabaseTest, RefusesNewerSchemaThanItKnows) {
  constexpr Migration v2[] = {{1, "a", "SELECT 1"}, {2, "b", "SELECT 1"}};
  ASSERT_TRUE(Database::Open(PathOf("n.db"), v2));
  constexpr Migration v1[] = {{1, "a", "SELECT 1"}};
  auto db = Database::Open(PathOf("n.db"), v1);
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find("newer than this build knows"), std::string::npos);
}

TEST_F(DatabaseTest, StatementsBindStepAndReset) {
  auto db = Database::Open(PathOf("s.db"), ScannerMigrations());
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->Exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v REAL, n INTEGER)"));
  auto insert = (*db)->Prepare("INSERT INTO kv VALUES (?, ?, ?)");
  ASSERT_TRUE(insert);
  ASSERT_TRUE(insert->Bind(1, std::string_view("a")).Bind(2, 1.5).Bind(3, std::int64_t{3}).Run());
  insert->Reset();
  ASSERT_TRUE(insert->Bind(1, std::string_view("b")).Bind(2, 2.5).BindNull(3).Run());
  insert->Reset();
  auto duplicate =
      insert->Bind(1, std::string_view("a")).Bind(2, 0.0).Bind(3, std::int64_t{0}).Run();
  EXPECT_FALSE(duplicate);
  EXPECT_NE(duplicate.error().message.find("UNIQUE"), std::string::npos);

  auto select = (*db)->Prepare("SELECT k, v, n FROM kv ORDER BY k");
  ASSERT_TRUE(select->Step().value());
  EXPECT_EQ(select->ColumnText(0), "a");
  EXPECT_DOUBLE_EQ(select->ColumnDouble(1), 1.5);
  EXPECT_EQ(select->ColumnInt(2), 3);
  ASSERT_TRUE(select->Step().value());
  EXPECT_TRUE(select->ColumnIsNull(2));
  EXPECT_FALSE(select->Step().value());
}

TEST_F(DatabaseTest, TransactionRollsBackOnFailure) {
  auto db = Database::Open(PathOf("t.db"), ScannerMigrations());
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (x INTEGER)"));
  auto status = (*db)->Transaction([&]() -> core::Status {
    if (auto s = (*db)->Exec("INSERT INTO t VALUES (1)"); !s) return s;
    return core::Fail("stop");
  });
  EXPECT_FALSE(status);
  auto count = (*db)->Prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(count->Step().value());
  EXPECT_EQ(count->ColumnInt(0), 0);
}

// A COMMIT can fail (here: a deferred foreign key is violated). The transaction must not stay
// open, or every later BEGIN IMMEDIATE fails until the process restarts.
TEST_F(DatabaseTest, AFailedCommitRollsBackAndTheNextTransactionWorks) {
  auto db = Database::Open(PathOf("c.db"), ScannerMigrations());
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->Exec("CREATE TABLE parent (id INTEGER PRIMARY KEY)"));
  ASSERT_TRUE((*db)->Exec(
      "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY "
      "DEFERRED)"));
  auto violated = (*db)->Transaction(
      [&]() -> core::Status { return (*db)->Exec("INSERT INTO child VALUES (42)"); });
  ASSERT_FALSE(violated);
  EXPECT_NE(violated.error().message.find("FOREIGN KEY"), std::string::npos)
      << violated.error().message;

  auto next = (*db)->Transaction(
      [&]() -> core::Status { return (*db)->Exec("INSERT INTO parent VALUES (1)"); });
  EXPECT_TRUE(next) << next.error().message;
  auto count = (*db)->Prepare("SELECT (SELECT COUNT(*) FROM child), (SELECT COUNT(*) FROM parent)");
  ASSERT_TRUE(count->Step().value());
  EXPECT_EQ(count->ColumnInt(0), 0);  // the failed transaction left nothing behind
  EXPECT_EQ(count->ColumnInt(1), 1);
}

// Another process holding the write lock: with a short busy timeout a write fails at once
// (the caller retries later) instead of stalling the event-loop thread for seconds.
TEST_F(DatabaseTest, ALockedDatabaseFailsWithinTheBusyTimeout) {
  auto holder = Database::Open(PathOf("l.db"), ScannerMigrations());
  ASSERT_TRUE(holder);
  auto db = Database::Open(PathOf("l.db"), ScannerMigrations(),
                           DatabaseOptions{.busy_timeout = std::chrono::milliseconds(20)});
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (x INTEGER)"));
  ASSERT_TRUE((*holder)->Exec("BEGIN IMMEDIATE"));

  const auto started = std::chrono::steady_clock::now();
  auto blocked =
      (*db)->Transaction([&]() -> core::Status { return (*db)->Exec("INSERT INTO t VALUES (1)"); });
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(blocked);
  EXPECT_NE(blocked.error().message.find("locked"), std::string::npos) << blocked.error().message;
  // Not a timing test: the old behaviour waited the 5 s default, two orders of magnitude more.
  EXPECT_LT(waited, std::chrono::seconds(2));

  ASSERT_TRUE((*holder)->Exec("ROLLBACK"));
  EXPECT_TRUE((*db)->Transaction(
      [&]() -> core::Status { return (*db)->Exec("INSERT INTO t VALUES (1)"); }));
}

// Version 2 puts the market into the alert key. A version-1 file keeps its alerts and
// deliveries, and spot and futures alerts for the same bar then coexist.
TEST_F(DatabaseTest, MigrationToVersion2KeepsAlertsAndKeysThemByMarket) {
  {
    auto v1 = Database::Open(PathOf("v1.db"), ScannerMigrations().first(1));
    ASSERT_TRUE(v1) << v1.error().message;
    ASSERT_TRUE((*v1)->Exec(R"sql(
INSERT INTO alerts (id, market, symbol, interval, bar_open_time, bar_close_time, direction,
  severity, close, change_percent, atr_move, return_z, volume_z, quote_volume, quote_volume_24h,
  atr, atr_percent, confirmations, created_at)
VALUES (7, 'spot', 'BTCUSDT', '1m', 0, 59999, 'up', 'normal', 1, 1, 3, 3, 4, 1, 1, 1, 1, '', 5);
INSERT INTO deliveries (alert_id, destination, state, attempts, next_attempt_at, updated_at)
VALUES (7, 'discord:1', 'pending', 2, 9, 9);)sql"));
  }
  auto db = Database::Open(PathOf("v1.db"), ScannerMigrations());
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_GE((*db)->UserVersion(), 2);
  auto kept = (*db)->Prepare(
      "SELECT a.symbol, d.destination, d.attempts FROM alerts a JOIN deliveries d ON "
      "d.alert_id = a.id WHERE a.id = 7");
  ASSERT_TRUE(kept);
  ASSERT_TRUE(kept->Step().value());
  EXPECT_EQ(kept->ColumnText(0), "BTCUSDT");
  EXPECT_EQ(kept->ColumnText(1), "discord:1");
  EXPECT_EQ(kept->ColumnInt(2), 2);
  kept->Reset();

  EXPECT_TRUE((*db)->Exec(R"sql(
INSERT INTO alerts (market, symbol, interval, bar_open_time, bar_close_time, direction,
  severity, close, change_percent, atr_move, return_z, volume_z, quote_volume, quote_volume_24h,
  atr, atr_percent, confirmations, created_at)
VALUES ('usdm', 'BTCUSDT', '1m', 0, 59999, 'up', 'normal', 1, 1, 3, 3, 4, 1, 1, 1, 1, '', 5))sql"));
  // The deliveries still belong to their alert: deleting it takes them along.
  ASSERT_TRUE((*db)->Exec("DELETE FROM alerts WHERE id = 7"));
  auto orphans = (*db)->Prepare("SELECT COUNT(*) FROM deliveries");
  ASSERT_TRUE(orphans->Step().value());
  EXPECT_EQ(orphans->ColumnInt(0), 0);
}

// Version 4 adds message ids, episodes and the edit outbox. A version-2 file keeps its alerts
// and deliveries; each old alert is an episode of its own, shown in its own message, whose id
// is unknown.
TEST_F(DatabaseTest, MigrationFromVersion2ToVersion4KeepsAlertsAsEpisodesOfTheirOwn) {
  {
    auto v2 = Database::Open(PathOf("v2.db"), ScannerMigrations().first(2));
    ASSERT_TRUE(v2) << v2.error().message;
    ASSERT_TRUE((*v2)->Exec(R"sql(
INSERT INTO alerts (id, market, symbol, interval, bar_open_time, bar_close_time, direction,
  severity, close, change_percent, atr_move, return_z, volume_z, quote_volume, quote_volume_24h,
  atr, atr_percent, confirmations, created_at)
VALUES (7, 'spot', 'BTCUSDT', '1m', 0, 59999, 'up', 'normal', 1, 1, 3, 3, 4, 1, 1, 1, 1, '', 5),
       (9, 'usdm', 'BTCUSDT', '5m', 0, 299999, 'up', 'strong', 1, 1, 3, 3, 4, 1, 1, 1, 1, '', 6);
INSERT INTO deliveries (alert_id, destination, state, attempts, next_attempt_at, updated_at)
VALUES (7, 'discord:1', 'sent', 1, 9, 9), (9, 'discord:1', 'pending', 0, 9, 9);)sql"));
  }
  auto db = Database::Open(PathOf("v2.db"), ScannerMigrations());
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_GE((*db)->UserVersion(), 4);
  auto kept = (*db)->Prepare(
      "SELECT a.id, a.episode_id, a.message_head_id, d.state, d.message_id IS NULL "
      "FROM alerts a JOIN deliveries d ON d.alert_id = a.id ORDER BY a.id");
  ASSERT_TRUE(kept);
  for (auto [id, state] : {std::pair<int, std::string_view>{7, "sent"}, {9, "pending"}}) {
    ASSERT_TRUE(kept->Step().value());
    EXPECT_EQ(kept->ColumnInt(0), id);
    EXPECT_EQ(kept->ColumnInt(1), id);
    EXPECT_EQ(kept->ColumnInt(2), id);
    EXPECT_EQ(kept->ColumnText(3), state);
    EXPECT_EQ(kept->ColumnInt(4), 1);
  }
  EXPECT_FALSE(kept->Step().value());
  kept->Reset();
  // The edit outbox exists and is keyed by (destination, message).
  EXPECT_TRUE((*db)->Exec(
      "INSERT INTO message_edits (destination, message_id, state, next_attempt_at, requested_at, "
      "updated_at) VALUES ('discord:1', '123', 'pending', 0, 0, 0)"));
  EXPECT_FALSE((*db)->Exec(
      "INSERT INTO message_edits (destination, message_id, state, next_attempt_at, requested_at, "
      "updated_at) VALUES ('discord:1', '123', 'pending', 0, 0, 0)"));
}

TEST_F(DatabaseTest, UnopenablePathIsAClearError) {
  auto db = Database::Open("/proc/definitely/not/here.db", ScannerMigrations());
  ASSERT_FALSE(db);
  EXPECT_FALSE(db.error().message.empty());
}

}  // namespace
}  // namespace scanner::storage
