#include "alerts/legacy_alerts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "alerts/alert_store.h"
#include "core/clock.h"
#include "storage/schema.h"
#include "support/candidates.h"
#include "support/intervals.h"
#include "support/scratch_dir.h"

namespace scanner::alerts {
namespace {

using support::I;
using support::MakeCandidate;
using support::ScratchDir;
using ::testing::ElementsAre;
using ::testing::Pair;

constexpr core::Millis kClose1m = 1'700'000'039'999;  // 2023-11-14T22:13:59.999Z, a 1m close

class LegacyAlertsTest : public ::testing::Test {
 protected:
  // The legacy scanner's table, as it created it, holding `rows` (SQL VALUES tuples).
  void WriteLegacyFile(std::string_view rows) {
    std::string sql = R"sql(
      CREATE TABLE alerts (id INTEGER PRIMARY KEY, symbol TEXT, timeframe TEXT,
                           bar_close_time INTEGER, direction TEXT, price REAL,
                           UNIQUE(symbol, timeframe, bar_close_time));
      INSERT INTO alerts (symbol, timeframe, bar_close_time, direction, price) VALUES
    )sql";
    sql.append(rows);
    auto db = storage::Database::Open(path_, {});
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Exec(sql));
  }

  ScratchDir dir_;
  const std::string path_ = dir_.Path("legacy.db");
};

TEST_F(LegacyAlertsTest, ALegacyFileIsAdoptedAndItsAlertsDeduplicateNewOnes) {
  WriteLegacyFile(R"sql(
        ('BTCUSDT', '1m', 1700000039999, 'long', 36500.5),    -- Binance's close time, ms
        ('ETHUSDT', '5m', 1700000100, 'short', 2050.0),       -- seconds, on the boundary
        ('SOLUSDT', '1h', 1699999200000, 'down', 55.0),        -- ms, on the boundary
        ('XRPUSDT', '7m', 1700000039999, 'up', 0.6),           -- no such interval
        ('ADAUSDT', '1m', NULL, 'up', 0.3),                    -- no time
        ('BTCUSDT', '1m', 1700000040000, 'long', 36500.5);     -- the first one again, boundary style
  )sql");
  auto prepared = PrepareLegacyDatabase(path_);
  ASSERT_TRUE(prepared) << prepared.error().message;
  EXPECT_TRUE(*prepared);

  auto db = storage::Database::Open(path_, storage::ScannerMigrations());
  ASSERT_TRUE(db) << db.error().message;
  auto report = ImportLegacyAlerts(**db, core::Market::kSpot);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->found);
  EXPECT_EQ(report->rows, 6);
  EXPECT_EQ(report->imported, 3);
  EXPECT_EQ(report->already_present, 1);
  EXPECT_THAT(report->skipped, ElementsAre(Pair("bar_close_time is not a positive number", 1),
                                           Pair("unknown timeframe", 1)));

  core::FakeClock clock(kClose1m + core::kMinute);
  auto store = AlertStore::Open(**db, clock, core::Market::kSpot);
  ASSERT_TRUE(store);
  // The cooldown remembers them, by direction, with Binance's close times.
  EXPECT_EQ(
      *(*store)->LastAlertCloseTime(core::Market::kSpot, "BTCUSDT", I("1m"), core::Direction::kUp),
      kClose1m);
  EXPECT_EQ(*(*store)->LastAlertCloseTime(core::Market::kSpot, "ETHUSDT", I("5m"),
                                          core::Direction::kDown),
            1'700'000'099'999);
  // And the new scanner's insert of the same bar is a duplicate: never sent twice.
  auto inserted = (*store)->Insert(MakeCandidate("BTCUSDT", kClose1m, "1m"),
                                   std::vector<std::string>{"console"});
  ASSERT_TRUE(inserted);
  EXPECT_EQ(inserted->outcome, InsertOutcome::kDuplicate);

  // Done once: a second start finds nothing to adopt or import.
  auto second = ImportLegacyAlerts(**db, core::Market::kSpot);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->found);
  store->reset();  // its statements go before the connection they belong to
  db->reset();
  auto adopted_again = PrepareLegacyDatabase(path_);
  ASSERT_TRUE(adopted_again) << adopted_again.error().message;
  EXPECT_FALSE(*adopted_again);
}

TEST_F(LegacyAlertsTest, WeeksAndMonthsStoredOnTheBoundaryEndOnTheCalendar) {
  WriteLegacyFile(R"sql(
        ('BTCUSDT', '1w', 1704067200000, 'long', 42000.0),   -- Monday 2024-01-01, a week's end
        ('BTCUSDT', '1M', 1709251200000, 'long', 61000.0);   -- 2024-03-01, February's end
  )sql");
  ASSERT_TRUE(PrepareLegacyDatabase(path_));
  auto db = storage::Database::Open(path_, storage::ScannerMigrations());
  ASSERT_TRUE(db) << db.error().message;
  auto report = ImportLegacyAlerts(**db, core::Market::kSpot);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->imported, 2);

  core::FakeClock clock(1'709'251'200'000);
  auto store = AlertStore::Open(**db, clock, core::Market::kSpot);
  ASSERT_TRUE(store);
  EXPECT_EQ(
      *(*store)->LastAlertCloseTime(core::Market::kSpot, "BTCUSDT", I("1w"), core::Direction::kUp),
      1'704'067'199'999);
  EXPECT_EQ(
      *(*store)->LastAlertCloseTime(core::Market::kSpot, "BTCUSDT", I("1M"), core::Direction::kUp),
      1'709'251'199'999);
  store->reset();
}

TEST_F(LegacyAlertsTest, OnlyALegacyFileIsTouched) {
  auto absent = PrepareLegacyDatabase(path_);  // no file: none created
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_FALSE(*absent);
  EXPECT_FALSE(std::filesystem::exists(path_));
  auto db = storage::Database::Open(path_, storage::ScannerMigrations());
  ASSERT_TRUE(db);
  db->reset();
  auto own = PrepareLegacyDatabase(path_);  // the scanner's own file, at version 1
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_FALSE(*own);
}

}  // namespace
}  // namespace scanner::alerts
