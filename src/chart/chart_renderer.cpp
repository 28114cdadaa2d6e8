#include "chart/chart_renderer.h"

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "chart/chart_axes.h"
#include "chart/png_encoder.h"

namespace scanner::chart {

namespace {

struct Rgb {
  double r;
  double g;
  double b;
};

constexpr Rgb Hex(unsigned value) {
  return {static_cast<double>((value >> 16) & 0xff) / 255.0,
          static_cast<double>((value >> 8) & 0xff) / 255.0,
          static_cast<double>(value & 0xff) / 255.0};
}

// `top` over `bottom` at opacity `alpha`, as one opaque colour: no alpha compositing to vary.
constexpr Rgb Mix(Rgb top, Rgb bottom, double alpha) {
  return {top.r * alpha + bottom.r * (1 - alpha), top.g * alpha + bottom.g * (1 - alpha),
          top.b * alpha + bottom.b * (1 - alpha)};
}

// Discord's dark theme family: the embed background, its greys, green, red, yellow, blurple.
constexpr Rgb kBackground = Hex(0x2b2d31);
constexpr Rgb kGrid = Hex(0x393b41);
constexpr Rgb kAxisText = Hex(0xb5bac1);
constexpr Rgb kTitleText = Hex(0xf2f3f5);
constexpr Rgb kUp = Hex(0x23a55a);
constexpr Rgb kDown = Hex(0xf23f43);
constexpr Rgb kAlert = Hex(0xf0b232);
constexpr Rgb kBandEdge = Hex(0x8f98ff);
constexpr Rgb kBandFill = Mix(Hex(0x5865f2), kBackground, 0.22);
constexpr Rgb kReference = Hex(0x9a9ea8);
constexpr double kHighlightAlpha = 0.13;
constexpr Rgb kTagText = Hex(0xffffff);

struct SurfaceDeleter {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct ContextDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using ContextPtr = std::unique_ptr<cairo_t, ContextDeleter>;

ChartError CairoError(const char* what, cairo_status_t status) {
  return {ChartFailure::kCairo, std::string(what) + ": " + cairo_status_to_string(status)};
}

// Fixed font options: nothing taken from the environment, so every machine draws the same.
void SetFont(cairo_t* cr, cairo_font_face_t* face) {
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_ON);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
  cairo_set_font_face(cr, face);
}

double TextWidthOn(cairo_t* cr, std::string_view text, double font_px) {
  cairo_set_font_size(cr, font_px);
  cairo_text_extents_t extents;
  const std::string owned(text);
  cairo_text_extents(cr, owned.c_str(), &extents);
  return extents.x_advance;
}

std::expected<ChartLayout, ChartError> LayoutOn(cairo_t* cr, const core::ChartSpec& spec) {
  if (std::optional<ChartError> invalid = ValidateChartSpec(spec)) {
    return std::unexpected(std::move(*invalid));
  }
  return MakeChartLayout(
      spec, [cr](std::string_view text, double font_px) { return TextWidthOn(cr, text, font_px); });
}

std::string_view MarketLabel(core::Market market) {
  // Binance writes "USDⓈ-M", but DejaVu Sans has no Ⓢ.
  return market == core::Market::kSpot ? "Spot" : "USD-M futures";
}

// Draws one chart on `cr` (a surface of the spec's size) from its layout.
class ChartPainter {
 public:
  ChartPainter(cairo_t* cr, const core::ChartSpec& spec, const ChartLayout& layout)
      : cr_(cr), spec_(spec), layout_(layout) {}

  void Paint() {
    SetColor(kBackground);
    cairo_paint(cr_);
    cairo_set_antialias(cr_, CAIRO_ANTIALIAS_NONE);  // shapes on whole pixels: crisp and exact
    PaintGrid();
    PaintBand();
    PaintHighlight();
    PaintVolumes();
    PaintCandles();
    PaintBandLabel();
    PaintMarker();
    PaintPriceAxis();
    PaintTimeAxis();
    PaintTitle();
  }

 private:
  void SetColor(Rgb color) { cairo_set_source_rgb(cr_, color.r, color.g, color.b); }

