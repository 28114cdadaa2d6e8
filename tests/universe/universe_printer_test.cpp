#include "universe/universe_printer.h"

#include <gtest/gtest.h>

#include "sample_universe.h"

namespace scanner::universe {
namespace {

TEST(UniversePrinter, TableIsAlignedWithGroupedVolumesAndSignedChanges) {
  EXPECT_EQ(FormatUniverseTable(SampleUniverse()),
            "rank  symbol    24h quote volume  24h change %\n"
            "   1  BTCUSDT      1,537,040,739         +1.25\n"
            "   2  PEPEUSDT             1,000        -12.35\n"
            "   3  NBTUSDT*                 0         +0.00\n");
}

TEST(UniversePrinter, EmptyTableHasItsHeader) {
  EXPECT_EQ(FormatUniverseTable(Universe{}), "rank  symbol  24h quote volume  24h change %\n");
}

TEST(UniversePrinter, JsonArrayOfSymbolAndQuoteVolume) {
  EXPECT_EQ(FormatUniverseJson(SampleUniverse()),
            R"([{"symbol":"BTCUSDT","quote_volume":1537040739.3455315},)"
            R"({"symbol":"PEPEUSDT","quote_volume":999.5},{"symbol":"NBTUSDT","quote_volume":0}])"
            "\n");
}

TEST(UniversePrinter, JsonEscapesSymbols) {
  Universe universe;
  universe.symbols = {{.rank = 1,
                       .symbol = "A\"B\\C\x01\xE5\xB8\x81",
                       .base_asset = "",
                       .quote_asset = "",
                       .quote_volume_24h = 1e21,
                       .price_change_percent = 0,
                       .included = false}};
  EXPECT_EQ(FormatUniverseJson(universe),
            "[{\"symbol\":\"A\\\"B\\\\C\\u0001\xE5\xB8\x81\",\"quote_volume\":1e+21}]\n");
  EXPECT_EQ(FormatUniverseJson(Universe{}), "[]\n");
}

TEST(UniversePrinter, RejectionsNameTheReason) {
  Selection selection;
  selection.rejected = {{"EURUSDT", RejectReason::kStablePair, 47462789.03693},
                        {"FOOUSDT", RejectReason::kNotListed, 0}};
  EXPECT_EQ(FormatRejections(selection),
            "EURUSDT stable_pair 47462789.03693\nFOOUSDT not_listed 0\n");
}

}  // namespace
}  // namespace scanner::universe
