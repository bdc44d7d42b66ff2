// Internal: a libpq connection for the PostgreSQL backend and the mapping of
// its errors to Status. Everything here speaks SQL text with parameters;
// what the SQL means is postgres_backend.cc's.
#ifndef SSLBIND_SRC_STORAGE_POSTGRES_CONN_H_
#define SSLBIND_SRC_STORAGE_POSTGRES_CONN_H_

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sslbind/status.h"

namespace sslbind::internal {

// True if `path` names a PostgreSQL store: a libpq URI, postgresql://... or
// postgres://... (see the libpq manual, "Connection URIs").
bool IsPostgresUri(std::string_view path);

// The URI as messages show it: a password (in the user part, or a
// password=... parameter) written as ***.
std::string RedactedUri(std::string_view uri);

struct PgResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultFree>;

// One parameter: text, or bytes sent as binary (bytea).
struct PgParam {
  std::string_view data;
  bool binary = false;
};

// Column readers of a result in binary format (as every query here asks).
std::string_view PgBytes(const PGresult* r, int row, int col);
int64_t PgInt64(const PGresult* r, int row, int col);  // a bigint column
int32_t PgInt32(const PGresult* r, int row, int col);  // an integer column

class PgConn {
 public:
  PgConn() = default;
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;
  ~PgConn();

  // Connects to `uri`, naming the store `name` in messages. InvalidArgument
  // if libpq cannot parse the URI; IoError (the store is unreadable) if the
  // server cannot be reached, refuses the login, or has no such database.
  Status Connect(const std::string& uri, const std::string& name);
  PGconn* get() const { return conn_; }

  // Runs one statement with parameters, results in binary. `what` says what
  // was attempted, for messages.
  Result<PgResult> Exec(const char* sql, std::span<const PgParam> params,
                        std::string_view what);
  Result<PgResult> Exec(const char* sql, std::string_view what) {
    return Exec(sql, {}, what);
  }
  // Runs one statement and calls back with each row as it arrives (libpq's
  // single-row mode): a large scan is never held whole in memory. A non-OK
  // status from `row` stops the walk (the rest is drained) and is returned.
  Status Stream(const char* sql, std::span<const PgParam> params,
                std::string_view what,
                const std::function<Status(const PGresult*)>& row);

  // The status of a failed result or of the connection.
  Status Error(const PGresult* r, std::string_view what) const;

 private:
  PGconn* conn_ = nullptr;
  std::string name_;
  std::unordered_map<const char*, std::string> prepared_;  // SQL -> name
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_POSTGRES_CONN_H_
