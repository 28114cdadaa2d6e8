#include "market/bar_origin.h"

namespace scanner::market {

std::string_view BarOriginName(BarOrigin origin) {
  switch (origin) {
    case BarOrigin::kWarmUp:
      return "warm-up";
    case BarOrigin::kStream:
      return "stream";
    case BarOrigin::kRest:
      return "rest";
  }
  return "unknown";
}

}  // namespace scanner::market
