// Internal: the storage seam. Everything above it (the model, Store, the
// resolver, the CLI) speaks registry keys; everything below it is one
// backend's SQL. A second backend (PostgreSQL for server farms) implements
// these two interfaces and nothing else. Both read through RegistryReader
// (storage/registry_reader.h).
#ifndef SSLBIND_SRC_STORAGE_REGISTRY_BACKEND_H_
#define SSLBIND_SRC_STORAGE_REGISTRY_BACKEND_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/registry.h"
#include "sslbind/status.h"
#include "storage/registry_reader.h"

namespace sslbind::internal {

// How a backend is opened (Store::Open fills it from StoreOptions, see
// sslbind/store.h for what each means).
struct BackendOptions {
  // Open for writing; a read-only backend refuses WriteTransaction.
  bool writable = false;
  // With writable: create the store (its file and folders) if missing.
  bool create_if_missing = false;
  // How long a writer waits for another writer before giving up with Busy.
  int busy_timeout_ms = 10000;
  // Read-only: a store that does not exist opens as an empty one (and is
  // not created) instead of failing with NotFound.
  bool missing_is_empty = false;
};

// A key's place in an order, from its path: bytes compared as unsigned
// chars; nullopt for a key not to visit.
using OrderKey =
    std::function<std::optional<std::string>(std::string_view path)>;

// A key's values packed as one byte string (storage/value_codec.h): what
// the journal keeps and a backend stores as bytes, without looking inside.
using PackedValues = std::vector<uint8_t>;

// One registry key as a revision changed it: its values before and after
// (nullopt: the key did not exist). Certificate keys carry only what the
// journal may show (see journal_txn.h), never a private key or a password.
struct JournalKeyChange {
  std::string path;
  std::optional<PackedValues> before;
  std::optional<PackedValues> after;
};

// What the journal keeps of one revision.
struct JournalRecord {
  uint64_t revision = 0;
  int64_t time_ms = 0;  // UTC, milliseconds since 1970
  std::string user;
  int64_t uid = -1;
  std::string host;
  int64_t pid = 0;
  std::string command;  // with secret values already written as ***
  std::string reason;
  std::vector<JournalKeyChange> changes;
  // Written only: a writer may hand its changes over already packed
  // (storage/journal_packing.h's ChangePacker) instead of in `changes`,
  // so that an import of a million keys never holds them unpacked.
  struct Packed {
    std::vector<uint8_t> bytes;
    size_t count = 0;                 // changes packed
    std::vector<int64_t> key_hashes;  // JournalKeyHash of each, while few
  };
  std::optional<Packed> packed;
};

// Which journal records ReadJournal visits.
struct JournalQuery {
  uint64_t after_revision = 0;          // revision > after_revision
  uint64_t up_to_revision = INT64_MAX;  // revision <= up_to_revision
  int64_t since_time_ms = INT64_MIN;    // time_ms >= since_time_ms
  // Non-empty: only the revisions that changed this key, and of each only
  // the changes of this key.
  std::string key_path;
  size_t limit = 0;  // at most this many records; 0: all
  bool newest_first = true;
};

// Calls back with each record; a non-OK status stops the walk. The visitor
// must not use the backend.
using JournalVisitor = std::function<Status(JournalRecord&& record)>;

// The operations allowed inside one write transaction. Paths compare
// case-insensitively. Its reads (GetKey, ScanSubtree) see the store as this
// transaction left it so far: its own earlier writes included.
class RegistryTxn : public RegistryReader {
 public:
  virtual Result<bool> KeyExists(std::string_view path) = 0;
  // Creates the key (and any missing ancestor, empty) or replaces all of
  // its values.
  virtual Status PutKey(const RegistryKey& key) = 0;
  // Creates the key (and any missing ancestor, empty) if there is none at
  // its path and returns true; returns false, changing nothing, if there is.
  // (KeyExists and PutKey in one step: an import of 100k bindings does it
  // 100k times.)
  virtual Result<bool> AddKey(const RegistryKey& key) = 0;
  // AddKey with the key's values already packed (storage/value_codec.h) as
  // `packed`: the journal packs a key once for its row and its record. A
  // backend that stores values packed uses `packed`; the default ignores it.
  virtual Result<bool> AddPackedKey(const RegistryKey& key,
                                    const PackedValues& packed) {
    (void)packed;
    return AddKey(key);
  }
  // Deletes the key and everything below it; returns whether it existed.
  virtual Result<bool> DeleteKey(std::string_view path) = 0;

