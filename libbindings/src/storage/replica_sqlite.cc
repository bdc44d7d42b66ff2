// A replica's snapshot moves its local store's revision.
#include "storage/replica_sqlite.h"

namespace sslbind::internal {

Status SqliteRebase(SqliteDb& db, uint64_t revision) {
  if (revision == 0 || revision > static_cast<uint64_t>(INT64_MAX)) {
    return Status::Internal("cannot rebase a store to revision " +
                            std::to_string(revision));
  }
  constexpr const char* kSetMeta =
      "UPDATE store_meta SET value = ?2 WHERE name = ?1";
  const std::pair<const char*, int64_t> rows[] = {
      {"change_counter", static_cast<int64_t>(revision) - 1},
      {"journal_start", static_cast<int64_t>(revision)}};
  for (const auto& [name, value] : rows) {
    Result<sqlite3_stmt*> prepared = db.Prepare(kSetMeta);
    if (!prepared.ok()) return prepared.status();
    Statement stmt(*prepared);
    stmt.BindText(1, name);
    sqlite3_bind_int64(stmt.get(), 2, value);
    int rc = stmt.Step();
    if (rc != SQLITE_DONE || sqlite3_changes(db.get()) != 1) {
      return SqliteStatus(db.get(), rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                          "cannot move the store's revision");
    }
  }
  // (Its key index goes too: rows of dropped revisions would only cost
  // `history KEY` reads of records that are not there.)
  return db.Exec("DELETE FROM journal_revision; DELETE FROM journal_key",
                 "cannot restart the store's journal");
}

}  // namespace sslbind::internal
