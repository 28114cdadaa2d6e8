#pragma once
// The alert store of one market on the scanner's database in a file, on a clock the test owns:
// Open() opens the database (migrated) and the store, a failure being a fatal test failure (call
// it from SetUp, or under ASSERT_NO_FATAL_FAILURE); Reopen() is a process restart (everything in
// memory goes, the file stays). Reached like the std::unique_ptr it stands for: `*store`,
// `store->Insert(...)`, `store.get()`; db() is the connection under it. Not thread-safe; the
// clock and the file's folder (a ScratchDir) must outlive it.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "alerts/alert_store.h"
#include "core/clock.h"
#include "core/market.h"
#include "support/database_on_disk.h"

namespace scanner::support {

class AlertStoreOnDisk {
 public:
  AlertStoreOnDisk(std::string path, const core::Clock& clock,
                   core::Market market = core::Market::kSpot, storage::DatabaseOptions options = {})
      : db_(std::move(path), options), clock_(&clock), market_(market) {}
  AlertStoreOnDisk(const AlertStoreOnDisk&) = delete;
  AlertStoreOnDisk& operator=(const AlertStoreOnDisk&) = delete;

  void Open() {
    ASSERT_NO_FATAL_FAILURE(db_.Open());
    auto store = alerts::AlertStore::Open(*db_, *clock_, market_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  // The store's statements go before the connection they belong to.
  void Close() {
    store_.reset();
    db_.Close();
  }
  void Reopen() {
    Close();
    Open();
  }
  // The clock of the stores opened from now on (a restart onto another clock).
  void set_clock(const core::Clock& clock) { clock_ = &clock; }

  storage::Database& db() const { return *db_; }
  const std::string& path() const { return db_.path(); }
  // Null while closed.
  alerts::AlertStore* get() const { return store_.get(); }
  alerts::AlertStore& operator*() const { return *store_; }
  alerts::AlertStore* operator->() const { return store_.get(); }

 private:
  DatabaseOnDisk db_;  // before store_, which must go first
  const core::Clock* clock_;
  core::Market market_;
  std::unique_ptr<alerts::AlertStore> store_;
};

}  // namespace scanner::support
