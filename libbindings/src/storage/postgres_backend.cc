// The PostgreSQL backend: a registry hive in one database
// (schema/postgres/*.sql), shared by the writers of a farm.
//
// Writers queue on the change counter's row: every write transaction first
// locks it (SELECT ... FOR UPDATE), then changes keys, appends its journal
// record and moves the counter by one, and commits; so revisions have no
// gaps and the journal commits with the keys. Each commit also sends a
// notification on the channel `sslbind_revision` (payload: the revision),
// which replicas LISTEN to as a wake-up. Reads outside a transaction run in
// autocommit, each statement from one snapshot.
//
// A database without the sslbind_schema table is a store never written: it
// reads as missing (or empty, with missing_is_empty), and the first writer
// creates the schema under an advisory lock.
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "storage/journal_packing.h"
#include "storage/known_ancestors.h"
#include "storage/migrations.h"
#include "storage/postgres_conn.h"
#include "storage/registry_backend.h"
#include "storage/replica_source.h"
#include "storage/value_codec.h"

namespace sslbind::internal {
namespace {

constexpr const char* kGetKey =
    "SELECT path, vals FROM registry_key WHERE path_folded = $1";
constexpr const char* kKeyExists =
    "SELECT 1 FROM registry_key WHERE path_folded = $1";
// One range of the primary key, in key order (see sqlite_backend.cc).
constexpr const char* kScan =
    "SELECT path, vals FROM registry_key "
    "WHERE path_folded >= $1::text COLLATE \"C\" "
    "AND path_folded < ($1::text || ']') COLLATE \"C\" "
    "AND (path_folded = $1::text OR "
    "substr(path_folded, length($1::text) + 1, 1) = '\\') "
    "ORDER BY path_folded";
constexpr const char* kPutKey =
    "INSERT INTO registry_key (path_folded, path, vals) VALUES ($1, $2, $3) "
    "ON CONFLICT (path_folded) DO UPDATE SET vals = excluded.vals";
constexpr const char* kAddKey =
    "INSERT INTO registry_key (path_folded, path, vals) VALUES ($1, $2, $3) "
    "ON CONFLICT (path_folded) DO NOTHING";
constexpr const char* kEnsureKey =
    "INSERT INTO registry_key (path_folded, path, vals) "
    "VALUES ($1, $2, ''::bytea) ON CONFLICT (path_folded) DO NOTHING";
constexpr const char* kDeleteKey =
    "DELETE FROM registry_key WHERE path_folded = $1::text OR "
    "(path_folded > ($1::text || '\\') COLLATE \"C\" "
    "AND path_folded < ($1::text || ']') COLLATE \"C\")";
constexpr const char* kGetCounter =
    "SELECT value FROM store_meta WHERE name = 'change_counter'";
constexpr const char* kLockCounter =
    "SELECT value FROM store_meta WHERE name = 'change_counter' FOR UPDATE";
constexpr const char* kBumpCounter =
    "UPDATE store_meta SET value = value + 1 "
    "WHERE name = 'change_counter' RETURNING value";
constexpr const char* kNotify = "SELECT pg_notify('sslbind_revision', $1)";
constexpr const char* kGetStart =
    "SELECT value FROM store_meta WHERE name = 'journal_start'";
constexpr const char* kInsertRevision =
    "INSERT INTO journal_revision "
    "(revision, time_ms, \"user\", uid, host, pid, command, reason, changes) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
#define SSLBIND_REVISIONS                                                 \
  "SELECT revision, time_ms, \"user\", uid, host, pid, command, reason, " \
  "changes FROM journal_revision WHERE revision > $1 AND revision <= $2 " \
  "AND time_ms >= $3 "
constexpr const char* kRevisionsDesc =
    SSLBIND_REVISIONS "ORDER BY revision DESC LIMIT $4";
constexpr const char* kRevisionsAsc =
    SSLBIND_REVISIONS "ORDER BY revision ASC LIMIT $4";
// A key's revisions through journal_key (schema 003): those indexed under
// its hash ($5) and those to look inside (hash 0).
#define SSLBIND_KEY_REVISIONS                                             \
  "SELECT revision, time_ms, \"user\", uid, host, pid, command, reason, " \
  "changes FROM journal_revision WHERE revision IN (SELECT revision "     \
  "FROM journal_key WHERE key_hash IN ($5, 0) AND revision > $1 "         \
  "AND revision <= $2) AND time_ms >= $3 "
constexpr const char* kKeyRevisionsDesc =
    SSLBIND_KEY_REVISIONS "ORDER BY revision DESC LIMIT $4";
constexpr const char* kKeyRevisionsAsc =
    SSLBIND_KEY_REVISIONS "ORDER BY revision ASC LIMIT $4";
#undef SSLBIND_KEY_REVISIONS
#undef SSLBIND_REVISIONS
constexpr const char* kInsertKeys =
    "INSERT INTO journal_key (key_hash, revision) "
    "SELECT DISTINCT unnest($1::bigint[]), $2::bigint";
constexpr const char* kCompactRevisions =
    "DELETE FROM journal_revision WHERE revision < $1";
constexpr const char* kCompactKeys =
    "DELETE FROM journal_key WHERE revision < $1";
constexpr const char* kMoveStart =
    "UPDATE store_meta SET value = GREATEST(value, $1::bigint - 1) "
    "WHERE name = 'journal_start'";
constexpr const char* kPutSecret =
    "INSERT INTO secret (name, data) VALUES ($1, $2) "
    "ON CONFLICT (name) DO UPDATE SET data = excluded.data";
constexpr const char* kGetSecret = "SELECT data FROM secret WHERE name = $1";
constexpr const char* kListSecrets = "SELECT name FROM secret ORDER BY name";
constexpr const char* kDeleteSecret = "DELETE FROM secret WHERE name = $1";
constexpr const char* kHasSchema =
    "SELECT to_regclass('sslbind_schema') IS NOT NULL";
constexpr const char* kGetVersion = "SELECT version FROM sslbind_schema";
// 'SSLB', as the SQLite store's application_id.
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(1397967938)";
constexpr const char* kMigrationUnlock =
    "SELECT pg_advisory_unlock(1397967938)";

int LatestVersion() { return PostgresMigrations().back().version; }

int64_t Clamp(uint64_t v) {
  return v > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX
                                              : static_cast<int64_t>(v);
}

PgParam Bytes(std::span<const uint8_t> v) {
  return {std::string_view(reinterpret_cast<const char*>(v.data()), v.size()),
          true};
}

Status ReadKeyRowInto(const PGresult* r, int row, RegistryKey* key) {
  key->path.assign(PgBytes(r, row, 0));
  std::string_view vals = PgBytes(r, row, 1);
  Status s = UnpackValuesInto(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(vals.data()),
                               vals.size()),
      &key->values);
  if (!s.ok()) return s.WithContext(key->path);
  return Status::Ok();
}

// A transaction on a connection, rolled back when the guard goes out of
// scope uncommitted: on an error return and on an exception alike (the
// SQLite backend's Transaction, storage/sqlite_db.h).
class PgTransaction {
 public:
  explicit PgTransaction(PgConn& conn) : conn_(conn) {}
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  ~PgTransaction() {
    PGconn* c = conn_.get();
    if (begun_ && PQstatus(c) == CONNECTION_OK &&
        PQtransactionStatus(c) != PQTRANS_IDLE) {
      PQclear(PQexec(c, "ROLLBACK"));
    }
  }

