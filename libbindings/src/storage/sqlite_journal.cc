// The journal's SQL for the SQLite backend.
#include "storage/sqlite_journal.h"

#include <span>

#include "storage/value_codec.h"

namespace sslbind::internal {
namespace {

constexpr const char* kGetCounter =
    "SELECT value FROM store_meta WHERE name = 'change_counter'";
constexpr const char* kGetStart =
    "SELECT value FROM store_meta WHERE name = 'journal_start'";
constexpr const char* kInsertRevision =
    "INSERT INTO journal_revision "
    "(revision, time_ms, user, uid, host, pid, command, reason) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kInsertChange =
    "INSERT INTO journal_change "
    "(revision, seq, path_folded, path, before, after) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
#define SSLBIND_REVISIONS                                            \
  "SELECT revision, time_ms, user, uid, host, pid, command, reason " \
  "FROM journal_revision WHERE revision > ?1 AND revision <= ?2 "    \
  "AND time_ms >= ?3 "
#define SSLBIND_FOR_KEY                                                       \
  "AND revision IN (SELECT revision FROM journal_change WHERE path_folded = " \
  "?5) "
constexpr const char* kRevisionsDesc =
    SSLBIND_REVISIONS "ORDER BY revision DESC LIMIT ?4";
constexpr const char* kRevisionsAsc =
    SSLBIND_REVISIONS "ORDER BY revision ASC LIMIT ?4";
constexpr const char* kKeyRevisionsDesc =
    SSLBIND_REVISIONS SSLBIND_FOR_KEY "ORDER BY revision DESC LIMIT ?4";
constexpr const char* kKeyRevisionsAsc =
    SSLBIND_REVISIONS SSLBIND_FOR_KEY "ORDER BY revision ASC LIMIT ?4";
#undef SSLBIND_REVISIONS
#undef SSLBIND_FOR_KEY
constexpr const char* kChanges =
    "SELECT path, before, after FROM journal_change WHERE revision = ?1 "
    "ORDER BY seq";
constexpr const char* kKeyChanges =
    "SELECT path, before, after FROM journal_change WHERE revision = ?1 "
    "AND path_folded = ?2 ORDER BY seq";
constexpr const char* kCompactChanges =
    "DELETE FROM journal_change WHERE revision < ?1";
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

void BindValues(Statement& stmt, int i,
                const std::optional<std::vector<RegistryValue>>& values) {
  if (!values) {
    sqlite3_bind_null(stmt.get(), i);
    return;
  }
  std::vector<uint8_t> packed = PackValues(*values);
  // A key without values is an empty BLOB, not NULL (a missing key).
  static const uint8_t kEmpty = 0;
  stmt.BindBlob(i, packed.empty() ? &kEmpty : packed.data(), packed.size());
}

Result<std::optional<std::vector<RegistryValue>>> ColumnValues(
    sqlite3_stmt* stmt, int i) {
  if (sqlite3_column_type(stmt, i) == SQLITE_NULL) {
    return std::optional<std::vector<RegistryValue>>();
  }
  const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, i));
  Result<std::vector<RegistryValue>> values = UnpackValues(
      std::span<const uint8_t>(blob, sqlite3_column_bytes(stmt, i)));
  if (!values.ok()) return values.status();
  return std::optional<std::vector<RegistryValue>>(std::move(*values));
}

std::string ColumnText(sqlite3_stmt* stmt, int i) {
  const auto* text =
      reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
  return text ? std::string(text, sqlite3_column_bytes(stmt, i))
              : std::string();
}

