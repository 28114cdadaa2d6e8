#include "chart/chart_renderer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>

#include "core/chart_spec.h"
#include "core/interval.h"
#include "png_pixels.h"
#include "support/ohlcv_file.h"

namespace scanner::chart {
namespace {

using chart_test::IsBluish;
using chart_test::IsGreen;
using chart_test::IsRed;
using chart_test::IsYellow;
using chart_test::PngPixels;
using chart_test::Rgb;

constexpr core::Millis kStart = 1529297280000;  // 2018-06-18 04:48 UTC

// 60 one-minute bars: even ones up (100 -> 104), odd ones down (104 -> 101), then the alert bar
// up from 104 to 112. ATR 2, band ±1.5 ATR around the previous close 104: [101, 107].
core::ChartSpec SyntheticSpec() {
  core::ChartSpec spec;
  spec.symbol = "TESTUSDT";
  spec.interval = *core::Interval::Parse("1m");
  spec.atr = 2;
  spec.band_atrs = 1.5;
  for (int i = 0; i < 60; ++i) {
    core::Bar bar;
    bar.open_time = kStart + i * core::kMinute;
    bar.close_time = bar.open_time + core::kMinute - 1;
    const bool up = i % 2 == 0;
    bar.open = up ? 100 : 104;
    bar.close = up ? 104 : 101;
    bar.high = 105;
    bar.low = 99;
    bar.volume = 1000 + 100 * (i % 5);
    bar.closed = true;
    spec.bars.push_back(bar);
  }
  core::Bar& alert = spec.bars.back();
  alert.open = 104;
  alert.close = 112;
  alert.high = 113;
  alert.low = 103.5;
  alert.volume = 5000;
  return spec;
}

class ChartRendererTest : public ::testing::Test {
 protected:
  void Render(const core::ChartSpec& spec) {
    auto png = renderer_.RenderPng(spec);
    ASSERT_TRUE(png.has_value()) << png.error().message;
    png_ = std::move(*png);
    auto layout = renderer_.Layout(spec);
    ASSERT_TRUE(layout.has_value()) << layout.error().message;
    layout_ = *layout;
  }

