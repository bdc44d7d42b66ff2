// The SQLite backend: a registry hive in one file (schema/*.sql).
//
// Opening: read-only handles never create or change the file; writable ones
// create it (and its folders) on request and bring the schema up to date in
// one IMMEDIATE transaction.
//
// Journal mode: a writer works in WAL mode (readers and writers do not block
// each other), and the last writer to close switches the file back to a
// rollback journal, which removes the -wal and -shm files. So at rest the
// store is one file that anyone allowed to read it can read with
// SQLITE_OPEN_READONLY, whatever tool closed it last: a read-only user
// cannot create the -wal and -shm files SQLite needs to read a database
// that is in WAL mode without them (https://www.sqlite.org/wal.html, "Read-Only
// Databases"). While a writer has the store open, the -wal and -shm files
// exist, with the store file's permissions, and readers use them read-only.
// A file left in WAL mode without its -wal file (a writer was killed, then
// another tool closed the store last) is read through a WalAbsenceGuard.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>

#include "storage/binding_order.h"
#include "storage/migrations.h"
#include "storage/registry_backend.h"
#include "storage/replica_sqlite.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_journal.h"
#include "storage/sqlite_key_table.h"
#include "storage/store_files.h"
#include "storage/value_codec.h"
#include "storage/wal_absence_guard.h"

namespace sslbind::internal {
namespace {

// registry_key, the layout before schema 005: read by a read-only handle
// on a store no writer has upgraded yet.
constexpr const char* kGetKey =
    "SELECT path, vals FROM registry_key WHERE path_folded = ?1";
// One range of the primary key, in key order: no temporary b-tree. (An OR
// of "= ?1" and the descendants' range made SQLite sort the whole subtree
// in temporary files.) Inside the range, keys such as "?1x" that are not
// below ?1 are filtered out.
constexpr const char* kScan =
    "SELECT path, vals FROM registry_key "
    "WHERE path_folded >= ?1 AND path_folded < ?1 || ']' "
    "AND (path_folded = ?1 OR substr(path_folded, length(?1) + 1, 1) = '\\') "
    "ORDER BY path_folded";
constexpr const char* kGetCounter =
    "SELECT value FROM store_meta WHERE name = 'change_counter'";
constexpr const char* kBumpCounter =
    "UPDATE store_meta SET value = value + 1 WHERE name = 'change_counter'";

int LatestVersion() { return Migrations().back().version; }

// Reads the current row into *key, reusing the storage *key already holds.
Status ReadKeyRowInto(sqlite3_stmt* stmt, RegistryKey* key) {
  key->path.assign(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                   sqlite3_column_bytes(stmt, 0));
  const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, 1));
  Status s = UnpackValuesInto(
      std::span<const uint8_t>(blob, sqlite3_column_bytes(stmt, 1)),
      &key->values);
  if (!s.ok()) return s.WithContext(key->path);
  return Status::Ok();
}

Result<RegistryKey> ReadKeyRow(sqlite3_stmt* stmt) {
  RegistryKey key;
  Status s = ReadKeyRowInto(stmt, &key);
  if (!s.ok()) return s;
  return key;
}

class SqliteBackend;

class SqliteTxn final : public RegistryTxn {
 public:
  explicit SqliteTxn(SqliteBackend* backend);
  Result<std::optional<RegistryKey>> GetKey(std::string_view path) override;
  Result<bool> KeyExists(std::string_view path) override;
  Status PutKey(const RegistryKey& key) override;
  Result<bool> AddKey(const RegistryKey& key) override;
  Result<bool> DeleteKey(std::string_view path) override;
  Status ScanSubtree(std::string_view path, const KeyVisitor& visit) override;
  Result<uint64_t> Revision() override;
  Status AppendJournal(const JournalRecord& record) override;
  Status Rebase(uint64_t revision, std::optional<uint64_t> anchor) override;

 private:
  SqliteBackend* backend_;
  KeyTableWriter keys_;
};

