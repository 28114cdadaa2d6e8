#include "app/replay_summary.h"

#include <fmt/format.h>

#include "alerts/discord_text.h"

namespace scanner::app {

void ReplaySummary::CountAlert(const core::Candidate& candidate) {
  ++alerts_[AlertKey{candidate.symbol, candidate.interval, candidate.direction}];
  ++total_alerts_;
}

void ReplaySummary::Write(std::ostream& out, const replay::BarMerger& merger,
                          const ReplayDriver& driver, const replay::IssueLog& issues,
                          const std::string& database) const {
  const std::vector<replay::ReplayInput>& inputs = merger.inputs();
  const std::vector<replay::InputStatus>& status = merger.input_status();
  std::size_t unreadable = 0;
  for (const replay::InputStatus& s : status) unreadable += s.opened ? 0 : 1;
  const ReplayCounters& counters = driver.counters();

  out << fmt::format("replay summary: {} file(s){}, {} series, {} bars read\n", inputs.size(),
                     unreadable ? fmt::format(" ({} unreadable)", unreadable) : "",
                     merger.series().size(), counters.bars);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    out << fmt::format("  {}  {} {}  {}\n", inputs[i].path, alerts::DisplayText(inputs[i].symbol),
                       inputs[i].interval.Name(),
                       status[i].opened ? fmt::format("{} bars", status[i].bars) : "unreadable");
  }

  const signals::SignalCounters& s = driver.engine().Counters();
  std::uint64_t refused = 0;
  std::string refused_kinds;
  for (std::size_t i = 0; i < counters.refused.size(); ++i) {
    if (counters.refused[i] == 0) continue;
    refused += counters.refused[i];
    refused_kinds +=
        fmt::format("{}{} {}", refused_kinds.empty() ? " (" : ", ",
                    market::BarDefectName(static_cast<market::BarDefect>(i)), counters.refused[i]);
  }
  if (!refused_kinds.empty()) refused_kinds += ")";
  out << fmt::format(
      "bars: {} evaluated, {} ignored as already seen, {} refused by the window, {} refused as "
      "no bar{}, {} gap(s)\n",
      counters.evaluated, counters.duplicates, counters.invalid, refused, refused_kinds,
      counters.gaps);
  out << fmt::format(
      "signals: {} not warm; stopped by absurd {}, atr_move {}, min_change {}, direction {}, "
      "volume_z {}, return_z {}, quote_volume_24h {}, confirmations {}, cooldown {}; {} unusable "
      "bar(s); {} candidate(s)\n",
      s.not_warm, s.suppressed_absurd, s.suppressed_atr_move, s.suppressed_min_change,
      s.suppressed_direction, s.suppressed_volume_z, s.suppressed_return_z,
      s.suppressed_quote_volume_24h, s.suppressed_confirmations, s.suppressed_cooldown,
      s.unusable_bars, s.candidates);

  std::uint64_t up = 0;
  for (const auto& [key, count] : alerts_) {
    if (std::get<2>(key) == core::Direction::kUp) up += count;
  }
  out << fmt::format(
      "alerts: {} new ({} up, {} down) in {} Discord message(s) (the others join the message of "
      "their move), {} already in the database ({})\n",
      total_alerts_, up, total_alerts_ - up, counters.messages, counters.already_stored, database);
  for (const auto& [key, count] : alerts_) {
    out << fmt::format("  {:<14} {:<3} {:<4} {}\n", alerts::DisplayText(std::get<0>(key)),
                       std::get<1>(key).Name(), core::DirectionName(std::get<2>(key)), count);
  }

  if (issues.Total() == 0) {
    out << "problems: none\n";
    return;
  }
  std::string kinds;
  for (std::size_t k = 0; k < replay::kIssueKindCount; ++k) {
    const auto kind = static_cast<replay::IssueKind>(k);
    if (issues.Count(kind) == 0) continue;
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", replay::IssueKindName(kind),
                         issues.Count(kind));
  }
  const std::uint64_t skipped = issues.Total() - issues.Count(replay::IssueKind::kGap) -
                                issues.Count(replay::IssueKind::kUnreadable);
  out << fmt::format("problems: {} ({}); {} row(s) skipped\n", issues.Total(), kinds, skipped);
  for (const replay::ReadIssue& issue : issues.Detailed()) {
    out << "  " << alerts::DisplayText(replay::FormatIssue(issue)) << '\n';
  }
  for (const auto& [file, count] : issues.Omitted()) {
    out << fmt::format("  {}: {} more not shown\n", file, count);
  }
}

}  // namespace scanner::app
