#include "app/replay_charts.h"

#include <fmt/format.h>

#include <fstream>
#include <system_error>

#include "alerts/alert_chart.h"

namespace scanner::app {

core::Result<std::unique_ptr<ReplayCharts>> ReplayCharts::Open(const std::string& dir,
                                                               std::ostream& err) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_directory(dir)) {
    return core::Fail(fmt::format("--charts {}: cannot create the folder: {}", dir,
                                  error ? error.message() : "not a folder"));
  }
  return std::unique_ptr<ReplayCharts>(new ReplayCharts(dir, err));
}

std::string ReplayCharts::Write(const core::Candidate& alert, const core::ChartSpec& spec) {
  auto png = renderer_.RenderPng(spec);
  if (!png) {
    Fail(std::string(chart::ChartFailureName(png.error().kind)), png.error().message);
    return {};
  }
  const std::filesystem::path path = dir_ / alerts::ChartFileName(alert);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(png->data(), static_cast<std::streamsize>(png->size()));
  out.close();
  if (!out) {
    Fail("write", fmt::format("cannot write {}", path.string()));
    return {};
  }
  ++written_;
  bytes_ += png->size();
  return path.string();
}

void ReplayCharts::Fail(const std::string& kind, const std::string& message) {
  if (failures_[kind]++ == 0) {
    err_ << fmt::format("replay: a chart was not drawn ({}): {} (reported once per kind)\n", kind,
                        message);
  }
}

void ReplayCharts::WriteSummary(std::ostream& out) const {
  out << fmt::format("charts: {} written to {} ({} KB in all)", written_, dir_.string(),
                     (bytes_ + 512) / 1024);
  for (const auto& [kind, count] : failures_) out << fmt::format(", {} not drawn ({})", count, kind);
  out << '\n';
}

}  // namespace scanner::app