class SqliteBackend final : public RegistryBackend {
 public:
  SqliteBackend(std::string path, std::string resolved_path, bool writable)
      : path_(std::move(path)),
        file_(std::move(resolved_path)),
        wal_file_(file_ + "-wal"),
        writable_(writable) {}
  ~SqliteBackend() override;

  Status Open(const BackendOptions& options);

  Result<std::optional<RegistryKey>> GetKey(std::string_view path) override;
  Status ScanSubtree(std::string_view path, const KeyVisitor& visit) override;
  Status ScanSubtreeOrdered(std::string_view path, const OrderKey& order,
                            const KeyVisitor& visit) override;
  Status ScanInShowOrder(const KeyVisitor& visit) override;
  Status ScanInRegistryOrder(std::string_view path,
                             const KeyVisitor& visit) override;
  Result<uint64_t> ChangeCounter() override;
  Status ReadSnapshot(const std::function<Status()>& body) override;
  Status WriteTransaction(
      const std::function<Status(RegistryTxn&)>& body) override;
  Result<uint64_t> JournalStart() override;
  Result<std::optional<CopiedAnchor>> CopiedFrom() override;
  Status ReadJournal(const JournalQuery& query,
                     const JournalVisitor& visit) override;
  Status CompactJournal(uint64_t before) override;

  SqliteDb& db() { return db_; }
  int version() const { return has_schema_ ? version_ : 0; }
  // The store has registry_node (schema 005), not registry_key. A reader
  // that opened an older store asks again before each read: a writer may
  // have upgraded it since (registry_key is then gone, or from schema 007
  // the bindings' names are BLOBs). Called inside the read's transaction
  // (ReadTransaction), so the version it sees is the one the read reads.
  bool compact() {
    if (has_schema_ && version_ < LatestVersion() && !writable_) {
      int now = version_;
      if (CheckIdentity(&now).ok()) version_ = now;
    }
    return version() >= kKeyTableVersion;
  }

 private:
  Status CheckIdentity(int* version);
  // Runs `read` (a read of keys) in one read transaction, after leaving a
  // WalAbsenceGuard whose store got a -wal file; then checks the guard
  // again if `read` succeeded. Nothing is read from a store without schema.
  template <typename Read>
  Status ReadKeys(const Read& read);
  // A reader through a WalAbsenceGuard whose store got a -wal file since
  // (a writer started) opens it the usual way before it reads again; the
  // read in progress when the -wal file appeared failed with Busy.
  Status LeaveGuardIfWalAppeared();
  Status EnableWal();
  void TrimWal() noexcept;
  Status Migrate();

  std::string path_;      // for messages
  std::string file_;      // resolved: what is opened
  std::string wal_file_;  // its -wal file
  bool writable_;
  // Set once this writer switched an sslbind store to WAL mode: it then
  // switches it back when it closes last.
  bool wal_enabled_ = false;
  // False for a read-only handle on an empty (never written) file.
  bool has_schema_ = true;
  int version_ = 0;
  int busy_timeout_ms_ = 0;
  // Set when reading a WAL-mode file without its -wal file: every read is
  // checked by it.
  std::unique_ptr<WalAbsenceGuard> guard_;
  SqliteDb db_;
};

// The status of a read, made Busy if the guard (if any) says the store
// changed meanwhile.
Status Guarded(const WalAbsenceGuard* guard, Status read) {
  if (!read.ok() || guard == nullptr) return read;
  return guard->Check();
}

// `path` names the store in messages; `file` is what is opened.
Status CheckCanWrite(const std::string& path, const std::string& file,
                     bool exists) {
  namespace fs = std::filesystem;
  if (exists) {
    if (access(file.c_str(), W_OK) != 0) {
      return Status::AccessDenied("you may not write the store '" + path +
                                  "': " + std::strerror(errno));
    }
    return Status::Ok();
  }
  Status s = CreateStoreFolders(file);
  if (!s.ok()) return s;
  fs::path dir = fs::path(file).parent_path();
  if (access(dir.c_str(), W_OK) != 0) {
    return Status::AccessDenied("you may not create files in '" + dir.string() +
                                "'");
  }
  return Status::Ok();
}