  // `begin`: BEGIN, or BEGIN with a mode.
  Status Begin(std::string_view what, const char* begin = "BEGIN") {
    Result<PgResult> r = conn_.Exec(begin, what);
    begun_ = r.ok();
    return r.ok() ? Status::Ok() : r.status();
  }
  Status Commit(std::string_view what) {
    Result<PgResult> r = conn_.Exec("COMMIT", what);
    if (r.ok()) begun_ = false;
    return r.ok() ? Status::Ok() : r.status();
  }

 private:
  PgConn& conn_;
  bool begun_ = false;
};

class PostgresBackend;

class PostgresTxn final : public RegistryTxn {
 public:
  explicit PostgresTxn(PostgresBackend* backend, uint64_t revision)
      : backend_(backend), revision_(revision) {}
  Result<std::optional<RegistryKey>> GetKey(std::string_view path) override;
  Result<bool> KeyExists(std::string_view path) override;
  Status PutKey(const RegistryKey& key) override;
  Result<bool> AddKey(const RegistryKey& key) override;
  Result<bool> AddPackedKey(const RegistryKey& key,
                            const PackedValues& packed) override;
  Result<bool> DeleteKey(std::string_view path) override;
  Status ScanSubtree(std::string_view path, const KeyVisitor& visit) override;
  Result<uint64_t> Revision() override { return revision_; }
  Status AppendJournal(const JournalRecord& record) override;

