#include "app/scanner_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "alerts/alert_format.h"
#include "alerts/legacy_alerts.h"
#include "alerts/message_edit_store.h"
#include "app/chart_spec_from_window.h"
#include "app/discord_routes_from_config.h"
#include "app/discord_settings_check.h"
#include "app/market_feed_from_config.h"
#include "app/outcome_horizons_from_config.h"
#include "app/service_metrics.h"
#include "app/settings_reload.h"
#include "app/signal_settings_from_config.h"
#include "config/config_validator.h"
#include "feed/gap_filler.h"
#include "net/tls_context.h"
#include "storage/schema.h"

namespace scanner::app {
namespace {

constexpr auto kHousekeepingPeriod = std::chrono::seconds(1);
constexpr int kOutboxObserveEveryTicks = 15;
// Outcome edits a crash or a database error kept from being recorded are looked for this often.
constexpr int kMissedEditsEveryTicks = 60;
// /metrics shows the outcomes of the alerts of the last day.
constexpr core::Millis kRecentOutcomesWindow = core::kDay;
// Warm-up bars beyond what the indicators need, so a restart can still alert the bars that
// closed while it was down (signals.catch_up), measured in bars of the shortest interval.
constexpr std::size_t kMaxCatchUpBars = 240;
// Another process holding the database's write lock costs the event loop at most this per
// attempt; the pipeline retries a refused insert later.
constexpr auto kLiveBusyTimeout = std::chrono::milliseconds(100);

// Closed bars per window (and warm-up bars per window): what the indicators need plus what a
// restart may still alert (signals.catch_up).
std::size_t WarmUpBars(const config::Config& config);

std::size_t CatchUpBars(const config::Config& config) {
  core::Millis shortest = core::kDay;
  for (core::Interval interval : config.streams.intervals) {
    shortest = std::min(shortest, interval.DurationMs());
  }
  if (shortest <= 0) return 0;
  const core::Millis bars = (config.signals.catch_up + shortest - 1) / shortest;
  return std::min<std::size_t>(static_cast<std::size_t>(std::max<core::Millis>(bars, 0)),
                               kMaxCatchUpBars);
}

std::size_t WarmUpBars(const config::Config& config) {
  const signals::SignalSettings settings =
      SignalSettingsFromConfig(config.signals, config.exchange.market);
  // Enough for the charts too (an alert's chart shows the bars up to its own).
  return std::max(signals::WindowCapacityFor(settings) + CatchUpBars(config),
                  static_cast<std::size_t>(config.alerts.discord.chart.bars));
}

}  // namespace

core::Result<std::unique_ptr<ScannerService>> ScannerService::Create(
    boost::asio::io_context& io_context, const core::Clock& clock, config::Config config,
    ScannerServiceOptions options, std::shared_ptr<spdlog::logger> logger) {
  if (options.console == nullptr) return core::Fail("scanner service: no console stream");
  if (!logger) return core::Fail("scanner service: no logger");
  std::unique_ptr<ScannerService> service(
      new ScannerService(io_context, clock, std::move(config), options, std::move(logger)));
  if (auto built = service->Build(); !built) return std::unexpected(built.error());
  return service;
}

ScannerService::ScannerService(boost::asio::io_context& io_context, const core::Clock& clock,
                               config::Config config, ScannerServiceOptions options,
                               std::shared_ptr<spdlog::logger> logger)
    : io_context_(io_context),
      clock_(clock),
      config_(std::move(config)),
      options_(options),
      logger_(std::move(logger)),
      housekeeping_timer_(io_context),
      outbox_watch_(options.outbox_stall_after),
      self_(std::make_shared<ScannerService*>(this)) {}

ScannerService::~ScannerService() {
  // Order matters: the feed and the universe service call into the pipeline and the REST
  // client; the dispatcher uses the store, which uses the database.
  universe_.reset();
  feed_.reset();
  pipeline_.reset();
  delivery_.reset();
}

core::Status ScannerService::Build() {
  // Each step uses what the ones before it built.
  for (core::Status (ScannerService::*step)() :
       {&ScannerService::BuildStorage, &ScannerService::BuildRest, &ScannerService::BuildSignals,
        &ScannerService::BuildDelivery, &ScannerService::BuildFeed,
        &ScannerService::BuildUniverse}) {
    if (auto built = (this->*step)(); !built) return built;
  }
  return {};
}

// The database (with its migrations and the legacy history adopted), the alert store, the
// universe cache.
core::Status ScannerService::BuildStorage() {
  const config::Config& config = config_;
  auto legacy = alerts::PrepareLegacyDatabase(config.alerts.database);
  if (!legacy) {
    return core::Fail(fmt::format("cannot open the database {}: {}", config.alerts.database,
                                  legacy.error().message));
  }
  auto database = storage::Database::Open(config.alerts.database, storage::ScannerMigrations(),
                                          {.busy_timeout = kLiveBusyTimeout});
  if (!database) {
    return core::Fail(fmt::format("cannot open the database {}: {}", config.alerts.database,
                                  database.error().message));
  }
  database_ = std::move(*database);
  auto store = alerts::AlertStore::Open(*database_, clock_, config.exchange.market);
  if (!store) return std::unexpected(store.error());
  store_ = std::move(*store);
  auto outcome_store = alerts::OutcomeStore::Open(*database_, clock_);
  if (!outcome_store) return std::unexpected(outcome_store.error());
  outcome_store_ = std::move(*outcome_store);
  auto imported = alerts::ImportLegacyAlerts(*database_, config.exchange.market);
  if (!imported) {
    return core::Fail(fmt::format("legacy alert history in {}: {}", config.alerts.database,
                                  imported.error().message));
  }
  if (imported->found) {
    logger_->info("legacy alert history: {} row(s), {} imported, {} already present, {} skipped",
                  imported->rows, imported->imported, imported->already_present,
                  imported->rows - imported->imported - imported->already_present);
    for (const auto& [reason, count] : imported->skipped) {
      logger_->warn("legacy alert history: {} row(s) skipped: {}", count, reason);
    }
  }
  universe_cache_ =
      std::make_unique<universe::UniverseCache>(*database_, config.universe.refresh_interval);

  return {};
}

// The REST client within the weight budget, and the TLS context of the streams.
core::Status ScannerService::BuildRest() {
  const config::Config& config = config_;
  net::HttpClientOptions http_options;
  http_options.ca_file = config.exchange.ca_file;
  http_options.request_timeout = std::chrono::milliseconds(config.exchange.request_timeout);
  http_options.user_agent = fmt::format("momentum-scanner/{}", SCANNER_VERSION);
  auto http = net::HttpClient::Create(io_context_, http_options, logger_);
  if (!http) return std::unexpected(http.error());
  rest_http_ = std::move(*http);
  rest_timer_ = std::make_unique<net::AsioWakeUpTimer>(io_context_, clock_);
  binance::RestClientOptions rest_options;
  rest_options.market = config.exchange.market;
  rest_options.base_url = config.exchange.rest_url;
  rest_options.weight_budget_fraction = config.exchange.weight_budget_fraction;
  rest_ = std::make_unique<binance::RestClient>(io_context_, *rest_http_, *rest_timer_, clock_,
                                                rest_options, logger_);

  if (config.exchange.ws_url.starts_with("wss://")) {
    auto tls = net::MakeClientTlsContext(config.exchange.ca_file);
    if (!tls) return std::unexpected(tls.error());
    ws_tls_.emplace(std::move(*tls));
  }

  return {};
}

// The signal engine (its cooldown read from the store) and the closed-bar pipeline.
core::Status ScannerService::BuildSignals() {
  const config::Config& config = config_;
  signals::SignalSettings settings =
      SignalSettingsFromConfig(config.signals, config.exchange.market);
  cooldown_ = std::make_unique<alerts::AlertStoreCooldown>(*store_);
  auto engine = signals::SignalEngine::Create(settings, {.cooldown_store = cooldown_.get(),
                                                         .quote_volumes = &quote_volumes_,
                                                         .confirmations = nullptr});
  if (!engine) return std::unexpected(engine.error());
  engine_ = std::move(*engine);
  engine_->SetMinQuoteVolume24h(config.universe.min_quote_volume_24h);
  auto routes = alerts::AlertRoutes::Build(RouteSpecsFromConfig(config.alerts.discord));
  if (!routes) return std::unexpected(routes.error());
  routes_ = std::move(*routes);
  outcomes_ = std::make_unique<signals::OutcomeTracker>(OutcomeHorizonsFromConfig(config));
  pipeline_ = std::make_unique<ClosedBarPipeline>(
      ClosedBarPipeline::Dependencies{.engine = engine_.get(),
                                      .store = store_.get(),
                                      .cooldown = cooldown_.get(),
                                      .clock = &clock_,
                                      .logger = logger_,
                                      .outcomes = outcomes_.get(),
                                      .outcome_store = outcome_store_.get()});
  pipeline_->SetCatchUp(config.signals.catch_up);
  pipeline_->SetOnOutcome([this](alerts::AlertId id, const core::Candidate& alert,
                                 const core::Outcome& outcome) { OnOutcome(id, alert, outcome); });
  recent_outcomes_ = std::make_unique<RecentOutcomes>(outcomes_->horizons(), kRecentOutcomesWindow);
  auto recent = outcome_store_->AlertsSince(config.exchange.market,
                                            clock_.NowMs() - kRecentOutcomesWindow, *store_);
  if (!recent) {
    logger_->error("cannot read the recent outcomes: {}", recent.error().message);
  } else {
    for (const alerts::AlertWithOutcome& entry : *recent) {
      if (entry.outcome && entry.outcome->complete) {
        recent_outcomes_->Add(entry.candidate, *entry.outcome);
      }
    }
  }
  pipeline_->SetDestinations([this](const core::Candidate& candidate) {
    return alerts::OutboxDestinationsFor(routes_, candidate);
  });
  // Read live: alerts.discord.chart.enabled and signals.min_atr_move reload.
  pipeline_->SetChartFor([this](const core::Candidate& alert) -> std::optional<core::ChartSpec> {
    const config::DiscordConfig::Chart& chart = config_.alerts.discord.chart;
    if (!chart.enabled || !feed_) return std::nullopt;
    const market::BarWindow* window = feed_->windows().Find(alert.symbol, alert.interval);
    if (window == nullptr) return std::nullopt;
    return ChartSpecFromWindow(*window, alert,
                               ChartShape{.bars = static_cast<std::size_t>(chart.bars),
                                          .band_atrs = config_.signals.min_atr_move});
  });

  return {};
}

// The console sink and the dispatcher hand-over; every new alert wakes delivery.
core::Status ScannerService::BuildDelivery() {
  console_ = std::make_unique<alerts::ConsoleSink>(*options_.console);
  chart_images_ = std::make_unique<AlertChartImages>(io_context_, store_->charts(), logger_);
  delivery_ = std::make_unique<DispatcherHandover>(
      io_context_, [this](const config::DiscordConfig& discord) { return MakeDispatcher(discord); },
      options_.stop_grace, logger_);
  // A finished chart may complete a message a sender holds back for it.
  chart_images_->SetOnReady([this] { delivery_->Wake(); });
  pipeline_->SetOnAlert([this](const core::Candidate& candidate,
                               const ClosedBarPipeline::KeptAlert& kept) {
    logger_->info("alert: {}",
                  alerts::FormatAlertLine(candidate, alerts::IsLate(candidate, clock_.NowMs())));
    // Drawn off the loop while the sender gets ready; it waits for the picture if needed.
    if (kept.chart != nullptr) chart_images_->Prepare(kept.id, *kept.chart);
    delivery_->Wake();
  });

  return {};
}

// The market feed (streams, windows, warm-up and gap fill), feeding the pipeline; the recorder.
core::Status ScannerService::BuildFeed() {
  const config::Config& config = config_;
  if (!options_.record_path.empty()) {
    auto recorder = replay::StreamRecorder::Open(options_.record_path);
    if (!recorder) return std::unexpected(recorder.error());
    recorder_ = std::move(*recorder);
  }

  const std::size_t warm_up_bars = WarmUpBars(config);
  feed::MarketFeedCallbacks callbacks;
  callbacks.on_closed_bar = [this](const core::Symbol& symbol, core::Interval interval,
                                   const core::Bar& bar, market::BarOrigin origin) {
    if (origin == market::BarOrigin::kStream) last_market_data_at_ = clock_.NowMs();
    pipeline_->OnClosedBar(symbol, interval, bar, origin);
  };
  callbacks.on_open_bar = [this](const core::Symbol& symbol, core::Interval interval,
                                 const core::Bar& bar) {
    last_market_data_at_ = clock_.NowMs();
    pipeline_->OnOpenBar(symbol, interval, bar);
  };
  if (recorder_) {
    callbacks.on_frame = [this](std::string_view frame) {
      recorder_->Record(clock_.NowMs(), frame);
    };
  }
  callbacks.on_ticker = [this](const binance::TickerEvent& event) {
    last_market_data_at_ = clock_.NowMs();
    quote_volumes_.Update(event.symbol, event.quote_volume, event.event_time);
  };
  auto feed = feed::MarketFeed::Create(
      io_context_, ws_tls_ ? &*ws_tls_ : nullptr, clock_, feed::KlinesFetchFrom(*rest_),
      MarketFeedOptionsFromConfig(config, warm_up_bars, warm_up_bars), std::move(callbacks),
      logger_);
  if (!feed) return std::unexpected(feed.error());
  feed_ = std::move(*feed);

  return {};
}

// The universe service: its first publication starts the warm-up and opens the streams.
core::Status ScannerService::BuildUniverse() {
  const config::Config& config = config_;
  universe_timer_ = std::make_unique<net::AsioWakeUpTimer>(io_context_, clock_);
  binance::RestClient* rest = rest_.get();
  universe::UniverseService::Fetch fetch = [rest](universe::UniverseService::FetchDone done) {
    rest->GetMarketSnapshot(
        [done = std::move(done)](binance::RestResult<binance::MarketSnapshot>&& snapshot) {
          if (!snapshot) {
            done(core::Fail(snapshot.error().message));
          } else {
            done(std::move(*snapshot));
          }
        });
  };
  universe_ = std::make_unique<universe::UniverseService>(
      config.universe, config.exchange.market, std::move(fetch), universe_cache_.get(),
      *universe_timer_, clock_,
      [this](const universe::Universe& universe, const universe::UniverseDiff& diff) {
        OnUniverse(universe, diff);
      },
      logger_);
  return {};
}

core::Result<std::unique_ptr<alerts::AlertDispatcher>> ScannerService::MakeDispatcher(
    const config::DiscordConfig& discord) {
  alerts::AlertDispatcherOptions options = DispatcherOptionsFromConfig(discord);
  options.user_agent = fmt::format("momentum-scanner/{} (Discord webhook alerts)", SCANNER_VERSION);
  options.give_up_after = discord.give_up_after;
  options.charts = [this](alerts::AlertId id) { return chart_images_->Lookup(id); };
  // Messages show the outcome once it is final (posts and edits alike).
  options.outcomes = [this](alerts::AlertId id) -> std::optional<core::Outcome> {
    auto stored = outcome_store_->Find(id);
    if (!stored || !*stored || !(*stored)->outcome.complete) return std::nullopt;
    return (*stored)->outcome;
  };
  return alerts::AlertDispatcher::Create(io_context_, *store_, *console_, clock_,
                                         std::move(options), logger_);
}

core::Status ScannerService::Start() {
  started_at_ = clock_.NowMs();
  if (auto started = delivery_->Start(config_.alerts.discord); !started) return started;
  if (auto resumed = pipeline_->ResumeOutcomes(); !resumed) {
    // Not fatal: those alerts' outcomes stay open in the database; new alerts are measured.
    logger_->error("cannot resume the outcomes of earlier alerts: {}", resumed.error().message);
  }
  RequestMissedOutcomeEdits();
  if (auto status = StartStatusEndpoint(); !status) return status;
  SweepRetention();
  feed_->Start();
  universe_->Start();
  housekeeping_due_ = std::chrono::steady_clock::now() + kHousekeepingPeriod;
  ScheduleHousekeeping();
  logger_->info("scanner started: {} market, database {}, {}",
                core::MarketName(config_.exchange.market), config_.alerts.database,
                delivery_->active()->uses_console()
                    ? "alerts to the console (no webhook configured)"
                    : "alerts to Discord");
  return {};
}

void ScannerService::OnUniverse(const universe::Universe& universe,
                                const universe::UniverseDiff& diff) {
  for (const universe::UniverseSymbol& symbol : universe.symbols) {
    // REST volumes seed the liquidity filter until the ticker stream speaks; never overwrite a
    // newer stream value.
    if (symbol.quote_volume_24h > 0) {
      quote_volumes_.Update(symbol.symbol, symbol.quote_volume_24h, universe.fetched_at);
    }
  }
  logger_->info("universe: {} symbols ({} added, {} removed)", universe.symbols.size(),
                diff.added.size(), diff.removed.size());
  feed_->UpdateUniverse(diff.added, diff.removed);
  for (const core::Symbol& symbol : diff.removed) engine_->RemoveSymbol(symbol);
}

core::Status ScannerService::StartStatusEndpoint() {
  if (config_.status.listen.empty()) return {};
  std::weak_ptr<ScannerService*> weak = self_;
  StatusPages pages{.health =
                        [weak] {
                          auto self = weak.lock();
                          return self ? (*self)->Health() : HealthReport{};
                        },
                    .metrics =
                        [weak] {
                          auto self = weak.lock();
                          return self ? (*self)->Metrics() : std::string();
                        }};
  auto endpoint =
      StatusEndpoint::Start(io_context_, config_.status.listen, std::move(pages), logger_);
  if (!endpoint) return std::unexpected(endpoint.error());
  status_endpoint_ = std::move(*endpoint);
  return {};
}

std::uint16_t ScannerService::status_port() const {
  return status_endpoint_ ? status_endpoint_->port() : 0;
}

void ScannerService::ScheduleHousekeeping() {
  housekeeping_timer_.expires_at(housekeeping_due_);
  std::weak_ptr<ScannerService*> weak = self_;
  housekeeping_timer_.async_wait([weak](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || (*self)->stopping_) return;
    (*self)->Housekeeping();
  });
}

