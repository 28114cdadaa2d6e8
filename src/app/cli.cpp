#include "app/cli.h"

#include <fmt/format.h>
#include <spdlog/sinks/ostream_sink.h>

#include <CLI/CLI.hpp>
#include <array>
#include <memory>
#include <string>

#include "app/commands.h"
#include "app/discord_settings_check.h"
#include "app/download_command.h"
#include "app/logging.h"
#include "app/replay_command.h"
#include "app/replay_send.h"
#include "app/report_command.h"
#include "app/run_command.h"
#include "app/universe_command.h"
#include "config/config_loader.h"
#include "config/secrets.h"

namespace scanner::app {
namespace {

constexpr std::string_view kProgram = "momentum-scanner";

// The options of every subcommand that reads the configuration.
struct ConfigArgs {
  std::string config_path;
  std::string env_file;
  CLI::Option* config_option = nullptr;
  CLI::Option* env_file_option = nullptr;
};

CLI::App* AddConfigCommand(CLI::App& app, const std::string& name, const std::string& help,
                           ConfigArgs& args) {
  CLI::App* command = app.add_subcommand(name, help);
  args.config_option = command
                           ->add_option("--config", args.config_path,
                                        "configuration file (default: $SCANNER_CONFIG, else "
                                        "config/default.yaml; without either, "
                                        "legacy environment variables)")
                           ->type_name("FILE");
  args.env_file_option = command
                             ->add_option("--env-file", args.env_file,
                                          "variables to load first, never overriding the "
                                          "environment (default: .env next to the "
                                          "configuration file, else in the current directory)")
                             ->type_name("FILE");
  return command;
}

config::LoadOptions MakeLoadOptions(const ConfigArgs& args, const CliContext& context) {
  config::LoadOptions options;
  options.working_directory = context.working_directory;
  if (!context.working_directory.empty()) {
    options.config_path = context.working_directory / config::kDefaultConfigPath;
  }
  if (args.config_option->count() > 0) {
    options.config_path = args.config_path;
    options.config_path_explicit = true;
  } else if (auto from_env = context.env.Get("SCANNER_CONFIG"); from_env && !from_env->empty()) {
    options.config_path = *from_env;
    options.config_path_explicit = true;
  }
  if (args.env_file_option->count() > 0) options.env_file = args.env_file;
  // What the dispatcher would refuse is refused here, at start and at every reload.
  options.checks = DiscordSettingsChecks();
  return options;
}

}  // namespace

std::string_view Version() { return SCANNER_VERSION; }

int RunCli(int argc, const char* const argv[], const CliContext& context) {
  CLI::App app("Binance Spot / USD-M momentum scanner with Discord alerts", std::string(kProgram));
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(Version()));