 private:
  Status EnsureAncestors(std::string_view path);
  Result<bool> WriteKey(const char* sql, const RegistryKey& key,
                        const PackedValues* packed = nullptr);

  PostgresBackend* backend_;
  uint64_t revision_;  // read under the writers' lock
  KnownAncestors ancestors_;
};

class PostgresBackend final : public RegistryBackend, public ReplicaSource {
 public:
  PostgresBackend(std::string uri, std::string name, bool writable)
      : uri_(std::move(uri)), name_(std::move(name)), writable_(writable) {}

  Status Open(const BackendOptions& options);

  Result<std::optional<RegistryKey>> GetKey(std::string_view path) override;
  Status ScanSubtree(std::string_view path, const KeyVisitor& visit) override;
  Status ScanSubtreeOrdered(std::string_view path, const OrderKey& order,
                            const KeyVisitor& visit) override;
  Result<uint64_t> ChangeCounter() override;
  Status ReadSnapshot(const std::function<Status()>& body) override;
  Status WriteTransaction(
      const std::function<Status(RegistryTxn&)>& body) override;
  Result<uint64_t> JournalStart() override;
  Status ReadJournal(const JournalQuery& query,
                     const JournalVisitor& visit) override;
  Status CompactJournal(uint64_t before) override;

  bool HasSecrets() const override { return true; }
  Status PutSecret(const std::string& name, std::string_view data) override;
  Result<std::optional<std::string>> GetSecret(
      const std::string& name) override;
  Result<std::vector<std::string>> ListSecrets() override;
  Status DeleteSecret(const std::string& name) override;

  Status Listen() override;
  Result<bool> WaitForNotification(int timeout_ms) override;
  Status BeginSnapshot() override;
  void EndSnapshot() override;

  PgConn& conn() { return conn_; }

 private:
  Status ReadVersion(int* version);
  Status Migrate();
  Result<uint64_t> ReadMeta(const char* sql, std::string_view what);
  // Runs `body` between BEGIN and COMMIT holding the writers' lock, which
  // returns the revision; rolls back unless body and the commit succeed.
  Status Locked(const std::function<Status(uint64_t revision)>& body);

  std::string uri_;
  std::string name_;  // for messages: the URI without its password
  bool writable_;
  bool has_schema_ = true;
  PgConn conn_;
};

Status PostgresBackend::Open(const BackendOptions& options) {
  Status s = conn_.Connect(uri_, name_);
  if (!s.ok()) return s;
  // A writer waits this long for the writers' lock, then gives up (Busy).
  std::string timeout =
      "SET lock_timeout = " + std::to_string(options.busy_timeout_ms);
  Result<PgResult> set = conn_.Exec(timeout.c_str(), "cannot set lock_timeout");
  if (!set.ok()) return set.status();
  int version = 0;
  s = ReadVersion(&version);
  if (!s.ok()) return s;
  if (version > LatestVersion()) {
    return Status::IncompatibleStore(
        "the store '" + name_ + "' has schema version " +
        std::to_string(version) + ", newer than this sslbind knows (" +
        std::to_string(LatestVersion()) + "): upgrade sslbind");
  }
  if (version == 0) {
    if (!writable_ && options.missing_is_empty) {
      has_schema_ = false;
      return Status::Ok();
    }
    if (!writable_ || !options.create_if_missing) {
      return Status::NotFound("the store '" + name_ + "' does not exist");
    }
  }
  if (writable_ && version < LatestVersion()) return Migrate();
  return Status::Ok();
}

Status PostgresBackend::ReadVersion(int* version) {
  *version = 0;
  Result<PgResult> has = conn_.Exec(kHasSchema, "cannot read the store");
  if (!has.ok()) return has.status();
  if (PgBytes(has->get(), 0, 0) != std::string_view("\1", 1)) {
    return Status::Ok();
  }
  Result<PgResult> r = conn_.Exec(kGetVersion, "cannot read the store");
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) != 1) {
    return Status::IncompatibleStore("the store '" + name_ +
                                     "' has a malformed sslbind_schema table");
  }
  *version = PgInt32(r->get(), 0, 0);
  return Status::Ok();
}