void ScannerService::Housekeeping() {
  const auto now = std::chrono::steady_clock::now();
  event_loop_lag_seconds_ =
      std::max(0.0, std::chrono::duration<double>(now - housekeeping_due_).count());
  if (event_loop_lag_seconds_ > 1.0) {
    logger_->warn("event loop ran {:.1f}s late", event_loop_lag_seconds_);
  }
  if (++housekeeping_ticks_ % kOutboxObserveEveryTicks == 0) ObserveOutbox();
  if (housekeeping_ticks_ % kMissedEditsEveryTicks == 0) RequestMissedOutcomeEdits();
  FlushRecording();
  pipeline_->RetryUnstored();
  pipeline_->ExpireOutcomes(clock_.NowMs());
  if (clock_.NowMs() >= next_retention_at_) SweepRetention();
  housekeeping_due_ = now + kHousekeepingPeriod;
  ScheduleHousekeeping();
}

void ScannerService::OnOutcome(alerts::AlertId id, const core::Candidate& alert,
                               const core::Outcome& outcome) {
  logger_->info("outcome: {}", alerts::FormatOutcomeTerminalLine(alert, outcome));
  recent_outcomes_->Add(alert, outcome);
  // Recorded in the store, not through the dispatcher: a reload's hand-over may have none
  // active right now, and the next one finds the edit pending.
  if (config_.alerts.discord.edit_outcomes) {
    if (auto requested = store_->RequestOutcomeEdit(id); !requested) {
      logger_->error("cannot record the outcome edit of alert {} (retried within a minute): {}", id,
                     requested.error().message);
    }
    delivery_->Wake();
  }
  // Without a webhook the console is where the trader reads alerts, so the outcome goes there.
  if (delivery_->active() != nullptr && delivery_->active()->uses_console()) {
    if (auto printed = console_->PrintOutcome(alert, outcome); !printed) {
      logger_->warn("console: {}", printed.error().message);
    }
  }
}