SqliteBackend::~SqliteBackend() {
  if (!wal_enabled_) return;
  // The last connection switches the file back to a rollback journal (see
  // the top of the file); with another connection open this fails at once
  // (SQLITE_BUSY) and the file stays in WAL mode for it.
  sqlite3_busy_timeout(db_.get(), 0);
  sqlite3_exec(db_.get(), "PRAGMA journal_mode = DELETE", nullptr, nullptr,
               nullptr);
}

Status SqliteBackend::Open(const BackendOptions& options) {
  struct stat st;
  bool exists = stat(file_.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) {
    std::string why = std::strerror(errno);
    if (errno == EACCES) {
      return Status::AccessDenied("cannot reach the store '" + path_ +
                                  "': " + why);
    }
    return Status::IoError("cannot reach the store '" + path_ + "': " + why);
  }
  if (exists && S_ISDIR(st.st_mode)) {
    return Status::IncompatibleStore("'" + path_ +
                                     "' is a folder, not a store");
  }
  if (!exists && !writable_ && options.missing_is_empty) {
    has_schema_ = false;  // reads see nothing; no connection is opened
    return Status::Ok();
  }
  if (!exists && (!writable_ || !options.create_if_missing)) {
    return Status::NotFound("the store '" + path_ + "' does not exist");
  }
  int flags = SQLITE_OPEN_NOMUTEX;
  if (writable_) {
    Status s = CheckCanWrite(path_, file_, exists);
    if (!s.ok()) return s;
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  } else {
    flags |= SQLITE_OPEN_READONLY;
  }
  std::string target = file_;
  if (!writable_ && IsWalWithoutWalFile(file_)) {
    auto guard = std::make_unique<WalAbsenceGuard>();
    Status s = guard->Lock(file_, options.busy_timeout_ms);
    if (!s.ok()) return s;
    if (guard->Check().ok()) {  // else a writer has just started: read as usual
      guard_ = std::move(guard);
      target = ImmutableUri(file_);
      flags |= SQLITE_OPEN_URI;
    }
  }
  Status s = db_.Open(target, path_, flags);
  if (!s.ok()) return s;
  busy_timeout_ms_ = options.busy_timeout_ms;
  sqlite3_busy_timeout(db_.get(), options.busy_timeout_ms);
  if (writable_ && sqlite3_db_readonly(db_.get(), "main") == 1) {
    return Status::AccessDenied("you may not write the store '" + path_ + "'");
  }
  s = Guarded(guard_.get(), CheckIdentity(&version_));
  if (!s.ok()) return s;
  if (writable_) {
    s = db_.Exec("PRAGMA synchronous = FULL", "cannot set synchronous mode");
    if (!s.ok()) return s;
    s = EnableWal();
    if (!s.ok()) return s;
    wal_enabled_ = true;
    if (version_ < LatestVersion()) return Migrate();
  } else {
    has_schema_ = version_ > 0;
  }
  return Status::Ok();
}

// Reads user_version and application_id; refuses foreign and newer files.
// One statement, so one snapshot: another process may be creating the store
// at this moment, and three separate reads could see half of that.
Status SqliteBackend::CheckIdentity(int* version) {
  const std::string what = "cannot read '" + path_ + "'";
  Result<Statement> stmt = db_.PrepareOwned(
      "SELECT (SELECT user_version FROM pragma_user_version),"
      " (SELECT application_id FROM pragma_application_id),"
      " (SELECT count(*) FROM sqlite_master)",
      what);
  int app_id = 0, objects = 0;
  Status s = stmt.ok() ? Status::Ok() : stmt.status();
  if (s.ok()) {
    int rc = stmt->Step();
    if (rc == SQLITE_ROW) {
      *version = sqlite3_column_int(stmt->get(), 0);
      app_id = sqlite3_column_int(stmt->get(), 1);
      objects = sqlite3_column_int(stmt->get(), 2);
    } else {
      s = SqliteStatus(db_.get(), rc, what);
    }
  }
  if (!s.ok()) {
    if (s.code() == StatusCode::kIncompatibleStore) {
      return Status::IncompatibleStore("'" + path_ +
                                       "' is not an sslbind store (not an "
                                       "SQLite database)");
    }
    return s;
  }
  bool fresh = app_id == 0 && *version == 0 && objects == 0;
  if (!fresh && app_id != kApplicationId) {
    return Status::IncompatibleStore("'" + path_ +
                                     "' is not an sslbind store (it is an "
                                     "SQLite database of another program)");
  }
  if (*version > LatestVersion()) {
    return Status::IncompatibleStore(
        "the store '" + path_ + "' has schema version " +
        std::to_string(*version) + ", newer than this sslbind knows (" +
        std::to_string(LatestVersion()) + "): upgrade sslbind");
  }
  return Status::Ok();
}

