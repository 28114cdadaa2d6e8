#include "storage/database.h"

#include <filesystem>

#include <fmt/format.h>

namespace scanner::storage {
namespace {

core::Error SqliteError(sqlite3* db, std::string_view what) {
  return core::Error{fmt::format("{}: {}", what, sqlite3_errmsg(db))};
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

core::Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(SqliteError(db_, "sqlite step"));
}

core::Status Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) {
      sqlite3_reset(stmt_);
      return std::unexpected(row.error());
    }
    if (!*row) break;
  }
  sqlite3_reset(stmt_);
  return {};
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

double Statement::ColumnDouble(int index) const { return sqlite3_column_double(stmt_, index); }

std::string Statement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)));
}

std::string Statement::ColumnBlob(int index) const {
  const void* bytes = sqlite3_column_blob(stmt_, index);
  if (bytes == nullptr) return {};
  return std::string(static_cast<const char*>(bytes),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)));
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

core::Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                       std::span<const Migration> migrations,
                                                       DatabaseOptions options) {
  if (path != ":memory:") {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) return core::Fail(fmt::format("cannot create folder {}: {}", parent.string(), ec.message()));
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close(raw);
    return core::Fail(fmt::format("cannot open database {}: {}", path, message));
  }
  std::unique_ptr<Database> db(new Database(raw, path));
  sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));
  // NORMAL is durable in WAL mode against process crashes (kill -9); only an OS crash or power
  // loss can lose the last transactions, which FULL would cost an fsync per alert to prevent.
  for (std::string_view pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                                  "PRAGMA foreign_keys=ON"}) {
    if (auto status = db->Exec(pragma); !status) {
      return core::Fail(fmt::format("database {}: {}", path, status.error().message));
    }
  }
  if (auto status = db->Migrate(migrations); !status) {
    return core::Fail(fmt::format("database {}: {}", path, status.error().message));
  }
  return db;
}

Database::~Database() { sqlite3_close(db_); }

core::Status Database::Exec(std::string_view sql) {
  std::string owned(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return core::Fail(text);
  }
  return {};
}

core::Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    return std::unexpected(SqliteError(db_, fmt::format("prepare \"{}\"", sql.substr(0, 60))));
  }
  return Statement(db_, stmt);
}

int Database::UserVersion() const {
  sqlite3_stmt* stmt = nullptr;
  int version = 0;
  if (sqlite3_prepare_v2(db_, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    version = sqlite3_column_int(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return version;
}

void Database::RollBackIfOpen() {
  // Autocommit is off exactly while a transaction is open.
  if (sqlite3_get_autocommit(db_) == 0) (void)Exec("ROLLBACK");
}

std::int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int Database::ChangedRows() const { return sqlite3_changes(db_); }

core::Status Database::Migrate(std::span<const Migration> migrations) {
  int current = UserVersion();
  int newest = migrations.empty() ? 0 : migrations.back().version;
  if (current > newest) {
    return core::Fail(fmt::format(
        "schema version {} is newer than this build knows ({}); use a newer scanner or another "
        "database file (see MIGRATION.md)",
        current, newest));
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= current) continue;
    auto status = Transaction([&]() -> core::Status {
      if (auto applied = Exec(migration.sql); !applied) return applied;
      return Exec(fmt::format("PRAGMA user_version={}", migration.version));
    });
    if (!status) {
      return core::Fail(fmt::format("migration {} ({}) failed: {}", migration.version,
                                    migration.description, status.error().message));
    }
  }
  return {};
}

}  // namespace scanner::storage
