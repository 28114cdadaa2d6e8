#include "alerts/alert_chart_store.h"

#include <string>

#include "alerts/chart_spec_codec.h"

namespace scanner::alerts {

core::Result<std::unique_ptr<AlertChartStore>> AlertChartStore::Open(storage::Database& db) {
  auto insert = db.Prepare("INSERT OR REPLACE INTO alert_charts (alert_id, spec) VALUES (?1, ?2)");
  if (!insert) return core::Fail("alert chart store: " + insert.error().message);
  auto load = db.Prepare("SELECT spec FROM alert_charts WHERE alert_id = ?1");
  if (!load) return core::Fail("alert chart store: " + load.error().message);
  return std::unique_ptr<AlertChartStore>(
      new AlertChartStore(std::move(*insert), std::move(*load)));
}

core::Status AlertChartStore::Insert(AlertId alert, const core::ChartSpec& spec) {
  storage::ScopedReset reset(insert_);
  std::string bytes = EncodeChartSpec(spec);
  return insert_.Bind(1, alert).BindBlob(2, bytes).Run();
}

core::Result<std::optional<core::ChartSpec>> AlertChartStore::Load(AlertId alert) {
  storage::ScopedReset reset(load_);
  load_.Bind(1, alert);
  auto row = load_.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<core::ChartSpec>();
  auto spec = DecodeChartSpec(load_.ColumnBlob(0));
  if (!spec) {
    return core::Fail("alert " + std::to_string(alert) + ": " + spec.error().message);
  }
  return std::optional<core::ChartSpec>(std::move(*spec));
}

}  // namespace scanner::alerts
