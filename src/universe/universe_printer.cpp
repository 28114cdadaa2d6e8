#include "universe/universe_printer.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <string_view>

namespace scanner::universe {
namespace {

// 1537040739.34 -> "1,537,040,739".
std::string GroupThousands(double value) {
  const double rounded = std::round(value);
  std::string digits = fmt::format("{:.0f}", std::fabs(rounded));
  std::string grouped;
  const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  grouped.append(digits, 0, first);
  for (std::size_t i = first; i < digits.size(); i += 3) {
    grouped.push_back(',');
    grouped.append(digits, i, 3);
  }
  return rounded < 0 ? "-" + grouped : grouped;
}

// The shortest decimal that reads back as `value`; non-finite values (never produced by the
// parser) become 0 so that the output stays valid JSON.
std::string JsonNumber(double value) {
  if (!std::isfinite(value)) return "0";
  char buffer[64];
  auto [end, error] = std::to_chars(std::begin(buffer), std::end(buffer), value);
  if (error != std::errc()) return "0";
  return std::string(buffer, end);
}

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out.push_back(c);  // UTF-8 passes through unchanged
        }
    }
  }
  out.push_back('"');
}

}  // namespace

std::string FormatUniverseTable(const Universe& universe) {
  std::size_t symbol_width = std::string_view("symbol").size();
  std::size_t volume_width = std::string_view("24h quote volume").size();
  std::vector<std::string> volumes;
  volumes.reserve(universe.symbols.size());
  for (const UniverseSymbol& entry : universe.symbols) {
    symbol_width = std::max(symbol_width, entry.symbol.size() + (entry.included ? 1 : 0));
    volumes.push_back(GroupThousands(entry.quote_volume_24h));
    volume_width = std::max(volume_width, volumes.back().size());
  }
  std::string out = fmt::format("{:>4}  {:<{}}  {:>{}}  {:>12}\n", "rank", "symbol", symbol_width,
                                "24h quote volume", volume_width, "24h change %");
  for (std::size_t i = 0; i < universe.symbols.size(); ++i) {
    const UniverseSymbol& entry = universe.symbols[i];
    out += fmt::format("{:>4}  {:<{}}  {:>{}}  {:>+12.2f}\n", entry.rank,
                       entry.symbol + (entry.included ? "*" : ""), symbol_width, volumes[i],
                       volume_width, entry.price_change_percent);
  }
  return out;
}

std::string FormatUniverseJson(const Universe& universe) {
  std::string out = "[";
  for (std::size_t i = 0; i < universe.symbols.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += "{\"symbol\":";
    AppendJsonString(out, universe.symbols[i].symbol);
    out += ",\"quote_volume\":";
    out += JsonNumber(universe.symbols[i].quote_volume_24h);
    out.push_back('}');
  }
  out += "]\n";
  return out;
}

std::string FormatRejections(const Selection& selection) {
  std::string out;
  for (const Rejection& rejection : selection.rejected) {
    out += fmt::format("{} {} {}\n", rejection.symbol, RejectReasonName(rejection.reason),
                       JsonNumber(rejection.quote_volume_24h));
  }
  return out;
}

}  // namespace scanner::universe
