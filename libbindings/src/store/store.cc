// Store: bindings over a registry backend. All writes go through Write().
#include "sslbind/store.h"

#include <time.h>

#include <algorithm>

#include "certs/certificate_ops.h"
#include "certs/key_folder.h"
#include "model/exception_status.h"
#include "model/registry_codec.h"
#include "storage/migrations.h"
#include "storage/overlay_txn.h"
#include "storage/postgres_conn.h"
#include "storage/registry_backend.h"
#include "storage/replica_marker.h"
#include "storage/store_files.h"
#include "store/journal_txn.h"
#include "store/store_access.h"
#include "store/store_secrets.h"

namespace sslbind {

using internal::BindingKeyPath;
using internal::DecodeBinding;
using internal::EncodeBinding;
using internal::RegistryBackend;
using internal::RegistryTxn;

struct Store::Impl {
  std::string path;           // as given, for messages
  std::string resolved_path;  // what SQLite opened; the key folder is beside
  uid_t owner = 0;            // of the store file, when opened
  std::unique_ptr<RegistryBackend> backend;
  // For a store in PostgreSQL: its secrets, in the database.
  std::shared_ptr<const internal::SecretVault> vault;
  uint64_t last_written_revision = 0;
};

namespace internal {
RegistryBackend& StoreAccess::Backend(const Store& store) {
  return *store.impl_->backend;
}

KeyFolder StoreAccess::Keys(const Store& store, bool in_memory) {
  const Store::Impl& impl = *store.impl_;
  if (impl.vault) return KeyFolder::InVault(impl.vault, in_memory);
  if (in_memory) return KeyFolder::InMemory(store.KeyFolderPath());
  return KeyFolder(store.KeyFolderPath(), impl.owner);
}

Status StoreAccess::RefuseIfReplica(const Store& store) {
  const Store::Impl& impl = *store.impl_;
  if (impl.resolved_path.empty()) return Status::Ok();
  Result<std::optional<std::string>> source =
      ReadReplicaMarker(impl.resolved_path);
  if (!source.ok()) return source.status();
  if (!*source) return Status::Ok();
  return Status::AccessDenied(
      "the store '" + impl.path + "' is a replica of '" + **source +
      "' (sslbind replicate): make changes there, not here");
}

const std::string& StoreAccess::ResolvedPath(const Store& store) {
  return store.impl_->resolved_path;
}
}  // namespace internal

namespace {

constexpr size_t kProgressEvery = 1024;

// Applies the operations of one batch inside its transaction, as
// WriteBatch::Iterate tells them, and reports progress.
class BatchApplier final : public WriteBatch::Handler {
 public:
  BatchApplier(RegistryTxn& txn, const internal::KeyFolder& keys,
               internal::FileChanges& files, const WriteOptions& options,
               size_t total)
      : txn_(txn),
        options_(options),
        total_(total),
        certificates_(txn, keys, files) {}

  Status Add(const Binding& binding) override {
    return Counted(AddBinding(binding));
  }
  Status Put(const Binding& binding) override {
    Status s = ValidateBinding(binding);
    return Counted(s.ok() ? PutBinding(binding) : s);
  }
  Status Update(const BindingKey& key, const BindingPatch& patch) override {
    return Counted(UpdateBinding(key, patch));
  }
  Status Delete(const BindingKey& key) override {
    return Counted(DeleteBinding(key, /*must_exist=*/true));
  }
  Status Erase(const BindingKey& key) override {
    return Counted(DeleteBinding(key, /*must_exist=*/false));
  }
  Status PutCertificate(const std::string& store_name,
                        const CertificateBundle& bundle) override {
    return Counted(certificates_.PutCertificate(store_name, bundle));
  }
  Status DeleteCertificate(const std::string& store_name,
                           const std::vector<uint8_t>& thumbprint,
                           bool force) override {
    return Counted(
        certificates_.DeleteCertificate(store_name, thumbprint, force));
  }
  Status EnableCcs(const std::string& folder,
                   const std::optional<std::string>& password) override {
    return Counted(certificates_.SetCcs(true, folder, password));
  }
  Status DisableCcs() override {
    return Counted(certificates_.SetCcs(false, "", std::nullopt));
  }

