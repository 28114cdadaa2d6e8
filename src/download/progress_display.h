#pragma once
// Shows a download's progress: on a terminal one bar redrawn in place (files done of planned,
// bytes, rate, time left), with a line above it for each file that is not there; otherwise one
// plain line per file. Files that fail are always named.
//
// Not thread-safe. The stream and the clock must outlive it.

#include <cstddef>
#include <cstdint>
#include <ostream>

#include "core/clock.h"
#include "download/kline_downloader.h"

namespace scanner::download {

class ProgressDisplay final : public DownloadObserver {
 public:
  ProgressDisplay(std::ostream& out, bool terminal, const core::Clock& clock);

  void Planned(std::size_t count) override;
  void Finished(const FileReport& report) override;
  // Ends the bar's line (terminal only). Call once, at the end.
  void Close();

  // The bar as drawn now, without the leading carriage return (for tests).
  std::string BarText() const;

 private:
  void Redraw();

  std::ostream& out_;
  bool terminal_;
  const core::Clock& clock_;
  core::Millis started_;
  std::size_t planned_ = 0;
  std::size_t done_ = 0;
  std::uint64_t bytes_ = 0;
  std::size_t drawn_width_ = 0;  // of the last bar drawn, to blank it out
};

}  // namespace scanner::download