Status PostgresBackend::Migrate() {
  // A session lock taken before the transaction begins, so that the
  // transaction's reads see what a writer that migrated meanwhile committed.
  Result<PgResult> locked =
      conn_.Exec(kMigrationLock, "cannot lock the store to upgrade it");
  if (!locked.ok()) return locked.status();
  // Released however this returns, after the transaction below ended.
  struct Unlock {
    PGconn* conn;
    ~Unlock() { PQclear(PQexec(conn, kMigrationUnlock)); }
  } unlock{conn_.get()};
  PgTransaction txn(conn_);
  int version = 0;
  Status s = txn.Begin("cannot upgrade the store");
  if (s.ok()) s = ReadVersion(&version);
  for (const Migration& m : PostgresMigrations()) {
    if (!s.ok()) break;
    if (m.version <= version) continue;
    // Several statements: the simple query protocol.
    PgResult r(PQexec(conn_.get(), m.sql));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK &&
        PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
      s = conn_.Error(r.get(),
                      std::string("schema migration ") + m.name + " failed");
      break;
    }
    std::string v = std::to_string(m.version);
    PgParam p[] = {{v}};
    Result<PgResult> set =
        conn_.Exec("UPDATE sslbind_schema SET version = $1::integer", p,
                   "cannot record the schema version");
    if (!set.ok()) s = set.status();
  }
  if (s.ok()) s = txn.Commit("cannot commit the schema upgrade");
  has_schema_ = s.ok();
  return s;  // rolled back unless committed, then unlocked
}

Result<std::optional<RegistryKey>> PostgresBackend::GetKey(
    std::string_view path) {
  if (!has_schema_) return std::optional<RegistryKey>();
  std::string folded = FoldCase(path);
  PgParam p[] = {{folded}};
  Result<PgResult> r = conn_.Exec(kGetKey, p, "cannot read the store");
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) == 0) return std::optional<RegistryKey>();
  RegistryKey key;
  Status s = ReadKeyRowInto(r->get(), 0, &key);
  if (!s.ok()) return s;
  return std::optional<RegistryKey>(std::move(key));
}

Status PostgresBackend::ScanSubtree(std::string_view path,
                                    const KeyVisitor& visit) {
  if (!has_schema_) return Status::Ok();
  std::string folded = FoldCase(path);
  PgParam p[] = {{folded}};
  RegistryKey key;
  return conn_.Stream(kScan, p, "cannot read the store",
                      [&](const PGresult* r) {
                        Status s = ReadKeyRowInto(r, 0, &key);
                        if (!s.ok()) return s;
                        return visit(std::move(key));
                      });
}

// The order is computed here, not in the server: the keys are read in one
// statement (one snapshot) and sorted in memory. Unlike SQLite's sorter,
// this holds the whole subtree at once.
Status PostgresBackend::ScanSubtreeOrdered(std::string_view path,
                                           const OrderKey& order,
                                           const KeyVisitor& visit) {
  std::vector<std::pair<std::string, RegistryKey>> keys;
  Status s = ScanSubtree(path, [&](RegistryKey&& key) {
    std::optional<std::string> place = order(key.path);
    if (place) keys.emplace_back(std::move(*place), std::move(key));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
  });
  for (auto& [place, key] : keys) {
    s = visit(std::move(key));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Result<uint64_t> PostgresBackend::ReadMeta(const char* sql,
                                           std::string_view what) {
  Result<PgResult> r = conn_.Exec(sql, what);
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) != 1) {
    return Status::IncompatibleStore("the store '" + name_ + "' has no " +
                                     std::string(what));
  }
  return static_cast<uint64_t>(PgInt64(r->get(), 0, 0));
}

