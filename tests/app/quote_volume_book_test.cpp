#include "app/quote_volume_book.h"

#include <gtest/gtest.h>

namespace scanner::app {
namespace {

TEST(QuoteVolumeBook, KeepsTheNewestValuePerSymbol) {
  QuoteVolumeBook book;
  EXPECT_FALSE(book.QuoteVolume24h("BTCUSDT"));
  book.Update("BTCUSDT", 1e9, 2000);
  book.Update("BTCUSDT", 5e8, 1000);  // an older REST snapshot loses to the stream
  EXPECT_EQ(book.QuoteVolume24h("BTCUSDT"), 1e9);
  book.Update("BTCUSDT", 2e9, 3000);
  EXPECT_EQ(book.QuoteVolume24h("BTCUSDT"), 2e9);
  book.Update("BTCUSDT", -1, 4000);  // garbage never replaces a value
  EXPECT_EQ(book.QuoteVolume24h("BTCUSDT"), 2e9);
  book.Forget("BTCUSDT");
  EXPECT_FALSE(book.QuoteVolume24h("BTCUSDT"));
}

}  // namespace
}  // namespace scanner::app
