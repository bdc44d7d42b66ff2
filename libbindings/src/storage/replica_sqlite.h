// Internal: the SQL a replica needs of its local SQLite store beyond the
// journal's (storage/sqlite_journal.h).
#ifndef SSLBIND_SRC_STORAGE_REPLICA_SQLITE_H_
#define SSLBIND_SRC_STORAGE_REPLICA_SQLITE_H_

#include <cstdint>
#include <optional>

#include "storage/registry_backend.h"
#include "storage/sqlite_db.h"

namespace sslbind::internal {

// Inside a write transaction (RegistryTxn::Rebase): the transaction will
// commit as `revision` (>= 1; the commit moves the change counter by one),
// and the journal starts there, its records dropped; `anchor` (rows
// copied_revision and copied_record of store_meta) replaces the last one.
Status SqliteRebase(SqliteDb& db, uint64_t revision,
                    std::optional<uint64_t> anchor);

// RegistryBackend::CopiedFrom: the anchor the last SqliteRebase kept.
Result<std::optional<RegistryBackend::CopiedAnchor>> SqliteCopiedFrom(
    SqliteDb& db);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_REPLICA_SQLITE_H_