Result<uint64_t> PostgresBackend::ChangeCounter() {
  if (!has_schema_) return uint64_t{0};
  return ReadMeta(kGetCounter, "cannot read the store's revision");
}

// REPEATABLE READ: every statement of the transaction sees the snapshot of
// its first one.
Status PostgresBackend::ReadSnapshot(const std::function<Status()>& body) {
  if (!has_schema_ || PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) {
    return body();
  }
  PgTransaction snapshot(conn_);
  Status s = snapshot.Begin("cannot read the store",
                            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!s.ok()) return s;
  // Read only: the guard ends the transaction by rolling it back, however
  // body returns or throws.
  return body();
}

Status PostgresBackend::Locked(
    const std::function<Status(uint64_t revision)>& body) {
  if (!writable_) {
    return Status::AccessDenied("the store '" + name_ +
                                "' was opened read-only");
  }
  PgTransaction txn(conn_);
  Status s = txn.Begin("cannot begin a transaction");
  if (!s.ok()) return s;
  Result<uint64_t> revision =
      ReadMeta(kLockCounter, "cannot lock the store for writing");
  s = revision.ok() ? body(*revision) : revision.status();
  if (s.ok()) s = txn.Commit("cannot commit the change");
  return s;  // rolled back unless committed
}

Status PostgresBackend::WriteTransaction(
    const std::function<Status(RegistryTxn&)>& body) {
  return Locked([&](uint64_t revision) {
    PostgresTxn txn(this, revision);
    Status s = body(txn);
    if (!s.ok()) return s;
    Result<uint64_t> moved =
        ReadMeta(kBumpCounter, "cannot move the change counter");
    if (!moved.ok()) return moved.status();
    std::string payload = std::to_string(*moved);
    PgParam p[] = {{payload}};
    Result<PgResult> notified =
        conn_.Exec(kNotify, p, "cannot notify the replicas");
    return notified.ok() ? Status::Ok() : notified.status();
  });
}

Result<uint64_t> PostgresBackend::JournalStart() {
  if (!has_schema_) return uint64_t{0};
  return ReadMeta(kGetStart, "cannot read the journal's start");
}

Status PostgresBackend::ReadJournal(const JournalQuery& query,
                                    const JournalVisitor& visit) {
  if (!has_schema_) return Status::Ok();
  const bool for_key = !query.key_path.empty();
  const std::string folded_key = for_key ? FoldCase(query.key_path) : "";
  std::string after = std::to_string(Clamp(query.after_revision));
  std::string up_to = std::to_string(Clamp(query.up_to_revision));
  std::string since = std::to_string(query.since_time_ms);
  // With a key the records are filtered here: the limit counts matches.
  std::string limit = std::to_string(
      query.limit == 0 || for_key ? INT64_MAX : Clamp(query.limit));
  std::string hash = std::to_string(JournalKeyHash(query.key_path));
  PgParam p[] = {{after}, {up_to}, {since}, {limit}, {hash}};
  const char* sql = for_key ? (query.newest_first ? kKeyRevisionsDesc
                                                  : kKeyRevisionsAsc)
                            : (query.newest_first ? kRevisionsDesc
                                                  : kRevisionsAsc);
  size_t visited = 0;
  Status s = conn_.Stream(
      sql, std::span<const PgParam>(p, for_key ? 5 : 4),
      "cannot read the journal", [&](const PGresult* r) -> Status {
        if (query.limit != 0 && visited >= query.limit) return Status::Ok();
        JournalRecord record;
        record.revision = static_cast<uint64_t>(PgInt64(r, 0, 0));
        std::string_view changes = PgBytes(r, 0, 8);
        Status u =
            UnpackChanges(std::span<const uint8_t>(
                              reinterpret_cast<const uint8_t*>(changes.data()),
                              changes.size()),
                          folded_key, &record.changes);
        if (!u.ok()) {
          return u.WithContext("revision " + std::to_string(record.revision));
        }
        if (for_key && record.changes.empty()) return Status::Ok();
        record.time_ms = PgInt64(r, 0, 1);
        record.user = PgBytes(r, 0, 2);
        record.uid = PgInt64(r, 0, 3);
        record.host = PgBytes(r, 0, 4);
        record.pid = PgInt64(r, 0, 5);
        record.command = PgBytes(r, 0, 6);
        record.reason = PgBytes(r, 0, 7);
        ++visited;
        return visit(std::move(record));
      });
  return s;
}