 private:
  // Reports progress after every kProgressEvery operations applied.
  Status Counted(Status s) {
    ++done_;
    if (s.ok() && options_.progress && done_ % kProgressEvery == 0) {
      options_.progress(done_, total_);
    }
    return s;
  }
  Status AddBinding(const Binding& binding);
  Status UpdateBinding(const BindingKey& key, const BindingPatch& patch);
  Status DeleteBinding(const BindingKey& key, bool must_exist);
  Status VerifyBinding(const Binding& binding) {
    if (!options_.verify_certificates) return Status::Ok();
    return certificates_.VerifyBinding(binding);
  }
  Status PutBinding(const Binding& binding) {
    Status s = VerifyBinding(binding);
    if (!s.ok()) return s;
    return txn_.PutKey(EncodeBinding(binding));
  }

  RegistryTxn& txn_;
  const WriteOptions& options_;
  const size_t total_;
  size_t done_ = 0;
  internal::CertificateWriter certificates_;
};

Status BatchApplier::AddBinding(const Binding& binding) {
  Status s = ValidateBinding(binding);
  if (!s.ok()) return s;
  Result<bool> added = txn_.AddKey(EncodeBinding(binding));
  if (!added.ok()) return added.status();
  if (!*added) {
    return Status::AlreadyExists(binding.key.ToParam() + " already exists");
  }
  // A failed check rolls the whole batch back, the key with it.
  return VerifyBinding(binding);
}

Status BatchApplier::UpdateBinding(const BindingKey& key,
                                   const BindingPatch& patch) {
  Result<std::optional<RegistryKey>> raw = txn_.GetKey(BindingKeyPath(key));
  if (!raw.ok()) return raw.status();
  if (!*raw) return Status::NotFound(key.ToParam() + " does not exist");
  Result<Binding> binding = DecodeBinding(**raw);
  if (!binding.ok()) return binding.status();
  Status s = patch.ApplyTo(*binding);
  if (!s.ok()) return s;
  return PutBinding(*binding);
}

Status BatchApplier::DeleteBinding(const BindingKey& key, bool must_exist) {
  Result<bool> existed = txn_.DeleteKey(BindingKeyPath(key));
  if (!existed.ok()) return existed.status();
  if (!*existed && must_exist) {
    return Status::NotFound(key.ToParam() + " does not exist");
  }
  return Status::Ok();
}

// The revision the transaction starts from; RevisionMismatch (1306) if
// the caller expected another (compare-and-swap).
Result<uint64_t> CheckRevision(RegistryTxn& txn, const WriteOptions& options) {
  Result<uint64_t> current = txn.Revision();
  if (!current.ok()) return current.status();
  if (options.expected_revision && *options.expected_revision != *current) {
    return Status::RevisionMismatch(
        "the store is at revision " + std::to_string(*current) + ", not " +
        std::to_string(*options.expected_revision) +
        " as expected: another change was made since");
  }
  return current;
}

internal::BackendOptions BackendOptionsOf(const StoreOptions& options) {
  return {.writable = options.writable,
          .create_if_missing = options.create_if_missing,
          .busy_timeout_ms = options.busy_timeout_ms,
          .missing_is_empty = options.missing_is_empty};
}

// Runs every operation `source` hands over in `txn`, stopping at the first
// failure (its index over every piece goes to *failed_op).
Status ApplySource(RegistryTxn& txn, const internal::KeyFolder& keys,
                   internal::FileChanges& files, const WriteBatchSource& source,
                   size_t total, const WriteOptions& options,
                   size_t* failed_op) {
  BatchApplier applier(txn, keys, files, options, total);
  size_t applied = 0;  // operations of the pieces before this one
  Status failure;      // of the operation that failed, if one did
  bool failed = false;
  Status s = source([&](const WriteBatch& piece) -> Status {
    if (failed) return failure;
    size_t index = 0;
    Status op = piece.Iterate(&applier, &index);
    if (!op.ok()) {
      failed = true;
      failure = op;
      if (failed_op) *failed_op = applied + index;
      return op;
    }
    applied += piece.size();
    return Status::Ok();
  });
  if (failed) return failure;
  if (!s.ok()) return s;
  if (options.progress) options.progress(applied, total);
  return Status::Ok();
}

// The source of a write of one whole batch.
WriteBatchSource WholeBatch(const WriteBatch& batch) {
  return [&batch](const WriteBatchSink& write) { return write(batch); };
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Result<Store> Store::Open(const std::string& path,
                          const StoreOptions& options) try {
  // Opening a writer may create and migrate the store: a failure at any
  // point, an exception included, leaves no transaction open.
  if (path.empty()) return Status::InvalidArgument("the store path is empty");
  if (internal::IsPostgresUri(path)) {
    std::optional<internal::FarmKey> key;
    if (!options.key_file.empty()) {
      Result<internal::FarmKey> read =
          internal::FarmKey::Read(options.key_file);
      if (!read.ok()) return read.status();
      key.emplace(*read);
    }
    auto backend =
        internal::OpenPostgresBackend(path, BackendOptionsOf(options));
    if (!backend.ok()) return backend.status();
    auto impl = std::make_unique<Impl>();
    impl->path = internal::RedactedUri(path);
    impl->backend = std::move(*backend);
    impl->vault = std::make_shared<internal::BackendVault>(impl->backend.get(),
                                                           std::move(key));
    return Store(std::move(impl));
  }
  std::string resolved = internal::ResolveStorePath(path);
  if (options.writable) {
    // Before anything is created: a refused writer leaves no store behind.
    const uid_t owner = internal::StoreOwner(resolved);
    Status s = internal::CheckStoreFolder(resolved, owner);
    if (s.ok())
      s = internal::KeyFolder(resolved + ".keys", owner).CheckTrusted();
    if (!s.ok()) return s;
  }
  auto backend =
      internal::OpenSqliteBackend(path, resolved, BackendOptionsOf(options));
  if (!backend.ok()) return backend.status();
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->owner = internal::StoreOwner(resolved);
  impl->resolved_path = std::move(resolved);
  impl->backend = std::move(*backend);
  return Store(std::move(impl));
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<std::vector<Binding>> Store::List() const try {
  // Through ForEach: one scan, one read transaction, one commit's bindings.
  std::vector<Binding> bindings;
  Status s = ForEach([&](const Binding& b) {
    bindings.push_back(b);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  std::sort(bindings.begin(), bindings.end(),
            [](const Binding& a, const Binding& b) { return a.key < b.key; });
  return bindings;
} catch (...) {
  return internal::StatusOfCurrentException();
}

Status Store::ForEach(
    const std::function<Status(const Binding&)>& visit) const try {
  // One scan of the whole Parameters subtree is one SQLite statement, hence
  // one read transaction: bindings of every kind come from the same commit.
  const std::string root(kHttpParametersPath);
  return impl_->backend->ScanSubtree(root, [&](RegistryKey&& key) {
    if (!internal::IsBindingKeyPath(key.path)) return Status::Ok();
    Result<Binding> b = DecodeBinding(key);
    if (!b.ok()) return b.status();
    return visit(*b);
  });
} catch (...) {
  return internal::StatusOfCurrentException();
}

Status Store::ForEachSorted(
    const std::function<Status(const Binding&)>& visit) const try {
  // A key whose name does not parse still gets a place (after every
  // binding), so that DecodeBinding reports it as ForEach would.
  return impl_->backend->ScanInShowOrder([&](RegistryKey&& key) {
    Result<Binding> b = DecodeBinding(key);
    if (!b.ok()) return b.status();
    return visit(*b);
  });
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<Binding> Store::Get(const BindingKey& key) const try {
  Result<std::optional<RegistryKey>> raw =
      impl_->backend->GetKey(BindingKeyPath(key));
  if (!raw.ok()) return raw.status();
  if (!*raw) return Status::NotFound(key.ToParam() + " does not exist");
  return DecodeBinding(**raw);
} catch (...) {
  return internal::StatusOfCurrentException();
}

Status Store::Add(const Binding& binding, const WriteOptions& options) {
  WriteBatch batch;
  batch.Add(binding);
  return Write(batch, options);
}

Status Store::Update(const BindingKey& key, const BindingPatch& patch,
                     const WriteOptions& options) {
  WriteBatch batch;
  batch.Update(key, patch);
  return Write(batch, options);
}

Status Store::Delete(const BindingKey& key) {
  WriteBatch batch;
  batch.Delete(key);
  return Write(batch);
}

Status Store::Write(const WriteBatch& batch, size_t* failed_op) {
  return Write(batch, WriteOptions{}, failed_op);
}

Status Store::Write(const WriteBatch& batch, const WriteOptions& options,
                    size_t* failed_op) {
  return WriteFrom(WholeBatch(batch), batch.size(), options, failed_op);
}

Status Store::Write(const WriteBatchSource& source, const WriteOptions& options,
                    size_t* failed_op) {
  return WriteFrom(source, 0, options, failed_op);
}

Status Store::WriteFrom(const WriteBatchSource& source, size_t total,
                        const WriteOptions& options, size_t* failed_op) try {
  Status refused = internal::StoreAccess::RefuseIfReplica(*this);
  if (!refused.ok()) return refused;
  const internal::KeyFolder keys = internal::StoreAccess::Keys(*this);
  // Declared before the transaction runs, so destroyed after it rolled
  // back: the files of a failed batch go, however it failed.
  internal::FileChanges files;
  uint64_t revision = 0;
  Status s = impl_->backend->WriteTransaction([&](RegistryTxn& txn) {
    // A backend may run the body again after a conflict: start afresh.
    files.RolledBack();
    Result<uint64_t> current = CheckRevision(txn, options);
    if (!current.ok()) return current.status();
    timespec locked_at{};
    clock_gettime(CLOCK_REALTIME_COARSE, &locked_at);
    internal::RemoveStaleKeyFiles(txn, keys, locked_at);
    internal::JournalingTxn journaled(txn, total);
    Status applied = ApplySource(journaled, keys, files, source, total,
                                 options, failed_op);
    if (!applied.ok()) return applied;
    internal::JournalRecord record = internal::MakeJournalRecord(options);
    record.revision = revision = *current + 1;
    Status taken = journaled.TakeChanges(&record);
    if (!taken.ok()) return taken;
    return txn.AppendJournal(record);
  });
  // Neither throws: the outcome stands as committed or rolled back.
  if (s.ok()) {
    impl_->last_written_revision = revision;
    files.Committed();
  } else {
    files.RolledBack();
  }
  return s;
} catch (...) {
  return internal::StatusOfCurrentException();
}

Status Store::Check(const WriteBatch& batch, size_t* failed_op) const {
  return Check(batch, WriteOptions{}, failed_op);
}

Status Store::Check(const WriteBatch& batch, const WriteOptions& options,
                    size_t* failed_op) const {
  return CheckFrom(WholeBatch(batch), batch.size(), options, failed_op);
}

Status Store::Check(const WriteBatchSource& source, const WriteOptions& options,
                    size_t* failed_op) const {
  return CheckFrom(source, 0, options, failed_op);
}

Status Store::CheckFrom(const WriteBatchSource& source, size_t total,
                        const WriteOptions& options,
                        size_t* failed_op) const try {
  internal::OverlayTxn txn(*impl_->backend);
  // Key files a dry run would write stay in memory; FileChanges is dropped
  // without removing anything, as nothing reached the disk.
  const internal::KeyFolder keys =
      internal::StoreAccess::Keys(*this, /*in_memory=*/true);
  internal::FileChanges files{internal::FileChanges::InMemory{}};
  if (options.expected_revision) {
    Result<uint64_t> current = CheckRevision(txn, options);
    if (!current.ok()) return current.status();
  }
  return ApplySource(txn, keys, files, source, total, options, failed_op);
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<uint64_t> Store::ChangeCounter() const try {
  return impl_->backend->ChangeCounter();
} catch (...) {
  return internal::StatusOfCurrentException();
}

Result<uint64_t> Store::Revision() const try {
  return impl_->backend->ChangeCounter();
} catch (...) {
  return internal::StatusOfCurrentException();
}

Status Store::ReadAtOneRevision(
    const std::function<Status(uint64_t revision)>& body) const try {
  return impl_->backend->ReadSnapshot([&] {
    Result<uint64_t> revision = impl_->backend->ChangeCounter();
    if (!revision.ok()) return revision.status();
    return body(*revision);
  });
} catch (...) {
  return internal::StatusOfCurrentException();
}

uint64_t Store::last_written_revision() const {
  return impl_->last_written_revision;
}

Result<std::vector<RegistryKey>> Store::ReadRegistry(
    std::string_view path) const try {
  std::vector<RegistryKey> keys;
  Status s = impl_->backend->ScanSubtree(path, [&](RegistryKey&& key) {
    keys.push_back(std::move(key));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return keys;
} catch (...) {
  return internal::StatusOfCurrentException();
}

Status Store::ForEachRegistryKey(
    std::string_view path,
    const std::function<Status(const RegistryKey&)>& visit) const try {
  return impl_->backend->ScanInRegistryOrder(
      path, [&](RegistryKey&& key) { return visit(key); });
} catch (...) {
  return internal::StatusOfCurrentException();
}

const std::string& Store::path() const { return impl_->path; }

std::string Store::KeyFolderPath() const {
  if (impl_->resolved_path.empty()) return "";  // in PostgreSQL: none
  return impl_->resolved_path + ".keys";
}

Status WriteNewFarmKey(const std::string& path) {
  return internal::FarmKey::WriteNew(path);
}

int Store::SchemaVersion() { return internal::Migrations().back().version; }

}  // namespace sslbind
