// A replica's snapshot moves its local store's revision.
#include "storage/replica_sqlite.h"

#include <span>
#include <utility>

namespace sslbind::internal {

namespace {

// The rows of store_meta that hold a replica's copied anchor.
constexpr const char* kClearAnchor =
    "DELETE FROM store_meta "
    "WHERE name IN ('copied_revision', 'copied_record')";
constexpr const char* kPutMeta =
    "INSERT INTO store_meta (name, value) VALUES (?1, ?2)";
constexpr const char* kGetAnchor =
    "SELECT name, value FROM store_meta "
    "WHERE name IN ('copied_revision', 'copied_record')";
constexpr const char* kSetMeta =
    "UPDATE store_meta SET value = ?2 WHERE name = ?1";

// Runs `sql` (kSetMeta or kPutMeta) for each row: it must change one row.
Status WriteMeta(SqliteDb& db, const char* sql,
                 std::span<const std::pair<const char*, int64_t>> rows,
                 const char* what) {
  for (const auto& [name, value] : rows) {
    Result<sqlite3_stmt*> prepared = db.Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    Statement stmt(*prepared);
    stmt.BindText(1, name);
    sqlite3_bind_int64(stmt.get(), 2, value);
    const int rc = stmt.Step();
    if (rc != SQLITE_DONE || sqlite3_changes(db.get()) != 1) {
      return SqliteStatus(db.get(), rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                          what);
    }
  }
  return Status::Ok();
}

}  // namespace

Status SqliteRebase(SqliteDb& db, uint64_t revision,
                    std::optional<uint64_t> anchor) {
  if (revision == 0 || revision > static_cast<uint64_t>(INT64_MAX)) {
    return Status::Internal("cannot rebase a store to revision " +
                            std::to_string(revision));
  }
  const std::pair<const char*, int64_t> rows[] = {
      {"change_counter", static_cast<int64_t>(revision) - 1},
      {"journal_start", static_cast<int64_t>(revision)}};
  Status s = WriteMeta(db, kSetMeta, rows, "cannot move the store's revision");
  if (!s.ok()) return s;
  // (Its key index goes too: rows of dropped revisions would only cost
  // `history KEY` reads of records that are not there.)
  s = db.Exec("DELETE FROM journal_revision; DELETE FROM journal_key",
              "cannot restart the store's journal");
  if (s.ok()) s = db.Exec(kClearAnchor, "cannot restart the store's journal");
  if (!s.ok() || !anchor) return s;
  // The digest's 64 bits, as SQLite's signed integer.
  const std::pair<const char*, int64_t> anchor_rows[] = {
      {"copied_revision", static_cast<int64_t>(revision)},
      {"copied_record", static_cast<int64_t>(*anchor)}};
  return WriteMeta(db, kPutMeta, anchor_rows,
                   "cannot record the copied revision");
}

Result<std::optional<RegistryBackend::CopiedAnchor>> SqliteCopiedFrom(
    SqliteDb& db) {
  using Anchor = RegistryBackend::CopiedAnchor;
  Result<sqlite3_stmt*> prepared = db.Prepare(kGetAnchor);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  Anchor anchor;
  int found = 0;
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) {
    const std::string_view name(
        reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0)),
        static_cast<size_t>(sqlite3_column_bytes(stmt.get(), 0)));
    const auto value =
        static_cast<uint64_t>(sqlite3_column_int64(stmt.get(), 1));
    if (name == "copied_revision") {
      anchor.revision = value;
    } else {
      anchor.identity = value;
    }
    ++found;
  }
  if (rc != SQLITE_DONE) {
    return SqliteStatus(db.get(), rc, "cannot read the copied revision");
  }
  if (found != 2) return std::optional<Anchor>();
  return std::optional<Anchor>(anchor);
}

}  // namespace sslbind::internal