void ScannerService::RequestMissedOutcomeEdits() {
  if (!config_.alerts.discord.edit_outcomes) return;
  auto requested = store_->edits().RequestMissedOutcomeEdits(clock_.NowMs() -
                                                             config_.alerts.discord.give_up_after);
  if (!requested) {
    logger_->error("cannot look for missed outcome edits: {}", requested.error().message);
    return;
  }
  if (*requested > 0) {
    logger_->info("{} outcome edit(s) recorded that an earlier run or error had missed",
                  *requested);
    delivery_->Wake();
  }
}

void ScannerService::FlushRecording() {
  if (!recorder_ || recorder_->Flush() || recorder_error_logged_) return;
  recorder_error_logged_ = true;
  logger_->error("stream recording {}: write failed (disk full?)", recorder_->path());
}

void ScannerService::ObserveOutbox() {
  auto pending = store_->PendingCounts();
  if (!pending) {
    logger_->error("alert database: {}", pending.error().message);
    return;
  }
  // Rows nobody serves now cannot drain: they are reported as orphaned, not as a stall.
  orphaned_ = Orphaned(*pending);
  std::vector<alerts::PendingCount> served;
  for (const alerts::PendingCount& entry : *pending) {
    if (std::find(orphaned_.begin(), orphaned_.end(), entry) == orphaned_.end()) {
      served.push_back(entry);
    }
  }
  outbox_watch_.Observe(served, store_->counters().sent, clock_.NowMs());
}

