#include "universe/universe_cache.h"

#include <gtest/gtest.h>

#include "sample_universe.h"
#include "support/database_on_disk.h"
#include "support/scratch_dir.h"

namespace scanner::universe {
namespace {

using core::kHour;
using core::kMinute;
using support::DatabaseOnDisk;
using support::ScratchDir;

constexpr core::Millis kFetchedAt = 1710072000000;

class UniverseCacheTest : public ::testing::Test {
 protected:
  void SetUp() override { db_.Open(); }

  ScratchDir dir_;
  DatabaseOnDisk db_{dir_.Path("scanner.db")};
};

TEST_F(UniverseCacheTest, MissWhenNothingWasSaved) {
  UniverseCache cache(*db_, kHour);
  auto loaded = cache.Load(core::Market::kSpot, kFetchedAt);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_FALSE(loaded->has_value());
}

TEST_F(UniverseCacheTest, HitRoundTripsEveryFieldAndIsFreshWithinTheInterval) {
  UniverseCache cache(*db_, kHour);
  const Universe saved = SampleUniverse(core::Market::kSpot, kFetchedAt);
  ASSERT_TRUE(cache.Save(saved));
  auto loaded = cache.Load(core::Market::kSpot, kFetchedAt + 59 * kMinute);
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->universe, saved);
  EXPECT_EQ((*loaded)->age, 59 * kMinute);
  EXPECT_TRUE((*loaded)->fresh);
}

TEST_F(UniverseCacheTest, StaleAtAndAfterTheRefreshInterval) {
  UniverseCache cache(*db_, kHour);
  ASSERT_TRUE(cache.Save(SampleUniverse(core::Market::kSpot, kFetchedAt)));
  auto at_interval = cache.Load(core::Market::kSpot, kFetchedAt + kHour);
  ASSERT_TRUE(at_interval && at_interval->has_value());
  EXPECT_FALSE((*at_interval)->fresh);
  EXPECT_EQ((*at_interval)->universe.symbols.size(), 3u);  // stale is still usable
  auto day_old = cache.Load(core::Market::kSpot, kFetchedAt + 24 * kHour);
  ASSERT_TRUE(day_old && day_old->has_value());
  EXPECT_FALSE((*day_old)->fresh);
  EXPECT_EQ((*day_old)->age, 24 * kHour);
}

TEST_F(UniverseCacheTest, SnapshotFromTheFutureIsNotFresh) {
  UniverseCache cache(*db_, kHour);
  ASSERT_TRUE(cache.Save(SampleUniverse(core::Market::kSpot, kFetchedAt)));
  auto loaded = cache.Load(core::Market::kSpot, kFetchedAt - kMinute);
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_FALSE((*loaded)->fresh);
}

TEST_F(UniverseCacheTest, SaveReplacesAndMarketsAreSeparate) {
  UniverseCache cache(*db_, kHour);
  ASSERT_TRUE(cache.Save(SampleUniverse(core::Market::kSpot, kFetchedAt)));
  Universe futures = SampleUniverse(core::Market::kUsdm, kFetchedAt + 1);
  futures.symbols.resize(1);
  ASSERT_TRUE(cache.Save(futures));
  Universe newer = SampleUniverse(core::Market::kSpot, kFetchedAt + kHour);
  newer.symbols.erase(newer.symbols.begin());
  newer.symbols[0].rank = 1;
  newer.symbols[1].rank = 2;
  ASSERT_TRUE(cache.Save(newer));

  auto spot = cache.Load(core::Market::kSpot, kFetchedAt + kHour);
  ASSERT_TRUE(spot && spot->has_value());
  EXPECT_EQ((*spot)->universe, newer);
  auto usdm = cache.Load(core::Market::kUsdm, kFetchedAt + kHour);
  ASSERT_TRUE(usdm && usdm->has_value());
  EXPECT_EQ((*usdm)->universe, futures);
}

TEST_F(UniverseCacheTest, SurvivesReopeningTheDatabase) {
  {
    UniverseCache cache(*db_, kHour);
    ASSERT_TRUE(cache.Save(SampleUniverse(core::Market::kUsdm, kFetchedAt)));
  }
  ASSERT_NO_FATAL_FAILURE(db_.Reopen());
  UniverseCache cache(*db_, kHour);
  auto loaded = cache.Load(core::Market::kUsdm, kFetchedAt + 2 * kHour);
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_EQ((*loaded)->universe, SampleUniverse(core::Market::kUsdm, kFetchedAt));
  EXPECT_FALSE((*loaded)->fresh);
}

TEST_F(UniverseCacheTest, FailedSaveLeavesThePreviousSnapshot) {
  UniverseCache cache(*db_, kHour);
  const Universe first = SampleUniverse(core::Market::kSpot, kFetchedAt);
  ASSERT_TRUE(cache.Save(first));
  Universe duplicate = SampleUniverse(core::Market::kSpot, kFetchedAt + kHour);
  duplicate.symbols.push_back(duplicate.symbols[0]);  // (market, symbol) is the primary key
  auto saved = cache.Save(duplicate);
  ASSERT_FALSE(saved);
  EXPECT_NE(saved.error().message.find("universe cache: save (spot)"), std::string::npos);
  auto loaded = cache.Load(core::Market::kSpot, kFetchedAt);
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_EQ((*loaded)->universe, first);
}

}  // namespace
}  // namespace scanner::universe
