#include "alerts/alert_chart_store.h"

#include <gtest/gtest.h>

#include <cmath>

#include "alerts/alert_store.h"
#include "alerts/chart_spec_codec.h"
#include "support/alert_store_on_disk.h"
#include "support/bar_series.h"
#include "support/candidates.h"
#include "support/scratch_dir.h"

namespace scanner::alerts {
namespace {

using support::I;

constexpr core::Millis kChartStart = 1'700'000'000'000;

core::ChartSpec SpecOf(const core::Candidate& alert, int bars) {
  support::SeriesMaker series(alert.bar_open_time - (bars - 1) * alert.interval.DurationMs(),
                              alert.interval, 64000);
  core::ChartSpec spec;
  spec.market = alert.market;
  spec.symbol = alert.symbol;
  spec.interval = alert.interval;
  for (int i = 0; i + 1 < bars; ++i) spec.bars.push_back(series.Calm());
  spec.bars.push_back(series.Spike(1500));
  spec.atr = alert.atr;
  spec.band_atrs = 2.5;
  return spec;
}

TEST(ChartSpecCodec, ReadsBackEveryFieldExactly) {
  core::Candidate alert = support::MakeCandidate("1000SATSUSDT", kChartStart, "15m");
  alert.market = core::Market::kUsdm;
  core::ChartSpec spec = SpecOf(alert, 60);
  spec.bars[3].close = 0.000'012'345'678'9;  // tiny prices survive bit for bit
  spec.bars[4].volume = std::nextafter(1e12, 2e12);
  spec.width = 1024;
  spec.height = 576;

  const std::string bytes = EncodeChartSpec(spec);
  EXPECT_LT(bytes.size(), 4500u) << "60 bars should stay small in the database";
  auto decoded = DecodeChartSpec(bytes);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, spec);
}

TEST(ChartSpecCodec, RefusesWhatItDidNotWrite) {
  const std::string bytes = EncodeChartSpec(SpecOf(support::MakeCandidate("BTCUSDT", kChartStart), 3));
  EXPECT_EQ(DecodeChartSpec("").error().message, "chart record: empty");
  EXPECT_EQ(DecodeChartSpec(std::string(1, '\x07') + bytes.substr(1)).error().message,
            "chart record: unknown version 7");
  EXPECT_EQ(DecodeChartSpec(bytes.substr(0, bytes.size() - 1)).error().message,
            "chart record: 3 bars do not fit its 215 bytes");
  EXPECT_EQ(DecodeChartSpec(bytes + "x").error().message,
            "chart record: 3 bars do not fit its 217 bytes");
  EXPECT_EQ(DecodeChartSpec(bytes.substr(0, 5)).error().message,
            "chart record: truncated in the symbol");
  std::string bad_market = bytes;
  bad_market[1] = 9;
  EXPECT_EQ(DecodeChartSpec(bad_market).error().message, "chart record: unknown market 9");
}

class AlertChartStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_.Open(); }

  core::FakeClock clock_{kChartStart};
  support::ScratchDir dir_;
  support::AlertStoreOnDisk store_{dir_.Path("charts.db"), clock_};
};

TEST_F(AlertChartStoreTest, TheSpecIsStoredWithItsAlertAndOutlivesARestart) {
  const core::Candidate alert = support::MakeCandidate("ETHUSDT", kChartStart, "1m");
  const core::ChartSpec spec = SpecOf(alert, 60);
  const std::vector<std::string> destinations{"discord:1"};
  auto inserted = store_->Insert(alert, destinations, &spec);
  ASSERT_TRUE(inserted) << inserted.error().message;

  store_.Reopen();
  auto loaded = store_->charts().Load(inserted->id);
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(**loaded, spec);
}

TEST_F(AlertChartStoreTest, AnAlertWithoutChartHasNone) {
  const core::Candidate alert = support::MakeCandidate("ETHUSDT", kChartStart, "1m");
  auto inserted = store_->Insert(alert, {});
  ASSERT_TRUE(inserted);
  auto loaded = store_->charts().Load(inserted->id);
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->has_value());
}

TEST_F(AlertChartStoreTest, ADuplicateKeepsTheFirstSpec) {
  const core::Candidate alert = support::MakeCandidate("ETHUSDT", kChartStart, "1m");
  const core::ChartSpec first = SpecOf(alert, 60);
  core::ChartSpec second = first;
  second.bars.pop_back();
  auto inserted = store_->Insert(alert, {}, &first);
  ASSERT_TRUE(inserted);
  auto again = store_->Insert(alert, {}, &second);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, InsertOutcome::kDuplicate);
  auto loaded = store_->charts().Load(inserted->id);
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_EQ(**loaded, first);
}

TEST_F(AlertChartStoreTest, ARowThatDoesNotDecodeIsAnErrorNamingTheAlert) {
  const core::Candidate alert = support::MakeCandidate("ETHUSDT", kChartStart, "1m");
  auto inserted = store_->Insert(alert, {});
  ASSERT_TRUE(inserted);
  ASSERT_TRUE(store_.db().Exec("INSERT INTO alert_charts (alert_id, spec) VALUES (" +
                               std::to_string(inserted->id) + ", x'01')"));
  auto loaded = store_->charts().Load(inserted->id);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message,
            "alert " + std::to_string(inserted->id) + ": chart record: truncated before the market");
}

}  // namespace
}  // namespace scanner::alerts
