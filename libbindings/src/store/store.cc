// Store: bindings over a registry backend. All writes go through Write().
#include "sslbind/store.h"

#include <time.h>

#include <algorithm>

#include "certs/certificate_ops.h"
#include "certs/key_folder.h"
#include "store/journal_txn.h"
#include "model/registry_codec.h"
#include "storage/migrations.h"
#include "storage/overlay_txn.h"
#include "storage/postgres_conn.h"
#include "storage/registry_backend.h"
#include "storage/store_files.h"
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
}  // namespace internal

namespace {

// Applies the operations of one batch inside its transaction.
class BatchApplier {
 public:
  BatchApplier(RegistryTxn& txn, const internal::KeyFolder& keys,
               internal::FileChanges& files, const WriteOptions& options)
      : txn_(txn), options_(options), certificates_(txn, keys, files) {}

  Status Apply(const WriteBatch::Op& op);

 private:
  Status ApplyBindingOp(const WriteBatch::Op& op);
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
  internal::CertificateWriter certificates_;
};

Status BatchApplier::Apply(const WriteBatch::Op& op) {
  switch (op.type) {
    case WriteBatch::OpType::kPutCertificate:
      return certificates_.PutCertificate(*op.certificate);
    case WriteBatch::OpType::kDeleteCertificate:
      return certificates_.DeleteCertificate(*op.certificate);
    case WriteBatch::OpType::kSetCcs: return certificates_.SetCcs(*op.ccs);
    default: return ApplyBindingOp(op);
  }
}

Status BatchApplier::ApplyBindingOp(const WriteBatch::Op& op) {
  if (!op.key) return Status::Internal("binding operation without a key");
  auto name = [&op] { return op.key->ToParam(); };  // for messages only
  switch (op.type) {
    case WriteBatch::OpType::kAdd:
    case WriteBatch::OpType::kPut: {
      Status s = ValidateBinding(*op.binding);
      if (!s.ok()) return s;
      if (op.type == WriteBatch::OpType::kAdd) {
        Result<bool> added = txn_.AddKey(EncodeBinding(*op.binding));
        if (!added.ok()) return added.status();
        if (!*added) return Status::AlreadyExists(name() + " already exists");
        // A failed check rolls the whole batch back, the key with it.
        return VerifyBinding(*op.binding);
      }
      return PutBinding(*op.binding);
    }
    case WriteBatch::OpType::kUpdate: {
      Result<std::optional<RegistryKey>> key =
          txn_.GetKey(BindingKeyPath(*op.key));
      if (!key.ok()) return key.status();
      if (!*key) return Status::NotFound(name() + " does not exist");
      Result<Binding> binding = DecodeBinding(**key);
      if (!binding.ok()) return binding.status();
      Status s = op.patch.ApplyTo(*binding);
      if (!s.ok()) return s;
      return PutBinding(*binding);
    }
    case WriteBatch::OpType::kDelete:
    case WriteBatch::OpType::kErase: {
      Result<bool> existed = txn_.DeleteKey(BindingKeyPath(*op.key));
      if (!existed.ok()) return existed.status();
      if (!*existed && op.type == WriteBatch::OpType::kDelete) {
        return Status::NotFound(name() + " does not exist");
      }
      return Status::Ok();
    }
    default: break;
  }
  return Status::Internal("unknown batch operation");
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

constexpr size_t kProgressEvery = 1024;

internal::BackendOptions BackendOptionsOf(const StoreOptions& options) {
  return {.writable = options.writable,
          .create_if_missing = options.create_if_missing,
          .busy_timeout_ms = options.busy_timeout_ms,
          .missing_is_empty = options.missing_is_empty};
}

// Runs every operation of the batch in `txn`, stopping at the first failure
// (its index goes to *failed_op).
Status ApplyBatch(RegistryTxn& txn, const internal::KeyFolder& keys,
                  internal::FileChanges& files, const WriteBatch& batch,
                  const WriteOptions& options, size_t* failed_op) {
  BatchApplier applier(txn, keys, files, options);
  const size_t total = batch.ops().size();
  for (size_t i = 0; i < total; ++i) {
    Status s = applier.Apply(batch.ops()[i]);
    if (!s.ok()) {
      if (failed_op) *failed_op = i;
      return s;
    }
    if (options.progress && (i + 1) % kProgressEvery == 0) {
      options.progress(i + 1, total);
    }
  }
  if (options.progress) options.progress(total, total);
  return Status::Ok();
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Result<Store> Store::Open(const std::string& path,
                          const StoreOptions& options) {
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
}

Result<std::vector<Binding>> Store::List() const {
  std::vector<Binding> bindings;
  for (BindingKind kind : kAllBindingKinds) {
    const std::string parent = internal::KindKeyPath(kind);
    Status s = impl_->backend->ScanSubtree(parent, [&](RegistryKey&& key) {
      if (key.path.size() == parent.size()) return Status::Ok();  // the parent
      Result<Binding> b = DecodeBinding(key);
      if (!b.ok()) return b.status();
      bindings.push_back(std::move(*b));
      return Status::Ok();
    });
    if (!s.ok()) return s;
  }
  std::sort(bindings.begin(), bindings.end(),
            [](const Binding& a, const Binding& b) { return a.key < b.key; });
  return bindings;
}

Status Store::ForEach(
    const std::function<Status(const Binding&)>& visit) const {
  // One scan of the whole Parameters subtree is one SQLite statement, hence
  // one read transaction: bindings of every kind come from the same commit.
  const std::string root(kHttpParametersPath);
  return impl_->backend->ScanSubtree(root, [&](RegistryKey&& key) {
    if (!internal::IsBindingKeyPath(key.path)) return Status::Ok();
    Result<Binding> b = DecodeBinding(key);
    if (!b.ok()) return b.status();
    return visit(*b);
  });
}

namespace {

// Bytes that compare (as unsigned chars) as BindingKey's operator<=>: kind,
// address family and bytes, host name (NUL-terminated: a shorter name
// first), port big-endian.
std::string OrderBytes(const BindingKey& key) {
  std::string out;
  out.reserve(22 + key.hostname().size());
  out += static_cast<char>(key.kind());
  out += static_cast<char>(key.address().family);
  out.append(reinterpret_cast<const char*>(key.address().bytes.data()),
             key.address().bytes.size());
  out += key.hostname();
  out += '\0';
  out += static_cast<char>(key.port() >> 8);
  out += static_cast<char>(key.port() & 0xff);
  return out;
}

}  // namespace

Status Store::ForEachSorted(
    const std::function<Status(const Binding&)>& visit) const {
  // A key whose name does not parse still gets a place (after every
  // binding), so that DecodeBinding reports it as ForEach would.
  auto order = [](std::string_view path) -> std::optional<std::string> {
    if (!internal::IsBindingKeyPath(path)) return std::nullopt;
    Result<BindingKey> key = internal::BindingKeyOfPath(path);
    if (!key.ok()) return std::string(1, '\xff') + std::string(path);
    return OrderBytes(*key);
  };
  const std::string root(kHttpParametersPath);
  return impl_->backend->ScanSubtreeOrdered(
      root, order, [&](RegistryKey&& key) {
        Result<Binding> b = DecodeBinding(key);
        if (!b.ok()) return b.status();
        return visit(*b);
      });
}

Result<Binding> Store::Get(const BindingKey& key) const {
  Result<std::optional<RegistryKey>> raw =
      impl_->backend->GetKey(BindingKeyPath(key));
  if (!raw.ok()) return raw.status();
  if (!*raw) return Status::NotFound(key.ToParam() + " does not exist");
  return DecodeBinding(**raw);
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
  const internal::KeyFolder keys = internal::StoreAccess::Keys(*this);
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
    internal::JournalingTxn journaled(txn, batch.size());
    Status applied =
        ApplyBatch(journaled, keys, files, batch, options, failed_op);
    if (!applied.ok()) return applied;
    internal::JournalRecord record = internal::MakeJournalRecord(options);
    record.revision = revision = *current + 1;
    record.changes = journaled.TakeChanges();
    return txn.AppendJournal(record);
  });
  if (s.ok()) {
    impl_->last_written_revision = revision;
    files.Committed();
  } else {
    files.RolledBack();
  }
  return s;
}

Status Store::Check(const WriteBatch& batch, size_t* failed_op) const {
  return Check(batch, WriteOptions{}, failed_op);
}

Status Store::Check(const WriteBatch& batch, const WriteOptions& options,
                    size_t* failed_op) const {
  internal::OverlayTxn txn(*impl_->backend);
  // Key files a dry run would write stay in memory; FileChanges is dropped
  // without removing anything, as nothing reached the disk.
  const internal::KeyFolder keys =
      internal::StoreAccess::Keys(*this, /*in_memory=*/true);
  internal::FileChanges files;
  if (options.expected_revision) {
    Result<uint64_t> current = CheckRevision(txn, options);
    if (!current.ok()) return current.status();
  }
  return ApplyBatch(txn, keys, files, batch, options, failed_op);
}

Result<uint64_t> Store::ChangeCounter() const {
  return impl_->backend->ChangeCounter();
}

Result<uint64_t> Store::Revision() const {
  return impl_->backend->ChangeCounter();
}

Status Store::ReadAtOneRevision(
    const std::function<Status(uint64_t revision)>& body) const {
  return impl_->backend->ReadSnapshot([&] {
    Result<uint64_t> revision = impl_->backend->ChangeCounter();
    if (!revision.ok()) return revision.status();
    return body(*revision);
  });
}

uint64_t Store::last_written_revision() const {
  return impl_->last_written_revision;
}

Result<std::vector<RegistryKey>> Store::ReadRegistry(
    std::string_view path) const {
  std::vector<RegistryKey> keys;
  Status s = impl_->backend->ScanSubtree(path, [&](RegistryKey&& key) {
    keys.push_back(std::move(key));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return keys;
}

Status Store::ForEachRegistryKey(
    std::string_view path,
    const std::function<Status(const RegistryKey&)>& visit) const {
  // The folded names joined by NUL: a parent before its children, siblings
  // by name, depth first.
  auto order = [](std::string_view key) -> std::optional<std::string> {
    std::string place = FoldCase(key);
    std::replace(place.begin(), place.end(), '\\', '\0');
    return place;
  };
  return impl_->backend->ScanSubtreeOrdered(
      path, order, [&](RegistryKey&& key) { return visit(key); });
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
