#include "app/logging.h"

#include <spdlog/pattern_formatter.h>

#include <chrono>

#include "core/redact.h"
#include "core/time.h"

namespace scanner::app {
namespace {

constexpr const char* kTextPattern = "[%Y-%m-%dT%H:%M:%S.%eZ] [%l] %v";

// The length of the valid UTF-8 sequence at text[i], or 0 when it is not one.
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length = 0;
  char32_t code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not valid UTF-8.
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinimum[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return 0;
  return length;
}

void AppendJsonString(std::string_view text, spdlog::memory_buf_t& dest) {
  dest.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t length = Utf8SequenceLength(text, i);
      if (length == 0) {
        fmt::format_to(std::back_inserter(dest), "\\ufffd");
        ++i;
      } else {
        dest.append(text.data() + i, text.data() + i + length);
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        fmt::format_to(std::back_inserter(dest), "\\\"");
        break;
      case '\\':
        fmt::format_to(std::back_inserter(dest), "\\\\");
        break;
      case '\n':
        fmt::format_to(std::back_inserter(dest), "\\n");
        break;
      case '\r':
        fmt::format_to(std::back_inserter(dest), "\\r");
        break;
      case '\t':
        fmt::format_to(std::back_inserter(dest), "\\t");
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          fmt::format_to(std::back_inserter(dest), "\\u{:04x}", c);
        } else {
          dest.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  dest.push_back('"');
}

core::Millis EpochMillis(spdlog::log_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    fmt::format_to(std::back_inserter(dest), R"({{"time":"{}","level":")",
                   core::FormatIsoUtc(EpochMillis(msg.time)));
    spdlog::string_view_t level = spdlog::level::to_string_view(msg.level);
    dest.append(level.data(), level.data() + level.size());
    fmt::format_to(std::back_inserter(dest), R"(","message":)");
    AppendJsonString(std::string_view(msg.payload.data(), msg.payload.size()), dest);
    fmt::format_to(std::back_inserter(dest), "}}\n");
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

// Masks secrets in the message, then hands it to the real formatter.
class RedactingFormatter final : public spdlog::formatter {
 public:
  RedactingFormatter(std::unique_ptr<spdlog::formatter> inner, std::vector<std::string> secrets)
      : inner_(std::move(inner)), secrets_(std::move(secrets)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    if (secrets_.empty()) {
      inner_->format(msg, dest);
      return;
    }
    std::string redacted =
        core::RedactSecrets(std::string_view(msg.payload.data(), msg.payload.size()), secrets_);
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(redacted.data(), redacted.size());
    inner_->format(copy, dest);
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<RedactingFormatter>(inner_->clone(), secrets_);
  }

 private:
  std::unique_ptr<spdlog::formatter> inner_;
  std::vector<std::string> secrets_;
};

}  // namespace

spdlog::level::level_enum LogLevelFromName(const std::string& name) {
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "warn") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  if (name == "critical") return spdlog::level::critical;
  if (name == "off") return spdlog::level::off;
  return spdlog::level::info;
}

std::shared_ptr<spdlog::logger> MakeLogger(const config::LoggingConfig& logging,
                                           spdlog::sink_ptr sink,
                                           std::vector<std::string> secrets) {
  std::unique_ptr<spdlog::formatter> formatter;
  if (logging.format == config::LogFormat::kJson) {
    formatter = std::make_unique<JsonLineFormatter>();
  } else {
    formatter = std::make_unique<spdlog::pattern_formatter>(
        kTextPattern, spdlog::pattern_time_type::utc, std::string("\n"));
  }
  sink->set_formatter(
      std::make_unique<RedactingFormatter>(std::move(formatter), std::move(secrets)));
  sink->set_level(spdlog::level::trace);  // the logger's level is the only filter
  auto logger = std::make_shared<spdlog::logger>("scanner", std::move(sink));
  logger->set_level(LogLevelFromName(logging.level));
  // Warnings and errors reach the terminal or the collector at once, even if we die next.
  logger->flush_on(spdlog::level::warn);
  return logger;
}

}  // namespace scanner::app