  ChartRenderer renderer_;
  std::string png_;
  ChartLayout layout_;
};

TEST_F(ChartRendererTest, LoadsTheDefaultFont) { EXPECT_FALSE(renderer_.font_error()); }

TEST_F(ChartRendererTest, PngHasTheSpecsSize) {
  core::ChartSpec spec = SyntheticSpec();
  spec.width = 640;
  spec.height = 360;
  Render(spec);
  PngPixels pixels(png_);
  ASSERT_TRUE(pixels.ok());
  EXPECT_EQ(pixels.width(), 640);
  EXPECT_EQ(pixels.height(), 360);
  EXPECT_EQ(png_.substr(1, 3), "PNG");
}

TEST_F(ChartRendererTest, LayoutStacksPanesInsideThePicture) {
  Render(SyntheticSpec());
  EXPECT_GT(layout_.price_pane.y, 0);
  EXPECT_LT(layout_.price_pane.bottom(), layout_.volume_pane.y);
  EXPECT_LE(layout_.volume_pane.bottom(), 450);
  EXPECT_LE(layout_.price_pane.right(), 800);
  EXPECT_EQ(layout_.bar_count, 60u);
  EXPECT_LT(layout_.BarCenterX(0), layout_.BarCenterX(1));
  EXPECT_GT(layout_.PriceToY(100), layout_.PriceToY(110));
  EXPECT_LE(layout_.price_low, 99);
  EXPECT_GE(layout_.price_high, 113);
  EXPECT_DOUBLE_EQ(layout_.band_reference, 104);
  EXPECT_DOUBLE_EQ(layout_.band_half_width, 3);
  EXPECT_GE(layout_.body_width, 5);  // 60 bars on ~730 px: neither hairlines nor blocks
  EXPECT_LE(layout_.body_width, 11);
}

TEST_F(ChartRendererTest, CandleBodiesAreGreenUpAndRedDownWhereTheLayoutPutsThem) {
  const core::ChartSpec spec = SyntheticSpec();
  Render(spec);
  PngPixels pixels(png_);
  ASSERT_TRUE(pixels.ok());
  for (std::size_t i = 0; i < spec.bars.size(); ++i) {
    const core::Bar& bar = spec.bars[i];
    const double top = layout_.PriceToY(std::max(bar.open, bar.close));
    const double bottom = layout_.PriceToY(std::min(bar.open, bar.close));
    const bool up = bar.close > bar.open;
    for (int x : {layout_.BarColumn(i), layout_.BodyLeft(i),
                  layout_.BodyLeft(i) + layout_.body_width - 1}) {
      for (double y : {top + 2, (top + bottom) / 2, bottom - 2}) {
        const Rgb c = pixels.At(x, static_cast<int>(y));
        EXPECT_TRUE(up ? IsGreen(c) : IsRed(c))
            << "bar " << i << " at " << x << "," << y << ": " << c.r << "," << c.g << "," << c.b;
      }
    }
    // Nothing of the candle above its high (the alert bar has its marker there).
    if (i + 1 < spec.bars.size()) {
      const Rgb above = pixels.At(layout_.BodyLeft(i), layout_.PriceToY(bar.high) - 3);
      EXPECT_FALSE(IsGreen(above) || IsRed(above)) << "bar " << i;
    }
  }
}

TEST_F(ChartRendererTest, AlertBarIsMarked) {
  const core::ChartSpec spec = SyntheticSpec();
  Render(spec);
  PngPixels pixels(png_);
  ASSERT_TRUE(pixels.ok());
  const std::size_t last = spec.bars.size() - 1;
  // The highlight column: at the top of the volume pane (above every volume bar) the alert's
  // column has a colour no other column has.
  const double y = layout_.volume_pane.y + 2;
  const Rgb highlight = pixels.At(layout_.BarColumn(last), y);
  const Rgb background = pixels.At(1, 449);
  EXPECT_NE(highlight, background);
  for (std::size_t i = 0; i < last; ++i) {
    EXPECT_NE(pixels.At(layout_.BarColumn(i), y), highlight) << "bar " << i;
  }
  // The marker: yellow above the alert bar's high (an up bar).
  bool marker = false;
  for (int dy = 1; dy < 16 && !marker; ++dy) {
    marker = IsYellow(pixels.At(layout_.BarColumn(last), layout_.PriceToY(113) - dy));
  }
  EXPECT_TRUE(marker);
  for (std::size_t i = 0; i < last; ++i) {
    for (int dy = 1; dy < 16; ++dy) {
      EXPECT_FALSE(IsYellow(pixels.At(layout_.BarColumn(i), layout_.PriceToY(105) - dy)));
    }
  }
}

TEST_F(ChartRendererTest, BandIsShadedAroundThePreviousClose) {
  const core::ChartSpec spec = SyntheticSpec();
  Render(spec);
  PngPixels pixels(png_);
  ASSERT_TRUE(pixels.ok());
  // Between the bodies of bars 30 and 31.
  const int x = layout_.BodyLeft(31) - 1;
  ASSERT_GT(x, layout_.BodyLeft(30) + layout_.body_width);
  EXPECT_TRUE(IsBluish(pixels.At(x, layout_.PriceToY(105.5))));  // inside [101, 107]
  EXPECT_TRUE(IsBluish(pixels.At(x, layout_.PriceToY(102))));
  EXPECT_FALSE(IsBluish(pixels.At(x, layout_.PriceToY(110))));  // above it
  EXPECT_FALSE(IsBluish(pixels.At(x, layout_.PriceToY(100))));  // below it

  // Without an ATR there is no band.
  core::ChartSpec no_band = spec;
  no_band.atr = 0;
  Render(no_band);
  PngPixels plain(png_);
  EXPECT_FALSE(IsBluish(plain.At(x, layout_.PriceToY(105.5))));
}

TEST_F(ChartRendererTest, VolumeBarsBeneathThePrices) {
  const core::ChartSpec spec = SyntheticSpec();
  Render(spec);
  PngPixels pixels(png_);
  ASSERT_TRUE(pixels.ok());
  const double bottom = layout_.volume_pane.bottom();
  for (std::size_t i = 0; i < spec.bars.size(); ++i) {
    const core::Bar& bar = spec.bars[i];
    const bool up = bar.close > bar.open;
    const double top = layout_.VolumeToY(bar.volume);
    ASSERT_GT(top, layout_.volume_pane.y);
    const Rgb inside = pixels.At(layout_.BodyLeft(i), (top + bottom) / 2);
    EXPECT_TRUE(up ? IsGreen(inside) : IsRed(inside))
        << "bar " << i << ": " << inside.r << "," << inside.g << "," << inside.b;
    const Rgb above = pixels.At(layout_.BodyLeft(i), top - 3);
    EXPECT_FALSE(IsGreen(above) || IsRed(above)) << "bar " << i;
  }
  // The alert bar's volume (5000) is the pane's tallest: 90 % of it.
  EXPECT_NEAR(bottom - layout_.VolumeToY(5000), 0.9 * layout_.volume_pane.height, 1e-9);
}

TEST_F(ChartRendererTest, SameSpecSameBytes) {
  const core::ChartSpec spec = SyntheticSpec();
  auto first = renderer_.RenderPng(spec);
  auto second = renderer_.RenderPng(spec);
  ChartRenderer other;
  auto third = other.RenderPng(spec);
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(*first, *third);
  core::ChartSpec changed = spec;
  changed.bars[10].close += 0.5;
  auto fourth = renderer_.RenderPng(changed);
  ASSERT_TRUE(fourth);
  EXPECT_NE(*first, *fourth);
}

TEST_F(ChartRendererTest, InvalidSpecs) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<core::ChartSpec> invalid;
  core::ChartSpec spec = SyntheticSpec();
  spec.bars.clear();
  invalid.push_back(spec);
  for (double price : {nan, inf, 0.0, -1.0}) {
    spec = SyntheticSpec();
    spec.bars[5].close = price;
    invalid.push_back(spec);
    spec = SyntheticSpec();
    spec.bars[7].low = price;
    invalid.push_back(spec);
  }
  spec = SyntheticSpec();
  spec.bars[3].volume = -1;
  invalid.push_back(spec);
  spec = SyntheticSpec();
  spec.atr = nan;
  invalid.push_back(spec);
  for (auto [width, height] : {std::pair{199, 450}, {800, 199}, {4097, 450}, {800, 5000}}) {
    spec = SyntheticSpec();
    spec.width = width;
    spec.height = height;
    invalid.push_back(spec);
  }
  spec = SyntheticSpec();
  spec.width = 200;
  spec.height = 200;  // 60 bars fit in 200 px, 101 do not
  EXPECT_TRUE(renderer_.RenderPng(spec).has_value());
  while (spec.bars.size() < 101) spec.bars.push_back(spec.bars.back());
  invalid.push_back(spec);