void ScannerService::SweepRetention() {
  const core::Millis now = clock_.NowMs();
  next_retention_at_ = now + options_.retention_period;
  auto result = store_->DeleteOlderThan(now - config_.alerts.retention);
  if (!result) {
    logger_->error("alert retention: {}", result.error().message);
    return;
  }
  if (result->deleted > 0 || result->kept_pending > 0) {
    logger_->info("alert retention: deleted {} alert(s) older than {}, kept {} still pending",
                  result->deleted, core::FormatDuration(config_.alerts.retention),
                  result->kept_pending);
  }
  // Senders give up on their own rows as they come due; this also ends the rows of destinations
  // no longer configured, which no sender looks at.
  const core::Millis give_up_after = config_.alerts.discord.give_up_after;
  auto given_up = store_->GiveUpPendingOlderThan(
      now - give_up_after, fmt::format("not delivered within {} (alerts.discord.give_up_after)",
                                       core::FormatDuration(give_up_after)));
  if (!given_up) {
    logger_->error("alert outbox: {}", given_up.error().message);
  } else if (*given_up > 0) {
    logger_->error("alert outbox: {} delivery(ies) given up: not delivered within {}", *given_up,
                   core::FormatDuration(give_up_after));
  }
}

std::vector<alerts::PendingCount> ScannerService::Orphaned(
    const std::vector<alerts::PendingCount>& pending) const {
  const std::vector<std::string> configured = delivery_->ConfiguredDestinations();
  std::vector<alerts::PendingCount> orphaned;
  for (const alerts::PendingCount& entry : pending) {
    if (std::find(configured.begin(), configured.end(), entry.destination) == configured.end()) {
      orphaned.push_back(entry);
    }
  }
  return orphaned;
}

