#pragma once
// The stored form of a core::ChartSpec (alert_charts.spec): a small versioned binary record, so
// the alert store keeps what an alert's chart is drawn from next to the alert, and a resend
// after a restart draws the very same picture.
//
// Layout (version 1, little-endian): u8 version; u8 market; u16 length + symbol bytes; u8
// length + interval name; i32 width, i32 height; f64 atr, f64 band_atrs; u32 bar count; per bar
// i64 open_time, i64 close_time, f64 open, high, low, close, volume, quote_volume, i64 trades.
// Every stored bar is closed. About 4.3 KB for 60 bars.
//
// Decode refuses anything it did not write (unknown version, truncated or trailing bytes, an
// unknown market or interval) with an error naming what is wrong; it never reads past the end.

#include <string>
#include <string_view>

#include "core/chart_spec.h"
#include "core/error.h"

namespace scanner::alerts {

std::string EncodeChartSpec(const core::ChartSpec& spec);
core::Result<core::ChartSpec> DecodeChartSpec(std::string_view bytes);

}  // namespace scanner::alerts
