// Fuzzes the configuration loader: YAML parsing, ${VAR} interpolation, typing, defaults and
// validation (ParseConfig), plus the interpolator alone on the raw input. The environment holds
// a few variables so that both set and unset references, and nested defaults, are reached.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config_loader.h"
#include "config/environment.h"
#include "config/interpolation.h"

namespace {
volatile std::size_t g_sink = 0;  // keeps the results observable
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const scanner::config::MapEnvironment env{
      {"DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/1/abc"},
      {"DATABASE_PATH", "/tmp/scanner.db"},
      {"EMPTY", ""},
      {"TOP_N", "25"},
      {"LOG_LEVEL", "debug"},
  };
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto config = scanner::config::ParseConfig(text, "fuzz.yaml", env);
  std::size_t seen = config ? 1 : config.error().message.size();

  scanner::config::Interpolator interpolator(env);
  auto expanded = interpolator.Expand(text);
  seen += expanded ? expanded->size() : expanded.error().message.size();
  seen += interpolator.referenced().size();

  g_sink = seen;
  return 0;
}
