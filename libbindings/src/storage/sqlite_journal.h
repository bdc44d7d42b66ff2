// Internal: the journal's SQL (schema/003_journal.sql, 004_journal_key.sql) for the SQLite
// backend. Functions over one connection; the caller holds whatever
// transaction they need.
#ifndef SSLBIND_SRC_STORAGE_SQLITE_JOURNAL_H_
#define SSLBIND_SRC_STORAGE_SQLITE_JOURNAL_H_

#include <cstdint>

#include "storage/registry_backend.h"
#include "storage/sqlite_db.h"

namespace sslbind::internal {

// The schema version that brought the journal.
inline constexpr int kJournalSchemaVersion = 3;
// The schema version that brought the journal's key index (journal_key).
inline constexpr int kJournalKeySchemaVersion = 4;

// The revision (the change counter); 0 before schema 2.
Result<uint64_t> SqliteRevision(SqliteDb& db, int version);
// Inside a write transaction.
Status SqliteAppendJournal(SqliteDb& db, const JournalRecord& record);
Result<uint64_t> SqliteJournalStart(SqliteDb& db, int version);
Status SqliteReadJournal(SqliteDb& db, int version, const JournalQuery& query,
                         const JournalVisitor& visit);
// Inside a write transaction.
Status SqliteCompactJournal(SqliteDb& db, uint64_t before);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_SQLITE_JOURNAL_H_
