#include "alerts/chart_spec_codec.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>

namespace scanner::alerts {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the chart record is written in the host's byte order, little-endian");

constexpr std::uint8_t kChartRecordVersion = 1;

class RecordWriter {
 public:
  template <class T>
  void Put(T value) {
    char raw[sizeof(T)];
    std::memcpy(raw, &value, sizeof(T));
    out_.append(raw, sizeof(T));
  }
  void PutBytes(std::string_view bytes) { out_.append(bytes); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class RecordReader {
 public:
  explicit RecordReader(std::string_view in) : in_(in) {}

  template <class T>
  std::optional<T> Get() {
    if (in_.size() < sizeof(T)) return std::nullopt;
    T value;
    std::memcpy(&value, in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return value;
  }
  std::optional<std::string_view> GetBytes(std::size_t count) {
    if (in_.size() < count) return std::nullopt;
    std::string_view bytes = in_.substr(0, count);
    in_.remove_prefix(count);
    return bytes;
  }
  std::size_t left() const { return in_.size(); }

 private:
  std::string_view in_;
};

}  // namespace

std::string EncodeChartSpec(const core::ChartSpec& spec) {
  RecordWriter out;
  out.Put<std::uint8_t>(kChartRecordVersion);
  out.Put<std::uint8_t>(static_cast<std::uint8_t>(spec.market));
  std::string_view symbol = std::string_view(spec.symbol).substr(0, 0xFFFF);
  out.Put<std::uint16_t>(static_cast<std::uint16_t>(symbol.size()));
  out.PutBytes(symbol);
  std::string_view interval = spec.interval.Name();
  out.Put<std::uint8_t>(static_cast<std::uint8_t>(interval.size()));
  out.PutBytes(interval);
  out.Put<std::int32_t>(spec.width);
  out.Put<std::int32_t>(spec.height);
  out.Put<double>(spec.atr);
  out.Put<double>(spec.band_atrs);
  out.Put<std::uint32_t>(static_cast<std::uint32_t>(spec.bars.size()));
  for (const core::Bar& bar : spec.bars) {
    out.Put<std::int64_t>(bar.open_time);
    out.Put<std::int64_t>(bar.close_time);
    for (double value : {bar.open, bar.high, bar.low, bar.close, bar.volume, bar.quote_volume}) {
      out.Put<double>(value);
    }
    out.Put<std::int64_t>(bar.trades);
  }
  return out.Take();
}

core::Result<core::ChartSpec> DecodeChartSpec(std::string_view bytes) {
  RecordReader in(bytes);
  auto version = in.Get<std::uint8_t>();
  if (!version) return core::Fail("chart record: empty");
  if (*version != kChartRecordVersion) {
    return core::Fail("chart record: unknown version " + std::to_string(*version));
  }
  core::ChartSpec spec;
  auto market = in.Get<std::uint8_t>();
  if (!market) return core::Fail("chart record: truncated before the market");
  if (*market > static_cast<std::uint8_t>(core::Market::kUsdm)) {
    return core::Fail("chart record: unknown market " + std::to_string(*market));
  }
  spec.market = static_cast<core::Market>(*market);
  auto symbol_size = in.Get<std::uint16_t>();
  auto symbol = symbol_size ? in.GetBytes(*symbol_size) : std::nullopt;
  if (!symbol) return core::Fail("chart record: truncated in the symbol");
  spec.symbol = std::string(*symbol);
  auto interval_size = in.Get<std::uint8_t>();
  auto interval_name = interval_size ? in.GetBytes(*interval_size) : std::nullopt;
  if (!interval_name) return core::Fail("chart record: truncated in the interval");
  auto interval = core::Interval::Parse(*interval_name);
  if (!interval) return core::Fail("chart record: unknown interval '" + std::string(*interval_name) + "'");
  spec.interval = *interval;
  auto width = in.Get<std::int32_t>();
  auto height = in.Get<std::int32_t>();
  auto atr = in.Get<double>();
  auto band_atrs = in.Get<double>();
  auto count = in.Get<std::uint32_t>();
  if (!width || !height || !atr || !band_atrs || !count) {
    return core::Fail("chart record: truncated in the header");
  }
  spec.width = *width;
  spec.height = *height;
  spec.atr = *atr;
  spec.band_atrs = *band_atrs;
  constexpr std::size_t kBarBytes = 3 * sizeof(std::int64_t) + 6 * sizeof(double);
  if (in.left() != std::size_t{*count} * kBarBytes) {
    return core::Fail("chart record: " + std::to_string(*count) + " bars do not fit its " +
                      std::to_string(in.left()) + " bytes");
  }
  spec.bars.resize(*count);
  for (core::Bar& bar : spec.bars) {
    bar.open_time = *in.Get<std::int64_t>();
    bar.close_time = *in.Get<std::int64_t>();
    bar.open = *in.Get<double>();
    bar.high = *in.Get<double>();
    bar.low = *in.Get<double>();
    bar.close = *in.Get<double>();
    bar.volume = *in.Get<double>();
    bar.quote_volume = *in.Get<double>();
    bar.trades = *in.Get<std::int64_t>();
    bar.closed = true;
  }
  return spec;
}

}  // namespace scanner::alerts
