#pragma once
// A PNG decoded with Cairo, to read its pixels back in tests.

#include <cairo.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

namespace scanner::chart_test {

struct Rgb {
  int r = 0;
  int g = 0;
  int b = 0;
  friend bool operator==(const Rgb&, const Rgb&) = default;
};

class PngPixels {
 public:
  explicit PngPixels(const std::string& png) {
    Reader reader{&png};
    surface_ = cairo_image_surface_create_from_png_stream(Read, &reader);
  }
  ~PngPixels() { cairo_surface_destroy(surface_); }
  PngPixels(const PngPixels&) = delete;
  PngPixels& operator=(const PngPixels&) = delete;

  bool ok() const { return cairo_surface_status(surface_) == CAIRO_STATUS_SUCCESS; }
  int width() const { return cairo_image_surface_get_width(surface_); }
  int height() const { return cairo_image_surface_get_height(surface_); }

  // The pixel that contains (x, y); black outside the picture.
  Rgb At(double px, double py) const {
    const int x = static_cast<int>(std::floor(px));
    const int y = static_cast<int>(std::floor(py));
    if (x < 0 || y < 0 || x >= width() || y >= height()) return {};
    const unsigned char* row =
        cairo_image_surface_get_data(surface_) + y * cairo_image_surface_get_stride(surface_);
    std::uint32_t pixel;
    std::memcpy(&pixel, row + 4 * x, sizeof pixel);
    return {static_cast<int>((pixel >> 16) & 0xff), static_cast<int>((pixel >> 8) & 0xff),
            static_cast<int>(pixel & 0xff)};
  }

 private:
  struct Reader {
    const std::string* bytes;
    std::size_t offset = 0;
  };
  static cairo_status_t Read(void* closure, unsigned char* data, unsigned int length) {
    auto* reader = static_cast<Reader*>(closure);
    if (reader->offset + length > reader->bytes->size()) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(data, reader->bytes->data() + reader->offset, length);
    reader->offset += length;
    return CAIRO_STATUS_SUCCESS;
  }

  cairo_surface_t* surface_ = nullptr;
};

inline bool IsGreen(Rgb c) { return c.g > c.r + 40 && c.g > c.b + 20; }
inline bool IsRed(Rgb c) { return c.r > c.g + 80 && c.r > c.b + 80; }
inline bool IsBluish(Rgb c) { return c.b > c.r + 15 && c.b > c.g + 15; }
inline bool IsYellow(Rgb c) { return c.r > 180 && c.g > 130 && c.b < 100; }

}  // namespace scanner::chart_test
