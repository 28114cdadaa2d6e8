#include "ops/prometheus_text.h"

#include <gtest/gtest.h>

namespace scanner::ops {
namespace {

TEST(PrometheusText, WritesHelpTypeAndSamples) {
  PrometheusText text;
  text.Counter("scanner_messages_total", "Stream messages received.", 42);
  text.Gauge("scanner_last_message_age_seconds", "Age of the newest message.", 1.25);
  EXPECT_EQ(text.text(),
            "# HELP scanner_messages_total Stream messages received.\n"
            "# TYPE scanner_messages_total counter\n"
            "scanner_messages_total 42\n"
            "# HELP scanner_last_message_age_seconds Age of the newest message.\n"
            "# TYPE scanner_last_message_age_seconds gauge\n"
            "scanner_last_message_age_seconds 1.25\n");
}

TEST(PrometheusText, LabelsAreEscaped) {
  PrometheusText text;
  text.Family("scanner_parse_errors_total", MetricType::kCounter, "Frames skipped.\nby kind");
  text.Sample(3, {{"kind", "bad\"quote\\slash\nline"}, {"market", "spot"}});
  EXPECT_EQ(text.text(),
            "# HELP scanner_parse_errors_total Frames skipped.\\nby kind\n"
            "# TYPE scanner_parse_errors_total counter\n"
            "scanner_parse_errors_total{kind=\"bad\\\"quote\\\\slash\\nline\",market=\"spot\"} 3\n");
}

TEST(PrometheusText, RepeatedFamilyHasOneHeader) {
  PrometheusText text;
  text.Family("a_total", MetricType::kCounter, "A.");
  text.Sample(1, {{"k", "x"}});
  text.Family("b", MetricType::kGauge, "B.");
  text.Sample(2);
  text.Family("a_total", MetricType::kCounter, "A.");
  text.Sample(3, {{"k", "y"}});
  EXPECT_EQ(text.text(),
            "# HELP a_total A.\n# TYPE a_total counter\na_total{k=\"x\"} 1\n"
            "# HELP b B.\n# TYPE b gauge\nb 2\n"
            "a_total{k=\"y\"} 3\n");
}

TEST(PrometheusText, SpecialValuesAndLargeIntegers) {
  PrometheusText text;
  text.Family("g", MetricType::kGauge, "G.");
  text.Sample(std::numeric_limits<double>::quiet_NaN(), {{"v", "nan"}});
  text.Sample(std::numeric_limits<double>::infinity(), {{"v", "inf"}});
  text.Sample(1'700'000'000'123.0, {{"v", "ms"}});
  text.Sample(-0.5, {{"v", "neg"}});
  EXPECT_NE(text.text().find("g{v=\"nan\"} NaN\n"), std::string::npos);
  EXPECT_NE(text.text().find("g{v=\"inf\"} +Inf\n"), std::string::npos);
  EXPECT_NE(text.text().find("g{v=\"ms\"} 1700000000123\n"), std::string::npos);
  EXPECT_NE(text.text().find("g{v=\"neg\"} -0.5\n"), std::string::npos);
}

}  // namespace
}  // namespace scanner::ops
