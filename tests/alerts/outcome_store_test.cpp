#include "alerts/outcome_store.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "support/alert_store_on_disk.h"
#include "support/candidates.h"
#include "support/scratch_dir.h"

namespace scanner::alerts {
namespace {

using core::kMinute;
using core::Millis;
using support::AlertStoreOnDisk;
using support::MakeCandidate;
using support::ScratchDir;

constexpr Millis kOutcomesStart = 1'700'000'000'000;
constexpr Millis kNoUnmeasured = std::numeric_limits<Millis>::max();

class OutcomeStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Open()); }

  void Open() {
    ASSERT_NO_FATAL_FAILURE(alerts_.Open());
    auto store = OutcomeStore::Open(alerts_.db(), clock_);
    ASSERT_TRUE(store) << store.error().message;
    outcomes_ = std::move(*store);
  }
  void Restart() {
    outcomes_.reset();
    alerts_.Close();
    ASSERT_NO_FATAL_FAILURE(Open());
  }

  AlertId Insert(const core::Candidate& candidate) {
    auto result = alerts_->Insert(candidate, {});
    EXPECT_TRUE(result) << result.error().message;
    return result ? result->id : 0;
  }

  ScratchDir dir_;
  core::FakeClock clock_{kOutcomesStart};
  AlertStoreOnDisk alerts_{dir_.Path("scanner.db"), clock_};
  std::unique_ptr<OutcomeStore> outcomes_;
};

core::OutcomeProgress Progress(std::vector<std::optional<double>> returns, int last_bar,
                               bool complete) {
  core::OutcomeProgress progress;
  progress.outcome.horizons = {1, 5, 20};
  progress.outcome.returns_percent = std::move(returns);
  progress.outcome.mfe_percent = 3.4000000000000004;  // survives exactly
  progress.outcome.mae_percent = -0.6;
  progress.outcome.complete = complete;
  progress.last_bar = last_bar;
  return progress;
}

TEST_F(OutcomeStoreTest, AnOpenOutcomeSurvivesARestartExactly) {
  const AlertId id = Insert(MakeCandidate("BTCUSDT", kOutcomesStart + kMinute - 1));
  const core::OutcomeProgress saved = Progress({0.1 / 3, std::nullopt, std::nullopt}, 3, false);
  ASSERT_TRUE(outcomes_->Save(id, saved));
  ASSERT_NO_FATAL_FAILURE(Restart());
  auto open = outcomes_->OpenOutcomes(core::Market::kSpot, kNoUnmeasured);
  ASSERT_TRUE(open) << open.error().message;
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].alert_id, id);
  EXPECT_EQ((*open)[0].progress, saved);
}

// A single horizon (alerts.outcome.horizons: [20]) not measured yet reads back.
TEST_F(OutcomeStoreTest, AnOpenOutcomeOfOneUnmeasuredHorizonSurvivesARestart) {
  const AlertId id = Insert(MakeCandidate("BTCUSDT", kOutcomesStart + kMinute - 1));
  core::OutcomeProgress saved;
  saved.outcome.horizons = {20};
  saved.outcome.returns_percent = {std::nullopt};
  saved.last_bar = 4;
  ASSERT_TRUE(outcomes_->Save(id, saved));
  ASSERT_NO_FATAL_FAILURE(Restart());
  auto open = outcomes_->OpenOutcomes(core::Market::kSpot, kNoUnmeasured);
  ASSERT_TRUE(open) << open.error().message;
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].progress, saved);
}

// An alert stored without its outcome row (a crash in between, or before schema version 3) is
// measured from the start if its bar is recent enough.
TEST_F(OutcomeStoreTest, RecentAlertsWithoutAnOutcomeRowAreOpenToo) {
  const AlertId old_one = Insert(MakeCandidate("BTCUSDT", kOutcomesStart - 2 * core::kDay));
  const AlertId recent = Insert(MakeCandidate("ETHUSDT", kOutcomesStart + kMinute - 1));
  (void)old_one;
  auto open = outcomes_->OpenOutcomes(core::Market::kSpot, kOutcomesStart - core::kDay);
  ASSERT_TRUE(open) << open.error().message;
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].alert_id, recent);
  EXPECT_EQ((*open)[0].progress.last_bar, 0);
}

TEST_F(OutcomeStoreTest, ACompleteOutcomeIsFinalAndNoLongerOpen) {
  const AlertId id = Insert(MakeCandidate("BTCUSDT", kOutcomesStart + kMinute - 1));
  const core::OutcomeProgress final_one = Progress({0.5, -0.25, 2.1}, 20, true);
  ASSERT_TRUE(outcomes_->Save(id, final_one));
  ASSERT_TRUE(outcomes_->Save(id, Progress({9.0, 9.0, 9.0}, 20, true)));
  auto found = outcomes_->Find(id);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(**found, final_one);
  auto open = outcomes_->OpenOutcomes(core::Market::kSpot, kNoUnmeasured);
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());
}

