#pragma once
// `momentum-scanner run`: the live scanner as a process. Builds a ScannerService on one event
// loop and runs it until SIGINT or SIGTERM (graceful stop, exit 0; a second signal during the
// stop exits at once). SIGHUP re-reads the configuration with the same options and applies what
// can change while running (settings_reload.h), logging what needs a restart; an invalid file is
// reported and the running settings stay.

#include <functional>
#include <memory>
#include <ostream>

#include "config/config_loader.h"
#include "config/environment.h"

namespace spdlog {
class logger;
}

namespace scanner::app {

struct RunContext {
  config::LoadedConfig loaded;
  // How to load it again on SIGHUP, and the variables it was interpolated with.
  config::LoadOptions load_options;
  config::Environment* env = nullptr;
  std::ostream* console = nullptr;  // alert lines when no webhook is configured
  std::shared_ptr<spdlog::logger> logger;
  std::string record_path;  // `run --record FILE`; empty: no recording
};

// Returns the process exit code (0 after a graceful stop, 1 when start-up fails).
int RunScanner(RunContext context);

}  // namespace scanner::app