HealthInputs ScannerService::CollectHealthInputs() {
  ObserveOutbox();
  const core::Millis now = clock_.NowMs();
  HealthInputs in;
  in.now = now;
  in.started_at = started_at_;
  in.universe_known = universe_->current().has_value();
  in.universe_symbols = in.universe_known ? universe_->current()->symbols.size() : 0;
  in.universe_error = universe_->stats().last_error;
  const feed::MarketFeedStats feed = feed_->Stats();
  in.connections_planned = feed.pool.connections;
  in.connections_open = feed.pool.connections_open;
  in.streams_unsubscribed = feed.pool.streams_unsubscribed;
  in.unsubscribed_streams = feed.pool.unsubscribed_streams;
  in.unsubscribed_since = feed.pool.unsubscribed_since;
  in.last_market_data_at = last_market_data_at_;
  in.stale_after = config_.streams.stale_after;
  in.series = feed.fill.series;
  in.series_warm = feed.fill.series_warm;
  if (in.series_warm >= in.series) {
    warming_since_ = 0;
  } else if (warming_since_ == 0) {
    warming_since_ = now;
  }
  in.warming_since = warming_since_;
  in.signal_series = engine_->SeriesCount();
  in.signal_series_warm = engine_->WarmSeriesCount();
  in.rest_banned_until = rest_->limiter().stats().banned_until;
  if (delivery_->active()) in.dead_destinations = delivery_->active()->DeadDestinations();
  in.stalled_destinations = outbox_watch_.Stalled(now);
  in.pending_deliveries = outbox_watch_.TotalPending();
  in.orphaned_deliveries = orphaned_;
  in.unstored_alerts = pipeline_->unstored();
  in.event_loop_lag_seconds = event_loop_lag_seconds_;
  return in;
}