// Switches the file to WAL mode (persistent in the file). The switch needs
// an exclusive lock, and SQLite does not always wait for it through the busy
// handler when other processes are opening the same new store, so retry with
// a short backoff until the busy timeout.
Status SqliteBackend::EnableWal() {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(busy_timeout_ms_);
  for (int attempt = 0;; ++attempt) {
    Status s;
    {
      Result<Statement> stmt = db_.PrepareOwned("PRAGMA journal_mode = WAL",
                                                "cannot enable WAL mode");
      if (stmt.ok()) {
        int rc = stmt->Step();
        if (rc == SQLITE_ROW) {
          const auto* mode = reinterpret_cast<const char*>(
              sqlite3_column_text(stmt->get(), 0));
          if (mode != nullptr && FoldCase(mode) == "wal") return Status::Ok();
          rc = SQLITE_BUSY;  // still the old mode: another connection uses it
        }
        s = SqliteStatus(db_.get(), rc, "cannot enable WAL mode");
      } else {
        s = stmt.status();
      }
    }
    if (s.code() != StatusCode::kBusy ||
        std::chrono::steady_clock::now() >= deadline) {
      return s;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + attempt % 20));
  }
}

Status SqliteBackend::Migrate() {
  Status s = RegisterKeyTableMigrationFunctions(db_.get());
  if (!s.ok()) return s;
  Transaction txn(db_);
  s = txn.BeginImmediate("cannot lock '" + path_ + "' to upgrade it");
  if (!s.ok()) return s;
  // Another process may have migrated while we waited for the lock.
  s = CheckIdentity(&version_);
  for (const Migration& m : Migrations()) {
    if (!s.ok()) break;
    if (m.version <= version_) continue;
    s = db_.Exec(m.sql, std::string("schema migration ") + m.name + " failed");
    if (!s.ok()) break;
    std::string set_version =
        "PRAGMA user_version = " + std::to_string(m.version);
    s = db_.Exec(set_version.c_str(), "cannot record the schema version");
    if (s.ok()) version_ = m.version;
  }
  if (s.ok()) s = txn.Commit("cannot commit the schema upgrade");
  return s;  // rolled back unless committed
}

Status SqliteBackend::LeaveGuardIfWalAppeared() {
  if (!guard_ || guard_->Check().ok()) return Status::Ok();
  db_.Close();
  guard_.reset();
  Status s = db_.Open(file_, path_, SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READONLY);
  if (!s.ok()) return s;
  sqlite3_busy_timeout(db_.get(), busy_timeout_ms_);
  return Status::Ok();
}

Result<std::optional<RegistryKey>> SqliteBackend::GetKey(
    std::string_view path) {
  if (!has_schema_) return std::optional<RegistryKey>();
  Status left = LeaveGuardIfWalAppeared();
  if (!left.ok()) return left;
  ReadTransaction read(db_);
  if (compact()) {
    Result<std::optional<RegistryKey>> key = KeyTableGet(db_, path, version_);
    if (!key.ok()) return key;
    Status s = Guarded(guard_.get(), Status::Ok());
    if (!s.ok()) return s;
    return key;
  }
  Result<sqlite3_stmt*> prepared = db_.Prepare(kGetKey);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  stmt.BindText(1, FoldCase(path));
  int rc = stmt.Step();
  Status s = Guarded(guard_.get(),
                     SqliteStatus(db_.get(), rc, "cannot read the store"));
  if (!s.ok()) return s;
  if (rc == SQLITE_DONE) return std::optional<RegistryKey>();
  Result<RegistryKey> key = ReadKeyRow(stmt.get());
  if (!key.ok()) return key.status();
  return std::optional<RegistryKey>(std::move(*key));
}

