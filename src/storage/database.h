#pragma once
// A SQLite connection in WAL mode with versioned migrations (PRAGMA user_version).
// Not thread-safe: one Database per thread (the scanner uses it from its event loop only).

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

namespace scanner::storage {

// One schema step. Versions start at 1 and increase by one; `sql` may hold several statements
// and runs in one transaction together with the user_version bump.
struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// A prepared statement. Bind indexes start at 1, column indexes at 0, as in SQLite.
// Owned by its caller; must not outlive the Database that prepared it.
class Statement {
 public:
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& BindBlob(int index, std::string_view bytes);  // binary, stored as a BLOB
  Statement& BindNull(int index);

  // true: a row is ready; false: done. Errors carry SQLite's message.
  core::Result<bool> Step();
  // Runs to completion, ignoring rows (INSERT/UPDATE/DELETE).
  core::Status Run();
  // Back to the start with bindings cleared, ready to be bound and run again.
  void Reset();

  std::int64_t ColumnInt(int index) const;
  double ColumnDouble(int index) const;
  std::string ColumnText(int index) const;
  std::string ColumnBlob(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// Leaves a statement reset with its bindings cleared however the scope ends, so no statement
// keeps a read transaction open or carries bindings into its next use.
class ScopedReset {
 public:
  explicit ScopedReset(Statement& statement) : statement_(statement) {}
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;
  ~ScopedReset() { statement_.Reset(); }

 private:
  Statement& statement_;
};

struct DatabaseOptions {
  // How long a statement waits for another connection's lock before it fails with "database is
  // locked". The command-line tools can afford to wait; the live scanner's event loop cannot,
  // so it passes a short one and retries later (the caller keeps what it could not write).
  std::chrono::milliseconds busy_timeout{5000};
};

class Database {
 public:
  // Opens (creating the file and its parent folder if needed), sets WAL, foreign keys and the
  // busy timeout, then applies every migration above the file's user_version. A file whose
  // version is newer than this build knows is refused rather than misread.
  static core::Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                      std::span<const Migration> migrations,
                                                      DatabaseOptions options = {});

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  core::Status Exec(std::string_view sql);
  core::Result<Statement> Prepare(std::string_view sql);

  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT. Rolls back when the body or the COMMIT
  // fails (a failed COMMIT, e.g. a deferred constraint or a lock, leaves the transaction open
  // in SQLite; every later BEGIN would fail), so the connection is always usable afterwards.
  template <class F>
  core::Status Transaction(F&& body) {
    if (auto begun = Exec("BEGIN IMMEDIATE"); !begun) return begun;
    core::Status result = body();
    if (result) result = Exec("COMMIT");
    if (!result) RollBackIfOpen();
    return result;
  }

  int UserVersion() const;
  std::int64_t LastInsertRowId() const;
  int ChangedRows() const;
  const std::string& path() const { return path_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  void RollBackIfOpen();
  core::Status Migrate(std::span<const Migration> migrations);

  sqlite3* db_;
  std::string path_;
};

}  // namespace scanner::storage