  void FillRect(double x, double y, double width, double height, Rgb color) {
    SetColor(color);
    cairo_rectangle(cr_, x, y, width, height);
    cairo_fill(cr_);
  }

  // A one-pixel horizontal line on the pixel row containing y.
  void HorizontalLine(double x0, double x1, double y, Rgb color, double dash = 0) {
    SetColor(color);
    cairo_set_line_width(cr_, 1);
    if (dash > 0) {
      const double pattern[] = {dash, dash};
      cairo_set_dash(cr_, pattern, 2, 0);
    }
    const double row = std::floor(y) + 0.5;
    cairo_move_to(cr_, x0, row);
    cairo_line_to(cr_, x1, row);
    cairo_stroke(cr_);
    cairo_set_dash(cr_, nullptr, 0, 0);
  }

  double TextWidth(std::string_view text, double font_px) {
    return TextWidthOn(cr_, text, font_px);
  }

  // Text with its baseline at y, anti-aliased (shapes are not).
  double Text(std::string_view text, double x, double y, double font_px, Rgb color) {
    cairo_set_antialias(cr_, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_size(cr_, font_px);
    SetColor(color);
    cairo_move_to(cr_, std::round(x), std::round(y));
    const std::string owned(text);
    cairo_show_text(cr_, owned.c_str());
    cairo_set_antialias(cr_, CAIRO_ANTIALIAS_NONE);
    return TextWidth(text, font_px);
  }

  Rgb BarColor(const core::Bar& bar) const { return bar.close >= bar.open ? kUp : kDown; }

  double TickLabelClearance() const { return layout_.font_px * 0.7; }

  void PaintGrid() {
    const PixelRect& price = layout_.price_pane;
    for (double value : layout_.price_ticks.values) {
      const double y = layout_.PriceToY(value);
      if (y < price.y + TickLabelClearance() || y > price.bottom() - TickLabelClearance()) {
        continue;
      }
      HorizontalLine(price.x, price.right(), y, kGrid);
    }
    for (const TimeLabel& label : layout_.time_labels) {
      const double x = layout_.BarColumn(label.bar);
      FillRect(x, price.y, 1, price.height, kGrid);
      FillRect(x, layout_.volume_pane.y, 1, layout_.volume_pane.height, kGrid);
    }
    // The volume pane's top edge separates it from the prices.
    HorizontalLine(price.x, price.right(), layout_.volume_pane.y - 1, kGrid);
  }

  // A column behind the alert's bar, over both panes; translucent, so the band shows through.
  void PaintHighlight() {
    const std::size_t last = layout_.bar_count - 1;
    const double width =
        std::max(std::round(layout_.bar_spacing), static_cast<double>(layout_.body_width + 6));
    const double left = std::round(layout_.BarColumn(last) + 0.5 - width / 2);
    const double right = std::min(left + width, layout_.price_pane.right());
    cairo_set_source_rgba(cr_, kAlert.r, kAlert.g, kAlert.b, kHighlightAlpha);
    cairo_rectangle(cr_, left, layout_.price_pane.y, right - left,
                    layout_.volume_pane.bottom() - layout_.price_pane.y);
    cairo_fill(cr_);
  }

  void PaintBand() {
    if (layout_.band_half_width <= 0) return;
    const PixelRect& pane = layout_.price_pane;
    const double top =
        std::round(layout_.PriceToY(layout_.band_reference + layout_.band_half_width));
    const double bottom =
        std::round(layout_.PriceToY(layout_.band_reference - layout_.band_half_width));
    FillRect(pane.x, top, pane.width, std::max(1.0, bottom - top), kBandFill);
    HorizontalLine(pane.x, pane.right(), top, kBandEdge, 4);
    HorizontalLine(pane.x, pane.right(), bottom, kBandEdge, 4);
    HorizontalLine(pane.x, pane.right(), layout_.PriceToY(layout_.band_reference), kReference, 2);
  }

  // Whether the box [x0, x1] × [y0, y1] is clear of every candle (wick and body).
  bool ClearOfCandles(double x0, double x1, double y0, double y1) const {
    for (std::size_t i = 0; i < layout_.bar_count; ++i) {
      const double left = layout_.BodyLeft(i) - 1;
      const double right = left + layout_.body_width + 2;
      if (right < x0 || left > x1) continue;
      const core::Bar& bar = spec_.bars[i];
      const double high_y = layout_.PriceToY(std::max({bar.high, bar.open, bar.close})) - 1;
      const double low_y = layout_.PriceToY(std::min({bar.low, bar.open, bar.close})) + 1;
      if (low_y >= y0 && high_y <= y1) return false;
    }
    return true;
  }

  // "±1.5 ATR" where it hides no candle: inside the band at its top or bottom, else just above
  // or below it, as far left as possible; over the candles, on a backing, when nowhere is free.
  void PaintBandLabel() {
    if (layout_.band_half_width <= 0) return;
    const PixelRect& pane = layout_.price_pane;
    const double top =
        std::round(layout_.PriceToY(layout_.band_reference + layout_.band_half_width));
    const double bottom =
        std::round(layout_.PriceToY(layout_.band_reference - layout_.band_half_width));
    const std::string label = "\u00b1" + FormatMultiple(spec_.band_atrs) + " ATR";
    const double font = layout_.font_px * 0.92;
    const double text_w = TextWidth(label, font);
    const double ascent = font * 0.8;
    const double descent = font * 0.25;
    std::vector<double> baselines;
    if (bottom - top >= font * 1.5) {
      baselines.push_back(top + 3 + ascent);
      baselines.push_back(bottom - 3 - descent);
    }
    baselines.push_back(top - 3 - descent);
    baselines.push_back(bottom + 3 + ascent);
    const double x_end = layout_.BodyLeft(layout_.bar_count - 1) - layout_.font_px;
    double best_x = pane.x + layout_.font_px * 0.4;
    double best_baseline = baselines.front();
    bool found = false;
    for (double baseline : baselines) {
      if (baseline - ascent < pane.y || baseline + descent > pane.bottom()) continue;
      for (double x = pane.x + layout_.font_px * 0.4; x + text_w <= x_end && !found;
           x += layout_.font_px * 2) {
        if (ClearOfCandles(x - 2, x + text_w + 2, baseline - ascent, baseline + descent)) {
          best_x = x;
          best_baseline = baseline;
          found = true;
        }
      }
      if (found) break;
    }
    if (!found) {
      const bool inside = best_baseline > top && best_baseline < bottom;
      FillRect(std::floor(best_x - 2), std::floor(best_baseline - ascent - 1),
               std::ceil(text_w + 4), std::ceil(ascent + descent + 2),
               inside ? kBandFill : kBackground);
    }
    Text(label, best_x, best_baseline, font, kBandEdge);
  }

  void PaintVolumes() {
    const double bottom = layout_.volume_pane.bottom();
    for (std::size_t i = 0; i < layout_.bar_count; ++i) {
      const core::Bar& bar = spec_.bars[i];
      if (bar.volume <= 0) continue;
      const double top = std::min(std::round(layout_.VolumeToY(bar.volume)), bottom - 1);
      const bool alert = i + 1 == layout_.bar_count;
      const Rgb color = alert ? BarColor(bar) : Mix(BarColor(bar), kBackground, 0.5);
      FillRect(layout_.BodyLeft(i), top, layout_.body_width, bottom - top, color);
    }
  }

  void PaintCandles() {
    for (std::size_t i = 0; i < layout_.bar_count; ++i) {
      const core::Bar& bar = spec_.bars[i];
      const Rgb color = BarColor(bar);
      const double high = std::max({bar.high, bar.open, bar.close});
      const double low = std::min({bar.low, bar.open, bar.close});
      const double wick_top = std::round(layout_.PriceToY(high));
      const double wick_bottom = std::max(std::round(layout_.PriceToY(low)), wick_top + 1);
      FillRect(layout_.BarColumn(i) - layout_.wick_width / 2, wick_top, layout_.wick_width,
               wick_bottom - wick_top, color);
      const double body_top = std::round(layout_.PriceToY(std::max(bar.open, bar.close)));
      const double body_bottom =
          std::max(std::round(layout_.PriceToY(std::min(bar.open, bar.close))), body_top + 1);
      FillRect(layout_.BodyLeft(i), body_top, layout_.body_width, body_bottom - body_top, color);
    }
  }

  // A triangle pointing at the alert bar: above its high for an up bar, below its low otherwise.
  void PaintMarker() {
    const std::size_t last = layout_.bar_count - 1;
    const core::Bar& bar = spec_.bars[last];
    const bool up = bar.close >= bar.open;
    const double half = std::max(4.0, std::round(layout_.font_px * 0.45));
    const double height = std::round(half * 1.3);
    const double gap = std::round(layout_.font_px * 0.35);
    const double cx = layout_.BarColumn(last) + 0.5;
    const double tip = up ? std::round(layout_.PriceToY(std::max(bar.high, bar.close))) - gap
                          : std::round(layout_.PriceToY(std::min(bar.low, bar.close))) + gap;
    const double base = up ? tip - height : tip + height;
    cairo_set_antialias(cr_, CAIRO_ANTIALIAS_GRAY);
    SetColor(kAlert);
    cairo_move_to(cr_, cx, tip);
    cairo_line_to(cr_, cx - half, base);
    cairo_line_to(cr_, cx + half, base);
    cairo_close_path(cr_);
    cairo_fill(cr_);
    cairo_set_antialias(cr_, CAIRO_ANTIALIAS_NONE);
  }

  void PaintPriceAxis() {
    const PixelRect& pane = layout_.price_pane;
    const double font = layout_.font_px;
    const double x = layout_.price_axis_x + font * 0.6;
    const core::Bar& last = spec_.bars.back();
    const double tag_y = layout_.PriceToY(last.close);
    for (double value : layout_.price_ticks.values) {
      const double y = layout_.PriceToY(value);
      if (y < pane.y + TickLabelClearance() || y > pane.bottom() - TickLabelClearance()) continue;
      if (std::abs(y - tag_y) < font * 1.25) continue;  // the last close's tag is there
      FillRect(layout_.price_axis_x, std::floor(y), font * 0.3, 1, kGrid);
      Text(FormatPrice(value, layout_.price_ticks.decimals), x, y + font * 0.36, font, kAxisText);
    }
    // The last close, on a tag of the bar's colour.
    const std::string close = FormatQuote(last.close, layout_.price_ticks.decimals);
    const double tag_h = std::round(font * 1.5);
    const double tag_top = std::round(tag_y - tag_h / 2);
    FillRect(layout_.price_axis_x, tag_top, layout_.width - layout_.price_axis_x, tag_h,
             BarColor(last));
    Text(close, x, tag_top + tag_h / 2 + font * 0.36, font, kTagText);

    // The volume scale: the largest volume, at the 90 % line.
    if (layout_.volume_max > 0) {
      const double y = layout_.VolumeToY(layout_.volume_max);
      FillRect(layout_.price_axis_x, std::floor(y), font * 0.3, 1, kGrid);
      Text(FormatCompact(layout_.volume_max), x, y + font * 0.36, font * 0.9, kAxisText);
    }
  }

  void PaintTimeAxis() {
    const double font = layout_.font_px;
    const double baseline = layout_.time_axis_y + font * 1.4;
    for (const TimeLabel& label : layout_.time_labels) {
      const double text_w = TextWidth(label.text, font);
      const double x = std::clamp(layout_.BarColumn(label.bar) + 0.5 - text_w / 2, 2.0,
                                  layout_.price_axis_x - text_w);
      FillRect(layout_.BarColumn(label.bar), layout_.time_axis_y, 1, font * 0.3, kGrid);
      Text(label.text, x, baseline, font, kAxisText);
    }
  }

  // "BTCUSDT  1m · Spot" on the left; the alert bar's move and time on the right.
  void PaintTitle() {
    const double font = layout_.title_font_px;
    const double baseline = std::round(layout_.price_pane.y * 0.62 + font * 0.3);
    const double left = layout_.price_pane.x;
    double x = left;
    x += Text(spec_.symbol, x, baseline, font, kTitleText);
    const std::string detail = std::string("  ") + std::string(spec_.interval.Name()) + " \u00b7 " +
                               std::string(MarketLabel(spec_.market));
    x += Text(detail, x, baseline, font * 0.85, kAxisText);

    const core::Bar& bar = spec_.bars.back();
    const double reference = layout_.band_reference;
    const double change = (bar.close - reference) / reference * 100;
    std::string move = (change >= 0 ? "+" : "\u2212") + FormatPrice(std::abs(change), 2) + "%";
    if (spec_.atr > 0)
      move += "  " + fmt::format("{:.1f}", std::abs(bar.close - reference) / spec_.atr) + " ATR";
    const std::string when = "  " + FormatUtcMinute(bar.open_time);
    const double small = font * 0.85;
    const double move_w = TextWidth(move, small);
    const double when_w = TextWidth(when, small);
    const double right = layout_.width - layout_.font_px * 0.8;
    const double room = right - x - font;
    if (move_w + when_w <= room) {
      Text(move, right - when_w - move_w, baseline, small, BarColor(bar));
      Text(when, right - when_w, baseline, small, kAxisText);
    } else if (move_w <= room) {
      Text(move, right - move_w, baseline, small, BarColor(bar));
    }
  }

  cairo_t* cr_;
  const core::ChartSpec& spec_;
  const ChartLayout& layout_;
};

}  // namespace

ChartRenderer::ChartRenderer(std::string font_path) : font_path_(std::move(font_path)) {
  EnsureFont();
}

bool ChartRenderer::EnsureFont() {
  if (font_) return true;
  std::expected<ChartFont, ChartError> loaded = ChartFont::Load(font_path_);
  if (!loaded) {
    font_error_ = std::move(loaded.error());
    return false;
  }
  font_.emplace(std::move(*loaded));
  font_error_.reset();
  return true;
}

std::expected<ChartLayout, ChartError> ChartRenderer::Layout(const core::ChartSpec& spec) {
  if (std::optional<ChartError> invalid = ValidateChartSpec(spec)) {
    return std::unexpected(std::move(*invalid));
  }
  if (!EnsureFont()) return std::unexpected(*font_error_);
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1));
  ContextPtr cr(cairo_create(surface.get()));
  if (cairo_status_t status = cairo_status(cr.get()); status != CAIRO_STATUS_SUCCESS) {
    return std::unexpected(CairoError("cairo context", status));
  }
  SetFont(cr.get(), font_->face());
  return LayoutOn(cr.get(), spec);
}