  // One set of options per subcommand: CLI11 binds each option to its own command.
  std::array<ConfigArgs, 6> args;
  CLI::App* run = AddConfigCommand(app, "run", "scan the market live and send alerts", args[0]);
  CLI::App* check = AddConfigCommand(
      app, "check-config",
      "print the effective configuration (secrets masked), or every problem in it", args[1]);
  CLI::App* universe =
      AddConfigCommand(app, "universe", "print the symbols the scanner would watch", args[2]);
  CLI::App* replay = AddConfigCommand(
      app, "replay", "run the signals over recorded or downloaded klines", args[3]);
  CLI::App* report = AddConfigCommand(
      app, "report", "what followed the alerts: counts, rates and outcomes per interval", args[4]);
  CLI::App* download = AddConfigCommand(
      app, "download", "fetch Binance's public kline files (data.binance.vision), verified",
      args[5]);
  DownloadCommandOptions download_options;
  download
      ->add_option("--symbols", download_options.symbols, "symbols, e.g. BTCUSDT,ETHUSDT")
      ->delimiter(',')
      ->type_name("SYM,...");
  download->add_flag("--universe", download_options.universe,
                     "the symbols the scanner would watch now (fetched from Binance)");
  download
      ->add_option("--intervals", download_options.intervals, "kline intervals, e.g. 1m,5m")
      ->delimiter(',')
      ->required()
      ->type_name("INT,...");
  download->add_option("--from", download_options.from, "first day, YYYY-MM-DD")
      ->required()
      ->type_name("DAY");
  download
      ->add_option("--to", download_options.to, "last day, YYYY-MM-DD (default: yesterday, UTC)")
      ->type_name("DAY");
  download->add_option("--dir", download_options.dir, "where the files go: DIR/SYMBOL/INTERVAL/")
      ->type_name("DIR")
      ->default_str("data/klines");
  download
      ->add_option("--market", download_options.market,
                   "spot or usdm (USD-M futures) (default: exchange.market)")
      ->type_name("MARKET");
  ReportOptions report_options;
  report
      ->add_option("--since", report_options.since,
                   "alerts whose bar closed within this long before now, or \"all\"")
      ->type_name("DURATION")
      ->default_str("7d");
  report
      ->add_option("--database", report_options.database,
                   "the scanner's (or a replay's) database (default: alerts.database)")
      ->type_name("FILE");
  report->add_option("--format", report_options.format, "output: table or jsonl")
      ->check(CLI::IsMember({"table", "jsonl"}));
  UniverseCommandOptions universe_options;
  universe->add_flag("--json", universe_options.json,
                     "print a JSON array of {\"symbol\", \"quote_volume\"}");
  universe->add_flag("--explain", universe_options.explain,
                     "also list every rejected symbol with its reason");
  ReplayOptions replay_options;
  replay
      ->add_option("files", replay_options.files,
                   "kline files: Binance public-data .zip/.csv (SYMBOL-INTERVAL-DATE.*) or "
                   "open_time,open,high,low,close,volume[,quote_volume] CSV")
      ->required()
      ->type_name("FILE");
  replay->add_option("--symbol", replay_options.symbol,
                     "symbol of every file (default: file name)");
  replay->add_option("--interval", replay_options.interval,
                     "interval of every file (default: file name)");
  replay_options.format = "table";
  replay->add_option("--format", replay_options.format, "alert output: table or jsonl")
      ->check(CLI::IsMember({"table", "jsonl"}));
  replay
      ->add_option("--database", replay_options.database,
                   "keep alerts in this database (default: a temporary one)")
      ->type_name("FILE");
  replay->add_flag("--send", replay_options.send,
                   "also deliver the new alerts to the configured Discord webhooks");
  replay->add_flag("--stream", replay_options.stream,
                   "the files are stream recordings made by `run --record`");
  replay
      ->add_option("--charts", replay_options.charts_dir,
                   "write each alert's chart to DIR as SYMBOL-INTERVAL-CLOSE.png")
      ->type_name("DIR");
  std::string record_path;
  run->add_option("--record", record_path,
                  "append every raw stream frame with its receive time to FILE "
                  "(play it back with `replay --stream FILE`)")
      ->type_name("FILE");
  CLI::App* version = app.add_subcommand("version", "print the version");
  const std::array<CLI::App*, 6> config_commands{run,    check,  universe,
                                                 replay, report, download};

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive here as "errors" with exit code 0.
    return app.exit(e, context.out, context.err) == 0 ? kExitSuccess : kExitUsage;
  }

  if (version->parsed()) {
    context.out << kProgram << ' ' << Version() << '\n';
    return kExitSuccess;
  }

  std::size_t chosen = 0;
  while (chosen < config_commands.size() && !config_commands[chosen]->parsed()) ++chosen;
  if (chosen == config_commands.size()) return kExitUsage;  // require_subcommand(1) prevents it

  const config::LoadOptions load_options = MakeLoadOptions(args[chosen], context);
  auto loaded = config::LoadConfig(load_options, context.env);
  if (!loaded) {
    context.err << kProgram << ": invalid configuration:\n" << loaded.error().message << '\n';
    return kExitUsage;
  }
  if (check->parsed()) return CheckConfig(*loaded, context.out, context.err);
  if (report->parsed()) {
    const core::SystemClock clock;
    return RunReport(report_options, loaded->config, clock, context.out, context.err);
  }

  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(context.err);
  auto logger = MakeLogger(loaded->config.logging, sink, config::CollectSecrets(loaded->config));
  if (download->parsed()) {
    const core::SystemClock clock;
    download_options.terminal = context.err_is_terminal;
    return RunDownloadCommand(loaded->config, download_options, clock, context.out, context.err,
                              logger);
  }
  LogConfigSummary(*loaded, *logger);
  if (run->parsed()) {
    return RunScanner(RunContext{.loaded = std::move(*loaded),
                                 .load_options = load_options,
                                 .env = &context.env,
                                 .console = &context.out,
                                 .logger = logger,
                                 .record_path = record_path});
  }
  if (universe->parsed()) {
    return RunUniverseCommand(loaded->config, universe_options, context.out, context.err, logger);
  }
  if (replay_options.send) {
    return RunReplayAndSend(replay_options, loaded->config, context.out, context.err);
  }
  return RunReplay(replay_options, loaded->config, context.out, context.err);
}

}  // namespace scanner::app
