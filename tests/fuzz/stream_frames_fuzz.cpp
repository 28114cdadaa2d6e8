// Fuzzes StreamParser with Binance WebSocket frames. The input is split at '\n' into frames fed
// to one parser in turn (so the seeds are the .jsonl captures as they are, and the parser's
// reused buffers and slots see frames of changing sizes); every delivered event is read in full
// so the sanitizers check the string views and spans the parser hands out.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "binance/stream_parser.h"

namespace {

class TouchingHandler final : public scanner::binance::StreamHandler {
 public:
  void OnKline(const scanner::binance::KlineEvent& event) override {
    Touch(event.symbol);
    sum_ += event.bar.close + static_cast<double>(event.event_time);
  }
  void OnTicker(const scanner::binance::TickerEvent& event) override {
    Touch(event.symbol);
    sum_ += event.last_price + event.price_change_percent;
    sum_ += scanner::binance::ToTicker24h(event).quote_volume;
  }
  void OnControlReply(const scanner::binance::ControlReply& reply) override {
    for (std::string_view stream : reply.streams) Touch(stream);
    Touch(reply.error_message);
    sum_ += static_cast<double>(reply.id.value_or(0));
  }
  void OnServerShutdown(scanner::core::Millis event_time) override {
    sum_ += static_cast<double>(event_time);
  }
  std::size_t bytes() const { return bytes_; }

 private:
  void Touch(std::string_view text) {
    for (char c : text) bytes_ += static_cast<unsigned char>(c);
  }
  std::size_t bytes_ = 0;
  double sum_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static scanner::binance::StreamParser parser;  // one per connection: reused, as in production
  TouchingHandler handler;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (true) {
    const std::size_t end = input.find('\n');
    parser.Parse(input.substr(0, end), handler);
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
  // Every frame lands in exactly one counter (stream_parser.h).
  const scanner::binance::StreamParseStats& stats = parser.Stats();
  const std::uint64_t landed = stats.kline_frames + stats.ticker_frames + stats.control_replies +
                               stats.server_shutdowns + stats.ignored + stats.Errors();
  if (landed != stats.frames) __builtin_trap();
  return 0;
}
