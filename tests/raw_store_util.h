// Helpers of the unit tests that build stores by hand: older schemas,
// damaged rows (sslbind_unit_tests only: SSLBIND_FIXTURE_DIR).
#ifndef SSLBIND_TESTS_RAW_STORE_UTIL_H_
#define SSLBIND_TESTS_RAW_STORE_UTIL_H_

#include <sqlite3.h>

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