Status SqliteBackend::ScanSubtree(std::string_view path,
                                  const KeyVisitor& visit) {
  if (!has_schema_) return Status::Ok();
  Status left = LeaveGuardIfWalAppeared();
  if (!left.ok()) return left;
  ReadTransaction read(db_);
  if (compact()) {
    Status s = KeyTableScan(db_, path, version_, visit);
    return s.ok() ? Guarded(guard_.get(), s) : s;
  }
  Result<sqlite3_stmt*> prepared = db_.Prepare(kScan);
  if (!prepared.ok()) return prepared.status();
  // A scan started by another scan's visitor (a certificate read while
  // `check` walks the bindings) gets a statement of its own: resetting the
  // cached one would end the outer scan early, silently.
  if (sqlite3_stmt_busy(*prepared)) {
    // The second level is cached too (the cache is keyed by the SQL
    // text's address): `check` reads 900,000 certificates this way.
    static const std::string kNestedScan = kScan;
    prepared = db_.Prepare(kNestedScan.c_str());
    if (!prepared.ok()) return prepared.status();
  }
  Result<Statement> owned =
      sqlite3_stmt_busy(*prepared)
          ? db_.PrepareOwned(kScan, "cannot read the store")
          : Result<Statement>(Statement(*prepared));
  if (!owned.ok()) return owned.status();
  Statement& stmt = *owned;
  stmt.BindText(1, FoldCase(path));
  // One read transaction for the whole scan: a consistent view. One key
  // object is refilled row after row: a visitor that only reads it costs no
  // allocation per row; one that moves it away costs what a new key would.
  RegistryKey key;
  while (true) {
    int rc = stmt.Step();
    if (rc == SQLITE_DONE) return Guarded(guard_.get(), Status::Ok());
    if (rc != SQLITE_ROW)
      return SqliteStatus(db_.get(), rc, "cannot read the store");
    Status s = ReadKeyRowInto(stmt.get(), &key);
    if (!s.ok()) return s;
    s = visit(std::move(key));
    if (!s.ok()) return s;
  }
}

// sslbind_order(path): the OrderKey of the scan running, as a BLOB (NULL
// for keys it leaves out).
void OrderFunction(sqlite3_context* context, int, sqlite3_value** args) {
  const auto* order = static_cast<const OrderKey*>(sqlite3_user_data(context));
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
  std::optional<std::string> place = (*order)(
      std::string_view(text ? text : "", sqlite3_value_bytes(args[0])));
  if (!place) {
    sqlite3_result_null(context);
    return;
  }
  sqlite3_result_blob(context, place->data(), static_cast<int>(place->size()),
                      SQLITE_TRANSIENT);
}

Status SqliteBackend::ScanSubtreeOrdered(std::string_view path,
                                         const OrderKey& order,
                                         const KeyVisitor& visit) {
  if (!has_schema_) return Status::Ok();
  Status left = LeaveGuardIfWalAppeared();
  if (!left.ok()) return left;
  ReadTransaction read(db_);
  if (compact()) {
    Status s = KeyTableScanOrdered(db_, path, version_, order, visit);
    return s.ok() ? Guarded(guard_.get(), s) : s;
  }
  // SQLite's sorter keeps up to cache_size in memory and merges sorted runs
  // from temporary files beyond that.
  constexpr const char* kScanOrdered =
      "SELECT path, vals FROM (SELECT path, vals, sslbind_order(path) AS o "
      "FROM registry_key WHERE path_folded >= ?1 AND path_folded < ?1 || ']' "
      "AND (path_folded = ?1 OR substr(path_folded, length(?1) + 1, 1) = "
      "'\\')) WHERE o IS NOT NULL ORDER BY o";
  int rc = sqlite3_create_function_v2(
      db_.get(), "sslbind_order", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
      const_cast<OrderKey*>(&order), OrderFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db_.get(), rc, "cannot sort keys");
  Result<Statement> stmt =
      db_.PrepareOwned(kScanOrdered, "cannot read the store");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, FoldCase(path));
  Status s;
  RegistryKey key;
  while (s.ok()) {
    rc = stmt->Step();
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      s = SqliteStatus(db_.get(), rc, "cannot read the store");
      break;
    }
    s = ReadKeyRowInto(stmt->get(), &key);
    if (s.ok()) s = visit(std::move(key));
  }
  return s.ok() ? Guarded(guard_.get(), s) : s;
}

