#include "core/clock.h"

#include <chrono>

namespace scanner::core {

Millis SystemClock::NowMs() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace scanner::core
