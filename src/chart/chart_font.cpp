#include "chart/chart_font.h"

#include <cairo-ft.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <utility>

namespace scanner::chart {

namespace {

// The FreeType library and face behind one cairo font face. Cairo may keep the font face (in its
// font caches) after we release it, so they are freed by cairo, when its last reference goes:
// each face has a library of its own for that reason (FT_Done_FreeType frees every face of a
// library).
struct FreeTypeFace {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
};

const cairo_user_data_key_t kFreeTypeFaceKey{};

void DestroyFreeTypeFace(void* data) {
  auto* owned = static_cast<FreeTypeFace*>(data);
  if (owned->face != nullptr) FT_Done_Face(owned->face);
  if (owned->library != nullptr) FT_Done_FreeType(owned->library);
  delete owned;
}

ChartError FontError(const std::string& path, const char* what, FT_Error code) {
  return {ChartFailure::kFont,
          "font " + path + ": " + what + " (FreeType error " + std::to_string(code) + ")"};
}

}  // namespace

std::expected<ChartFont, ChartError> ChartFont::Load(const std::string& path) {
  auto* owned = new FreeTypeFace;
  if (FT_Error error = FT_Init_FreeType(&owned->library); error != 0) {
    DestroyFreeTypeFace(owned);
    return std::unexpected(FontError(path, "cannot start FreeType", error));
  }
  if (FT_Error error = FT_New_Face(owned->library, path.c_str(), 0, &owned->face); error != 0) {
    owned->face = nullptr;
    DestroyFreeTypeFace(owned);
    return std::unexpected(FontError(path, "cannot read the font file", error));
  }
  cairo_font_face_t* face = cairo_ft_font_face_create_for_ft_face(owned->face, 0);
  if (cairo_status_t status = cairo_font_face_status(face); status != CAIRO_STATUS_SUCCESS) {
    cairo_font_face_destroy(face);
    DestroyFreeTypeFace(owned);
    return std::unexpected(
        ChartError{ChartFailure::kFont, "font " + path + ": " + cairo_status_to_string(status)});
  }
  if (cairo_status_t status =
          cairo_font_face_set_user_data(face, &kFreeTypeFaceKey, owned, DestroyFreeTypeFace);
      status != CAIRO_STATUS_SUCCESS) {
    cairo_font_face_destroy(face);
    DestroyFreeTypeFace(owned);
    return std::unexpected(
        ChartError{ChartFailure::kFont, "font " + path + ": " + cairo_status_to_string(status)});
  }
  return ChartFont(face);
}

ChartFont::ChartFont(ChartFont&& other) noexcept : face_(std::exchange(other.face_, nullptr)) {}

ChartFont& ChartFont::operator=(ChartFont&& other) noexcept {
  if (this != &other) {
    if (face_ != nullptr) cairo_font_face_destroy(face_);
    face_ = std::exchange(other.face_, nullptr);
  }
  return *this;
}

ChartFont::~ChartFont() {
  if (face_ != nullptr) cairo_font_face_destroy(face_);
}

}  // namespace scanner::chart