std::expected<std::string, ChartError> ChartRenderer::RenderPng(const core::ChartSpec& spec) {
  if (std::optional<ChartError> invalid = ValidateChartSpec(spec)) {
    return std::unexpected(std::move(*invalid));
  }
  if (!EnsureFont()) return std::unexpected(*font_error_);
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, spec.width, spec.height));
  if (cairo_status_t status = cairo_surface_status(surface.get()); status != CAIRO_STATUS_SUCCESS) {
    return std::unexpected(CairoError("cairo surface", status));
  }
  ContextPtr cr(cairo_create(surface.get()));
  if (cairo_status_t status = cairo_status(cr.get()); status != CAIRO_STATUS_SUCCESS) {
    return std::unexpected(CairoError("cairo context", status));
  }
  SetFont(cr.get(), font_->face());
  std::expected<ChartLayout, ChartError> layout = LayoutOn(cr.get(), spec);
  if (!layout) return std::unexpected(std::move(layout.error()));
  ChartPainter(cr.get(), spec, *layout).Paint();
  if (cairo_status_t status = cairo_status(cr.get()); status != CAIRO_STATUS_SUCCESS) {
    return std::unexpected(CairoError("cairo drawing", status));
  }
  cairo_surface_flush(surface.get());
  return EncodePng(surface.get());
}

}  // namespace scanner::chart