  for (std::size_t i = 0; i < invalid.size(); ++i) {
    auto png = renderer_.RenderPng(invalid[i]);
    ASSERT_FALSE(png.has_value()) << "spec " << i;
    EXPECT_EQ(png.error().kind, ChartFailure::kInvalidSpec) << "spec " << i;
    EXPECT_FALSE(png.error().message.empty());
    EXPECT_FALSE(renderer_.Layout(invalid[i]).has_value());
  }
}

TEST(ChartRenderer, SingleBarAndFlatSeries) {
  ChartRenderer renderer;
  core::ChartSpec spec = SyntheticSpec();
  spec.bars.erase(spec.bars.begin(), spec.bars.end() - 1);
  auto layout = renderer.Layout(spec);
  ASSERT_TRUE(layout);
  EXPECT_DOUBLE_EQ(layout->band_reference, 104);  // its open
  EXPECT_TRUE(renderer.RenderPng(spec));
  for (core::Bar& bar : spec.bars) bar.open = bar.high = bar.low = bar.close = 0.00001234;
  spec.atr = 0;
  EXPECT_TRUE(renderer.RenderPng(spec));
}

TEST(ChartRenderer, MissingFontIsAFontFailure) {
  ChartRenderer renderer("/nonexistent/DejaVuSans.ttf");
  ASSERT_TRUE(renderer.font_error());
  EXPECT_EQ(renderer.font_error()->kind, ChartFailure::kFont);
  auto png = renderer.RenderPng(SyntheticSpec());
  ASSERT_FALSE(png);
  EXPECT_EQ(png.error().kind, ChartFailure::kFont);
  EXPECT_NE(png.error().message.find("/nonexistent/DejaVuSans.ttf"), std::string::npos);
  // An invalid spec is reported as such, font or not.
  core::ChartSpec empty = SyntheticSpec();
  empty.bars.clear();
  EXPECT_EQ(renderer.RenderPng(empty).error().kind, ChartFailure::kInvalidSpec);
}

TEST(ChartRenderer, NotAFontFileIsAFontFailure) {
  ChartRenderer renderer(std::string(SCANNER_TEST_DATA_DIR) + "/../chart/CMakeLists.txt");
  ASSERT_TRUE(renderer.font_error());
  EXPECT_EQ(renderer.font_error()->kind, ChartFailure::kFont);
}

TEST(ChartFailureName, StableNames) {
  EXPECT_EQ(ChartFailureName(ChartFailure::kInvalidSpec), "invalid_spec");
  EXPECT_EQ(ChartFailureName(ChartFailure::kFont), "font");
  EXPECT_EQ(ChartFailureName(ChartFailure::kCairo), "cairo");
  EXPECT_EQ(ChartFailureName(ChartFailure::kEncode), "encode");
}

TEST(ChartRenderer, RealSeriesUnder100KB) {
  const std::string path = std::string(SCANNER_SHARED_DATA_DIR) + "/ohlcv/BTCUSDT_1m_2018.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " absent";
  const core::Interval m1 = *core::Interval::Parse("1m");
  const std::vector<core::Bar> bars = support::ReadOhlcvFile(path, m1);
  ASSERT_GE(bars.size(), 200u);
  ChartRenderer renderer;
  for (std::size_t count : {30u, 60u, 200u}) {
    core::ChartSpec spec;
    spec.symbol = "BTCUSDT";
    spec.interval = m1;
    spec.bars.assign(bars.end() - static_cast<std::ptrdiff_t>(count), bars.end());
    spec.atr = 5;
    spec.band_atrs = 1.5;
    auto png = renderer.RenderPng(spec);
    ASSERT_TRUE(png) << png.error().message;
    EXPECT_LT(png->size(), 100u * 1024) << count << " bars";
    PngPixels pixels(*png);
    ASSERT_TRUE(pixels.ok());
    EXPECT_EQ(pixels.width(), 800);
    EXPECT_EQ(pixels.height(), 450);
  }
}

}  // namespace
}  // namespace scanner::chart
