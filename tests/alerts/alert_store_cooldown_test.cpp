#include "alerts/alert_store_cooldown.h"

#include <gtest/gtest.h>

#include "support/alert_store_on_disk.h"
#include "support/candidates.h"
#include "support/intervals.h"
#include "support/scratch_dir.h"

namespace scanner::alerts {
namespace {

using support::AlertStoreOnDisk;
using support::I;
using support::MakeCandidate;
using support::ScratchDir;

constexpr core::Millis kClose = 1'700'000'299'999;

class AlertStoreCooldownTest : public ::testing::Test {
 protected:
  void SetUp() override { store_.Open(); }

  ScratchDir dir_;
  core::FakeClock clock_{kClose};
  AlertStoreOnDisk store_{dir_.Path("scanner.db"), clock_};
};

TEST_F(AlertStoreCooldownTest, AnswersFromTheDatabaseAndFromWhatWasRecorded) {
  AlertStoreCooldown cooldown(*store_);
  const auto up = core::Direction::kUp;
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), up), std::nullopt);

  // An alert of an earlier run, in the database only.
  ASSERT_TRUE(store_->Insert(MakeCandidate("BTCUSDT", kClose, "5m", up), {}));
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), up), kClose);

  // Recorded but not (yet) stored: the later of the two counts.
  cooldown.Record(MakeCandidate("BTCUSDT", kClose - 5 * core::kMinute, "5m", up));
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), up), kClose);
  cooldown.Record(MakeCandidate("BTCUSDT", kClose + 5 * core::kMinute, "5m", up));
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), up), kClose + 5 * core::kMinute);

  // Keys stay apart.
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), core::Direction::kDown), std::nullopt);
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("1m"), up), std::nullopt);
  EXPECT_EQ(cooldown.LastAlertCloseTime("ETHUSDT", I("5m"), up), std::nullopt);
  EXPECT_FALSE(cooldown.error());
}

TEST_F(AlertStoreCooldownTest, KeepsTheFirstDatabaseErrorAndAnswersFromMemory) {
  AlertStoreCooldown cooldown(*store_);
  cooldown.Record(MakeCandidate("BTCUSDT", kClose, "5m", core::Direction::kDown));
  ASSERT_TRUE(store_.db().Exec("DROP TABLE deliveries; DROP TABLE alerts;"));
  EXPECT_EQ(cooldown.LastAlertCloseTime("BTCUSDT", I("5m"), core::Direction::kDown), kClose);
  ASSERT_TRUE(cooldown.error());
  EXPECT_FALSE(cooldown.error()->message.empty());
}

}  // namespace
}  // namespace scanner::alerts
