// momentum-scanner: the process entry point. Everything else lives in scanner_app_lib so tests
// run the same code in-process.

#include <unistd.h>

#include <exception>
#include <iostream>

#include "app/cli.h"
#include "config/environment.h"

int main(int argc, char** argv) {
  try {
    scanner::config::ProcessEnvironment env;
    return scanner::app::RunCli(argc, argv,
                                {std::cout, std::cerr, env, {}, ::isatty(STDERR_FILENO) == 1});
  } catch (const std::exception& e) {
    std::cerr << "momentum-scanner: fatal: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "momentum-scanner: fatal: unknown exception\n";
  }
  return scanner::app::kExitFailure;
}
