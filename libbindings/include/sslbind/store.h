// sslbind/store.h: the binding store, a registry hive kept in SQLite.
//
// A Store is a handle on one store file. Reading never creates or changes
// the file. Writing goes through Write(), one transaction per batch: the
// batch lands whole or not at all, whatever fails (a bad binding, a taken
// key, a full disk, a killed process). Concurrent writers, in this process
// or others, queue for up to StoreOptions::busy_timeout_ms.
//
// A Store is movable, not copyable, and not thread-safe: give each thread
// its own handle (opening one is cheap), or guard one with a mutex.
#ifndef SSLBIND_STORE_H_
#define SSLBIND_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/parameters.h"
#include "sslbind/registry.h"
#include "sslbind/status.h"
#include "sslbind/write_batch.h"

namespace sslbind {

// The machine-wide store: one per machine, as the registry is.
inline constexpr std::string_view kDefaultStorePath =
    "/var/lib/sslbind/bindings.db";

struct StoreOptions {
  // Open for writing. A read-only handle refuses Write() with AccessDenied.
  bool writable = false;
  // With writable: create the file, and its folders, if missing.
  bool create_if_missing = false;
  // How long a writer waits for another writer before giving up with Busy.
  int busy_timeout_ms = 10000;
  // Read-only: a file that does not exist opens as an empty store instead of
  // failing with NotFound, and is not created. For dry runs and listings of
  // a store that was never written.
  bool missing_is_empty = false;
  // A store in PostgreSQL: the farm key file (docs/farm.md) that seals the
  // private keys and the CCS password kept in the database; Open fails if
  // it cannot be read (NotFound, AccessDenied if group or others may read
  // it, InvalidArgument if malformed). Without it, certificates and
  // bindings read as usual, and writing or loading a private key fails
  // (InvalidArgument, AccessDenied). A store file ignores it: its keys are
  // 0600 files in its key folder.
  std::string key_file{};
};

// Writes a new farm key (StoreOptions::key_file) to `path`, mode 0600: 64
// random hex digits. AlreadyExists (4) if `path` exists, which is never
// overwritten (the secrets sealed with that key would be lost);
// AccessDenied or IoError if it cannot be created.
Status WriteNewFarmKey(const std::string& path);

// Told how far a long Write or Check has got: `done` of `total` operations
// applied (`total` is 0 for a write from a WriteBatchSource, which does not
// know it). Called on the calling thread, after every 1024 operations and
// once at the end (before the commit); it must not use the store.
using WriteProgress = std::function<void(size_t done, size_t total)>;

// A write in pieces (Store::Write with a source): applies the operations of
// `piece` in the write's transaction, after those of the earlier pieces,
// and returns the first failure -- the status the Write will return. After
// a failure the write is lost: later calls apply nothing and return that
// status again.
using WriteBatchSink = std::function<Status(const WriteBatch& piece)>;
// Hands the operations of one write to `write` a piece at a time, from
// inside the write's transaction, so that a write of a million bindings
// never holds them all; returns OK to commit them, anything else to roll
// back. It may be called more than once for one Write (a store in
// PostgreSQL runs the transaction again after a serialization conflict):
// each call must hand over the same operations from the first. It must
// not use the store.
using WriteBatchSource = std::function<Status(const WriteBatchSink& write)>;

struct WriteOptions {
  // Check added, put and updated ipport and hostnameport bindings as
  // HttpSetServiceConfiguration (and so netsh) does: their certificate must
  // be in the certificate store they name (MY when none) and have a private
  // key in the key folder, else the write fails with CertificateUnusable
  // (1312), in the same transaction as the change. Off by default: a Store
  // is the registry, and writing the registry does not check either --
  // bindings prepared for another machine, or imported from one, name
  // certificates this machine does not have. `sslbind add`, `update`, `-f`
  // and `apply` turn it on unless given --no-verify; `import` does not.
  bool verify_certificates = false;
  // Told how far the batch has got; none by default.
  WriteProgress progress{};
  // Compare-and-swap: write only if the store is still at this revision
  // (Store::Revision()); if another batch committed since, the write is
  // refused with RevisionMismatch (1306) and nothing is written.
  std::optional<uint64_t> expected_revision{};
  // The journal (journal.h): why, free text, empty for none.
  std::string reason{};
  // The journal: who, beside the user, host and process the store fills
  // in. Library callers name themselves ("my-server 1.2 renewal job");
  // empty: this process's command line. Secret values (password=...) are
  // written as *** either way.
  std::string actor{};
};

namespace internal {
struct StoreAccess;
}  // namespace internal

// No exception leaves a Store call, nor the journal and certificate calls
// that take a Store: one thrown inside (out of memory, or thrown by a
// caller's visitor or progress callback) comes back as Internal (1359,
// "out of memory" or "unexpected exception: ..."), with any transaction
// rolled back.
class Store {
 public:
  // Opens the store at `path`.
  // - NotFound (2) if the file does not exist and was not to be created.
  // - AccessDenied (5) if writable was asked and the caller may not write
  //   the file or its folder, or the folder holding the store or its key
  //   folder may not be trusted (owned by someone other than the store's
  //   owner, the caller or root, or writable by group or others; see
  //   docs/hardening.md); nothing is created or touched.
  // - IncompatibleStore if the file is not an sslbind store, or was written
  //   by a newer sslbind (its schema is newer than this library knows).
  // A writable open brings an older schema up to date; a read-only open
  // reads it as it is. An empty file reads as an empty store.
  //
  // A `path` beginning with postgresql:// or postgres:// is a libpq URI of a
  // store in PostgreSQL (docs/farm.md), with the same statuses; a database
  // without sslbind's tables is a store that does not exist yet, and the
  // first writer creates them. In addition:
  // - InvalidArgument (1) if libpq cannot parse the URI.
  // - IoError (8) if the server cannot be reached, refuses the login, or
  //   has no such database; and from any later call, if the connection is
  //   lost (a write then commits nothing).
  // Messages name such a store by its URI with the password written as ***.
  static Result<Store> Open(const std::string& path,
                            const StoreOptions& options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  // Every binding, in `show` order (see BindingKey's ordering), from one
  // consistent read of the store, as ForEach.
  Result<std::vector<Binding>> List() const;
  // Calls `visit` once with every binding, in no particular order, from one
  // consistent read of the store: a write that commits meanwhile is seen
  // whole or not at all. Cheaper than List() for large stores (no sort, no
  // vector of every binding). A non-OK status from `visit` stops the walk
  // and is returned.
  Status ForEach(const std::function<Status(const Binding&)>& visit) const;
  // Calls `visit` once with every binding, in `show` order, from one
  // consistent read of the store: List() one binding at a time. Memory
  // stays small whatever the store's size (beyond a few MB the sort runs
  // in temporary files). A non-OK status from `visit` stops the walk and is
  // returned.
  Status ForEachSorted(
      const std::function<Status(const Binding&)>& visit) const;
  // The binding with that key; NotFound (2) if there is none.
  Result<Binding> Get(const BindingKey& key) const;

  // One-operation batches.
  Status Add(const Binding& binding, const WriteOptions& options = {});
  Status Update(const BindingKey& key, const BindingPatch& patch,
                const WriteOptions& options = {});
  Status Delete(const BindingKey& key);

  // Applies the batch in one transaction, as one new revision journaled in
  // the same transaction (see journal.h). If an operation fails, nothing is
  // applied, the status names the operation's key, and *failed_op (if given)
  // is set to its index in the batch. RevisionMismatch (1306), with
  // *failed_op untouched, if options.expected_revision is set and the store
  // moved past it. Running out of memory anywhere in the write, or an
  // exception from options.progress, is Internal (1359: "out of memory",
  // "unexpected exception: ..."), *failed_op untouched, with nothing applied
  // and no file written beside the store left behind.
  Status Write(const WriteBatch& batch, size_t* failed_op = nullptr);
  Status Write(const WriteBatch& batch, const WriteOptions& options,
               size_t* failed_op = nullptr);
  // Write, the batch handed over in pieces by `source` (see
  // WriteBatchSource): one transaction, one revision, nothing visible to
  // any reader before it commits, and nothing written if anything fails.
  // Returns the status of the first operation that failed (*failed_op its
  // index counted over every piece), else the source's status if not OK
  // (rolled back), else the commit's. Write(batch) is this with a source
  // that hands over the batch whole.
  Status Write(const WriteBatchSource& source, const WriteOptions& options,
               size_t* failed_op = nullptr);

  // A dry run of Write: checks the batch against the store's current
  // contents exactly as Write would -- each operation seeing the effect of
  // the ones before it, certificates verified as `options` asks -- and
  // returns the status Write would return, with the same *failed_op, but
  // changes nothing: no key, no key file. It takes no lock and works on a
  // read-only handle. (A concurrent writer may still change the store
  // between a Check and a later Write.)
  Status Check(const WriteBatch& batch, size_t* failed_op = nullptr) const;
  Status Check(const WriteBatch& batch, const WriteOptions& options,
               size_t* failed_op = nullptr) const;
  // Check of a write in pieces, as Write(source, ...) would make it; the
  // changes checked so far are held in memory until it returns.
  Status Check(const WriteBatchSource& source, const WriteOptions& options,
               size_t* failed_op = nullptr) const;

  // A number that changes whenever a write commits, from any process. Cheap:
  // poll it to learn when to rebuild a snapshot. The same as Revision().
  Result<uint64_t> ChangeCounter() const;
  // The store's revision: moved by exactly one by every committed batch,
  // from any process; 0 for a store never written. Cheap.
  Result<uint64_t> Revision() const;
  // The revision the last successful Write of this handle committed; 0
  // before one.
  uint64_t last_written_revision() const;
  // Calls `body` with the store's revision inside one read transaction:
  // every read of this Store that body makes (List, ForEach, ForEachSorted,
  // Get, ForEachRegistryKey, ReadRegistry) sees the bindings of exactly
  // that revision, whatever other writers commit meanwhile -- so a plan
  // made from them can be written with expected_revision = revision.
  // Returns body's status, or the status of reading the revision. body must
  // not write through this handle.
  Status ReadAtOneRevision(
      const std::function<Status(uint64_t revision)>& body) const;

  // The raw registry keys under `path` (the key itself and every key below
  // it), ordered by path. For export and inspection.
  Result<std::vector<RegistryKey>> ReadRegistry(
      std::string_view path = kHttpParametersPath) const;

  // ReadRegistry a key at a time, in the order of a .reg file: depth
  // first, siblings in case-insensitive name order (see FormatRegFile),
  // from one consistent read, in bounded memory as ForEachSorted.
  Status ForEachRegistryKey(
      std::string_view path,
      const std::function<Status(const RegistryKey&)>& visit) const;

  const std::string& path() const;
  // The folder of private keys and the CCS password: the store file's path
  // with every symbolic link resolved (the file SQLite opens), + ".keys".
  // So a store reached through a link and by its own name has one key
  // folder.
  // Empty for a store in PostgreSQL, which has no key folder.
  std::string KeyFolderPath() const;

  // The schema version this library writes (PRAGMA user_version).
  static int SchemaVersion();

 private:
  friend struct internal::StoreAccess;
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  // Write and Check of `total` operations (0: unknown) from `source`.
  Status WriteFrom(const WriteBatchSource& source, size_t total,
                   const WriteOptions& options, size_t* failed_op);
  Status CheckFrom(const WriteBatchSource& source, size_t total,
                   const WriteOptions& options, size_t* failed_op) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sslbind

#endif  // SSLBIND_STORE_H_
