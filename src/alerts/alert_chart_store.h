#pragma once
// The chart input of each alert (alert_charts, schema v5): written by AlertStore::Insert in the
// alert's own transaction (store first: an alert and what its chart is drawn from are kept
// together or not at all), read back whenever the chart must be drawn, for the first send or
// a resend after a restart. Rows go with their alert (ON DELETE CASCADE, retention included).
//
// Not thread-safe: the event-loop thread, like the AlertStore that owns it. The Database must
// outlive it.

#include <cstdint>
#include <memory>
#include <optional>

#include "core/chart_spec.h"
#include "core/error.h"
#include "storage/database.h"

namespace scanner::alerts {

using AlertId = std::int64_t;  // as in alert_store.h

class AlertChartStore {
 public:
  static core::Result<std::unique_ptr<AlertChartStore>> Open(storage::Database& db);

  AlertChartStore(const AlertChartStore&) = delete;
  AlertChartStore& operator=(const AlertChartStore&) = delete;

  // One row for `alert`; call inside the transaction that stores the alert.
  core::Status Insert(AlertId alert, const core::ChartSpec& spec);
  // The spec stored with `alert`; nullopt when it has none (charts off when it was raised, or
  // stored before schema v5). A row that does not decode is an error naming the alert.
  core::Result<std::optional<core::ChartSpec>> Load(AlertId alert);

 private:
  AlertChartStore(storage::Statement insert, storage::Statement load)
      : insert_(std::move(insert)), load_(std::move(load)) {}

  storage::Statement insert_;
  storage::Statement load_;
};

}  // namespace scanner::alerts