HealthReport ScannerService::Health() { return JudgeHealth(CollectHealthInputs()); }

std::string ScannerService::Metrics() {
  const HealthReport health = Health();
  const core::Millis now = clock_.NowMs();
  MetricsInputs in;
  in.feed = feed_->Stats();
  in.rest = rest_->stats();
  in.weight = rest_->limiter().stats();
  in.rest_weight_used = rest_->limiter().UsedWeight(now);
  in.rest_weight_budget = rest_->limiter().budget();
  in.universe = universe_->stats();
  in.universe_symbols = universe_->current() ? universe_->current()->symbols.size() : 0;
  in.signals = engine_->Counters();
  in.signal_series = engine_->SeriesCount();
  in.signal_series_warm = engine_->WarmSeriesCount();
  in.pipeline = pipeline_->counters();
  in.store = store_->counters();
  in.outcomes = recent_outcomes_->Figures(clock_.NowMs());
  in.outcome_horizons = recent_outcomes_->horizons();
  in.outcome_window = recent_outcomes_->window();
  if (auto counters = delivery_->Counters()) in.dispatcher = std::move(*counters);
  in.charts = chart_images_->counters();
  if (delivery_->active()) in.dead_destinations = delivery_->active()->DeadDestinations();
  in.orphaned_deliveries = orphaned_;
  in.unstored_alerts = pipeline_->unstored();
  in.event_loop_lag_seconds = event_loop_lag_seconds_;
  in.last_message_age_seconds =
      last_market_data_at_ > 0 ? static_cast<double>(now - last_market_data_at_) / 1000.0 : -1;
  in.uptime_seconds = static_cast<double>(now - started_at_) / 1000.0;
  in.healthy = health.healthy;
  return WriteServiceMetrics(in);
}

