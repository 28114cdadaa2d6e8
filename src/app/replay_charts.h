#pragma once
// `replay --charts DIR`: each alert's chart drawn (chart::ChartRenderer, on the replay's own
// thread: a replay has no event loop to keep free) and written to DIR as
// SYMBOL-INTERVAL-CLOSE.png (alerts::ChartFileName, the name its Discord attachment has), so
// thresholds can be judged by looking. A chart that cannot be drawn or written is counted by
// kind and reported once per kind; the alert itself is unaffected.
// Not thread-safe. The stream must outlive the writer.

#include <cstdint>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>

#include "chart/chart_renderer.h"
#include "core/candidate.h"
#include "core/chart_spec.h"
#include "core/error.h"

namespace scanner::app {

class ReplayCharts {
 public:
  // Creates `dir` if needed; fails when it cannot.
  static core::Result<std::unique_ptr<ReplayCharts>> Open(const std::string& dir,
                                                          std::ostream& err);

  // The path written, or "" when the chart could not be drawn or written (reported on err).
  std::string Write(const core::Candidate& alert, const core::ChartSpec& spec);
  // "charts: 12 written to DIR" and the failures by kind.
  void WriteSummary(std::ostream& out) const;

  std::uint64_t written() const { return written_; }

 private:
  ReplayCharts(std::filesystem::path dir, std::ostream& err) : dir_(std::move(dir)), err_(err) {}
  void Fail(const std::string& kind, const std::string& message);

  std::filesystem::path dir_;
  std::ostream& err_;
  chart::ChartRenderer renderer_;
  std::uint64_t written_ = 0;
  std::uint64_t bytes_ = 0;
  std::map<std::string, std::uint64_t> failures_;
};

}  // namespace scanner::app