Status ReadChanges(SqliteDb& db, const JournalQuery& query,
                   JournalRecord* record) {
  const bool for_key = !query.key_path.empty();
  Result<sqlite3_stmt*> prepared = db.Prepare(for_key ? kKeyChanges : kChanges);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  sqlite3_bind_int64(stmt.get(), 1, Clamp(record->revision));
  if (for_key) stmt.BindText(2, FoldCase(query.key_path));
  while (true) {
    int rc = stmt.Step();
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW)
      return SqliteStatus(db.get(), rc, "cannot read the journal");
    JournalKeyChange change;
    change.path = ColumnText(stmt.get(), 0);
    auto before = ColumnValues(stmt.get(), 1);
    if (!before.ok()) return before.status().WithContext(change.path);
    auto after = ColumnValues(stmt.get(), 2);
    if (!after.ok()) return after.status().WithContext(change.path);
    change.before = std::move(*before);
    change.after = std::move(*after);
    record->changes.push_back(std::move(change));
  }
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
  {
    Statement stmt(*prepared);
    sqlite3_bind_int64(stmt.get(), 1, Clamp(record.revision));
    sqlite3_bind_int64(stmt.get(), 2, record.time_ms);
    stmt.BindText(3, record.user);
    sqlite3_bind_int64(stmt.get(), 4, record.uid);
    stmt.BindText(5, record.host);
    sqlite3_bind_int64(stmt.get(), 6, record.pid);
    stmt.BindText(7, record.command);
    stmt.BindText(8, record.reason);
    int rc = stmt.Step();
    if (rc != SQLITE_DONE)
      return SqliteStatus(db.get(), rc, "cannot write the journal");
  }
  prepared = db.Prepare(kInsertChange);
  if (!prepared.ok()) return prepared.status();
  int64_t seq = 0;
  for (const JournalKeyChange& change : record.changes) {
    Statement stmt(*prepared);
    sqlite3_bind_int64(stmt.get(), 1, Clamp(record.revision));
    sqlite3_bind_int64(stmt.get(), 2, seq++);
    stmt.BindText(3, FoldCase(change.path));
    stmt.BindText(4, change.path);
    BindValues(stmt, 5, change.before);
    BindValues(stmt, 6, change.after);
    int rc = stmt.Step();
    if (rc != SQLITE_DONE)
      return SqliteStatus(db.get(), rc, "cannot write the journal");
  }
  return Status::Ok();
}

Status SqliteReadJournal(SqliteDb& db, int version, const JournalQuery& query,
                         const JournalVisitor& visit) {
  if (version < kJournalSchemaVersion) return Status::Ok();
  const bool for_key = !query.key_path.empty();
  const char* sql =
      for_key ? (query.newest_first ? kKeyRevisionsDesc : kKeyRevisionsAsc)
              : (query.newest_first ? kRevisionsDesc : kRevisionsAsc);
  // The outer statement keeps one read transaction open: the changes read
  // below come from the same snapshot.
  Result<sqlite3_stmt*> prepared = db.Prepare(sql);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  sqlite3_bind_int64(stmt.get(), 1, Clamp(query.after_revision));
  sqlite3_bind_int64(stmt.get(), 2, Clamp(query.up_to_revision));
  sqlite3_bind_int64(stmt.get(), 3, query.since_time_ms);
  sqlite3_bind_int64(stmt.get(), 4, query.limit == 0 ? -1 : Clamp(query.limit));
  if (for_key) stmt.BindText(5, FoldCase(query.key_path));
  while (true) {
    int rc = stmt.Step();
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW)
      return SqliteStatus(db.get(), rc, "cannot read the journal");
    JournalRecord record;
    sqlite3_stmt* row = stmt.get();
    record.revision = static_cast<uint64_t>(sqlite3_column_int64(row, 0));
    record.time_ms = sqlite3_column_int64(row, 1);
    record.user = ColumnText(row, 2);
    record.uid = sqlite3_column_int64(row, 3);
    record.host = ColumnText(row, 4);
    record.pid = sqlite3_column_int64(row, 5);
    record.command = ColumnText(row, 6);
    record.reason = ColumnText(row, 7);
    Status s = ReadChanges(db, query, &record);
    if (!s.ok()) return s;
    s = visit(std::move(record));
    if (!s.ok()) return s;
  }
}

Status SqliteCompactJournal(SqliteDb& db, uint64_t before) {
  for (const char* sql : {kCompactChanges, kCompactRevisions, kMoveStart}) {
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
