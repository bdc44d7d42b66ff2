// Helpers of the unit tests that build stores by hand: older schemas,
// damaged rows (sslbind_unit_tests only: SSLBIND_FIXTURE_DIR).
#ifndef SSLBIND_TESTS_RAW_STORE_UTIL_H_
#define SSLBIND_TESTS_RAW_STORE_UTIL_H_

#include <sqlite3.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace sslbind::testing {

// Runs SQL on the raw store file (to build old, foreign or damaged stores);
// returns SQLite's error message, empty on success.
inline std::string RunRawSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open " + path;
  }
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = rc == SQLITE_OK ? "" : err ? err : "error";
  sqlite3_free(err);
  sqlite3_close(db);
  return msg;
}

// A count (the first column of the first row of `sql`) read from the raw
// store file; -1 if the query fails.
inline int64_t RawCount(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_stmt* stmt = nullptr;
  int64_t n = -1;
  if (sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    n = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

// The SQL of a store of schema 003 written by the sslbind before schema
// 005 (tests/cli/fixtures/store_schema3.sql): 29 bindings at revision 3,
// with its journal.
inline std::string Schema3StoreSql() {
  std::ifstream in(std::string(SSLBIND_FIXTURE_DIR) + "/store_schema3.sql");
  std::stringstream sql;
  sql << in.rdbuf();
  return sql.str();
}

}  // namespace sslbind::testing

#endif  // SSLBIND_TESTS_RAW_STORE_UTIL_H_
