#include "chart/png_encoder.h"

#include <png.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace scanner::chart {

namespace {

ChartError EncodeError(std::string message) {
  return {ChartFailure::kEncode, "png: " + std::move(message)};
}

}  // namespace

std::expected<std::string, ChartError> EncodePng(cairo_surface_t* surface) {
  if (cairo_image_surface_get_format(surface) != CAIRO_FORMAT_RGB24) {
    return std::unexpected(EncodeError("not an RGB24 image surface"));
  }
  const int width = cairo_image_surface_get_width(surface);
  const int height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  if (data == nullptr || width <= 0 || height <= 0) {
    return std::unexpected(EncodeError("no pixels"));
  }

  // Cairo's RGB24 pixel is a native-endian 32-bit 0x00RRGGBB; PNG wants R, G, B bytes.
  const auto w = static_cast<std::size_t>(width);
  std::vector<unsigned char> rgb(w * 3 * static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y) {
    const unsigned char* row = data + static_cast<std::ptrdiff_t>(y) * stride;
    unsigned char* out = rgb.data() + static_cast<std::size_t>(y) * w * 3;
    for (std::size_t x = 0; x < w; ++x) {
      std::uint32_t pixel;
      std::memcpy(&pixel, row + x * 4, sizeof pixel);
      out[3 * x] = static_cast<unsigned char>(pixel >> 16);
      out[3 * x + 1] = static_cast<unsigned char>(pixel >> 8);
      out[3 * x + 2] = static_cast<unsigned char>(pixel);
    }
  }

  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_RGB;
  image.flags = PNG_IMAGE_FLAG_FAST;
  std::string png(PNG_IMAGE_PNG_SIZE_MAX(image), '\0');
  png_alloc_size_t size = png.size();
  const int ok = png_image_write_to_memory(&image, png.data(), &size, 0, rgb.data(),
                                           static_cast<png_int_32>(w * 3), nullptr);
  if (ok == 0) {
    std::string message = image.message;
    png_image_free(&image);
    return std::unexpected(EncodeError(message));
  }
  png.resize(size);
  return png;
}

}  // namespace scanner::chart
