// Internal: RAII over one SQLite connection, with a prepared-statement cache.
#ifndef SSLBIND_SRC_STORAGE_SQLITE_DB_H_
#define SSLBIND_SRC_STORAGE_SQLITE_DB_H_

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <unordered_map>

#include "sslbind/status.h"

namespace sslbind::internal {

// Maps an SQLite result code to a Status; `what` says what was attempted.
Status SqliteStatus(sqlite3* db, int rc, std::string_view what);

// A cached statement in use: reset and unbound when it goes out of scope.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  sqlite3_stmt* get() const { return stmt_; }

  void BindText(int i, std::string_view s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()),
                      SQLITE_TRANSIENT);
  }
  void BindBlob(int i, const void* p, size_t n) {
    sqlite3_bind_blob(stmt_, i, p, static_cast<int>(n), SQLITE_TRANSIENT);
  }
  int Step() { return sqlite3_step(stmt_); }

 private:
  sqlite3_stmt* stmt_;
};

class SqliteDb {
 public:
  SqliteDb() = default;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  // Opens `file` with sqlite3_open_v2 flags, naming it `name` in messages;
  // the handle is kept even on error so that the error text can be read.
  Status Open(const std::string& file, const std::string& name, int flags);
  sqlite3* get() const { return db_; }
  // Finalizes the cached statements and closes the connection (Open may
  // follow).
  void Close();

  // Runs SQL text with no results (may hold several statements).
  Status Exec(const char* sql, std::string_view what);
  // Returns the cached statement for `sql`, preparing it on first use.
  Result<sqlite3_stmt*> Prepare(const char* sql);

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_SQLITE_DB_H_
