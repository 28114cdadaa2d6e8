#include "alerts/episode.h"

#include <cmath>

namespace scanner::alerts {
namespace {

bool SameSeries(const core::Candidate& a, const core::Candidate& b) {
  return a.market == b.market && a.symbol == b.symbol && a.direction == b.direction;
}

}  // namespace

bool BarsOverlap(const core::Candidate& a, const core::Candidate& b) {
  return a.bar_open_time <= b.bar_close_time && b.bar_open_time <= a.bar_close_time;
}

bool Escalates(const core::Candidate& alert, const core::Candidate& head) {
  if (head.severity == core::Severity::kNormal && alert.severity == core::Severity::kStrong) {
    return true;
  }
  const double start = head.close / (1 + head.change_percent / 100);
  // A head without a usable start price (a -100 % move, zeros) cannot be doubled.
  if (!std::isfinite(start) || start <= 0) return false;
  const double d = alert.direction == core::Direction::kUp ? 1.0 : -1.0;
  const double move = d * (alert.close / start - 1);
  return move >= kEscalationMoveFactor * std::fabs(head.change_percent) / 100;
}

EpisodePlacement PlaceInEpisode(const core::Candidate& alert,
                                std::span<const EpisodeAlert> earlier) {
  EpisodePlacement placement;
  for (const EpisodeAlert& e : earlier) {
    if (!SameSeries(e.candidate, alert) || !BarsOverlap(e.candidate, alert)) continue;
    if (e.episode_id > placement.episode_id) placement.episode_id = e.episode_id;
  }
  if (placement.episode_id == 0) return placement;

  const EpisodeAlert* head = nullptr;
  for (const EpisodeAlert& e : earlier) {
    if (e.episode_id != placement.episode_id || e.message_head_id != e.id) continue;
    if (!SameSeries(e.candidate, alert)) continue;
    if (head == nullptr || e.id > head->id) head = &e;
  }
  // An episode without a head cannot be read from the store; the alert then posts.
  if (head == nullptr) return placement;
  if (Escalates(alert, head->candidate)) {
    placement.escalates = head->id;
  } else {
    placement.message_head_id = head->id;
  }
  return placement;
}

}  // namespace scanner::alerts
