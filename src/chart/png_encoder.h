#pragma once
// The PNG encode of a finished chart. Cairo's own writer (libpng's defaults: zlib level 6 and an
// adaptive filter per row) took ~11 ms of CPU for an 800×450 chart, nearly all of a render and
// over the alert path's budget; libpng's fast mode (zlib level 3, no row filters) takes ~2.5 ms
// for a file ~40 % larger (~22 KB instead of ~16 KB), far under Discord's limits. Deterministic:
// no time or text chunks, so the same pixels give the same bytes.

#include <cairo.h>

#include <expected>
#include <string>

#include "chart/chart_error.h"

namespace scanner::chart {

// An 8-bit RGB PNG of `surface` (CAIRO_FORMAT_RGB24, flushed); an encode failure otherwise.
std::expected<std::string, ChartError> EncodePng(cairo_surface_t* surface);

}  // namespace scanner::chart
