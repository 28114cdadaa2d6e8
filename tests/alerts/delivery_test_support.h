#pragma once
// Shared by the loopback delivery tests: a captured logger, an io_context runner that waits for
// a condition (never for a time), candidates, and a fixture owning the database, store, fake
// Discord and dispatcher, which checks after every test that the webhook token reached no log
// line and no byte of the database files.

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "alerts/alert_dispatcher.h"
#include "alerts/alert_store.h"
#include "alerts/console_sink.h"
#include "core/clock.h"
#include "fakes/fake_discord.h"
#include "support/alert_store_on_disk.h"
#include "support/candidates.h"
#include "support/fixture_files.h"
#include "support/scratch_dir.h"

namespace scanner::alerts::delivery_test {

// The secret part of every webhook URL the tests configure.
inline constexpr std::string_view kToken = "tOkEn-5ecret_Zq81xW";
inline constexpr core::Millis kBarClose = 1'700'000'099'999;  // a 5m bar's close (…:59.999)

// Every line any component logs, at every level, unmasked.
struct CapturedLog {
  std::shared_ptr<std::ostringstream> stream = std::make_shared<std::ostringstream>();
  std::shared_ptr<spdlog::logger> logger;

  CapturedLog() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*stream);
    sink->set_pattern("[%l] %v");
    logger = std::make_shared<spdlog::logger>("test", std::move(sink));
    logger->set_level(spdlog::level::trace);
    logger->flush_on(spdlog::level::trace);
  }
  std::string Text() const { return stream->str(); }
  std::size_t Count(std::string_view text) const {
    std::string all = Text();
    std::size_t count = 0;
    for (std::size_t at = all.find(text); at != std::string::npos; at = all.find(text, at + 1)) {
      ++count;
    }
    return count;
  }
};

// Runs handlers until `done()` holds; false after `limit` (a hang, reported by the caller).
// Short slices let `done` see what other threads (the fake) record meanwhile.
inline bool RunUntil(boost::asio::io_context& io, const std::function<bool()>& done,
                     std::chrono::seconds limit = std::chrono::seconds(60)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    if (io.stopped()) io.restart();
    if (io.run_for(std::chrono::milliseconds(5)) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  return true;
}

using support::I;

// A candidate on the 5m bar closing at kBarClose unless told otherwise (support::MakeCandidate's
// figures).
inline core::Candidate MakeCandidate(std::string symbol, std::string_view interval = "5m",
                                     core::Severity severity = core::Severity::kNormal,
                                     core::Millis close_time = kBarClose) {
  core::Candidate c = support::MakeCandidate(std::move(symbol), close_time, interval);
  c.severity = severity;
  return c;
}

// " SYM " as it appears in an embed title ("▲ SYM 5m up"): a whole-word match.
inline std::string TitleWord(std::string_view symbol) {
  std::string word(1, ' ');
  word.append(symbol);
  word.push_back(' ');
  return word;
}

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenStore(); }

  void TearDown() override {
    CloseAll();
    EXPECT_EQ(log_.Text().find(kToken), std::string::npos) << "the token reached a log line";
    EXPECT_FALSE(DatabaseBytesContain(kToken)) << "the token reached the database";
    fake_.reset();
  }

  // Process exit: the dispatcher, store and database go; the files stay.
  void CloseAll() {
    dispatcher_.reset();
    // Completions of the destroyed dispatcher (its client's shutdown) run and do nothing.
    io_.restart();
    io_.poll();
    store_.Close();
  }

  void OpenStore() { store_.Open(); }

  void Reopen() {
    CloseAll();
    OpenStore();
  }

  // Time moves only when the test says so, for the dispatcher, the store and the fake.
  void UseFakeClock() {
    clock_ = &fake_clock_;
    store_.set_clock(fake_clock_);
    Reopen();
  }

  void StartFake(fakes::FakeDiscordOptions options = {}) {
    auto fake = fakes::FakeDiscord::Start(std::move(options));
    ASSERT_TRUE(fake) << fake.error().message;
    fake_ = std::move(*fake);
  }

  // Quick retries so tests finish fast; pacing and rate limits stay Discord's defaults.
  static AlertDispatcherOptions FastOptions(std::vector<std::string> urls) {
    AlertDispatcherOptions options;
    for (std::string& url : urls) options.routes.push_back({std::move(url), {}, std::nullopt});
    options.identity.username = "Momentum Scanner";
    options.backoff = core::BackoffPolicy{20, 200, 2.0, 0.5};
    options.request_timeout = 5 * core::kSecond;
    options.connect_timeout = 5 * core::kSecond;
    options.seed = 42;
    return options;
  }

  void MakeDispatcher(AlertDispatcherOptions options, bool start = true) {
    auto dispatcher = AlertDispatcher::Create(io_, *store_, console_sink_, *clock_,
                                              std::move(options), log_.logger);
    ASSERT_TRUE(dispatcher) << dispatcher.error().message;
    dispatcher_ = std::move(*dispatcher);
    if (start) {
      auto started = dispatcher_->Start();
      ASSERT_TRUE(started) << started.error().message;
    }
  }

  // What the pipeline does with an alert: store it with its destinations, then wake delivery.
  AlertId Submit(const core::Candidate& candidate) {
    auto result = store_->Insert(candidate, dispatcher_->DestinationsFor(candidate));
    EXPECT_TRUE(result) << result.error().message;
    if (!result) return 0;
    EXPECT_EQ(result->outcome, InsertOutcome::kInserted) << candidate.symbol;
    dispatcher_->Wake();
    return result->id;
  }

  std::int64_t Pending() {
    auto counters = dispatcher_->Counters();
    EXPECT_TRUE(counters);
    std::int64_t pending = 0;
    if (counters) {
      for (const PendingCount& p : counters->pending) pending += p.count;
    }
    return pending;
  }

  // Nothing pending in the store and nothing in flight.
  bool Settled() {
    if (Pending() != 0) return false;
    for (const WebhookSenderStatus& status : dispatcher_->WebhookStatuses()) {
      if (status.in_flight) return false;
    }
    return true;
  }

  DeliveryRecord Delivery(AlertId id, std::string_view destination) {
    auto records = store_->Deliveries(id);
    EXPECT_TRUE(records);
    if (records) {
      for (const DeliveryRecord& record : *records) {
        if (record.destination == destination) return record;
      }
    }
    ADD_FAILURE() << "no delivery of alert " << id << " to " << destination;
    return {};
  }

  bool DatabaseBytesContain(std::string_view text) const {
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      if (support::ReadText(entry.path().string()).find(text) != std::string::npos) return true;
    }
    return false;
  }

  std::string Url(std::string_view id) {
    return fake_->AddWebhook(std::string(id), std::string(kToken));
  }

  support::ScratchDir dir_;
  core::SystemClock system_clock_;
  core::FakeClock fake_clock_{kBarClose + 1 + 30 * core::kSecond};
  const core::Clock* clock_ = &system_clock_;
  CapturedLog log_;
  boost::asio::io_context io_;
  std::ostringstream console_;
  ConsoleSink console_sink_{console_};
  support::AlertStoreOnDisk store_{dir_.Path("scanner.db"), *clock_};
  std::unique_ptr<fakes::FakeDiscord> fake_;
  std::unique_ptr<AlertDispatcher> dispatcher_;
};

}  // namespace scanner::alerts::delivery_test
