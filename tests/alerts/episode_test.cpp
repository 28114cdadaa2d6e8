#include "alerts/episode.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/candidates.h"

namespace scanner::alerts {
namespace {

using core::kMinute;
using core::Millis;

// 12:00 UTC on 2024-03-10; every bar below is placed relative to it.
constexpr Millis kNoon = support::kSampleNoon;

// The move of `symbol` on the `interval` bar that opens at `open`: close 100 after +2 %.
core::Candidate Bar(std::string_view interval, Millis open, std::string symbol = "BTCUSDT",
                    core::Direction direction = core::Direction::kUp) {
  core::Interval parsed = support::I(interval);
  core::Candidate c = support::MakeCandidate(std::move(symbol), open + parsed.DurationMs() - 1,
                                             interval, direction);
  c.close = 100;
  c.change_percent = direction == core::Direction::kUp ? 2 : -2;
  return c;
}

EpisodeAlert Stored(AlertId id, AlertId episode, AlertId head, core::Candidate c) {
  return EpisodeAlert{id, episode, head, std::move(c)};
}

struct PlacementCase {
  std::string name;
  std::vector<EpisodeAlert> earlier;
  core::Candidate alert;
  EpisodePlacement expected;
};

core::Candidate Strong(core::Candidate c) {
  c.severity = core::Severity::kStrong;
  return c;
}

core::Candidate Closing(core::Candidate c, double close) {
  c.close = close;
  return c;
}

TEST(Episode, PlacesAlertsByOverlapSeriesAndEscalation) {
  const core::Candidate first_1m = Bar("1m", kNoon + 3 * kMinute);  // 12:03-12:04, 100 after +2 %
  const core::Candidate down_1m = Bar("1m", kNoon + 3 * kMinute, "BTCUSDT", core::Direction::kDown);
  const std::vector<EpisodeAlert> one{Stored(1, 1, 1, first_1m)};
  // Head 1 started from 100 / 1.02 = 98.04: doubling its +2 % move means 98.04 * 1.04 = 101.96.
  const std::vector<PlacementCase> cases = {
      {"no earlier alert starts an episode", {}, Bar("5m", kNoon), {}},
      {"a longer bar around the first joins its message", one, Bar("5m", kNoon), {1, 1, 0}},
      {"the same interval a bar later does not overlap", one, Bar("1m", kNoon + 4 * kMinute), {}},
      {"a bar that ends before the episode does not overlap",
       one,
       Bar("1m", kNoon + 2 * kMinute),
       {}},
      {"another symbol starts its own", one, Bar("5m", kNoon, "ETHUSDT"), {}},
      {"the other direction starts its own",
       one,
       Bar("5m", kNoon, "BTCUSDT", core::Direction::kDown),
       {}},
      {"normal to strong escalates", one, Strong(Bar("5m", kNoon)), {1, 0, 1}},
      {"strong after strong does not escalate by severity",
       {Stored(1, 1, 1, Strong(first_1m))},
       Strong(Bar("5m", kNoon)),
       {1, 1, 0}},
      {"the move doubled escalates", one, Closing(Bar("5m", kNoon), 101.97), {1, 0, 1}},
      {"short of doubling joins", one, Closing(Bar("5m", kNoon), 101.9), {1, 1, 0}},
      {"a down move doubles downwards",
       {Stored(1, 1, 1, down_1m)},
       Closing(Bar("5m", kNoon, "BTCUSDT", core::Direction::kDown), 97.9),
       {1, 0, 1}},
      {"a down move that went back up joins",
       {Stored(1, 1, 1, down_1m)},
       Closing(Bar("5m", kNoon, "BTCUSDT", core::Direction::kDown), 104),
       {1, 1, 0}},
      // Episode 1: the 1m at 12:03 and the 15m 12:00-12:15 (joined); the 1m at 12:10 overlaps only
      // the 15m and still joins head 1's message.
      {"overlap with any alert of the episode counts",
       {Stored(1, 1, 1, first_1m), Stored(2, 1, 1, Bar("15m", kNoon))},
       Bar("1m", kNoon + 10 * kMinute),
       {1, 1, 0}},
      // Head 3 escalated head 1: later alerts join the latest head, and escalate relative to it.
      {"the latest head of the episode shows a joining alert",
       {Stored(1, 1, 1, first_1m), Stored(3, 1, 3, Strong(Bar("5m", kNoon)))},
       Strong(Bar("15m", kNoon)),
       {1, 3, 0}},
      {"the latest overlapping episode wins",
       {Stored(1, 1, 1, Bar("1h", kNoon)), Stored(4, 4, 4, Bar("1m", kNoon + 30 * kMinute))},
       Bar("5m", kNoon + 30 * kMinute),
       {4, 4, 0}},
  };
  for (const PlacementCase& c : cases) {
    EXPECT_EQ(PlaceInEpisode(c.alert, c.earlier), c.expected) << c.name;
  }
}

TEST(Episode, PostsMessageOnlyWhenNoHeadShowsIt) {
  EXPECT_TRUE((EpisodePlacement{}).posts_message());
  EXPECT_TRUE((EpisodePlacement{1, 0, 1}).posts_message());
  EXPECT_FALSE((EpisodePlacement{1, 1, 0}).posts_message());
}

TEST(Episode, AHeadWithoutAStartPriceIsNeverDoubled) {
  core::Candidate head = Bar("1m", kNoon);
  head.change_percent = -100;  // started from infinity
  EXPECT_FALSE(Escalates(Closing(Bar("5m", kNoon), 1e9), head));
}

}  // namespace
}  // namespace scanner::alerts