Status PostgresBackend::CompactJournal(uint64_t before) {
  return Locked([&](uint64_t) {
    std::string b = std::to_string(Clamp(before));
    PgParam p[] = {{b}};
    for (const char* sql : {kCompactRevisions, kCompactKeys, kMoveStart}) {
      Result<PgResult> r = conn_.Exec(sql, p, "cannot compact the journal");
      if (!r.ok()) return r.status();
    }
    return Status::Ok();
  });
}

Status PostgresBackend::PutSecret(const std::string& name,
                                  std::string_view data) {
  PgParam p[] = {{name}, {data, true}};
  Result<PgResult> r = conn_.Exec(kPutSecret, p, "cannot write a secret");
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::optional<std::string>> PostgresBackend::GetSecret(
    const std::string& name) {
  if (!has_schema_) return std::optional<std::string>();
  PgParam p[] = {{name}};
  Result<PgResult> r = conn_.Exec(kGetSecret, p, "cannot read a secret");
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) == 0) return std::optional<std::string>();
  return std::optional<std::string>(std::string(PgBytes(r->get(), 0, 0)));
}

Result<std::vector<std::string>> PostgresBackend::ListSecrets() {
  std::vector<std::string> names;
  if (!has_schema_) return names;
  Result<PgResult> r = conn_.Exec(kListSecrets, "cannot list the secrets");
  if (!r.ok()) return r.status();
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    names.emplace_back(PgBytes(r->get(), i, 0));
  }
  return names;
}

Status PostgresBackend::DeleteSecret(const std::string& name) {
  PgParam p[] = {{name}};
  Result<PgResult> r = conn_.Exec(kDeleteSecret, p, "cannot remove a secret");
  return r.ok() ? Status::Ok() : r.status();
}

Status PostgresBackend::Listen() {
  Result<PgResult> r = conn_.Exec("LISTEN sslbind_revision",
                                  "cannot listen for the store's changes");
  return r.ok() ? Status::Ok() : r.status();
}

Result<bool> PostgresBackend::WaitForNotification(int timeout_ms) {
  auto take = [this] {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_.get())) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (take()) return true;  // arrived with an earlier result
  pollfd fd{PQsocket(conn_.get()), POLLIN, 0};
  if (fd.fd < 0) return conn_.Error(nullptr, "cannot wait for a change");
  int ready = poll(&fd, 1, timeout_ms);
  if (ready < 0 && errno != EINTR) {
    return Status::IoError(std::string("cannot wait for a change: ") +
                           std::strerror(errno));
  }
  if (ready <= 0) return false;
  if (PQconsumeInput(conn_.get()) == 0 ||
      PQstatus(conn_.get()) != CONNECTION_OK) {
    return conn_.Error(nullptr, "cannot wait for a change");
  }
  return take();
}

Status PostgresBackend::BeginSnapshot() {
  Result<PgResult> r =
      conn_.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                 "cannot begin a read of the store");
  if (!r.ok()) return r.status();
  if (has_schema_) return Status::Ok();
  // A store never written when opened: the first writer may have created
  // it since.
  int version = 0;
  Status s = ReadVersion(&version);
  if (!s.ok()) return s;
  has_schema_ = version > 0;
  return Status::Ok();
}

void PostgresBackend::EndSnapshot() {
  if (PQstatus(conn_.get()) == CONNECTION_OK &&
      PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) {
    PQclear(PQexec(conn_.get(), "COMMIT"));
  }
}