template <typename Read>
Status SqliteBackend::ReadKeys(const Read& read) {
  if (!has_schema_) return Status::Ok();
  Status left = LeaveGuardIfWalAppeared();
  if (!left.ok()) return left;
  ReadTransaction transaction(db_);
  Status s = read();
  return s.ok() ? Guarded(guard_.get(), s) : s;
}

Status SqliteBackend::ScanInShowOrder(const KeyVisitor& visit) {
  return ReadKeys([&] {
    if (compact() && version_ >= kShowOrderKeysVersion)
      return KeyTableScanInShowOrder(db_, visit);
    return ScanSubtreeOrdered(kHttpParametersPath, ShowOrderOfPath, visit);
  });
}

Status SqliteBackend::ScanInRegistryOrder(std::string_view path,
                                          const KeyVisitor& visit) {
  return ReadKeys([&] {
    if (compact())
      return KeyTableScanInRegistryOrder(db_, path, version_, visit);
    return ScanSubtreeOrdered(path, RegistryOrderOfPath, visit);
  });
}

Result<uint64_t> SqliteBackend::ChangeCounter() {
  if (!has_schema_ || version_ < 2) return uint64_t{0};
  Status left = LeaveGuardIfWalAppeared();
  if (!left.ok()) return left;
  Result<sqlite3_stmt*> prepared = db_.Prepare(kGetCounter);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  int rc = stmt.Step();
  if (rc != SQLITE_ROW)
    return SqliteStatus(db_.get(), rc, "cannot read the change counter");
  Status s = Guarded(guard_.get(), Status::Ok());
  if (!s.ok()) return s;
  return static_cast<uint64_t>(sqlite3_column_int64(stmt.get(), 0));
}

// A deferred BEGIN: the snapshot is taken by the first read and kept until
// COMMIT (in WAL mode a writer does not disturb it). Through a
// WalAbsenceGuard no writer can commit unseen (a read after a writer
// started fails with Busy), so the reads run as they are. Within a running
// transaction body simply runs in it.
Status SqliteBackend::ReadSnapshot(const std::function<Status()>& body) {
  if (!has_schema_ || guard_ || !sqlite3_get_autocommit(db_.get())) {
    return body();
  }
  Transaction snapshot(db_);
  Status s = snapshot.Begin("cannot read the store");
  if (!s.ok()) return s;
  // Nothing is written: the guard ends the transaction by rolling it back,
  // however body returns or throws.
  return body();
}

Status SqliteBackend::WriteTransaction(
    const std::function<Status(RegistryTxn&)>& body) {
  if (!writable_) {
    return Status::AccessDenied("the store '" + path_ +
                                "' was opened read-only");
  }
  Transaction locked(db_);
  Status s = locked.BeginImmediate("cannot lock the store for writing");
  if (!s.ok()) return s;
  SqliteTxn txn(this);
  s = body(txn);
  if (s.ok()) {
    Result<sqlite3_stmt*> bump = db_.Prepare(kBumpCounter);
    if (!bump.ok()) {
      s = bump.status();
    } else {
      Statement stmt(*bump);
      int rc = stmt.Step();
      if (rc != SQLITE_DONE)
        s = SqliteStatus(db_.get(), rc, "cannot move the change counter");
    }
  }
  if (s.ok()) s = locked.Commit("cannot commit the change");
  if (s.ok()) TrimWal();
  return s;  // rolled back unless committed
}

