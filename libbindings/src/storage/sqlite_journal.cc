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
// A key's candidate revisions (schema 004): those indexed under its hash and
// those to look inside, merged newest (or oldest) first.
#define SSLBIND_KEY_REVISIONS(order)                                        \
  "SELECT revision FROM journal_key WHERE key_hash = ?1 AND revision > ?2 " \
  "AND revision <= ?3 UNION ALL "                                           \
  "SELECT revision FROM journal_key WHERE key_hash = 0 AND revision > ?2 "  \
  "AND revision <= ?3 ORDER BY 1 " order
constexpr const char* kKeyRevisionsDesc = SSLBIND_KEY_REVISIONS("DESC");
constexpr const char* kKeyRevisionsAsc = SSLBIND_KEY_REVISIONS("ASC");
#undef SSLBIND_KEY_REVISIONS
constexpr const char* kRevisionAt =
    "SELECT revision, time_ms, user, uid, host, pid, command, reason, changes "
    "FROM journal_revision WHERE revision = ?1 AND time_ms >= ?2";
constexpr const char* kInsertKey =
    "INSERT OR IGNORE INTO journal_key (key_hash, revision) VALUES (?1, ?2)";
constexpr const char* kCompactRevisions =
    "DELETE FROM journal_revision WHERE revision < ?1";
constexpr const char* kCompactKeys =
    "DELETE FROM journal_key WHERE revision < ?1";
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

// The rows of journal_key for a revision (schema 004).
Status IndexKeys(SqliteDb& db, uint64_t revision,
                 const std::vector<int64_t>& key_hashes) {
  if (key_hashes.empty()) return Status::Ok();
  Result<sqlite3_stmt*> prepared = db.Prepare(kInsertKey);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  for (int64_t hash : key_hashes) {
    sqlite3_bind_int64(stmt.get(), 1, hash);
    sqlite3_bind_int64(stmt.get(), 2, Clamp(revision));
    int rc = stmt.Step();
    sqlite3_reset(stmt.get());
    if (rc != SQLITE_DONE)
      return SqliteStatus(db.get(), rc, "cannot write the journal");
  }
  return Status::Ok();
}

// Fills `record` from a row of SSLBIND_REVISIONS or kRevisionAt, the
// changes of `folded_key` only if it is not empty.
Status ReadRecord(sqlite3_stmt* row, const std::string& folded_key,
                  JournalRecord* record) {
  record->revision = static_cast<uint64_t>(sqlite3_column_int64(row, 0));
  const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(row, 8));
  Status s = UnpackChanges(
      std::span<const uint8_t>(blob, sqlite3_column_bytes(row, 8)),
      folded_key, &record->changes);
  if (!s.ok()) {
    return s.WithContext("revision " + std::to_string(record->revision));
  }
  record->time_ms = sqlite3_column_int64(row, 1);
  record->user = ColumnText(row, 2);
  record->uid = sqlite3_column_int64(row, 3);
  record->host = ColumnText(row, 4);
  record->pid = sqlite3_column_int64(row, 5);
  record->command = ColumnText(row, 6);
  record->reason = ColumnText(row, 7);
  return Status::Ok();
}

// ReadJournal of one key through journal_key: only the candidate
// revisions are read.
Status ReadKeyJournal(SqliteDb& db, const JournalQuery& query,
                      const JournalVisitor& visit) {
  const std::string folded_key = FoldCase(query.key_path);
  Result<sqlite3_stmt*> prepared =
      db.Prepare(query.newest_first ? kKeyRevisionsDesc : kKeyRevisionsAsc);
  if (!prepared.ok()) return prepared.status();
  Statement candidates(*prepared);
  sqlite3_bind_int64(candidates.get(), 1, JournalKeyHash(query.key_path));
  sqlite3_bind_int64(candidates.get(), 2, Clamp(query.after_revision));
  sqlite3_bind_int64(candidates.get(), 3, Clamp(query.up_to_revision));
  prepared = db.Prepare(kRevisionAt);
  if (!prepared.ok()) return prepared.status();
  Statement at(*prepared);
  size_t visited = 0;
  while (query.limit == 0 || visited < query.limit) {
    int rc = candidates.Step();
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW)
      return SqliteStatus(db.get(), rc, "cannot read the journal");
    sqlite3_reset(at.get());
    sqlite3_bind_int64(at.get(), 1, sqlite3_column_int64(candidates.get(), 0));
    sqlite3_bind_int64(at.get(), 2, query.since_time_ms);
    rc = at.Step();
    if (rc == SQLITE_DONE) continue;  // before since_time_ms
    if (rc != SQLITE_ROW)
      return SqliteStatus(db.get(), rc, "cannot read the journal");
    JournalRecord record;
    Status s = ReadRecord(at.get(), folded_key, &record);
    if (!s.ok()) return s;
    if (record.changes.empty()) continue;  // another key of the same hash
    s = visit(std::move(record));
    if (!s.ok()) return s;
    ++visited;
  }
  return Status::Ok();
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
  std::vector<uint8_t> storage;
  std::span<const uint8_t> changes;
  std::vector<int64_t> key_hashes;
  Status packed = JournalRowOf(record, &storage, &changes, &key_hashes);
  if (!packed.ok()) return packed;
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
  return IndexKeys(db, record.revision, key_hashes);
}

Status SqliteReadJournal(SqliteDb& db, int version, const JournalQuery& query,
                         const JournalVisitor& visit) {
  if (version < kJournalSchemaVersion) return Status::Ok();
  const bool for_key = !query.key_path.empty();
  if (for_key && version >= kJournalKeySchemaVersion) {
    return ReadKeyJournal(db, query, visit);
  }
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
    JournalRecord record;
    Status s = ReadRecord(stmt.get(), folded_key, &record);
    if (!s.ok()) return s;
    if (for_key && record.changes.empty()) continue;
    s = visit(std::move(record));
    if (!s.ok()) return s;
    ++visited;
  }
  return Status::Ok();
}

Status SqliteCompactJournal(SqliteDb& db, uint64_t before) {
  for (const char* sql : {kCompactRevisions, kCompactKeys, kMoveStart}) {
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
