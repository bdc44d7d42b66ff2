// Internal: RAII over one SQLite connection, as SQLiteCpp does it: the
// connection closes itself, every prepared statement is owned (by the
// connection's cache or by a Statement) and finalizes itself, and a
// Transaction rolls back when it goes out of scope uncommitted -- on an
// error return and on an exception alike.
#ifndef SSLBIND_SRC_STORAGE_SQLITE_DB_H_
#define SSLBIND_SRC_STORAGE_SQLITE_DB_H_

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sslbind/status.h"

namespace sslbind::internal {

// Maps an SQLite result code to a Status; `what` says what was attempted.
Status SqliteStatus(sqlite3* db, int rc, std::string_view what);

struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
// A prepared statement that finalizes itself.
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// A statement in use: reset and unbound when it goes out of scope. Either a
// cached one (SqliteDb::Prepare), which the cache owns and keeps, or one of
// its own (SqliteDb::PrepareOwned), finalized then too.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* cached) : stmt_(cached) {}
  explicit Statement(StatementPtr owned)
      : owned_(std::move(owned)), stmt_(owned_.get()) {}
  Statement(Statement&& other) noexcept
      : owned_(std::move(other.owned_)), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }  // then owned_ (if any) finalizes it
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
  StatementPtr owned_;  // null for a cached statement
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
  // Returns the cached statement for `sql` (keyed by the text's address),
  // preparing it on first use. The cache owns it: use it through a
  // Statement, which resets it.
  Result<sqlite3_stmt*> Prepare(const char* sql);
  // Prepares `sql` for one use, outside the cache: for statements run once
  // (opening, migrating) and a scan nested in a scan of the same text.
  // `what` says what was attempted, for messages.
  Result<Statement> PrepareOwned(const char* sql, std::string_view what);

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, StatementPtr> cache_;
};

// A read transaction around a read of several statements, so that they
// read one commit; nothing when the caller has a transaction open.
class ReadTransaction {
 public:
  explicit ReadTransaction(SqliteDb& db) : db_(db) {
    if (sqlite3_get_autocommit(db_.get())) {
      began_ = sqlite3_exec(db_.get(), "BEGIN", nullptr, nullptr, nullptr) ==
               SQLITE_OK;
    }
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ~ReadTransaction() {
    if (began_ && !sqlite3_get_autocommit(db_.get())) {
      sqlite3_exec(db_.get(), "COMMIT", nullptr, nullptr, nullptr);
    }
  }

 private:
  SqliteDb& db_;
  bool began_ = false;
};

// A transaction on a connection (SQLiteCpp's Transaction): Begin() starts
// it, Commit() ends it; if it is still open when the guard goes out of
// scope -- Commit was never reached, or failed, or an exception unwinds --
// it is rolled back, releasing the lock.
class Transaction {
 public:
  explicit Transaction(SqliteDb& db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() { Rollback(); }

  // BEGIN IMMEDIATE: takes the write lock now (waiting for other writers up
  // to the busy timeout). `what` says what was attempted, for messages.
  Status BeginImmediate(std::string_view what);
  // BEGIN (deferred): a read transaction, one snapshot for every read until
  // it ends (ending it unwritten, by rollback, loses nothing).
  Status Begin(std::string_view what);
  Status Commit(std::string_view what);

 private:
  void Rollback() noexcept;

  SqliteDb& db_;
  bool begun_ = false;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_SQLITE_DB_H_
