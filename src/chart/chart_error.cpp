#include "chart/chart_error.h"

namespace scanner::chart {

std::string_view ChartFailureName(ChartFailure kind) {
  switch (kind) {
    case ChartFailure::kInvalidSpec:
      return "invalid_spec";
    case ChartFailure::kFont:
      return "font";
    case ChartFailure::kCairo:
      return "cairo";
    case ChartFailure::kEncode:
      return "encode";
  }
  return "unknown";
}

}  // namespace scanner::chart
