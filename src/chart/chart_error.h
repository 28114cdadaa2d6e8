#pragma once
// Why a chart could not be drawn. The kind's name is stable: it labels metrics and log lines.

#include <string>
#include <string_view>

namespace scanner::chart {

enum class ChartFailure {
  kInvalidSpec,  // no bars, a non-finite or non-positive price, a size out of bounds, ...
  kFont,         // the font file is missing or FreeType cannot read it
  kCairo,        // a Cairo surface or context error (e.g. out of memory)
  kEncode,       // writing the PNG failed
};

// "invalid_spec", "font", "cairo", "encode".
std::string_view ChartFailureName(ChartFailure kind);

struct ChartError {
  ChartFailure kind = ChartFailure::kInvalidSpec;
  std::string message;  // for people: what was wrong, with the value that was

  friend bool operator==(const ChartError&, const ChartError&) = default;
};

}  // namespace scanner::chart
