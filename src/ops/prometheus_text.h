#pragma once
// Writes metrics in the Prometheus text exposition format (version 0.0.4): one HELP and TYPE
// line per family, then its samples. Small on purpose: the scanner exposes a few dozen series,
// collected at scrape time from the modules' plain counter structs.
// Not thread-safe; build one per scrape.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace scanner::ops {

enum class MetricType { kCounter, kGauge };

struct Label {
  std::string_view name;
  std::string_view value;
};

class PrometheusText {
 public:
  // Starts a family. Names must match [a-zA-Z_:][a-zA-Z0-9_:]*; counters should end in _total.
  // A family started twice is written once: its later samples join the first.
  void Family(std::string_view name, MetricType type, std::string_view help);

  // A sample of the current family; label values are escaped here.
  void Sample(double value, std::initializer_list<Label> labels = {});
  void Sample(std::string_view name_suffix, double value, std::initializer_list<Label> labels);

  // Shorthands for a family with a single unlabelled sample.
  void Counter(std::string_view name, std::string_view help, double value);
  void Gauge(std::string_view name, std::string_view help, double value);

  const std::string& text() const { return text_; }

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  std::string text_;
  std::string family_;
  std::string families_seen_;  // "\n"-separated, so a repeated family emits no second header
};

}  // namespace scanner::ops