// After a commit: when the -wal file has grown past kWalKeepBytes (a large
// batch writes a WAL as large as the data it changed, and while another
// connection -- a server, a reader -- has the store open the WAL outlives
// this writer and never shrinks), copies it into the store and truncates
// it, so that later commands do not read a large WAL. A checkpoint that
// cannot finish (a reader still needs the WAL) is left to a later write: the
// change is committed either way.
// Runs after the commit, so it must not throw (nor allocate): the outcome
// is decided.
void SqliteBackend::TrimWal() noexcept {
  constexpr off_t kWalKeepBytes = 4 << 20;
  struct stat st;
  if (stat(wal_file_.c_str(), &st) != 0 || st.st_size <= kWalKeepBytes) return;
  sqlite3_wal_checkpoint_v2(db_.get(), "main", SQLITE_CHECKPOINT_TRUNCATE,
                            nullptr, nullptr);
}

Result<uint64_t> SqliteBackend::JournalStart() {
  return SqliteJournalStart(db_, version());
}

Result<std::optional<RegistryBackend::CopiedAnchor>>
SqliteBackend::CopiedFrom() {
  return SqliteCopiedFrom(db_);
}

Status SqliteBackend::ReadJournal(const JournalQuery& query,
                                  const JournalVisitor& visit) {
  return SqliteReadJournal(db_, version(), query, visit);
}

Status SqliteBackend::CompactJournal(uint64_t before) {
  if (!writable_) {
    return Status::AccessDenied("the store '" + path_ +
                                "' was opened read-only");
  }
  Transaction locked(db_);
  Status s = locked.BeginImmediate("cannot lock the store for writing");
  if (!s.ok()) return s;
  s = SqliteCompactJournal(db_, before);
  if (s.ok()) s = locked.Commit("cannot commit the compaction");
  return s;  // rolled back unless committed
}

// A write transaction runs on a writable handle, whose store Open has
// brought up to the latest schema: always registry_node.
SqliteTxn::SqliteTxn(SqliteBackend* backend)
    : backend_(backend), keys_(backend->db()) {}

Result<uint64_t> SqliteTxn::Revision() {
  return SqliteRevision(backend_->db(), backend_->version());
}

Status SqliteTxn::AppendJournal(const JournalRecord& record) {
  return SqliteAppendJournal(backend_->db(), record);
}

Status SqliteTxn::Rebase(uint64_t revision, std::optional<uint64_t> anchor) {
  return SqliteRebase(backend_->db(), revision, anchor);
}

Result<std::optional<RegistryKey>> SqliteTxn::GetKey(std::string_view path) {
  return keys_.Get(path);
}

Status SqliteTxn::ScanSubtree(std::string_view path, const KeyVisitor& visit) {
  // The same connection: the scan sees this transaction's writes.
  return backend_->ScanSubtree(path, visit);
}

Result<bool> SqliteTxn::KeyExists(std::string_view path) {
  return keys_.Exists(path);
}

Status SqliteTxn::PutKey(const RegistryKey& key) {
  Result<bool> written = keys_.Write(key, /*replace=*/true);
  return written.ok() ? Status::Ok() : written.status();
}

Result<bool> SqliteTxn::AddKey(const RegistryKey& key) {
  return keys_.Write(key, /*replace=*/false);
}

Result<bool> SqliteTxn::DeleteKey(std::string_view path) {
  return keys_.Delete(path);
}

}  // namespace

Result<std::unique_ptr<RegistryBackend>> OpenSqliteBackend(
    const std::string& path, const std::string& resolved_path,
    const BackendOptions& options) {
  auto backend =
      std::make_unique<SqliteBackend>(path, resolved_path, options.writable);
  Status s = backend->Open(options);
  if (!s.ok()) return s;
  return std::unique_ptr<RegistryBackend>(std::move(backend));
}

}  // namespace sslbind::internal
