// The journal's SQL for the SQLite backend.
#include "storage/sqlite_journal.h"

#include <span>

namespace sslbind::internal {
namespace {

// journal_revision.changes: per changed key, little-endian,
//   u32 shared | u32 length | path bytes | u8 which (1: before, 2: after) |
//   [u32 length | packed values] before | [u32 length | packed values] after
// where the key's path is the first `shared` bytes of the previous key's
// path followed by the path bytes (a batch's keys are mostly siblings).
constexpr uint8_t kHasBefore = 1;
constexpr uint8_t kHasAfter = 2;

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

void PutU32(std::vector<uint8_t>& out, size_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void PutBytes(std::vector<uint8_t>& out, const void* data, size_t size) {
  PutU32(out, size);
  const auto* p = static_cast<const uint8_t*>(data);
  out.insert(out.end(), p, p + size);
}

std::vector<uint8_t> PackChanges(const std::vector<JournalKeyChange>& changes) {
  size_t size = 0;
  for (const JournalKeyChange& c : changes) {
    size += 13 + c.path.size() + (c.before ? c.before->size() : 0) +
            (c.after ? c.after->size() : 0);
  }
  std::vector<uint8_t> out;
  out.reserve(size + 4 * changes.size());
  std::string_view previous;
  for (const JournalKeyChange& c : changes) {
    size_t shared = 0;
    while (shared < previous.size() && shared < c.path.size() &&
           previous[shared] == c.path[shared]) {
      ++shared;
    }
    PutU32(out, shared);
    PutBytes(out, c.path.data() + shared, c.path.size() - shared);
    previous = c.path;
    out.push_back(static_cast<uint8_t>((c.before ? kHasBefore : 0) |
                                       (c.after ? kHasAfter : 0)));
    if (c.before) PutBytes(out, c.before->data(), c.before->size());
    if (c.after) PutBytes(out, c.after->data(), c.after->size());
  }
  return out;
}

// Reads the packing back; with `folded_key`, only that key's changes.
Status UnpackChanges(std::span<const uint8_t> data,
                     const std::string& folded_key,
                     std::vector<JournalKeyChange>* changes) {
  size_t at = 0;
  auto bytes = [&](std::span<const uint8_t>* out) {
    if (data.size() - at < 4) return false;
    size_t n = 0;
    for (int i = 0; i < 4; ++i) n |= size_t{data[at + i]} << (8 * i);
    at += 4;
    if (data.size() - at < n) return false;
    *out = data.subspan(at, n);
    at += n;
    return true;
  };
  const Status corrupt =
      Status::IncompatibleStore("a journal entry is malformed");
  std::string path;  // the current key's, built on the previous one's
  while (at < data.size()) {
    std::span<const uint8_t> rest, before, after;
    if (data.size() - at < 4) return corrupt;
    size_t shared = 0;
    for (int i = 0; i < 4; ++i) shared |= size_t{data[at + i]} << (8 * i);
    at += 4;
    if (shared > path.size() || !bytes(&rest) || at >= data.size()) {
      return corrupt;
    }
    path.resize(shared);
    path.append(reinterpret_cast<const char*>(rest.data()), rest.size());
    const uint8_t which = data[at++];
    if ((which & kHasBefore) && !bytes(&before)) return corrupt;
    if ((which & kHasAfter) && !bytes(&after)) return corrupt;
    if (!folded_key.empty() && !NamesEqual(path, folded_key)) continue;
    JournalKeyChange change;
    change.path = path;
    if (which & kHasBefore) change.before.emplace(before.begin(), before.end());
    if (which & kHasAfter) change.after.emplace(after.begin(), after.end());
    changes->push_back(std::move(change));
  }
  return Status::Ok();
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
