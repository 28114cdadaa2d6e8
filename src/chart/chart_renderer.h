#pragma once
// ChartRenderer: an alert's ChartSpec -> a PNG of its candlesticks, on a dark background close to
// Discord's dark theme (the picture carries its own background, so it reads in the light theme
// too): the bars as candles (green up, red down), volume bars beneath, the alert's bar (the last)
// marked by a highlight column and a triangle, the band of previous close ± band_atrs × atr
// shaded and labelled ("±1.5 ATR"), round price ticks on the right with the last close tagged,
// UTC time labels below, symbol · interval · market and the bar's move on top.
//
// Deterministic: the same spec renders the same bytes every time with the same binary, font file
// and cairo (a resend after a restart carries the same PNG).
//
// Not thread-safe: it owns a loaded font (FreeType, cairo) used by every render; use one renderer
// per thread (RenderWorker owns one on its thread).

#include <expected>
#include <optional>
#include <string>

#include "chart/chart_error.h"
#include "chart/chart_font.h"
#include "chart/chart_layout.h"
#include "core/chart_spec.h"

namespace scanner::chart {

class ChartRenderer {
 public:
  // Loads the font at once; a failure is kept (font_error()) and the load is tried again at the
  // next render, so a font installed later is picked up.
  explicit ChartRenderer(std::string font_path = ChartFont::kDefaultPath);

  ChartRenderer(const ChartRenderer&) = delete;
  ChartRenderer& operator=(const ChartRenderer&) = delete;

  // The error of the last font load, if it failed: for a check at start-up.
  const std::optional<ChartError>& font_error() const { return font_error_; }

  // The PNG (RGB, spec.width × spec.height). invalid_spec (ValidateChartSpec), font, cairo or
  // encode failures otherwise.
  std::expected<std::string, ChartError> RenderPng(const core::ChartSpec& spec);

  // The layout RenderPng draws `spec` with (same font measurements), or why it cannot.
  std::expected<ChartLayout, ChartError> Layout(const core::ChartSpec& spec);

 private:
  bool EnsureFont();

  std::string font_path_;
  std::optional<ChartFont> font_;
  std::optional<ChartError> font_error_;
};

}  // namespace scanner::chart
