#pragma once
// Jittered exponential backoff: pure, deterministic for a given seed.

#include <cstdint>
#include <random>

#include "core/clock.h"

namespace scanner::core {

struct BackoffPolicy {
  Millis initial = 1 * kSecond;
  Millis max = 60 * kSecond;
  double multiplier = 2.0;
  // Fraction of each delay that is random: 0 = none, 1 = "full jitter". Spreads reconnects of
  // many connections so a shared outage does not end in a synchronized storm.
  double jitter = 0.5;
};

// Not thread-safe; one instance per retrying thing (connection, webhook, request).
class Backoff {
 public:
  Backoff(BackoffPolicy policy, std::uint64_t seed);

  // The delay before the next attempt; each call counts one failed attempt.
  // Always within [base * (1 - jitter), base], base = min(max, initial * multiplier^attempts).
  Millis NextDelay();

  // The absolute time of the next attempt, by `clock`.
  Millis NextAttemptAt(const Clock& clock) { return clock.NowMs() + NextDelay(); }

  // After a success: the next failure starts again from `initial`.
  void Reset() { attempts_ = 0; }

  int attempts() const { return attempts_; }
  const BackoffPolicy& policy() const { return policy_; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 random_;
  int attempts_ = 0;
};

}  // namespace scanner::core
