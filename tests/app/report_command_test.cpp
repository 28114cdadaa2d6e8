#include "app/report_command.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "alerts/alert_store.h"
#include "alerts/outcome_store.h"
#include "app/cli.h"
#include "app/replay_command.h"
#include "config/defaults.h"
#include "support/alert_store_on_disk.h"
#include "support/candidates.h"
#include "support/intervals.h"
#include "support/scratch_dir.h"

namespace scanner::app {
namespace {

using support::I;
using support::MakeCandidate;
using support::ScratchDir;

constexpr core::Millis kReportNow = 1'700'000'000'000 - 1'700'000'000'000 % core::kDay;

struct ReportRun {
  int code = 0;
  std::string out;
  std::string err;
};

ReportRun Report(const ReportOptions& options, const config::Config& config, core::Millis now) {
  core::FakeClock clock(now);
  std::ostringstream out;
  std::ostringstream err;
  ReportRun run;
  run.code = RunReport(options, config, clock, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

core::OutcomeProgress Complete(double r1, double r5, double r20) {
  core::OutcomeProgress progress;
  progress.outcome = {{1, 5, 20}, {r1, r5, r20}, 3.0, -1.0, true};
  progress.last_bar = 20;
  return progress;
}

// A replay's database (no universe snapshot): two symbols alerted over two days.
class ReportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(store_.Open());
    {
      // Its statements go before the connection closes.
      auto outcomes = alerts::OutcomeStore::Open(store_.db(), clock_);
      ASSERT_TRUE(outcomes);
      Add(MakeCandidate("BTCUSDT", kReportNow - 2 * core::kDay - 1), Complete(0.5, 1.0, 2.0),
          **outcomes);
      Add(MakeCandidate("ETHUSDT", kReportNow - core::kDay - 1), Complete(-0.5, -1.0, 4.0),
          **outcomes);
      Add(MakeCandidate("ETHUSDT", kReportNow - 1), Complete(0.1, 2.0, 6.0), **outcomes);
    }
    store_.Close();
    config_ = config::DefaultConfig(core::Market::kSpot);
    options_.database = store_.path();
    options_.since = "all";
  }

  void Add(const core::Candidate& candidate, const core::OutcomeProgress& progress,
           alerts::OutcomeStore& outcomes) {
    auto inserted = store_->Insert(candidate, {});
    ASSERT_TRUE(inserted);
    ASSERT_TRUE(outcomes.Save(inserted->id, progress));
  }

  ScratchDir dir_;
  core::FakeClock clock_{kReportNow};
  support::AlertStoreOnDisk store_{dir_.Path("replay.db"), clock_};
  config::Config config_;
  ReportOptions options_;
};

// MakeCandidate's alerts are 5m ups: 3 alerts over 2 symbols x 2 days -> 0.75 per symbol-day;
// the median returns are those of the middle alert.
TEST_F(ReportCommandTest, JsonlTotalsMatchAHandCount) {
  options_.format = "jsonl";
  const ReportRun run = Report(options_, config_, kReportNow + 30 * core::kDay);
  ASSERT_EQ(run.code, kExitOk) << run.err;
  std::istringstream lines(run.out);
  std::string line;
  std::vector<boost::json::object> objects;
  while (std::getline(lines, line)) objects.push_back(boost::json::parse(line).as_object());
  ASSERT_FALSE(objects.empty());
  const boost::json::object& total = objects.back();
  EXPECT_EQ(total.at("kind").as_string(), "total");
  EXPECT_EQ(total.at("alerts").to_number<int>(), 3);
  const boost::json::object* five_minutes = nullptr;
  for (const boost::json::object& object : objects) {
    if (object.at("kind").as_string() == "interval" && object.at("interval").as_string() == "5m") {
      five_minutes = &object;
    }
  }
  ASSERT_NE(five_minutes, nullptr);
  EXPECT_NEAR(five_minutes->at("alerts_per_symbol_day").to_number<double>(), 0.75, 1e-9);
  EXPECT_NEAR(five_minutes->at("median_returns").at("5").to_number<double>(), 1.0, 1e-9);
  EXPECT_NEAR(five_minutes->at("median_returns").at("20").to_number<double>(), 4.0, 1e-9);
}

TEST_F(ReportCommandTest, SinceKeepsTheRecentAlertsAndTheTableSaysWhatItCounted) {
  options_.since = "36h";
  const ReportRun run = Report(options_, config_, kReportNow);
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_NE(run.out.find("2 alert(s) in "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("1 symbol(s) that alerted x 1.00 day(s)"), std::string::npos) << run.out;
}

// A 15m alert whose bar covers the last 5m alert's joins its message: four alerts, three
// messages.
TEST_F(ReportCommandTest, MessagesCountOnlyTheAlertsThatPostedOne) {
  ASSERT_NO_FATAL_FAILURE(store_.Open());
  {
    auto outcomes = alerts::OutcomeStore::Open(store_.db(), clock_);
    ASSERT_TRUE(outcomes);
    core::Candidate joining = MakeCandidate("ETHUSDT", kReportNow - 1, "15m");
    joining.close = 64200;  // not twice as far as the 5m move: no escalation
    Add(joining, Complete(0.2, 0.3, 0.4), **outcomes);
  }
  store_.Close();
  options_.format = "jsonl";
  const ReportRun run = Report(options_, config_, kReportNow);
  ASSERT_EQ(run.code, kExitOk) << run.err;
  // The total is the last line.
  const std::string last = run.out.substr(run.out.rfind('\n', run.out.size() - 2) + 1);
  const boost::json::object total = boost::json::parse(last).as_object();
  EXPECT_EQ(total.at("alerts").to_number<int>(), 4);
  EXPECT_EQ(total.at("messages").to_number<int>(), 3);
}

TEST_F(ReportCommandTest, AMissingDatabaseOrABadOptionIsAnError) {
  options_.database = dir_.Path("nothing-here.db");
  EXPECT_EQ(Report(options_, config_, kReportNow).code, kExitFailure);
  options_.database = store_.path();
  options_.since = "yesterday";
  const ReportRun bad = Report(options_, config_, kReportNow);
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_NE(bad.err.find("--since"), std::string::npos);
}

}  // namespace
}  // namespace scanner::app