TEST_F(OutcomeStoreTest, OpenOutcomesAreThoseOfTheMarketAsked) {
  core::Candidate futures = MakeCandidate("BTCUSDT", kOutcomesStart + kMinute - 1);
  futures.market = core::Market::kUsdm;
  const AlertId spot_id = Insert(MakeCandidate("BTCUSDT", kOutcomesStart + kMinute - 1));
  const AlertId futures_id = Insert(futures);
  ASSERT_TRUE(
      outcomes_->Save(spot_id, Progress({std::nullopt, std::nullopt, std::nullopt}, 0, false)));
  ASSERT_TRUE(
      outcomes_->Save(futures_id, Progress({std::nullopt, std::nullopt, std::nullopt}, 0, false)));
  auto spot = outcomes_->OpenOutcomes(core::Market::kSpot, kNoUnmeasured);
  ASSERT_TRUE(spot);
  ASSERT_EQ(spot->size(), 1u);
  EXPECT_EQ((*spot)[0].alert_id, spot_id);
}

TEST_F(OutcomeStoreTest, AlertsSinceCarryTheirOutcomesAndOpenOnesShowNoExcursions) {
  const AlertId old_id = Insert(MakeCandidate("ETHUSDT", kOutcomesStart - 60 * kMinute - 1));
  const AlertId done = Insert(MakeCandidate("BTCUSDT", kOutcomesStart + kMinute - 1));
  const AlertId open = Insert(MakeCandidate("BTCUSDT", kOutcomesStart + 2 * kMinute - 1));
  const AlertId never = Insert(MakeCandidate("SOLUSDT", kOutcomesStart + 3 * kMinute - 1));
  ASSERT_TRUE(outcomes_->Save(old_id, Progress({1, 1, 1}, 20, true)));
  ASSERT_TRUE(outcomes_->Save(done, Progress({0.5, -0.25, 2.1}, 20, true)));
  ASSERT_TRUE(outcomes_->Save(open, Progress({0.5, std::nullopt, std::nullopt}, 2, false)));
  auto rows = outcomes_->AlertsSince(core::Market::kSpot, kOutcomesStart, *alerts_);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].alert_id, done);
  EXPECT_EQ((*rows)[0].candidate.symbol, "BTCUSDT");
  ASSERT_TRUE((*rows)[0].outcome);
  EXPECT_EQ((*rows)[0].outcome->ReturnAt(20), 2.1);
  EXPECT_EQ((*rows)[0].outcome->mfe_percent, 3.4000000000000004);
  EXPECT_EQ((*rows)[1].alert_id, open);
  ASSERT_TRUE((*rows)[1].outcome);
  EXPECT_FALSE((*rows)[1].outcome->complete);
  EXPECT_FALSE((*rows)[1].outcome->mfe_percent);
  EXPECT_EQ((*rows)[2].alert_id, never);
  EXPECT_FALSE((*rows)[2].outcome);
}

TEST_F(OutcomeStoreTest, DeletingAnAlertDeletesItsOutcome) {
  const AlertId id = Insert(MakeCandidate("BTCUSDT", kOutcomesStart + kMinute - 1));
  ASSERT_TRUE(outcomes_->Save(id, Progress({0.5, 1, 2}, 20, true)));
  clock_.Advance(30 * core::kDay);
  ASSERT_TRUE(alerts_->DeleteOlderThan(clock_.NowMs() - core::kDay));
  auto found = outcomes_->Find(id);
  ASSERT_TRUE(found);
  EXPECT_FALSE(*found);
}

TEST(OutcomeColumns, RoundTripAndRefuseGarbage) {
  EXPECT_EQ(FormatHorizons({1, 5, 20}), "1,5,20");
  EXPECT_EQ(*ParseHorizons("1,5,20"), (std::vector<int>{1, 5, 20}));
  const std::vector<std::optional<double>> returns{0.1 + 0.2, std::nullopt, -1e-7};
  EXPECT_EQ(*ParseReturns(FormatReturns(returns), 3), returns);
  EXPECT_EQ(*ParseReturns(",,", 3), (std::vector<std::optional<double>>(3)));
  // One horizon not measured yet is one empty field, not none.
  const std::vector<std::optional<double>> one_unmeasured(1);
  EXPECT_EQ(*ParseReturns(FormatReturns(one_unmeasured), 1), one_unmeasured);
  EXPECT_TRUE(ParseReturns("", 0)->empty());
  EXPECT_FALSE(ParseReturns("1,2", 3));
  EXPECT_FALSE(ParseHorizons("1,x"));
  EXPECT_FALSE(ParseHorizons("0"));
  EXPECT_FALSE(ParseReturns("1.5,abc", 2));
}

}  // namespace
}  // namespace scanner::alerts
