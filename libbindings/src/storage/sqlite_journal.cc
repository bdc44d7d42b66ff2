// The journal's SQL for the SQLite backend.
#include "storage/sqlite_journal.h"

#include "storage/journal_packing.h"

#include <span>

namespace sslbind::internal {
namespace {

constexpr const char* kGetCounter =
    "SELECT value FROM store_meta WHERE name = 'change_counter'";
constexpr const char* kGetStart =
    "SELECT value FROM store_meta WHERE name = 'journal_start'";
constexpr const char* kInsertRevision =
    "INSERT INTO journal_revision "
    "(revision, time_ms, user, uid, host, pid, command, reason, changes) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
#define SSLBIND_REVISIONS                                                     \
  "SELECT revision, time_ms, user, uid, host, pid, command, reason, changes " \
  "FROM journal_revision WHERE revision > ?1 AND revision <= ?2 "             \
  "AND time_ms >= ?3 "
constexpr const char* kRevisionsDesc =
    SSLBIND_REVISIONS "ORDER BY revision DESC LIMIT ?4";
constexpr const char* kRevisionsAsc =
    SSLBIND_REVISIONS "ORDER BY revision ASC LIMIT ?4";
#undef SSLBIND_REVISIONS
constexpr const char* kCompactRevisions =
    "DELETE FROM journal_revision WHERE revision < ?1";
constexpr const char* kMoveStart =
    "UPDATE store_meta SET value = max(value, ?1 - 1) "
    "WHERE name = 'journal_start'";

Result<uint64_t> ReadMeta(SqliteDb& db, const char* sql) {
  Result<sqlite3_stmt*> prepared = db.Prepare(sql);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  int rc = stmt.Step();
  if (rc != SQLITE_ROW)
    return SqliteStatus(db.get(), rc, "cannot read the store's revision");
  return static_cast<uint64_t>(sqlite3_column_int64(stmt.get(), 0));
}

int64_t Clamp(uint64_t v) {
  return v > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX
                                              : static_cast<int64_t>(v);
}

std::string ColumnText(sqlite3_stmt* stmt, int i) {
  const auto* text =
      reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
  return text ? std::string(text, sqlite3_column_bytes(stmt, i))
              : std::string();
}

}  // namespace

Result<uint64_t> SqliteRevision(SqliteDb& db, int version) {
  if (version < 2) return uint64_t{0};
  return ReadMeta(db, kGetCounter);
}

Result<uint64_t> SqliteJournalStart(SqliteDb& db, int version) {
  if (version < kJournalSchemaVersion) return SqliteRevision(db, version);
  return ReadMeta(db, kGetStart);
}

Status SqliteAppendJournal(SqliteDb& db, const JournalRecord& record) {
  Result<sqlite3_stmt*> prepared = db.Prepare(kInsertRevision);
  if (!prepared.ok()) return prepared.status();
  const std::vector<uint8_t> changes = PackChanges(record.changes);
  static const uint8_t kEmpty = 0;
  Statement stmt(*prepared);
  sqlite3_bind_int64(stmt.get(), 1, Clamp(record.revision));
  sqlite3_bind_int64(stmt.get(), 2, record.time_ms);
  stmt.BindText(3, record.user);
  sqlite3_bind_int64(stmt.get(), 4, record.uid);
  stmt.BindText(5, record.host);
  sqlite3_bind_int64(stmt.get(), 6, record.pid);
  stmt.BindText(7, record.command);
  stmt.BindText(8, record.reason);
  // Bound in place: the statement is stepped before `changes` goes.
  sqlite3_bind_blob(stmt.get(), 9, changes.empty() ? &kEmpty : changes.data(),
                    static_cast<int>(changes.size()), SQLITE_STATIC);
  int rc = stmt.Step();
  if (rc != SQLITE_DONE)
    return SqliteStatus(db.get(), rc, "cannot write the journal");
  return Status::Ok();
}

Status SqliteReadJournal(SqliteDb& db, int version, const JournalQuery& query,
                         const JournalVisitor& visit) {
  if (version < kJournalSchemaVersion) return Status::Ok();
  const bool for_key = !query.key_path.empty();
  const std::string folded_key = for_key ? FoldCase(query.key_path) : "";
  Result<sqlite3_stmt*> prepared =
      db.Prepare(query.newest_first ? kRevisionsDesc : kRevisionsAsc);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  sqlite3_bind_int64(stmt.get(), 1, Clamp(query.after_revision));
  sqlite3_bind_int64(stmt.get(), 2, Clamp(query.up_to_revision));
  sqlite3_bind_int64(stmt.get(), 3, query.since_time_ms);
  // With a key the records are filtered here: the limit counts matches.
  sqlite3_bind_int64(stmt.get(), 4,
                     query.limit == 0 || for_key ? -1 : Clamp(query.limit));
  size_t visited = 0;
  while (query.limit == 0 || visited < query.limit) {
    int rc = stmt.Step();
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW)
      return SqliteStatus(db.get(), rc, "cannot read the journal");
    sqlite3_stmt* row = stmt.get();
    JournalRecord record;
    record.revision = static_cast<uint64_t>(sqlite3_column_int64(row, 0));
    const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(row, 8));
    Status s = UnpackChanges(
        std::span<const uint8_t>(blob, sqlite3_column_bytes(row, 8)),
        folded_key, &record.changes);
    if (!s.ok()) {
      return s.WithContext("revision " + std::to_string(record.revision));
    }
    if (for_key && record.changes.empty()) continue;
    record.time_ms = sqlite3_column_int64(row, 1);
    record.user = ColumnText(row, 2);
    record.uid = sqlite3_column_int64(row, 3);
    record.host = ColumnText(row, 4);
    record.pid = sqlite3_column_int64(row, 5);
    record.command = ColumnText(row, 6);
    record.reason = ColumnText(row, 7);
    s = visit(std::move(record));
    if (!s.ok()) return s;
    ++visited;
  }
  return Status::Ok();
}

Status SqliteCompactJournal(SqliteDb& db, uint64_t before) {
  for (const char* sql : {kCompactRevisions, kMoveStart}) {
    Result<sqlite3_stmt*> prepared = db.Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    Statement stmt(*prepared);
    sqlite3_bind_int64(stmt.get(), 1, Clamp(before));
    int rc = stmt.Step();
    if (rc != SQLITE_DONE)
      return SqliteStatus(db.get(), rc, "cannot compact the journal");
  }
  return Status::Ok();
}

}  // namespace sslbind::internal
