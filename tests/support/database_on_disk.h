#pragma once
// The scanner's database in a file, for tests that store something or restart: opened with
// every scanner migration (storage::ScannerMigrations()) by Open(), which a failure makes a fatal
// test failure (call it from SetUp, or under ASSERT_NO_FATAL_FAILURE); Reopen() is a restart
// (the connection goes, the file stays). Reached like the std::unique_ptr it stands for: `*db`,
// `db->Exec(...)`, `db.get()`. Not thread-safe; the file's folder (a ScratchDir) must outlive
// it.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "storage/database.h"
#include "storage/schema.h"

namespace scanner::support {

class DatabaseOnDisk {
 public:
  explicit DatabaseOnDisk(std::string path, storage::DatabaseOptions options = {})
      : path_(std::move(path)), options_(options) {}
  DatabaseOnDisk(const DatabaseOnDisk&) = delete;
  DatabaseOnDisk& operator=(const DatabaseOnDisk&) = delete;

  void Open() {
    auto db = storage::Database::Open(path_, storage::ScannerMigrations(), options_);
    ASSERT_TRUE(db) << path_ << ": " << db.error().message;
    db_ = std::move(*db);
  }
  void Close() { db_.reset(); }
  void Reopen() {
    Close();
    Open();
  }

  const std::string& path() const { return path_; }
  // Null while closed.
  storage::Database* get() const { return db_.get(); }
  storage::Database& operator*() const { return *db_; }
  storage::Database* operator->() const { return db_.get(); }

 private:
  std::string path_;
  storage::DatabaseOptions options_;
  std::unique_ptr<storage::Database> db_;
};

}  // namespace scanner::support
