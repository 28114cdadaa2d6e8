#include "alerts/alert_store_cooldown.h"

#include <gtest/gtest.h>

#include "storage/schema.h"
#include "support/intervals.h"
#include "support/scratch_dir.h"

namespace scanner::alerts {
namespace {

using support::I;
using support::ScratchDir;

constexpr core::Millis kClose = 1'700'000'299'999;

core::Candidate MakeCandidate(core::Millis close_time, core::Direction direction) {
  core::Candidate c;
  c.symbol = "BTCUSDT";
  c.interval = I("5m");
  c.bar_open_time = close_time + 1 - 5 * core::kMinute;
  c.bar_close_time = close_time;
  c.direction = direction;
  c.close = 100;
  c.atr_move = direction == core::Direction::kUp ? 3 : -3;
  c.volume_z = 4;
  c.quote_volume = 1e6;
  c.atr = 1;
  c.atr_percent = 1;
  return c;
}

class AlertStoreCooldownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Database::Open(dir_.Path("scanner.db"), storage::ScannerMigrations());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto store = AlertStore::Open(*db_, clock_, core::Market::kSpot);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  ScratchDir dir_;
  core::FakeClock clock_{kClose};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<AlertStore> store_;
};

TEST_F(AlertStoreCooldownTest, AnswersFromTheDatabaseAndFromWhatWasRecorded) {
  AlertStoreCooldown cooldown(*store_);
  const auto up = core::Direction::kUp;
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), up), std::nullopt);

  // An alert of an earlier run, in the database only.
  ASSERT_TRUE(store_->Insert(MakeCandidate(kClose, up), {}));
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), up), kClose);

  // Recorded but not (yet) stored: the later of the two counts.
  cooldown.Record(MakeCandidate(kClose - 5 * core::kMinute, up));
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), up), kClose);
  cooldown.Record(MakeCandidate(kClose + 5 * core::kMinute, up));
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), up), kClose + 5 * core::kMinute);

  // Keys stay apart.
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), core::Direction::kDown), std::nullopt);
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("1m"), up), std::nullopt);
  EXPECT_EQ(cooldown.LastAlertCloseTime("ETHUSDT", I("5m"), up), std::nullopt);
  EXPECT_FALSE(cooldown.error());
}

TEST_F(AlertStoreCooldownTest, KeepsTheFirstDatabaseErrorAndAnswersFromMemory) {
  AlertStoreCooldown cooldown(*store_);
  cooldown.Record(MakeCandidate(kClose, core::Direction::kDown));
  ASSERT_TRUE(db_->Exec("DROP TABLE deliveries; DROP TABLE alerts;"));
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), core::Direction::kDown), kClose);
  ASSERT_TRUE(cooldown.error());
  EXPECT_FALSE(cooldown.error()->message.empty());
}

}  // namespace
}  // namespace scanner::alerts
