// SqliteDb: connection, statement cache, error mapping.
#include "storage/sqlite_db.h"

#include <cerrno>

namespace sslbind::internal {

Status SqliteStatus(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return Status::Ok();
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Busy(msg + " (another writer held the store too long)");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return Status::AccessDenied(msg);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return Status::IncompatibleStore(msg);
    case SQLITE_CANTOPEN:
      if (db && sqlite3_system_errno(db) == EACCES) {
        return Status::AccessDenied(msg);
      }
      return Status::IoError(msg);
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_PROTOCOL: return Status::IoError(msg);
    default: return Status::Internal(msg);
  }
}

SqliteDb::~SqliteDb() { Close(); }

void SqliteDb::Close() {
  cache_.clear();  // finalizes every cached statement
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Status SqliteDb::Open(const std::string& file, const std::string& name,
                      int flags) {
  int rc = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK)
    return SqliteStatus(db_, rc, "cannot open '" + name + "'");
  sqlite3_extended_result_codes(db_, 1);
  return Status::Ok();
}

Status SqliteDb::Exec(const char* sql, std::string_view what) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : SqliteStatus(db_, rc, what);
}

Result<sqlite3_stmt*> SqliteDb::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second.get();
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw,
                              nullptr);
  StatementPtr stmt(raw);  // owned before anything can throw
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "cannot prepare a query");
  return cache_.emplace(sql, std::move(stmt)).first->second.get();
}

Result<Statement> SqliteDb::PrepareOwned(const char* sql,
                                         std::string_view what) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  StatementPtr stmt(raw);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, what);
  return Statement(std::move(stmt));
}

Status Transaction::BeginImmediate(std::string_view what) {
  Status s = db_.Exec("BEGIN IMMEDIATE", what);
  begun_ = s.ok();
  return s;
}

Status Transaction::Begin(std::string_view what) {
  Status s = db_.Exec("BEGIN", what);
  begun_ = s.ok();
  return s;
}

Status Transaction::Commit(std::string_view what) {
  Status s = db_.Exec("COMMIT", what);
  if (s.ok()) begun_ = false;
  return s;
}

// A failed COMMIT may have ended the transaction already (SQLite rolls back
// on some errors): roll back only what is still open.
void Transaction::Rollback() noexcept {
  if (!begun_) return;
  begun_ = false;
  if (!sqlite3_get_autocommit(db_.get())) {
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

}  // namespace sslbind::internal
