#include "app/alert_chart_images.h"

#include <boost/asio/post.hpp>

namespace scanner::app {

using State = alerts::ChartImage::State;

AlertChartImages::AlertChartImages(boost::asio::io_context& io_context,
                                   alerts::AlertChartStore& specs,
                                   std::shared_ptr<spdlog::logger> logger)
    : io_context_(io_context), specs_(specs), logger_(std::move(logger)) {}

AlertChartImages::~AlertChartImages() { worker_.Stop(); }

void AlertChartImages::Prepare(alerts::AlertId alert, const core::ChartSpec& spec) {
  if (entries_.contains(alert)) return;
  Submit(alert, spec);
}

alerts::ChartImage AlertChartImages::Lookup(alerts::AlertId alert) {
  if (auto found = entries_.find(alert); found != entries_.end()) {
    return alerts::ChartImage{found->second.state, found->second.png};
  }
  auto spec = specs_.Load(alert);
  if (!spec) {
    Fail(alert, "load", spec.error().message);
    return {};
  }
  if (!spec->has_value()) return {};  // stored without a chart
  Submit(alert, std::move(**spec));
  return alerts::ChartImage{State::kPending, nullptr};
}

void AlertChartImages::Submit(alerts::AlertId alert, core::ChartSpec spec) {
  entries_[alert] = Entry{};
  const auto submitted = std::chrono::steady_clock::now();
  std::weak_ptr<int> alive = alive_;
  worker_.Submit(
      static_cast<std::uint64_t>(alert), std::move(spec),
      [this, alive, submitted](std::uint64_t key,
                               std::expected<std::string, chart::ChartError> png) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - submitted).count();
        boost::asio::post(io_context_, [this, alive, key, png = std::move(png), seconds]() mutable {
          if (alive.expired()) return;
          OnRendered(static_cast<alerts::AlertId>(key), std::move(png), seconds);
        });
      });
}

void AlertChartImages::OnRendered(alerts::AlertId alert,
                                  std::expected<std::string, chart::ChartError> png,
                                  double seconds) {
  counters_.render_seconds += seconds;
  if (!png) {
    Fail(alert, std::string(chart::ChartFailureName(png.error().kind)), png.error().message);
  } else {
    ++counters_.rendered;
    counters_.bytes += png->size();
    Settle(alert, Entry{State::kReady, std::make_shared<const std::string>(std::move(*png))});
  }
  if (on_ready_) on_ready_();
}

void AlertChartImages::Fail(alerts::AlertId alert, const std::string& kind,
                            const std::string& message) {
  ++counters_.failed;
  ++counters_.failures[kind];
  if (logged_kinds_.insert(kind).second && logger_) {
    logger_->error("chart of alert {} not drawn ({}): {}; the alert goes without a picture "
                   "(logged once per kind, counted in scanner_chart_failures_total)",
                   alert, kind, message);
  }
  Settle(alert, Entry{State::kNone, nullptr});
}

void AlertChartImages::Settle(alerts::AlertId alert, Entry entry) {
  entries_[alert] = std::move(entry);
  settled_.push_back(alert);
  while (settled_.size() > kKeptCharts) {
    entries_.erase(settled_.front());
    settled_.pop_front();
  }
}

}  // namespace scanner::app
