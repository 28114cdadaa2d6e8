#include "download/progress_display.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace scanner::download {
namespace {

constexpr std::size_t kBarCells = 24;

std::string FormatSeconds(double seconds) {
  const auto total = static_cast<long long>(seconds + 0.5);
  if (total >= 3600)
    return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

}  // namespace

ProgressDisplay::ProgressDisplay(std::ostream& out, bool terminal, const core::Clock& clock)
    : out_(out), terminal_(terminal), clock_(clock), started_(clock.NowMs()) {}

void ProgressDisplay::Planned(std::size_t count) {
  planned_ += count;
  if (terminal_) Redraw();
}

std::string ProgressDisplay::BarText() const {
  const double fraction =
      planned_ == 0 ? 0.0 : static_cast<double>(done_) / static_cast<double>(planned_);
  const auto filled = static_cast<std::size_t>(fraction * kBarCells);
  const double seconds = static_cast<double>(clock_.NowMs() - started_) / 1000.0;
  std::string rate = "-";
  std::string left = "-";
  if (seconds > 0 && done_ > 0) {
    rate = FormatBytes(static_cast<std::uint64_t>(static_cast<double>(bytes_) / seconds)) + "/s";
    left = FormatSeconds(seconds / static_cast<double>(done_) *
                         static_cast<double>(planned_ - std::min(done_, planned_)));
  }
  return fmt::format("[{}{}] {}/{} files  {}  {}  {} left", std::string(filled, '#'),
                     std::string(kBarCells - std::min(filled, kBarCells), '-'), done_, planned_,
                     FormatBytes(bytes_), rate, left);
}

void ProgressDisplay::Redraw() {
  const std::string bar = BarText();
  out_ << '\r' << bar;
  if (bar.size() < drawn_width_) out_ << std::string(drawn_width_ - bar.size(), ' ');
  out_ << std::flush;
  drawn_width_ = bar.size();
}

void ProgressDisplay::Finished(const FileReport& report) {
  ++done_;
  bytes_ += report.bytes;
  std::string line = fmt::format("{}: {}", report.name, FileOutcomeName(report.outcome));
  if (report.outcome == FileOutcome::kDownloaded)
    line += fmt::format(", {}", FormatBytes(report.bytes));
  if (!report.detail.empty()) line += fmt::format(": {}", report.detail);
  if (!terminal_) {
    out_ << fmt::format("[{}/{}] {}\n", done_, planned_, line);
    return;
  }
  if (!IsThere(report.outcome)) {
    // Above the bar: blank the bar's line, print, draw the bar again below.
    out_ << '\r' << std::string(drawn_width_, ' ') << '\r' << line << '\n';
    drawn_width_ = 0;
  }
  Redraw();
}

void ProgressDisplay::Close() {
  if (terminal_ && drawn_width_ > 0) out_ << '\n' << std::flush;
  drawn_width_ = 0;
}

}  // namespace scanner::download
