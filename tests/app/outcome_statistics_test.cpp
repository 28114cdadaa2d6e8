#include "app/outcome_statistics.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <vector>

namespace scanner::app {
namespace {

using Returns = std::vector<std::optional<double>>;

constexpr int kTallyHorizons[] = {1, 5, 20};

core::Outcome MakeOutcome(Returns returns, std::optional<double> mfe = std::nullopt,
                          std::optional<double> mae = std::nullopt) {
  core::Outcome outcome;
  outcome.horizons = {1, 5, 20};
  outcome.returns_percent = std::move(returns);
  outcome.mfe_percent = mfe;
  outcome.mae_percent = mae;
  return outcome;
}

TEST(Median, OfAnOddCountIsTheMiddleValue) {
  EXPECT_EQ(Median({5.0, -1.0, 3.0}), 3.0);
  EXPECT_EQ(Median({2.5}), 2.5);
}

TEST(Median, OfAnEvenCountIsTheMeanOfTheTwoMiddleValues) {
  EXPECT_EQ(Median({10.0, 1.0, 4.0, 3.0}), 3.5);
  EXPECT_EQ(Median({-2.0, 1.0}), -0.5);
  // Unsorted with the middle pair far apart in the input.
  EXPECT_EQ(Median({7.0, 0.0, 100.0, -5.0, 2.0, 9.0}), 4.5);
}

TEST(Median, OfNothingIsNone) { EXPECT_EQ(Median({}), std::nullopt); }

TEST(OutcomeTally, MediansAreOverTheAlertsWhereEachFigureIsMeasured) {
  OutcomeTally tally(kTallyHorizons);
  tally.Add(MakeOutcome({1.0, 2.0, std::nullopt}, 3.0, -1.0), true);
  tally.Add(MakeOutcome({-1.0, std::nullopt, std::nullopt}, 1.0, std::nullopt), true);
  tally.Add(MakeOutcome({0.5, 4.0, 6.0}, std::nullopt, -2.0), true);
  tally.Add(MakeOutcome({2.0, -3.0, std::nullopt}, 5.0, -0.5), true);

  const OutcomeFigures f = tally.Figures();
  EXPECT_EQ(f.alerts, 4u);
  ASSERT_EQ(f.returns.size(), 3u);
  // 1 bar: {-1, 0.5, 1, 2}, even: (0.5 + 1) / 2.
  EXPECT_EQ(f.returns[0].median, 0.75);
  EXPECT_EQ(f.returns[0].measured, 4u);
  // 5 bars: {-3, 2, 4}, odd; the missing one is not a zero.
  EXPECT_EQ(f.returns[1].median, 2.0);
  EXPECT_EQ(f.returns[1].measured, 3u);
  // 20 bars: {6}.
  EXPECT_EQ(f.returns[2].median, 6.0);
  EXPECT_EQ(f.returns[2].measured, 1u);
  // MFE {1, 3, 5}; MAE {-2, -1, -0.5}.
  EXPECT_EQ(f.mfe.median, 3.0);
  EXPECT_EQ(f.mfe.measured, 3u);
  EXPECT_EQ(f.mae.median, -1.0);
  EXPECT_EQ(f.mae.measured, 3u);
}

TEST(OutcomeTally, PositiveShareIsOfTheMeasuredAlertsAtTheMiddleHorizon) {
  OutcomeTally tally(kTallyHorizons);
  // Middle horizon 5: +2, -1, 0 (not positive), +0.1, missing. All positive at 1, none at 20.
  tally.Add(MakeOutcome({1.0, 2.0, -1.0}), true);
  tally.Add(MakeOutcome({1.0, -1.0, -1.0}), true);
  tally.Add(MakeOutcome({1.0, 0.0, -1.0}), true);
  tally.Add(MakeOutcome({1.0, 0.1, -1.0}), true);
  tally.Add(MakeOutcome({1.0, std::nullopt, -1.0}), true);

  const OutcomeFigures f = tally.Figures();
  EXPECT_EQ(f.positive_measured, 4u);
  ASSERT_TRUE(f.positive_share.has_value());
  EXPECT_DOUBLE_EQ(*f.positive_share, 0.5);
}

TEST(OutcomeTally, MiddleHorizonOfAnEvenCountIsTheUpperOne) {
  constexpr int kTwo[] = {1, 5};
  OutcomeTally tally(kTwo);
  tally.Add(MakeOutcome({1.0, -1.0, std::nullopt}), true);
  EXPECT_EQ(tally.Figures().positive_share, 0.0);
}

TEST(OutcomeTally, WithoutHorizonsHasNoPositiveShare) {
  OutcomeTally tally(std::span<const int>{});
  tally.Add(MakeOutcome({1.0, 1.0, 1.0}, 2.0, -1.0), true);
  const OutcomeFigures f = tally.Figures();
  EXPECT_TRUE(f.returns.empty());
  EXPECT_EQ(f.positive_share, std::nullopt);
  EXPECT_EQ(f.mfe.median, 2.0);
}

TEST(OutcomeTally, AnAlertWithoutOutcomeCountsButIsMeasuredOnNothing) {
  OutcomeTally tally(kTallyHorizons);
  tally.Add(std::nullopt, true);
  tally.Add(MakeOutcome({1.0, 3.0, 5.0}, 6.0, -1.0), true);

  const OutcomeFigures f = tally.Figures();
  EXPECT_EQ(f.alerts, 2u);
  EXPECT_EQ(f.returns[1].median, 3.0);
  EXPECT_EQ(f.returns[1].measured, 1u);
  EXPECT_EQ(f.mfe.measured, 1u);
  EXPECT_EQ(f.positive_measured, 1u);
}

TEST(OutcomeTally, NothingMeasuredGivesNoMedians) {
  OutcomeTally tally(kTallyHorizons);
  tally.Add(std::nullopt, false);
  const OutcomeFigures f = tally.Figures();
  EXPECT_EQ(f.returns[0].median, std::nullopt);
  EXPECT_EQ(f.returns[0].measured, 0u);
  EXPECT_EQ(f.mfe.median, std::nullopt);
  EXPECT_EQ(f.mae.median, std::nullopt);
  EXPECT_EQ(f.positive_share, std::nullopt);
  EXPECT_EQ(f.positive_measured, 0u);
}

TEST(OutcomeTally, CountsMessagesOnlyForAlertsThatPostOne) {
  OutcomeTally tally(kTallyHorizons);
  tally.Add(std::nullopt, true);
  tally.Add(std::nullopt, false);
  tally.Add(std::nullopt, false);
  const OutcomeFigures f = tally.Figures();
  EXPECT_EQ(f.alerts, 3u);
  EXPECT_EQ(f.messages, 1u);
}

TEST(OutcomeTally, ReadsReturnsByHorizonNotByPosition) {
  OutcomeTally tally(kTallyHorizons);
  core::Outcome outcome;
  outcome.horizons = {1, 20};
  outcome.returns_percent = {1.5, -2.5};
  tally.Add(outcome, true);

  const OutcomeFigures f = tally.Figures();
  EXPECT_EQ(f.returns[0].median, 1.5);
  EXPECT_EQ(f.returns[1].measured, 0u);
  EXPECT_EQ(f.returns[2].median, -2.5);
}

TEST(OutcomeTally, IgnoresValuesThatAreNotFinite) {
  OutcomeTally tally(kTallyHorizons);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  tally.Add(MakeOutcome({nan, inf, 1.0}, nan, -inf), true);
  tally.Add(MakeOutcome({2.0, 3.0, 4.0}, 5.0, -1.0), true);

  const OutcomeFigures f = tally.Figures();
  EXPECT_EQ(f.returns[0].median, 2.0);
  EXPECT_EQ(f.returns[0].measured, 1u);
  EXPECT_EQ(f.returns[1].measured, 1u);
  EXPECT_EQ(f.returns[2].median, 2.5);
  EXPECT_EQ(f.mfe.median, 5.0);
  EXPECT_EQ(f.mae.median, -1.0);
}

}  // namespace
}  // namespace scanner::app