Status PostgresTxn::AppendJournal(const JournalRecord& record) {
  std::vector<uint8_t> storage;
  std::span<const uint8_t> changes;
  std::vector<int64_t> key_hashes;
  Status packed = JournalRowOf(record, &storage, &changes, &key_hashes);
  if (!packed.ok()) return packed;
  std::string revision = std::to_string(Clamp(record.revision));
  std::string time = std::to_string(record.time_ms);
  std::string uid = std::to_string(record.uid);
  std::string pid = std::to_string(record.pid);
  PgParam p[] = {{revision},    {time}, {record.user},    {uid},
                 {record.host}, {pid},  {record.command}, {record.reason},
                 Bytes(changes)};
  Result<PgResult> r =
      backend_->conn().Exec(kInsertRevision, p, "cannot write the journal");
  if (!r.ok() || key_hashes.empty()) {
    return r.ok() ? Status::Ok() : r.status();
  }
  // The key index: an array literal of the hashes (0, "look inside", for a
  // large revision).
  std::string hashes = "{";
  for (int64_t hash : key_hashes) {
    if (hashes.size() > 1) hashes += ',';
    hashes += std::to_string(hash);
  }
  hashes += '}';
  PgParam k[] = {{hashes}, {revision}};
  r = backend_->conn().Exec(kInsertKeys, k, "cannot write the journal");
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::optional<RegistryKey>> PostgresTxn::GetKey(std::string_view path) {
  return backend_->GetKey(path);
}

Status PostgresTxn::ScanSubtree(std::string_view path,
                                const KeyVisitor& visit) {
  // The same connection: the scan sees this transaction's writes.
  return backend_->ScanSubtree(path, visit);
}

Result<bool> PostgresTxn::KeyExists(std::string_view path) {
  std::string folded = FoldCase(path);
  PgParam p[] = {{folded}};
  Result<PgResult> r =
      backend_->conn().Exec(kKeyExists, p, "cannot read the store");
  if (!r.ok()) return r.status();
  return PQntuples(r->get()) > 0;
}

Status PostgresTxn::EnsureAncestors(std::string_view path) {
  return ancestors_.Ensure(
      path, [this](const std::string& folded, std::string_view ancestor) {
        PgParam p[] = {{folded}, {ancestor}};
        Result<PgResult> r =
            backend_->conn().Exec(kEnsureKey, p, "cannot write the store");
        return r.ok() ? Status::Ok() : r.status();
      });
}

Status PostgresTxn::PutKey(const RegistryKey& key) {
  Result<bool> written = WriteKey(kPutKey, key);
  return written.ok() ? Status::Ok() : written.status();
}

Result<bool> PostgresTxn::AddKey(const RegistryKey& key) {
  return WriteKey(kAddKey, key);
}

Result<bool> PostgresTxn::AddPackedKey(const RegistryKey& key,
                                       const PackedValues& packed) {
  return WriteKey(kAddKey, key, &packed);
}

Result<bool> PostgresTxn::WriteKey(const char* sql, const RegistryKey& key,
                                   const PackedValues* packed) {
  Status s = EnsureAncestors(key.path);
  if (!s.ok()) return s;
  PackedValues packed_here;
  if (packed == nullptr) {
    packed_here = PackValues(key.values);
    packed = &packed_here;
  }
  std::string folded = FoldCase(key.path);
  PgParam p[] = {{folded}, {key.path}, Bytes(*packed)};
  Result<PgResult> r = backend_->conn().Exec(sql, p, "cannot write the store");
  if (!r.ok()) return r.status();
  return std::strcmp(PQcmdTuples(r->get()), "0") != 0;
}

Result<bool> PostgresTxn::DeleteKey(std::string_view path) {
  const std::string folded = FoldCase(path);
  PgParam p[] = {{folded}};
  Result<PgResult> r =
      backend_->conn().Exec(kDeleteKey, p, "cannot write the store");
  if (!r.ok()) return r.status();
  ancestors_.Forget(folded);
  return std::strcmp(PQcmdTuples(r->get()), "0") != 0;
}

}  // namespace

Result<std::unique_ptr<RegistryBackend>> OpenPostgresBackend(
    const std::string& uri, const BackendOptions& options) {
  auto backend = std::make_unique<PostgresBackend>(uri, RedactedUri(uri),
                                                   options.writable);
  Status s = backend->Open(options);
  if (!s.ok()) return s;
  return std::unique_ptr<RegistryBackend>(std::move(backend));
}

}  // namespace sslbind::internal