std::vector<std::string> ScannerService::Reload(const config::Config& next) {
  // Checked as a whole first: a reload applies completely or not at all.
  config::ProblemList problems;
  config::ValidateConfig(next, problems);
  CheckDiscordSettings(next.alerts.discord, problems);
  if (!problems.empty()) {
    std::vector<std::string> messages{
        "configuration not reloaded, the running settings stay; problems:"};
    for (const config::Problem& problem : problems.problems()) messages.push_back(problem.Line());
    return messages;
  }
  const ReloadPlan plan = PlanReload(config_, next);
  std::vector<std::string> messages;
  if (plan.discord_changed) {
    auto routes = alerts::AlertRoutes::Build(RouteSpecsFromConfig(next.alerts.discord));
    if (!routes) return {fmt::format("configuration not reloaded: {}", routes.error().message)};
    // The only step that can still fail, so it goes first; the old dispatcher keeps
    // delivering until the new one takes over.
    if (auto replaced = delivery_->Replace(next.alerts.discord); !replaced) {
      return {
          fmt::format("configuration not reloaded: alerts.discord: {}", replaced.error().message)};
    }
    routes_ = std::move(*routes);
    config_.alerts.discord = next.alerts.discord;
    messages.emplace_back("alerts.discord reloaded");
  }
  if (plan.signals_changed) {
    signals::SignalSettings settings =
        SignalSettingsFromConfig(next.signals, config_.exchange.market);
    const bool new_windows = settings.windows != engine_->Settings().windows;
    if (auto updated = engine_->UpdateSettings(settings); !updated) {
      // Unreachable after ValidateConfig; said loudly should the two ever disagree.
      messages.push_back(fmt::format("signals kept: {}", updated.error().message));
    } else {
      config_.signals = next.signals;
      pipeline_->SetCatchUp(next.signals.catch_up);
      messages.emplace_back("signals reloaded");
      if (new_windows) {
        // The series start afresh: without their history they would be blind for
        // zscore_window + 2 bars (two days of 1h bars). Fetched again, as at start.
        const std::size_t bars = WarmUpBars(config_);
        feed_->Rewarm(bars, bars);
        messages.push_back(fmt::format(
            "indicator windows changed: every window loads {} bars of history again", bars));
      }
    }
  }
  if (plan.retention_changed) {
    config_.alerts.retention = next.alerts.retention;
    messages.emplace_back("alerts.retention reloaded");
  }
  for (const std::string& key : plan.need_restart) {
    messages.push_back(fmt::format("{} changed: takes effect after a restart", key));
  }
  if (messages.empty()) messages.emplace_back("configuration unchanged");
  return messages;
}

void ScannerService::Stop(std::function<void()> done) {
  if (stopping_) return;
  stopping_ = true;
  logger_->info("stopping: closing streams, finishing deliveries (up to {})",
                core::FormatDuration(options_.stop_grace));
  housekeeping_timer_.cancel();
  if (status_endpoint_) status_endpoint_->Stop();
  if (recorder_) {
    FlushRecording();
    logger_->info("stream recording {}: {} frames, {} bytes this run", recorder_->path(),
                  recorder_->frames(), recorder_->bytes());
  }
  universe_->Stop();
  feed_->Stop();
  rest_->Shutdown();
  rest_http_->Shutdown();
  if (pipeline_->unstored() > 0) {
    logger_->critical("alert LOST at stop: {} alert(s) the database refused until now",
                      pipeline_->unstored());
  }
  delivery_->Stop([this, done = std::move(done)]() {
    logger_->info("stopped");
    if (done) done();
  });
}

}  // namespace scanner::app