  // The journal, in the same transaction as the keys.
  // The store's revision before this transaction commits.
  virtual Result<uint64_t> Revision() = 0;
  // Records the revision this transaction commits as (record.revision is
  // Revision() + 1). At most once per transaction.
  virtual Status AppendJournal(const JournalRecord& record) = 0;
  // For a replica taking a snapshot of its source (store/replica.cc): this
  // transaction commits as `revision` (>= 1) instead of Revision() + 1, and
  // the journal starts afresh there (its records, which no longer lead to
  // this state, are dropped). `anchor`: a digest of the source's journal
  // record of `revision` (store/replica.cc), kept until the next Rebase
  // (CopiedFrom), or nullopt when the source's journal lacked it. Internal for a backend that cannot.
  virtual Status Rebase(uint64_t revision, std::optional<uint64_t> anchor) {
    (void)anchor;
    return Status::Internal("this store cannot take revision " +
                            std::to_string(revision) +
                            " from a replica source");
  }
};

// A store. Its reads (GetKey, ScanSubtree) each read the committed store
// in one read transaction.
class RegistryBackend : public RegistryReader {
 public:
  // Visits the keys below `path` to which `order` gives a place, in that
  // order, from one read transaction. SQLite: memory stays bounded however
  // many keys there are, as the sort spills to temporary files; PostgreSQL:
  // the keys are sorted in memory.
  virtual Status ScanSubtreeOrdered(std::string_view path,
                                    const OrderKey& order,
                                    const KeyVisitor& visit) = 0;
  // ScanSubtreeOrdered(kHttpParametersPath, ShowOrderOfPath, visit)
  // (storage/binding_order.h): every binding in `show` order, then the keys
  // below a binding kind whose names do not parse. SQLite from schema 007
  // keeps the bindings in that order and sorts only those few keys.
  virtual Status ScanInShowOrder(const KeyVisitor& visit);
  // ScanSubtreeOrdered(path, RegistryOrderOfPath, visit): the keys of the
  // subtree in the order of a .reg file.
  virtual Status ScanInRegistryOrder(std::string_view path,
                                     const KeyVisitor& visit);
  virtual Result<uint64_t> ChangeCounter() = 0;
  // Runs `body` in one read transaction: every read of this backend made
  // from body (ChangeCounter, GetKey, the scans) sees the same committed
  // state, whatever other writers commit meanwhile. Returns body's status
  // (or why the transaction could not begin).
  virtual Status ReadSnapshot(const std::function<Status()>& body) = 0;
  // Runs `body` in one transaction, waiting for other writers first. Commits
  // (and moves the change counter) if body returns OK; otherwise rolls back
  // and returns body's status. If body throws, rolls back and lets the
  // exception through (Store turns it into a status). Refused with
  // AccessDenied on a read-only backend.
  virtual Status WriteTransaction(
      const std::function<Status(RegistryTxn&)>& body) = 0;

  // The journal. The revision is ChangeCounter(): moved by exactly one per
  // committed WriteTransaction, from any writer.
  // The oldest revision whose state the journal can rebuild (every record
  // after it is kept); the current revision when there is no journal.
  virtual Result<uint64_t> JournalStart() = 0;
  // Visits the records the query selects, from one consistent read.
  virtual Status ReadJournal(const JournalQuery& query,
                             const JournalVisitor& visit) = 0;
  // Drops the records of revisions before `before` (the keys stay) and
  // moves JournalStart() to before - 1 if it was older; does not move the
  // revision. Waits for other writers as WriteTransaction does.
  virtual Status CompactJournal(uint64_t before) = 0;
  // A replica's last copy of its source (RegistryTxn::Rebase): the
  // revision it took and the identity of the source's journal record of
  // it; nullopt when the store took none or the source lacked the record.
  struct CopiedAnchor {
    uint64_t revision = 0;
    uint64_t identity = 0;
  };
  virtual Result<std::optional<CopiedAnchor>> CopiedFrom() {
    return std::optional<CopiedAnchor>();
  }

  // Secrets (sealed private keys, the sealed CCS password) for a backend
  // without a key folder: bytes by name, written and removed inside the
  // running WriteTransaction (so with it) when called from its body. A
  // backend with a key folder (SQLite) has none: Internal.
  virtual bool HasSecrets() const { return false; }
  virtual Status PutSecret(const std::string& name, std::string_view data);
  virtual Result<std::optional<std::string>> GetSecret(const std::string& name);
  virtual Result<std::vector<std::string>> ListSecrets();
  virtual Status DeleteSecret(const std::string& name);
};

// Opens the SQLite backend (the statuses are Store::Open's, see
// sslbind/store.h): the file `resolved_path` (see storage/store_files.h),
// named `path` in messages.
Result<std::unique_ptr<RegistryBackend>> OpenSqliteBackend(
    const std::string& path, const std::string& resolved_path,
    const BackendOptions& options);

// Opens the PostgreSQL backend (storage/postgres_backend.cc) of the libpq
// URI `uri`, named without its password in messages; the statuses are the
// SQLite backend's, and a server that cannot be reached, refuses the login
// or has no such database is IoError (the store is unreadable).
Result<std::unique_ptr<RegistryBackend>> OpenPostgresBackend(
    const std::string& uri, const BackendOptions& options);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_REGISTRY_BACKEND_H_
