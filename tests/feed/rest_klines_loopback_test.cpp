// Closed or still forming: REST klines through the real client and gap filler, against the fake
// Binance REST server whose own clock runs behind or ahead of the scanner's. Whatever the two
// clocks say, a window stores a bar as closed only when Binance had finished it, and then with
// Binance's final values. FakeClock and real sockets on 127.0.0.1; no sleeps.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "binance/rest_client.h"
#include "fakes/manual_wake_up_timer.h"
#include "fakes/scripted_binance_rest.h"
#include "fakes/scripted_market.h"
#include "feed/gap_filler.h"
#include "market/window_set.h"
#include "net/http_client.h"
#include "support/null_logger.h"

namespace scanner::feed {
namespace {

using core::kMinute;
using core::kSecond;
using core::Millis;

constexpr Millis kM = 1'700'000'040'000;  // a minute boundary (2023-11-14T22:14:00Z)
const core::Interval k1m = *core::Interval::Parse("1m");
constexpr const char* kSymbol = "AAAUSDT";

class RestKlinesLoopbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rest = fakes::ScriptedBinanceRest::Start(io_, clock_, market_);
    ASSERT_TRUE(rest) << rest.error().message;
    rest_ = std::move(*rest);
    auto http = net::HttpClient::Create(io_, net::HttpClientOptions{}, nullptr);
    ASSERT_TRUE(http) << http.error().message;
    http_ = std::move(*http);
    binance::RestClientOptions options;
    options.market = core::Market::kSpot;
    options.base_url = rest_->BaseUrl();
    client_.emplace(io_, *http_, rest_timer_, clock_, options, logger_);
  }

  void TearDown() override {
    if (filler_) filler_->Stop();
    filler_.reset();
    if (client_) client_->Shutdown();
    http_->Shutdown();
    Drive([] { return true; });
  }

  // Warms up kSymbol's 1m window with five bars, as the scanner does at start.
  void WarmUp() {
    windows_.emplace(std::vector<core::Interval>{k1m}, 20);
    GapFillerOptions options;
    options.market = core::Market::kSpot;
    options.warm_up_bars = 5;
    options.stale_after = 10 * kSecond;
    options.request_spacing = 100;
    options.max_in_flight = 1;
    filler_.emplace(
        *windows_, KlinesFetchFrom(*client_), fill_timer_, clock_, options,
        GapFillerCallbacks{
            .on_closed_bar = [this](const core::Symbol&, core::Interval, const core::Bar& bar,
                                    market::BarOrigin) { emitted_.push_back(bar); },
            .on_open_bar = nullptr},
        logger_);
    ASSERT_TRUE(filler_->AddSymbol(kSymbol));
    ASSERT_TRUE(Drive([&] { return filler_->IsWarm(kSymbol, k1m); }));
  }

  bool Drive(const std::function<bool()>& done) {
    return fakes::DriveUntil(io_, clock_, {&fill_timer_, &rest_timer_}, done,
                             [this] { return client_ && client_->InFlightCalls() > 0; });
  }

  const market::BarWindow& Window() { return *windows_->Find(kSymbol, k1m); }

  // Every closed bar the window holds is Binance's final bar, consecutive; so is every bar
  // released, each once.
  void ExpectOnlyFinalBars() {
    const market::BarWindow& window = Window();
    for (std::size_t i = 0; i < window.Size(); ++i) {
      EXPECT_EQ(window[i], market_->Bar(kSymbol, k1m, window[i].open_time))
          << "window bar opening at " << window[i].open_time;
      if (i > 0) {
        EXPECT_EQ(window[i].open_time, window[i - 1].close_time + 1) << i;
      }
    }
    for (std::size_t i = 0; i < emitted_.size(); ++i) {
      EXPECT_EQ(emitted_[i], market_->Bar(kSymbol, k1m, emitted_[i].open_time)) << i;
      if (i > 0) {
        EXPECT_EQ(emitted_[i].open_time, emitted_[i - 1].close_time + 1) << i;
      }
    }
  }

  std::shared_ptr<spdlog::logger> logger_ = support::NullLogger();
  boost::asio::io_context io_;
  core::FakeClock clock_{kM + 20 * kSecond};
  fakes::ManualWakeUpTimer rest_timer_{io_};
  fakes::ManualWakeUpTimer fill_timer_{io_};
  std::shared_ptr<fakes::ScriptedMarket> market_ =
      std::make_shared<fakes::ScriptedMarket>(std::vector<core::Symbol>{kSymbol});
  std::unique_ptr<fakes::ScriptedBinanceRest> rest_;
  std::unique_ptr<net::HttpClient> http_;
  std::optional<binance::RestClient> client_;
  std::optional<market::WindowSet> windows_;
  std::optional<GapFiller> filler_;
  std::vector<core::Bar> emitted_;
};

// Binance's clock 30 s behind ours: at our M+20s it is M-10s there, and the bar opened at M-1m
// is still forming. Our clock says that bar closed 20 s ago; it must not be stored (the defect
// stored the partial bar, and the window then dropped the real final bar as a duplicate).
TEST_F(RestKlinesLoopbackTest, ServerClockBehindTheFormingBarIsNeverStoredAsClosed) {
  rest_->rest().SetServerClockOffset(-30 * kSecond);
  WarmUp();
  ASSERT_NE(Window().NewestClosed(), nullptr);
  EXPECT_EQ(Window().NewestClosed()->open_time, kM - 2 * kMinute);
  EXPECT_EQ(Window().Size(), 4u);  // M-5m .. M-2m: the fifth bar is still forming on Binance
  ExpectOnlyFinalBars();

  // Once Binance has closed it, the fill brings the bar with its final values.
  ASSERT_TRUE(Drive([&] {
    const core::Bar* newest = Window().NewestClosed();
    return newest != nullptr && newest->open_time >= kM - kMinute;
  }));
  EXPECT_GE(rest_->rest().ServerNowMs(), kM);
  EXPECT_EQ(Window().NewestClosed()->open_time, kM - kMinute);
  ExpectOnlyFinalBars();
  ASSERT_FALSE(emitted_.empty());
  EXPECT_EQ(emitted_.back(), market_->Bar(kSymbol, k1m, kM - kMinute));
}

// Binance's clock 50 s ahead of ours: at our M+20s it is M+70s there. The bar opened at M is
// over for Binance (a later one exists), though our clock has 40 s of it to go: it is stored,
// final; the bar forming on Binance (M+1m) is not.
TEST_F(RestKlinesLoopbackTest, ServerClockAheadABarTheServerClosedIsStored) {
  rest_->rest().SetServerClockOffset(50 * kSecond);
  WarmUp();
  ASSERT_NE(Window().NewestClosed(), nullptr);
  EXPECT_EQ(Window().NewestClosed()->open_time, kM);
  EXPECT_EQ(*Window().NewestClosed(), market_->Bar(kSymbol, k1m, kM));
  EXPECT_EQ(Window().OpenBar(), nullptr);  // the forming bar M+1m is nowhere stored as closed
  ExpectOnlyFinalBars();
  ASSERT_FALSE(emitted_.empty());
  EXPECT_EQ(emitted_.back().open_time, kM);
}

}  // namespace
}  // namespace scanner::feed
