// Internal: the numbered schema migrations of schema/*.sql, compiled in so
// that an installed sslbind needs no source tree.
#ifndef SSLBIND_SRC_STORAGE_MIGRATIONS_H_
#define SSLBIND_SRC_STORAGE_MIGRATIONS_H_

#include <span>

namespace sslbind::internal {

struct Migration {
  int version;       // the number of the file: 001_x.sql is version 1
  const char* name;  // the file name
  const char* sql;
};

// Every migration, in version order; versions are 1, 2, ... without gaps.
std::span<const Migration> Migrations();
// The same for a store in PostgreSQL (schema/postgres/*.sql).
std::span<const Migration> PostgresMigrations();

// The application_id of an sslbind store ('SSLB').
inline constexpr int kApplicationId = 0x53534C42;

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_MIGRATIONS_H_
