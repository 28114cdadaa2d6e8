#pragma once
// One TrueType font loaded with FreeType straight from its file (no fontconfig: nothing is
// searched or cached at start-up, and the same file draws the same pixels), as a Cairo font face.
// Move-only; not thread-safe: one ChartFont per thread (cairo locks the FreeType face while it
// uses it, but the library instance is this object's own).

#include <cairo.h>

#include <expected>
#include <string>

#include "chart/chart_error.h"

namespace scanner::chart {

class ChartFont {
 public:
  // DejaVu Sans, from Debian's fonts-dejavu-core.
  static constexpr const char* kDefaultPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

  // A `font` failure when the file is missing or FreeType cannot read it.
  static std::expected<ChartFont, ChartError> Load(const std::string& path);

  ChartFont(ChartFont&& other) noexcept;
  ChartFont& operator=(ChartFont&& other) noexcept;
  ChartFont(const ChartFont&) = delete;
  ChartFont& operator=(const ChartFont&) = delete;
  ~ChartFont();

  // Borrowed: valid while this object lives (cairo may hold its own references longer).
  cairo_font_face_t* face() const { return face_; }

 private:
  explicit ChartFont(cairo_font_face_t* face) : face_(face) {}
  cairo_font_face_t* face_ = nullptr;
};

}  // namespace scanner::chart
